// SPDX-License-Identifier: LGPL-2.1-or-later

import {
    decodeHeaderValue, encodeFrame, encodeHeaderValue, StompFrameError, StompFrameParser, textFrame, type StompFrame,
} from "../sim/vdsm/stomp-frame";

const bytes = (text: string) => Buffer.from(text, "utf8");

function parseAll(...chunks: (string | Buffer)[]): StompFrame[] {
    const parser = new StompFrameParser();
    return chunks.flatMap(c => parser.push(typeof c === "string" ? bytes(c) : c));
}

describe("STOMP frame encoding", () => {
    test("a frame without body has no content-length and ends with NUL after the blank line", () => {
        const encoded = encodeFrame(textFrame("CONNECTED", { version: "1.2", "heart-beat": "5000,0" }, null));
        expect(encoded.toString("utf8")).toBe("CONNECTED\nversion:1.2\nheart-beat:5000,0\n\n\0");
    });

    test("a body sets content-length in bytes, whatever the caller put there", () => {
        const body = "{\"name\":\"ünïcode\"}";
        const encoded = encodeFrame(textFrame("MESSAGE", { "content-length": "1", destination: "q" }, body));
        const text = encoded.toString("utf8");
        expect(text).toContain(`content-length:${Buffer.byteLength(body)}\n`);
        expect(text).not.toContain("content-length:1\n");
        expect(text.endsWith(`\n\n${body}\0`)).toBe(true);
    });

    test("header names and values are escaped", () => {
        expect(encodeHeaderValue("a:b\\c\nd\re")).toBe("a\\cb\\\\c\\nd\\re");
        const encoded = encodeFrame(textFrame("SEND", { "reply:to": "x:y" }, null)).toString();
        expect(encoded).toBe("SEND\nreply\\cto:x\\cy\n\n\0");
    });

    test("escapes decode back, and an unescaped colon or unknown escape is refused", () => {
        expect(decodeHeaderValue("a\\cb\\\\c\\nd\\re")).toBe("a:b\\c\nd\re");
        expect(() => decodeHeaderValue("host:port")).toThrow(StompFrameError);
        expect(() => decodeHeaderValue("bad\\t")).toThrow(/invalid escape/);
        expect(() => decodeHeaderValue("trailing\\")).toThrow(/invalid escape/);
    });
});

describe("STOMP frame parsing", () => {
    test("reads a frame with a content-length body that contains NUL", () => {
        const body = Buffer.from([0x41, 0x00, 0x42]);
        const [frame, ...rest] = parseAll(Buffer.concat([bytes("SEND\ndestination:q\ncontent-length:3\n\n"), body, Buffer.from([0])]));
        expect(rest).toEqual([]);
        expect(frame.command).toBe("SEND");
        expect(frame.headers.destination).toBe("q");
        expect(frame.body).toEqual(body);
    });

    test("without content-length the body runs to the first NUL", () => {
        const [frame] = parseAll("SEND\ndestination:q\n\nhello\0");
        expect(frame.body?.toString()).toBe("hello");
    });

    test("frames split at every byte come out whole, and heart-beats between frames are skipped", () => {
        const wire = encodeFrame(textFrame("SEND", { destination: "jms.topic.vdsm_requests" }, "{\"x\":\"é\"}"));
        const stream = Buffer.concat([bytes("\n\r\n"), wire, bytes("\n"), wire, bytes("\n")]);
        const parser = new StompFrameParser();
        const frames: StompFrame[] = [];
        for (const b of stream)
            frames.push(...parser.push(Buffer.from([b])));
        expect(frames).toHaveLength(2);
        for (const f of frames) {
            expect(f.command).toBe("SEND");
            expect(f.body?.toString("utf8")).toBe("{\"x\":\"é\"}");
        }
    });

    test("several frames in one chunk, CRLF line ends, first of repeated headers wins", () => {
        const frames = parseAll("CONNECT\r\naccept-version:1.2\r\naccept-version:1.0\r\n\r\n\0SUBSCRIBE\nid:1\ndestination:a\\cb\n\n\0");
        expect(frames.map(f => f.command)).toEqual(["CONNECT", "SUBSCRIBE"]);
        expect(frames[0].headers["accept-version"]).toBe("1.2");
        expect(frames[0].body).toEqual(Buffer.alloc(0));
        expect(frames[1].headers.destination).toBe("a:b");
    });

    test("a header called __proto__ is just a header", () => {
        const [frame] = parseAll("SEND\n__proto__:x\nconstructor:y\n\n\0");
        expect(frame.headers.__proto__).toBe("x");
        expect(frame.headers.constructor).toBe("y");
        expect(Object.keys(frame.headers).sort()).toEqual(["__proto__", "constructor"]);
    });

    test("an incomplete frame waits for more bytes", () => {
        const parser = new StompFrameParser();
        expect(parser.push(bytes("SEND\ncontent-length:5\n\nabc"))).toEqual([]);
        const [frame] = parser.push(bytes("de\0"));
        expect(frame.body?.toString()).toBe("abcde");
    });

    test.each([
        ["a header line without colon", "SEND\nnocolon\n\n\0", /no ":"/],
        ["an unescaped colon in a value", "SEND\nhost:localhost:54321\n\n\0", /unescaped ":"/],
        ["a body longer than content-length", "SEND\ncontent-length:2\n\nabc\0", /does not end with NUL/],
        ["a content-length that is not a number", "SEND\ncontent-length:-1\n\n\0", /bad content-length/],
    ])("refuses %s", (_, wire, message) => {
        expect(() => parseAll(wire)).toThrow(message);
    });
});
