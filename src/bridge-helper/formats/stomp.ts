// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * STOMP 1.2 frames, as vdsm's JSON-RPC transport uses them: a command line,
 * header lines with \\ \n \c \r escaped, an empty line, the body and a NUL.
 * With content-length the body is read by length (JSON may contain anything);
 * heart-beats are bare newlines between frames.
 */

export interface StompFrame {
    command: string;
    headers: Record<string, string>;
    body: Buffer;
}

const escapeHeader = (text: string) =>
    text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/:/g, "\\c").replace(/\r/g, "\\r");

const unescapeHeader = (text: string) =>
    text.replace(/\\(.)/g, (_m, c: string) => ({ "\\": "\\", n: "\n", c: ":", r: "\r" }[c] ?? `\\${c}`));

export function encodeFrame(command: string, headers: Record<string, string>, body: string | Buffer = ""): Buffer {
    const payload = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    const lines = [command, ...Object.entries({ ...headers, "content-length": String(payload.length) })
            .map(([k, v]) => `${escapeHeader(k)}:${escapeHeader(v)}`)];
    return Buffer.concat([Buffer.from(lines.join("\n") + "\n\n", "utf8"), payload, Buffer.from([0])]);
}

export class StompDecoder {
    private buffer = Buffer.alloc(0);

    /** Feeds received bytes; returns the frames now complete. Throws on a malformed frame. */
    push(chunk: Buffer): StompFrame[] {
        this.buffer = Buffer.concat([this.buffer, chunk]);
        const frames: StompFrame[] = [];
        for (;;) {
            // heart-beats and the optional EOLs after a frame
            let start = 0;
            while (start < this.buffer.length && (this.buffer[start] === 0x0a || this.buffer[start] === 0x0d))
                start++;
            this.buffer = this.buffer.subarray(start);
            const headerEnd = this.buffer.indexOf("\n\n");
            const crlfEnd = this.buffer.indexOf("\r\n\r\n");
            const end = headerEnd < 0 ? crlfEnd : crlfEnd < 0 ? headerEnd : Math.min(headerEnd, crlfEnd);
            if (end < 0)
                return frames;
            const separator = end === crlfEnd ? 4 : 2;
            const lines = this.buffer.subarray(0, end).toString("utf8").split(/\r?\n/);
            const command = lines[0];
            if (!/^[A-Z]+$/.test(command))
                throw new Error(`not a STOMP frame: "${command.slice(0, 40)}"`);
            const headers: Record<string, string> = {};
            for (const line of lines.slice(1)) {
                const colon = line.indexOf(":");
                if (colon < 0)
                    throw new Error(`bad STOMP header line "${line.slice(0, 40)}"`);
                const key = unescapeHeader(line.slice(0, colon));
                // the first of repeated headers counts
                if (!(key in headers))
                    headers[key] = unescapeHeader(line.slice(colon + 1));
            }
            const bodyStart = end + separator;
            let bodyEnd: number;
            if (headers["content-length"] !== undefined) {
                bodyEnd = bodyStart + Number(headers["content-length"]);
                if (this.buffer.length < bodyEnd + 1)
                    return frames;
                if (this.buffer[bodyEnd] !== 0)
                    throw new Error("STOMP frame body is not followed by NUL");
            } else {
                bodyEnd = this.buffer.indexOf(0, bodyStart);
                if (bodyEnd < 0)
                    return frames;
            }
            frames.push({ command, headers, body: Buffer.from(this.buffer.subarray(bodyStart, bodyEnd)) });
            this.buffer = this.buffer.subarray(bodyEnd + 1);
        }
    }
}
