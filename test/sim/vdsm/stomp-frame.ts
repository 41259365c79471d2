// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * STOMP 1.2 frames as vdsm 4.18 (oVirt 4.0) reads and writes them
 * (lib/yajsonrpc/stomp.py):
 *   COMMAND\n  header:value\n ...  \n  body  \0
 * Lines may end in \r\n; empty lines between frames are heart-beats. Header
 * names and values use STOMP's escapes (\\ \n \r \c) and an unescaped ":" in a
 * value is an error, in every frame (vdsm makes no exception for CONNECT). The
 * first of repeated headers wins. With content-length the body is exactly that
 * many bytes and must be followed by NUL; without it, it runs to the first NUL.
 *
 * Hand-written because the framing is this small; the parser works on bytes,
 * as content-length counts bytes.
 */

export interface StompFrame {
    command: string;
    headers: Record<string, string>;
    /** null: no body at all (no content-length is written) */
    body: Buffer | null;
}

/** A frame the peer sent that cannot be read; the connection cannot continue after it. */
export class StompFrameError extends Error {}

/** The end-of-frame byte. */
const NUL = 0;
const LF = 0x0a;

/**
 * A frame whose headers alone are bigger than this is not a STOMP frame but
 * garbage (or an attack on the sim); vdsm has no such limit, the sim needs one
 * to stay bounded.
 */
export const MAX_HEADER_BYTES = 64 * 1024;
/** Likewise for bodies: a JSON-RPC request to vdsm is a few KiB. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

const ESCAPES: Record<string, string> = { "\\": "\\", n: "\n", r: "\r", c: ":" };

export function decodeHeaderValue(text: string): string {
    if (text.includes(":"))
        throw new StompFrameError(`header text "${text}" contains an unescaped ":"`);
    return text.replace(/\\(.?)/gs, (_, escaped: string) => {
        const decoded = ESCAPES[escaped];
        if (decoded === undefined)
            throw new StompFrameError(`header text "${text}" contains the invalid escape sequence "\\${escaped}"`);
        return decoded;
    });
}

export function encodeHeaderValue(text: string): string {
    return text.replace(/[\\\n\r:]/g, c => (c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\c"));
}

export function encodeFrame(frame: StompFrame): Buffer {
    const headers = { ...frame.headers };
    // like vdsm: the length is always written when there is a body, so it is never stale
    if (frame.body !== null)
        headers["content-length"] = String(frame.body.length);
    const head = [frame.command, ...Object.entries(headers).map(([k, v]) => `${encodeHeaderValue(k)}:${encodeHeaderValue(v)}`)]
            .join("\n") + "\n\n";
    return Buffer.concat([Buffer.from(head, "utf8"), frame.body ?? Buffer.alloc(0), Buffer.from([NUL])]);
}

/** The one-byte heart-beat a STOMP peer sends when it has nothing else to say. */
export const HEARTBEAT = Buffer.from("\n");

/** Shorthand for frames with a text body. */
export function textFrame(command: string, headers: Record<string, string>, body: string | null): StompFrame {
    return { command, headers, body: body === null ? null : Buffer.from(body, "utf8") };
}

function stripCr(line: string): string {
    return line.endsWith("\r") ? line.slice(0, -1) : line;
}

/**
 * An incremental parser: push() the bytes as they arrive, get the complete
 * frames back. Throws StompFrameError on a malformed frame; the parser is
 * unusable afterwards, like the connection.
 */
export class StompFrameParser {
    private buffer: Buffer = Buffer.alloc(0);
    private frame: StompFrame | null = null;
    /** undefined until the frame's headers are read; then the body's length, or null when it runs to NUL */
    private contentLength: number | null | undefined = undefined;

    push(chunk: Buffer): StompFrame[] {
        this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
        const frames: StompFrame[] = [];
        for (;;) {
            const frame = this.next();
            if (!frame)
                break;
            frames.push(frame);
        }
        return frames;
    }

    private takeLine(): string | null {
        const end = this.buffer.indexOf(LF);
        if (end < 0) {
            if (this.buffer.length > MAX_HEADER_BYTES)
                throw new StompFrameError(`no end of line in ${this.buffer.length} bytes`);
            return null;
        }
        const line = this.buffer.subarray(0, end).toString("utf8");
        this.buffer = this.buffer.subarray(end + 1);
        return stripCr(line);
    }

    private next(): StompFrame | null {
        // the command line; empty lines before it are heart-beats
        while (this.frame === null) {
            const line = this.takeLine();
            if (line === null)
                return null;
            if (line === "")
                continue;
            // no prototype: a header may be called "constructor" or "__proto__"
            this.frame = { command: decodeHeaderValue(line), headers: Object.create(null) as Record<string, string>, body: null };
            this.contentLength = undefined;
        }
        const frame = this.frame;
        while (this.contentLength === undefined) {
            const line = this.takeLine();
            if (line === null)
                return null;
            if (line === "") {
                const length = frame.headers["content-length"];
                if (length === undefined) {
                    this.contentLength = null;
                } else if (/^\d+$/.test(length) && Number(length) <= MAX_BODY_BYTES) {
                    this.contentLength = Number(length);
                } else {
                    throw new StompFrameError(`bad content-length "${length}"`);
                }
                break;
            }
            const colon = line.indexOf(":");
            if (colon < 0)
                throw new StompFrameError(`header line "${line}" has no ":"`);
            const name = decodeHeaderValue(line.slice(0, colon));
            const value = decodeHeaderValue(line.slice(colon + 1));
            if (frame.headers[name] === undefined)
                frame.headers[name] = value;
        }
        let body: Buffer;
        if (this.contentLength === null) {
            const end = this.buffer.indexOf(NUL);
            if (end < 0) {
                if (this.buffer.length > MAX_BODY_BYTES)
                    throw new StompFrameError(`no NUL after ${this.buffer.length} bytes of body`);
                return null;
            }
            body = this.buffer.subarray(0, end);
            this.buffer = this.buffer.subarray(end + 1);
        } else {
            const length = this.contentLength;
            if (this.buffer.length < length + 1)
                return null;
            if (this.buffer[length] !== NUL)
                throw new StompFrameError(`the frame does not end with NUL after its content-length of ${length} bytes`);
            body = this.buffer.subarray(0, length);
            this.buffer = this.buffer.subarray(length + 1);
        }
        // a copy, so the frame does not pin the whole receive buffer
        frame.body = Buffer.from(body);
        this.frame = null;
        this.contentLength = undefined;
        return frame;
    }
}
