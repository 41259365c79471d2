// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The jest stand-in for src/plugin/lib/cockpit.ts. Tests script what spawned
 * processes print (spawnHandler) and read back what the page ran (spawnCalls),
 * and may give gettext a language (setTranslations).
 *
 * It behaves as Debian 12's Cockpit 287 by default, or as EL7's Cockpit 195
 * (setCockpitRelease(195)), modelled on 195's source (src/base1/cockpit.js,
 * src/base1/manifest.json, src/bridge/cockpitpeer.c, cockpitdbuscache.c), as no
 * Cockpit 195 runs on Debian 12: no cockpit.Superuser object (its proxy's
 * wait() completes with the proxy not valid), and a superuser spawn without a
 * privileged bridge rejected with problem "access-denied" and no output. Both
 * refuse a superuser "require" spawn that way when setSuperuser("none").
 */

import type { Cockpit, ProcessError, SpawnOptions, SpawnPromise } from "../../src/plugin/lib/cockpit";

export interface SpawnCall {
    args: string[];
    options: SpawnOptions | undefined;
    input: string | undefined;
}

/**
 * What a scripted process does: print stdout and exit 0, or fail with stdout and
 * an error, or (running) print stdout to its stream, in chunks if given as a
 * list, and go on running.
 */
export type SpawnOutcome = { stdout: string } | { fail: Partial<ProcessError>; stdout?: string } | { running: string | string[] };

export const spawnCalls: SpawnCall[] = [];
let spawnHandler: (call: SpawnCall) => SpawnOutcome = () => ({ stdout: "" });

export function setSpawnHandler(handler: (call: SpawnCall) => SpawnOutcome): void {
    spawnHandler = handler;
}

export function resetMockCockpit(): void {
    spawnCalls.length = 0;
    spawnHandler = () => ({ stdout: "" });
    mockCockpit.location.path = [];
    mockCockpit.location.options = {};
    superuserCurrent = "root";
    release = 287;
    superuserObjectAnswers = true;
    handlerErrors.length = 0;
    translations = {};
}

/* msgid -> msgstr for gettext, as cockpit.locale() would load them; untranslated ids stay English. */
let translations: Record<string, string> = {};
export function setTranslations(messages: Record<string, string>): void {
    translations = messages;
}

/*
 * The session's admin rights as cockpit.Superuser's Current says them ("root",
 * "sudo", "none", "init"); on 195, anything but "none" is a privileged bridge
 * that started. A change is announced to the proxies, as the object does.
 */
let superuserCurrent: string = "root";
const superuserListeners = new Set<() => void>();
export function setSuperuser(current: string): void {
    superuserCurrent = current;
    superuserListeners.forEach(l => l());
}

let release: 195 | 287 = 287;
export function setCockpitRelease(version: 195 | 287): void {
    release = version;
}

/* false: the internal bus never answers about /superuser (the page must not wait forever) */
let superuserObjectAnswers = true;
export function setSuperuserObjectAnswers(answers: boolean): void {
    superuserObjectAnswers = answers;
}

/* How both releases close a superuser "require" channel that no privileged bridge took. */
const ACCESS_DENIED: ProcessError = {
    problem: "access-denied", exit_status: null, exit_signal: null, message: "Not permitted to perform this action.",
};

function superuserProxy(iface: string, path: string) {
    const present = release >= 219 && iface === "cockpit.Superuser" && path === "/superuser";
    return {
        get valid() { return present; },
        get Current() { return present ? superuserCurrent : undefined; },
        wait: (callback?: () => void) => new Promise<void>(resolve => {
            if (superuserObjectAnswers)
                setTimeout(() => { callback?.(); resolve(); }, 0);
        }),
        addEventListener: (_event: "changed", listener: () => void) => { superuserListeners.add(listener); },
        removeEventListener: (_event: "changed", listener: () => void) => { superuserListeners.delete(listener); },
    };
}

function format(template: string, ...args: unknown[]): string {
    return template.replace(/\$([0-9]+)/g, (_m, i: string) => String(args[Number(i)] ?? ""));
}

/*
 * What an exception in a handler of a spawn's then() does. Today's cockpit.js
 * rejects the promise then() returned; 195's cockpit.defer does not ("Exceptions
 * thrown in handlers are not treated as rejections", src/base1/cockpit.js): the
 * exception escapes and that promise never settles. The mock keeps it in
 * handlerErrors for the tests to look at.
 */
export const handlerErrors: unknown[] = [];

function settle<R>(handler: () => R): R | Promise<never> {
    if (release !== 195)
        return handler();
    try {
        return handler();
    } catch (err) {
        handlerErrors.push(err);
        return new Promise<never>(() => undefined);
    }
}

function spawn(args: string[], options?: SpawnOptions): SpawnPromise {
    const call: SpawnCall = { args, options, input: undefined };
    spawnCalls.push(call);
    let streamTo: ((chunk: string) => void) | null = null;
    const promise: SpawnPromise = {
        then(done, fail) {
            // settle asynchronously like the real channel, after input() was given
            return new Promise(resolve => setTimeout(resolve, 0)).then(() => {
                const refused = options?.superuser === "require" && superuserCurrent === "none";
                const outcome: SpawnOutcome = refused ? { fail: ACCESS_DENIED } : spawnHandler(call);
                if ("running" in outcome) {
                    (Array.isArray(outcome.running) ? outcome.running : [outcome.running]).forEach(chunk => streamTo?.(chunk));
                    return new Promise<never>(() => undefined);
                }
                // like cockpit: output taken by stream() is not handed to then()
                const stdout = outcome.stdout ?? "";
                if (streamTo && stdout)
                    streamTo(stdout);
                const rest = streamTo ? "" : stdout;
                if ("fail" in outcome) {
                    const ex: ProcessError = { problem: null, exit_status: 1, exit_signal: null, message: "", ...outcome.fail };
                    if (!fail)
                        throw ex;
                    return settle(() => fail(ex, rest));
                }
                return settle(() => done(rest));
            });
        },
        stream(callback) {
            streamTo = callback;
            return promise;
        },
        input(data: string) {
            call.input = data;
            return promise;
        },
        close() {},
    };
    return promise;
}

const listeners = new Map<string, Set<() => void>>();

export const mockCockpit: Cockpit = {
    spawn,
    file: () => { throw new Error("cockpit.file is not mocked"); },
    dbus: () => ({
        proxy: superuserProxy,
        close: () => {},
    }),
    location: {
        path: [],
        options: {},
        go(path) {
            mockCockpit.location.path = Array.isArray(path) ? path : path.split("/").filter(Boolean);
            listeners.get("locationchanged")?.forEach(l => l());
        },
        replace(path) { mockCockpit.location.go(path); },
    },
    addEventListener(event, listener) {
        if (!listeners.has(event))
            listeners.set(event, new Set());
        listeners.get(event)?.add(listener);
    },
    removeEventListener(event, listener) {
        listeners.get(event)?.delete(listener);
    },
    hidden: false,
    format,
    format_bytes: (bytes: number, factor?: number) => (factor === 1024 ? `${bytes / 1024 ** 3} GiB` : `${bytes} B`),
    gettext: ((a: string, b?: string) => {
        const msgid = b ?? a;
        return Object.hasOwn(translations, msgid) ? translations[msgid] : msgid;
    }) as Cockpit["gettext"],
    ngettext: (singular: string, plural: string, n: number) => (n === 1 ? singular : plural),
    noop: <T>(value: T) => value,
    user: () => Promise.resolve({ id: 1000, name: "admin", full_name: "Admin", home: "/home/admin", groups: ["wheel"] }),
    jump: () => {},
    language: "en",
};

export default mockCockpit;

/** What `stat -c '%u %G %a %F %n' PATH...` prints for a root-owned install: the page's check before it runs the helper. */
export function rootOwnedStat(call: SpawnCall): SpawnOutcome {
    return { stdout: call.args.slice(3).map(p => p.endsWith(".js") ? `0 root 644 regular file ${p}` : `0 root 755 directory ${p}`).join("\n") + "\n" };
}
