// SPDX-License-Identifier: LGPL-2.1-or-later

import { encodeFrame, StompDecoder } from "../../src/bridge-helper/formats/stomp";

describe("STOMP frames", () => {
    test("encode with content-length and escaped headers, decode back", () => {
        const frame = encodeFrame("SEND", { destination: "jms.topic.vdsm_requests", "x:odd": "a\nb" }, '{"a":"\u0000"}');
        expect(frame.toString("utf8")).toMatch(/^SEND\ndestination:jms.topic.vdsm_requests\nx\\codd:a\\nb\ncontent-length:/);
        expect(frame[frame.length - 1]).toBe(0);
        const [decoded] = new StompDecoder().push(frame);
        expect(decoded.command).toBe("SEND");
        expect(decoded.headers["x:odd"]).toBe("a\nb");
        expect(decoded.body.toString()).toBe('{"a":"\u0000"}');
    });

    test("frames split across reads, heart-beats between them and frames without content-length", () => {
        const decoder = new StompDecoder();
        const bytes = Buffer.concat([Buffer.from("\n\n"), encodeFrame("MESSAGE", { destination: "d" }, "one"),
            Buffer.from("\nCONNECTED\nversion:1.2\n\n\u0000")]);
        const frames = [...decoder.push(bytes.subarray(0, 10)), ...decoder.push(bytes.subarray(10, 31)), ...decoder.push(bytes.subarray(31))];
        expect(frames.map(f => [f.command, f.body.toString()])).toEqual([["MESSAGE", "one"], ["CONNECTED", ""]]);
    });

    test("garbage is an error, not a frame", () => {
        expect(() => new StompDecoder().push(Buffer.from("hello world\n\n\u0000"))).toThrow(/not a STOMP frame/);
    });
});
