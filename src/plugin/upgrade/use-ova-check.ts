// SPDX-License-Identifier: LGPL-2.1-or-later

import { useEffect, useRef, useState } from "react";

import type { OvaReport } from "../../protocol";
import { MIN_MEASURED_BYTES } from "../jobs/downtime";
import { asHelperFailure, HelperFailure, stream as streamVerb, type HelperStream } from "../lib/helper-client";
import type { UpgradeFindings } from "./upgrade-form";

export interface OvaReading {
    done: number;
    total: number;
}

export interface OvaCheck {
    /** how far the helper has read the OVA, while it does */
    reading: OvaReading | null;
    error: HelperFailure | null;
    /** read the OVA at `path` once: its sha1 (against `sha1`, if given) and its OVF */
    check: (path: string, sha1: string | null) => void;
}

/* An OVA read by the helper's inspect-ova, its report kept with the findings; a new check drops the one before. */
export function useOvaCheck(onFindings: (change: Partial<UpgradeFindings>) => void): OvaCheck {
    const [error, setError] = useState<HelperFailure | null>(null);
    const [reading, setReading] = useState<OvaReading | null>(null);
    const stream = useRef<HelperStream<OvaReport> | null>(null);

    useEffect(() => () => stream.current?.close(), []);

    const check = (path: string, sha1: string | null) => {
        stream.current?.close();
        setError(null);
        setReading({ done: 0, total: 0 });
        onFindings({ ova: null, ovaBytesPerSecond: null });
        const started = Date.now();
        const current = streamVerb("inspect-ova", { path, sha1, progress: true },
                                   progress => setReading({ done: progress.done, total: progress.total }));
        stream.current = current;
        // an unusable OVA is an answer too: its report says why
        current.done.then(ova => {
            if (stream.current === current && ova) {
                // the one reading of data on this host the page sees: the review's rate for the copies
                const seconds = (Date.now() - started) / 1000;
                const measurable = seconds > 0 && ova.sizeBytes >= MIN_MEASURED_BYTES;
                onFindings({ ova, ovaBytesPerSecond: measurable ? ova.sizeBytes / seconds : null });
            }
        }, err => {
            if (stream.current === current)
                setError(asHelperFailure(err));
        }).finally(() => {
            if (stream.current === current)
                setReading(null);
        });
    };

    return { reading, error, check };
}
