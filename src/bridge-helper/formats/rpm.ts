// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What rpm says about installed packages, and how rpm orders versions.
 *
 * `rpm -q --qf '%{NAME}\t%{VERSION}\t%{RELEASE}\n' NAME...` prints one line per
 * installed package and "package NAME is not installed" for each absent one,
 * on stdout, with the count of absent ones as its exit code (rpm 4.11 of EL7,
 * lib/query.c rpmcliArgIter / rpmQueryVerify; the same in 4.18).
 *
 * Versions compare as rpm compares them (rpm lib/rpmvercmp.c, 4.11 to 4.18):
 * segments of digits or of letters, anything else separates them; numbers
 * compare as numbers without leading zeros, a number beats letters, letters
 * compare as bytes; "~" sorts before everything, even the end ("1.0~rc1" <
 * "1.0"); "^" sorts after the end but before more segments (rpm 4.15+;
 * EL7's 4.11 does not know it, and no oVirt 3.6/4.0 version uses it).
 * So "4.17.35" > "4.17.4" and "2.0.0" > "2.0".
 */

export interface InstalledPackage {
    name: string;
    version: string;
    release: string;
}

/** The query format the parser below reads. */
export const RPM_QUERY_FORMAT = "%{NAME}\\t%{VERSION}\\t%{RELEASE}\\n";

export interface RpmQuery {
    installed: InstalledPackage[];
    /** names rpm reported as "not installed" */
    missing: string[];
    /** lines that are neither: rpm's own errors */
    other: string[];
}

export function parseRpmQuery(stdout: string): RpmQuery {
    const query: RpmQuery = { installed: [], missing: [], other: [] };
    for (const line of stdout.split("\n")) {
        if (line.trim() === "")
            continue;
        const absent = /^package (\S+) is not installed$/.exec(line);
        const fields = line.split("\t");
        if (absent?.[1])
            query.missing.push(absent[1]);
        else if (fields.length === 3 && fields.every(f => f !== ""))
            query.installed.push({ name: fields[0] ?? "", version: fields[1] ?? "", release: fields[2] ?? "" });
        else
            query.other.push(line);
    }
    return query;
}

const isDigit = (c: string) => c >= "0" && c <= "9";
const isAlpha = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
const isAlnum = (c: string) => isDigit(c) || isAlpha(c);

/* The end of the run of characters like s[i] (digits, or letters) from i on. */
function segmentEnd(s: string, i: number, digits: boolean): number {
    let end = i;
    while (end < s.length && (digits ? isDigit(s.charAt(end)) : isAlpha(s.charAt(end))))
        end++;
    return end;
}

function compareNumbers(a: string, b: string): number {
    const x = a.replace(/^0+/, "");
    const y = b.replace(/^0+/, "");
    if (x.length !== y.length)
        return x.length > y.length ? 1 : -1;
    return x === y ? 0 : (x > y ? 1 : -1);
}

/* "~" and "^" decide before any segment; null when neither is at i/j. */
function compareMarks(a: string, i: number, b: string, j: number): number | null {
    const ca = a.charAt(i);
    const cb = b.charAt(j);
    if (ca === "~" || cb === "~") {
        if (ca !== cb)
            return ca === "~" ? -1 : 1;
        return 0;
    }
    if (ca === "^" || cb === "^") {
        if (ca === "")
            return -1;
        if (cb === "")
            return 1;
        if (ca !== cb)
            return ca === "^" ? -1 : 1;
        return 0;
    }
    return null;
}

/** rpmvercmp: -1, 0 or 1 as version (or release) a is older, the same, newer than b. */
export function rpmVerCmp(a: string, b: string): number {
    if (a === b)
        return 0;
    let i = 0;
    let j = 0;
    const skip = (s: string, k: number) => {
        while (k < s.length && !isAlnum(s.charAt(k)) && s.charAt(k) !== "~" && s.charAt(k) !== "^")
            k++;
        return k;
    };
    while (i < a.length || j < b.length) {
        i = skip(a, i);
        j = skip(b, j);
        const mark = compareMarks(a, i, b, j);
        if (mark !== null) {
            if (mark !== 0)
                return mark;
            i++;
            j++;
            continue;
        }
        if (i >= a.length || j >= b.length)
            break;
        const digits = isDigit(a.charAt(i));
        const endA = segmentEnd(a, i, digits);
        const endB = segmentEnd(b, j, digits);
        // a number against letters: the number is newer
        if (endB === j)
            return digits ? 1 : -1;
        const segA = a.slice(i, endA);
        const segB = b.slice(j, endB);
        const rc = digits ? compareNumbers(segA, segB) : (segA === segB ? 0 : (segA > segB ? 1 : -1));
        if (rc !== 0)
            return rc;
        i = endA;
        j = endB;
    }
    if (i >= a.length && j >= b.length)
        return 0;
    return i >= a.length ? -1 : 1;
}

/**
 * Whether version-release (v, r) is at least `minimum`, given as "VERSION" or
 * "VERSION-RELEASE" (without epoch: neither vdsm's capabilities nor our query
 * report one). A minimum without release accepts every release of that version.
 */
export function atLeast(version: string, release: string, minimum: string): boolean {
    const dash = minimum.lastIndexOf("-");
    const floorVersion = dash < 0 ? minimum : minimum.slice(0, dash);
    const byVersion = rpmVerCmp(version, floorVersion);
    if (byVersion !== 0 || dash < 0)
        return byVersion > 0 || (byVersion === 0 && dash < 0);
    return rpmVerCmp(release, minimum.slice(dash + 1)) >= 0;
}
