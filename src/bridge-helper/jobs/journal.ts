// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The journal format: one JSON event a line, appended. A crash may tear the
 * last line, and a resumed job then appends after the torn fragment, so a
 * line that does not parse (or is not an event) is skipped with a warning and
 * the lines after it still count. The journal is read in chunks: a line longer
 * than any event (a hole of zeros, a garbled file) is skipped without being
 * kept, and the whole is capped (JOURNAL_LIMIT).
 */

import fs from "node:fs";

import type { FollowLine, JobEvent, JournalWarning } from "../../protocol/events";
import { text } from "../../protocol/text";
import { HelperError } from "../errors";
import { JOURNAL_LIMIT, openJobFile, readChunk } from "./job-files";

/** No event comes near this; a longer line is not one. */
const MAX_LINE = 1 << 20;
/* A garbled journal could have millions of bad lines: the first few say enough. */
const MAX_WARNINGS = 20;

export interface JournalRead {
    /** events and warnings in journal order: what `follow` prints */
    lines: FollowLine[];
    events: JobEvent[];
    warnings: JournalWarning[];
}

const STEP_STATES = new Set(["running", "done", "failed", "skipped"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/* Enough of an event's shape that the readers (summaries, backups, the page) can rely on it. */
function isJobEvent(v: unknown): v is JobEvent {
    if (!isObject(v))
        return false;
    switch (v.type) {
    case "job":
        return typeof v.kind === "string" && Array.isArray(v.steps) &&
            v.steps.every(s => isObject(s) && typeof s.id === "string");
    case "step":
        return typeof v.id === "string" && typeof v.state === "string" && STEP_STATES.has(v.state) &&
            (v.facts === undefined || isObject(v.facts));
    case "progress":
        return typeof v.step === "string";
    case "log":
        return typeof v.text === "string" && typeof v.level === "string";
    case "result":
        return typeof v.ok === "boolean" && isObject(v.message) && Array.isArray(v.next) && isObject(v.figures);
    default:
        return false;
    }
}

/**
 * Reads a job's journal. `tornTail`: whether a last line without its newline
 * is reported as unreadable ("warn": the job is not running, so nobody is
 * still writing it) or left out ("skip": the running job may be mid-write).
 */
export function readJournal(file: string, job: string, tornTail: "warn" | "skip"): JournalRead {
    const read: JournalRead = { lines: [], events: [], warnings: [] };
    let lineNo = 0;
    const warn = () => {
        if (read.warnings.length >= MAX_WARNINGS)
            return;
        const warning: JournalWarning = { type: "journal-warning", line: lineNo, message: text("job.journal-line-unreadable", { line: lineNo, job }) };
        read.warnings.push(warning);
        read.lines.push(warning);
    };
    const take = (line: string) => {
        if (line.trim() === "")
            return;
        let value: unknown;
        try {
            value = JSON.parse(line);
        } catch {
            // the parser's message quotes the line: never passed on
            value = null;
        }
        if (isJobEvent(value)) {
            read.events.push(value);
            read.lines.push(value);
        } else {
            warn();
        }
    };

    const { fd } = openJobFile(file, JOURNAL_LIMIT);
    try {
        const chunk = Buffer.alloc(1 << 20);
        let pending: Buffer[] = [];
        let pendingLength = 0;
        let overlong = false;
        let total = 0;
        for (;;) {
            const n = readChunk(fd, file, chunk, 0);
            if (n === 0)
                break;
            total += n;
            if (total > JOURNAL_LIMIT)
                throw new HelperError("format-invalid", file, text("job.file-too-large", { file, limit: JOURNAL_LIMIT }));
            let start = 0;
            for (;;) {
                const nl = chunk.indexOf(10, start);
                const end = nl < 0 || nl >= n ? n : nl;
                if (!overlong) {
                    pending.push(Buffer.from(chunk.subarray(start, end)));
                    pendingLength += end - start;
                    if (pendingLength > MAX_LINE) {
                        overlong = true;
                        pending = [];
                    }
                }
                if (end === n)
                    break;
                lineNo++;
                if (overlong)
                    warn();
                else
                    take(Buffer.concat(pending).toString("utf8"));
                pending = [];
                pendingLength = 0;
                overlong = false;
                start = nl + 1;
            }
        }
        if ((pendingLength > 0 || overlong) && tornTail === "warn") {
            lineNo++;
            const last = overlong ? "" : Buffer.concat(pending).toString("utf8");
            // a last line that parses lacks only its newline; anything else is torn
            if (overlong || last.trim() !== "")
                take(overlong ? "\u0000" : last);
        }
    } finally {
        fs.closeSync(fd);
    }
    return read;
}

/**
 * Appends one event and makes sure it is on disk before the caller goes on.
 * When the journal ends in a torn line, the event starts a line of its own,
 * so that it is not glued to the fragment and lost with it.
 */
export function appendJournal(file: string, event: JobEvent): void {
    let fd: number;
    try {
        fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT |
                         fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK, 0o600);
    } catch (err) {
        throw new HelperError("format-invalid", file, text("job.file-unreadable", { file, reason: (err as NodeJS.ErrnoException).code ?? "error" }));
    }
    try {
        const st = fs.fstatSync(fd);
        if (!st.isFile())
            throw new HelperError("format-invalid", file, text("job.file-not-regular", { file }));
        let lead = "";
        if (st.size > 0) {
            const last = Buffer.alloc(1);
            // read-write for this: appends go to the end whatever the position
            fs.readSync(fd, last, 0, 1, st.size - 1);
            lead = last[0] === 10 ? "" : "\n";
        }
        fs.writeSync(fd, lead + JSON.stringify(event) + "\n");
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
}
