// SPDX-License-Identifier: LGPL-2.1-or-later

import { text, type FollowLine, type JobEvent, type OvaReport } from "../../src/protocol";
import { call, callVerdict, forgetHelperLocation, HelperFailure, stream } from "../../src/plugin/lib/helper-client";
import { INTERPRETER_CONFIG, nodeIsNewEnough } from "../../src/plugin/lib/helper-interpreter";
import { MOCK_NODE, resetMockCockpit, setSpawnHandler, spawnCalls, type SpawnCall, type SpawnOutcome } from "../support/mock-cockpit";

const INSTALLED = "/usr/local/share/cockpit/hosted-engine/helper.js";

beforeEach(() => {
    resetMockCockpit();
    forgetHelperLocation();
});

type StatOf = (path: string) => string | null;

/* `stat -c '%u %G %a %F %n'` of a root-owned install: 0755 directories, a 0644 helper and configuration, a 0755 node. */
const rootOwned: StatOf = p => p.endsWith(".js") || p === INTERPRETER_CONFIG ? `0 root 644 regular file ${p}`
    : (p.endsWith("/node") ? `0 root 755 regular file ${p}` : `0 root 755 directory ${p}`);

/* The Node.js interpreters on the host: each one's path and its `--version`; links: what realpath makes of a path; the interpreter file. */
interface Nodes {
    versions: Record<string, string>;
    links?: Record<string, string>;
    interpreterFile?: string;
}
const SYSTEM_NODE: Nodes = { versions: { [MOCK_NODE]: "v20.19.0" } };

/* The helper is installed at `path` only (each path's stat line from `statOf`), Node.js as `nodes` says; `answer` is what its verbs do. */
function helperAt(path: string, answer: (call: SpawnCall) => SpawnOutcome, statOf: StatOf = rootOwned, nodes: Nodes = SYSTEM_NODE) {
    const exists = (p: string) => p === path || Object.hasOwn(nodes.versions, p) || (p === INTERPRETER_CONFIG && nodes.interpreterFile !== undefined);
    setSpawnHandler(c => {
        const [command, ...args] = c.args;
        if (command === "stat")
            return exists(args[2]) ? { stdout: args.slice(2).map(p => statOf(p)).join("\n") + "\n" } : { fail: { exit_status: 1 } };
        if (command === "realpath") {
            const real = nodes.links?.[args[2]] ?? args[2];
            return exists(real) ? { stdout: `${real}\n` } : { fail: { exit_status: 1 } };
        }
        if (command === "cat" && args[1] === INTERPRETER_CONFIG)
            return { stdout: nodes.interpreterFile ?? "" };
        if (args[0] === "--version")
            return Object.hasOwn(nodes.versions, command) ? { stdout: `${nodes.versions[command]}\n` } : { fail: { exit_status: 127 } };
        return answer(c);
    });
}

const helperCall = () => spawnCalls.find(c => c.args[1]?.endsWith("helper.js"));

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
        expect(helperCall()?.args).toEqual([MOCK_NODE, INSTALLED, "status"]);
        expect(helperCall()?.options).toEqual({ superuser: "require", err: "message" });
        expect(helperCall()?.input).toBeUndefined();
    });

    test("secrets go to stdin, never into the arguments", async () => {
        helperAt(INSTALLED, () => ({ stdout: '{"engineUrl":"https://engine/ovirt-engine","engineVersion":"3.6.7","ca":{}}' }));
        await call("engine-login", { adminPassword: "s3cret" });
        expect(helperCall()?.args).toEqual([MOCK_NODE, INSTALLED, "engine-login"]);
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
        expect(helperCall()?.args).toEqual([MOCK_NODE, INSTALLED, "validate-backup", "/root/a.tar.gz"]);
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
        expect(helperCall()?.args).toEqual([MOCK_NODE, INSTALLED, "follow", "j1"]);
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
        expect(helperCall()?.args).toEqual([MOCK_NODE, INSTALLED, "inspect-ova", "/root/a.ova", "--progress"]);
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
        expect(helperCall()?.args).toEqual([MOCK_NODE, packaged, "status"]);
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
        expect(helperCall()?.args).toEqual([MOCK_NODE, INSTALLED, "status"]);
    });
});


describe("which Node.js runs the helper", () => {
    const BUNDLED = "/usr/libexec/cockpit-hosted-engine/node/bin/node";
    const notInstalled = () => call("status", {}).catch((err: unknown) => err) as Promise<HelperFailure>;

    test.each([["v16.16.0", false], ["v16.17.0", true], ["v16.20.2", true], ["v18.19.1", true], ["v14.21.3", false], ["", false], ["node 20", false]])(
        "%s is new enough: %s", (version, expected) => expect(nodeIsNewEnough(version)).toBe(expected));

    test("by absolute path, never \"node\" through PATH (pkexec resets it on Cockpit 195)", async () => {
        helperAt(INSTALLED, () => ({ stdout: "{}" }));
        await call("status", {});
        expect(spawnCalls.some(c => c.args[0] === "node")).toBe(false);
        expect(helperCall()?.args.slice(0, 2)).toEqual(["/usr/bin/node", INSTALLED]);
    });

    test("the package's own Node.js before a system one", async () => {
        helperAt(INSTALLED, () => ({ stdout: "{}" }), rootOwned, { versions: { [BUNDLED]: "v16.20.2", [MOCK_NODE]: "v20.19.0" } });
        await call("status", {});
        expect(helperCall()?.args.slice(0, 2)).toEqual([BUNDLED, INSTALLED]);
    });

    test("the one an administrator named in /etc/cockpit-hosted-engine/interpreter before the package's", async () => {
        const named = "/opt/node16/bin/node";
        helperAt(INSTALLED, () => ({ stdout: "{}" }), rootOwned,
                 { versions: { [named]: "v16.20.2", [BUNDLED]: "v16.20.2" }, interpreterFile: `${named}\n` });
        await call("status", {});
        expect(helperCall()?.args.slice(0, 2)).toEqual([named, INSTALLED]);
    });

    test("a symbolic link (Debian's /usr/bin/node) runs what it points to, whose directories are looked at", async () => {
        const real = "/usr/lib/nodejs/bin/node";
        helperAt(INSTALLED, () => ({ stdout: "{}" }), rootOwned, { versions: { [real]: "v18.19.0" }, links: { [MOCK_NODE]: real } });
        await call("status", {});
        expect(helperCall()?.args.slice(0, 2)).toEqual([real, INSTALLED]);
        expect(spawnCalls.find(c => c.args[0] === "stat" && c.args[3] === real)?.args.slice(3))
                .toEqual([real, "/usr/lib/nodejs/bin", "/usr/lib/nodejs", "/usr/lib", "/usr", "/"]);
    });

    test("a Node.js a user could change is passed over for the next one", async () => {
        const local = "/usr/local/bin/node";
        helperAt(INSTALLED, () => ({ stdout: "{}" }), p => p === MOCK_NODE ? `1000 he-user 755 regular file ${p}` : rootOwned(p),
                 { versions: { [MOCK_NODE]: "v20.19.0", [local]: "v20.19.0" } });
        await call("status", {});
        expect(helperCall()?.args.slice(0, 2)).toEqual([local, INSTALLED]);
        expect(spawnCalls.some(c => c.args[0] === MOCK_NODE)).toBe(false);
    });

    test("no Node.js new enough: the page says what to install instead of a spawn error, and runs nothing", async () => {
        helperAt(INSTALLED, () => ({ stdout: "{}" }), rootOwned, { versions: { [MOCK_NODE]: "v14.21.3" } });
        const failure = await notInstalled();
        expect(failure).toBeInstanceOf(HelperFailure);
        expect(failure).toMatchObject({ code: "not-installed", title: "Node.js for the hosted-engine helper is not installed" });
        expect(failure.detail).toMatch(/\/usr\/bin\/node is Node.js v14.21.3, older than 16.17\./);
        expect(failure.detail).toMatch(/Install the cockpit-hosted-engine package, which brings its own at \/usr\/libexec\/cockpit-hosted-engine\/node\/bin\/node/);
        expect(helperCall()).toBeUndefined();
    });

    test("none at all: the same, without a reason per candidate", async () => {
        helperAt(INSTALLED, () => ({ stdout: "{}" }), rootOwned, { versions: {} });
        const failure = await notInstalled();
        expect(failure).toMatchObject({ code: "not-installed", title: "Node.js for the hosted-engine helper is not installed" });
        expect(failure.detail).toMatch(/^The helper needs Node.js 16.17 or later\./);
    });

    test.each<[string, Nodes, StatOf, RegExp]>([
        ["an interpreter file a user owns", { versions: { [BUNDLED]: "v16.20.2" }, interpreterFile: "/home/he-user/node\n" },
         p => p === INTERPRETER_CONFIG ? `1000 he-user 644 regular file ${p}` : rootOwned(p), /interpreter is not owned by root/],
        ["an interpreter file naming no absolute path", { versions: { [BUNDLED]: "v16.20.2" }, interpreterFile: "node\n" },
         rootOwned, /does not name a program by its absolute path/],
        ["a named Node.js that is missing", { versions: { [BUNDLED]: "v16.20.2" }, interpreterFile: "/opt/node/bin/node\n" },
         rootOwned, /names \/opt\/node\/bin\/node, which does not exist/],
        ["a named Node.js that is too old", { versions: { "/opt/node/bin/node": "v12.22.12", [BUNDLED]: "v16.20.2" }, interpreterFile: "/opt/node/bin/node\n" },
         rootOwned, /is Node.js v12.22.12, older than 16.17/],
    ])("a configured interpreter that cannot be used is said so, not silently replaced: %s", async (_what, nodes, statOf, reason) => {
        helperAt(INSTALLED, () => ({ stdout: "{}" }), statOf, nodes);
        const failure = await notInstalled();
        expect(failure).toMatchObject({ code: "not-installed", title: "The configured Node.js for the hosted-engine helper cannot be used" });
        expect(failure.detail).toMatch(reason);
        expect(helperCall()).toBeUndefined();
    });
});
