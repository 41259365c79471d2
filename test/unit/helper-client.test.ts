// SPDX-License-Identifier: LGPL-2.1-or-later

import { text, type FollowLine, type JobEvent, type OvaReport } from "../../src/protocol";
import { call, callVerdict, forgetHelperLocation, HelperFailure, stream } from "../../src/plugin/lib/helper-client";
import { resetMockCockpit, setSpawnHandler, spawnCalls, type SpawnCall, type SpawnOutcome } from "../support/mock-cockpit";

const INSTALLED = "/usr/local/share/cockpit/hosted-engine/helper.js";

beforeEach(() => {
    resetMockCockpit();
    forgetHelperLocation();
});

type StatOf = (path: string) => string | null;

/* `stat -c '%u %G %a %F %n'` of a root-owned install: 0755 directories and a 0644 helper. */
const rootOwned: StatOf = p => p.endsWith(".js") ? `0 root 644 regular file ${p}` : `0 root 755 directory ${p}`;

/* The helper is installed at `path` only (each path's stat line from `statOf`); `answer` is what its verbs do. */
function helperAt(path: string, answer: (call: SpawnCall) => SpawnOutcome, statOf: StatOf = rootOwned) {
    setSpawnHandler(c => {
        if (c.args[0] === "stat") {
            if (c.args[3] !== path)
                return { fail: { exit_status: 1 } };
            return { stdout: c.args.slice(3).map(p => statOf(p)).join("\n") + "\n" };
        }
        return answer(c);
    });
}

const helperCall = () => spawnCalls.find(c => c.args[0] === "node");

const errorDocument = JSON.stringify({
    error: {
        code: "command-failed",
        text: text("internal.unexpected", { reason: "broker down" }),
        message: "Unexpected helper failure: broker down",
        what: "hosted-engine --vm-status --json",
        detail: "Connection refused",
    },
});

describe("call", () => {
    test("runs node on the installed helper as root with the verb's arguments, and parses its JSON", async () => {
        helperAt(INSTALLED, () => ({ stdout: '{"hostedEngineHost":false}\n' }));
        await expect(call("status", {})).resolves.toEqual({ hostedEngineHost: false });
        expect(helperCall()?.args).toEqual(["node", INSTALLED, "status"]);
        expect(helperCall()?.options).toEqual({ superuser: "require", err: "message" });
        expect(helperCall()?.input).toBeUndefined();
    });

    test("secrets go to stdin, never into the arguments", async () => {
        helperAt(INSTALLED, () => ({ stdout: '{"engineUrl":"https://engine/ovirt-engine","engineVersion":"3.6.7","ca":{}}' }));
        await call("engine-login", { adminPassword: "s3cret" });
        expect(helperCall()?.args).toEqual(["node", INSTALLED, "engine-login"]);
        expect(JSON.parse(helperCall()?.input ?? "")).toEqual({ adminPassword: "s3cret" });
    });

    test("the helper's error document becomes a failure titled by its translated text, with its code, what and detail", async () => {
        helperAt(INSTALLED, () => ({ fail: { exit_status: 1 }, stdout: `${errorDocument}\n` }));
        const failure = await call("status", {}).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(HelperFailure);
        expect(failure).toMatchObject({
            code: "command-failed",
            title: "Unexpected helper failure: broker down",
            detail: "Connection refused",
            what: "hosted-engine --vm-status --json",
        });
    });

    test("an error document without a text (an older helper) is titled by its message", async () => {
        helperAt(INSTALLED, () => ({
            fail: { exit_status: 1 },
            stdout: '{"error":{"code":"usage","message":"Unknown verb","what":"x"}}\n',
        }));
        await expect(call("status", {})).rejects.toMatchObject({ code: "usage", title: "Unknown verb", detail: "", what: "x" });
    });

    test("access denied says administrative access is required", async () => {
        helperAt(INSTALLED, () => ({ fail: { problem: "access-denied", exit_status: null } }));
        await expect(call("status", {})).rejects.toMatchObject({ code: "access-denied", title: "Administrative access required" });
    });

    test("output that is not JSON", async () => {
        helperAt(INSTALLED, () => ({ stdout: "Traceback" }));
        await expect(call("status", {})).rejects.toMatchObject({ code: "spawn-failed", detail: "Traceback" });
    });

    test("a verdict verb's \"no\" is a failure for call()", async () => {
        helperAt(INSTALLED, () => ({ fail: { exit_status: 1 }, stdout: '{"ok":false,"checks":[]}' }));
        await expect(call("preflight", plan())).rejects.toBeInstanceOf(HelperFailure);
    });
});

function plan() {
    return {
        backupArchive: "/root/engine_backup.tar.gz", appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
        rootSshKey: null, rootSshAccess: null, addHostToEtcHosts: false, vmNetwork: null, diskSizeGiB: null, acceptUnsupportedVersions: false,
        adminPassword: "s3cret", rootPassword: null,
    };
}

describe("callVerdict", () => {
    test("exit 0: a yes with the report", async () => {
        helperAt(INSTALLED, () => ({ stdout: '{"ok":true,"checks":[]}' }));
        await expect(callVerdict("preflight", plan())).resolves.toEqual({ ok: true, value: { ok: true, checks: [] } });
        expect(JSON.parse(helperCall()?.input ?? "")).toEqual(plan());
    });

    test("exit 1 with a report: a no, not a failure", async () => {
        helperAt(INSTALLED, () => ({ fail: { exit_status: 1 }, stdout: '{"path":"/root/a.tar.gz","problems":[]}\n' }));
        await expect(callVerdict("validate-backup", { path: "/root/a.tar.gz" }))
                .resolves.toEqual({ ok: false, value: { path: "/root/a.tar.gz", problems: [] } });
        expect(helperCall()?.args).toEqual(["node", INSTALLED, "validate-backup", "/root/a.tar.gz"]);
    });

    test("exit 1 with an error document is a failure", async () => {
        helperAt(INSTALLED, () => ({ fail: { exit_status: 1 }, stdout: errorDocument }));
        await expect(callVerdict("validate-backup", { path: "/root/a.tar.gz" })).rejects.toMatchObject({ code: "command-failed" });
    });

    test("another exit status is a failure", async () => {
        helperAt(INSTALLED, () => ({ fail: { exit_status: 2, message: "killed" }, stdout: '{"path":"/a"}' }));
        await expect(callVerdict("validate-backup", { path: "/a" })).rejects.toMatchObject({ code: "spawn-failed", detail: "killed" });
    });

    test("exit 1 of a verb that gives no verdicts is a failure", async () => {
        helperAt(INSTALLED, () => ({ fail: { exit_status: 1 }, stdout: '{"running":null,"jobs":[]}' }));
        await expect(callVerdict("jobs", {})).rejects.toMatchObject({ code: "spawn-failed" });
    });
});

const JOB_EVENTS: JobEvent[] = [
    { type: "job", id: "j1", kind: "rollback", time: "2026-12-01T10:00:00Z", steps: [], attempt: 1 },
    { type: "log", level: "info", text: "hello", time: "2026-12-01T10:00:01Z" },
];

describe("stream", () => {
    test("follow: every event goes to onLine, the end line is the output", async () => {
        const lines = [...JOB_EVENTS, { type: "end", state: "succeeded" }].map(e => JSON.stringify(e)).join("\n");
        helperAt(INSTALLED, () => ({ stdout: `${lines}\n` }));
        const seen: FollowLine[] = [];
        const following = stream("follow", { job: "j1" }, e => seen.push(e));
        await expect(following.done).resolves.toEqual({ type: "end", state: "succeeded" });
        expect(seen).toEqual(JOB_EVENTS);
        expect(helperCall()?.args).toEqual(["node", INSTALLED, "follow", "j1"]);
    });

    test("a failed job's follow exits 1 and still ends with its output", async () => {
        const lines = [...JOB_EVENTS, { type: "end", state: "failed" }].map(e => JSON.stringify(e)).join("\n");
        helperAt(INSTALLED, () => ({ fail: { exit_status: 1 }, stdout: lines }));
        const seen: FollowLine[] = [];
        await expect(stream("follow", { job: "j1" }, e => seen.push(e)).done).resolves.toEqual({ type: "end", state: "failed" });
        expect(seen).toHaveLength(2);
    });

    test("lines split across chunks are put together; a partial line waits for the rest", async () => {
        const whole = JOB_EVENTS.map(e => JSON.stringify(e)).join("\n") + "\n";
        const chunks = whole.match(/[^]{1,7}/g) ?? [];
        helperAt(INSTALLED, () => ({ running: chunks.slice(0, -1) }));
        const seen: FollowLine[] = [];
        const following = stream("follow", { job: "j1" }, e => seen.push(e));
        await new Promise(resolve => setTimeout(resolve, 20));
        // the last line lacks its last chunk
        expect(seen).toEqual(JOB_EVENTS.slice(0, 1));
        following.close();
    });

    test("inspect-ova: progress lines, then the report as the output, also for an unusable OVA", async () => {
        const report = { path: "/root/a.ova", sha1: "0", problems: [text("internal.unexpected", { reason: "no OVF" })] } as unknown as OvaReport;
        const lines = [{ type: "progress", done: 1, total: 2 }, { type: "progress", done: 2, total: 2 }, report];
        helperAt(INSTALLED, () => ({ fail: { exit_status: 1 }, stdout: lines.map(l => JSON.stringify(l)).join("\n") }));
        const progress: number[] = [];
        const reading = stream("inspect-ova", { path: "/root/a.ova", sha1: null, progress: true }, p => progress.push(p.done));
        await expect(reading.done).resolves.toEqual(report);
        expect(progress).toEqual([1, 2]);
        expect(helperCall()?.args).toEqual(["node", INSTALLED, "inspect-ova", "/root/a.ova", "--progress"]);
    });

    test("an error document as the last line is the rejection, not a line", async () => {
        helperAt(INSTALLED, () => ({ fail: { exit_status: 1 }, stdout: `${JSON.stringify(JOB_EVENTS[0])}\n${errorDocument}\n` }));
        const seen: FollowLine[] = [];
        await expect(stream("follow", { job: "j1" }, e => seen.push(e)).done)
                .rejects.toMatchObject({ code: "command-failed", title: "Unexpected helper failure: broker down" });
        expect(seen).toHaveLength(1);
    });

    test("a helper that dies without its output is a failure", async () => {
        helperAt(INSTALLED, () => ({ fail: { exit_status: 134, message: "Aborted" }, stdout: JSON.stringify(JOB_EVENTS[0]) }));
        await expect(stream("follow", { job: "j1" }, () => undefined).done).rejects.toMatchObject({ code: "spawn-failed", detail: "Aborted" });
    });
});

describe("where the helper is run from", () => {
    const USER_HELPER = "/home/he-user/.local/share/cockpit/hosted-engine/helper.js";

    test("only from a system location: a helper in the user's ~/.local/share is never run as root", async () => {
        helperAt(USER_HELPER, () => ({ stdout: "{}" }));
        await expect(call("status", {})).rejects.toMatchObject({ code: "not-installed", title: "The hosted-engine helper is not installed" });
        expect(spawnCalls.filter(c => c.args[0] === "stat").map(c => c.args[3]))
                .toEqual(["/usr/local/share/cockpit/hosted-engine/helper.js", "/usr/libexec/cockpit-hosted-engine/helper.js",
                          "/usr/share/cockpit/hosted-engine/helper.js"]);
        expect(helperCall()).toBeUndefined();
    });

    test("the package's /usr/share when nothing is in /usr/local/share; every directory up to / is looked at", async () => {
        const packaged = "/usr/share/cockpit/hosted-engine/helper.js";
        helperAt(packaged, () => ({ stdout: "{}" }));
        await call("status", {});
        expect(helperCall()?.args).toEqual(["node", packaged, "status"]);
        expect(spawnCalls.find(c => c.args[0] === "stat" && c.args[3] === packaged)?.args.slice(3))
                .toEqual([packaged, "/usr/share/cockpit/hosted-engine", "/usr/share/cockpit", "/usr/share", "/usr", "/"]);
    });

    test("the RPM's /usr/libexec before /usr/share when nothing is in /usr/local/share", async () => {
        const rpm = "/usr/libexec/cockpit-hosted-engine/helper.js";
        helperAt(rpm, () => ({ stdout: "{}" }));
        await call("status", {});
        expect(helperCall()?.args.slice(1)).toEqual([rpm, "status"]);
        expect(spawnCalls.find(c => c.args[0] === "stat" && c.args[3] === rpm)?.args.slice(3))
                .toEqual([rpm, "/usr/libexec/cockpit-hosted-engine", "/usr/libexec", "/usr", "/"]);
        expect(spawnCalls.filter(c => c.args[0] === "stat").map(c => c.args[3])).not.toContain("/usr/share/cockpit/hosted-engine/helper.js");
    });

    test.each<[string, StatOf, RegExp]>([
        ["a helper a user owns", p => p.endsWith(".js") ? `1000 he-user 644 regular file ${p}` : rootOwned(p), /helper\.js is not owned by root/],
        ["a directory a user owns", p => p.endsWith("/hosted-engine") ? `1000 he-user 755 directory ${p}` : rootOwned(p), /hosted-engine is not owned by root/],
        ["a world-writable directory", p => p === "/usr/local/share/cockpit" ? `0 root 777 directory ${p}` : rootOwned(p), /\/usr\/local\/share\/cockpit can be changed by users other than root/],
        ["a helper writable by the group users", p => p.endsWith(".js") ? `0 users 664 regular file ${p}` : rootOwned(p), /helper\.js can be changed by users other than root/],
        ["a symbolic link", p => p.endsWith(".js") ? `0 root 777 symbolic link ${p}` : rootOwned(p), /can be changed by users other than root|is a symbolic link/],
        ["a directory, not a file", p => p.endsWith(".js") ? `0 root 755 directory ${p}` : rootOwned(p), /helper\.js is not a regular file/],
    ])("refused, and never run: %s", async (_what, statOf, reason) => {
        helperAt(INSTALLED, () => ({ stdout: "{}" }), statOf);
        const failure = await call("status", {}).catch((err: unknown) => err) as HelperFailure;
        expect(failure).toBeInstanceOf(HelperFailure);
        expect(failure.title).toBe("The hosted-engine helper is not safe to run as root");
        expect(failure.detail).toMatch(reason);
        expect(helperCall()).toBeUndefined();
    });

    test("Debian's /usr/local, group-writable by staff (root-equivalent), is accepted", async () => {
        helperAt(INSTALLED, () => ({ stdout: "{}" }), p => p.startsWith("/usr/local") && !p.endsWith(".js") ? `0 staff 2775 directory ${p}` : rootOwned(p));
        await call("status", {});
        expect(helperCall()?.args).toEqual(["node", INSTALLED, "status"]);
    });
});

