// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The page calls the helper only through the protocol's ENCODE; the helper
 * reads a command line back through its verb table. For every verb, what
 * ENCODE makes of an input must read back as that same input, and a verb must
 * not read stdin when ENCODE sends nothing there (the page's spawn would hang).
 */

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { UpgradePlanInput } from "../../src/protocol/plans";
import { ENCODE, type VerbInput, type VerbName } from "../../src/protocol/verbs";
import { defaultConfig, type HelperConfig } from "../../src/bridge-helper/config";
import { JobStore, newJobId } from "../../src/bridge-helper/jobs/store";
import { parseInvocation } from "../../src/bridge-helper/verbs/cli";

let dir: string;
let config: HelperConfig;
const upgradeJob = newJobId(new Date(Date.UTC(2026, 10, 25, 3, 15)));
const rollbackJob = newJobId(new Date(Date.UTC(2026, 10, 25, 4, 15)));

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-verb-args-"));
    config = { ...defaultConfig(), stateDir: dir };
    const store = new JobStore(dir);
    store.create(upgradeJob, { kind: "upgrade" });
    store.create(rollbackJob, { kind: "rollback" });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const installedPlan: UpgradePlanInput = {
    backupArchive: "/root/engine_backup.tar.gz",
    appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
    rootSshKey: null,
    rootSshAccess: null,
    addHostToEtcHosts: false,
    vmNetwork: null,
    diskSizeGiB: null,
    acceptUnsupportedVersions: false,
    adminPassword: "Admin-Pass-1",
    rootPassword: null,
};

const ovaPlan: UpgradePlanInput = {
    backupArchive: "/var/tmp/backup.tar.xz",
    appliance: { ova: "/usr/share/ovirt-engine-appliance/appliance-4.0.ova", sha1: "0123456789abcdef0123456789abcdef01234567" },
    rootSshKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG4rT3vTt99Ox5kndS4HmgTrKBT8SKzhK4rhGkEVGlCI admin@example.com",
    rootSshAccess: "without-password",
    addHostToEtcHosts: true,
    vmNetwork: { mode: "static", address: "192.168.1.222", prefix: 24, gateway: "192.168.1.1", dns: ["192.168.1.1", "2001:db8::53"] },
    diskSizeGiB: 60,
    acceptUnsupportedVersions: true,
    adminPassword: "Admin \"quoted\" pass",
    rootPassword: "Root-Pass-2",
};

const BACKUP = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/* Sample inputs of every verb: a verb the protocol adds without samples here fails to compile. */
const SAMPLES: { [V in VerbName]: VerbInput<V>[] } = {
    status: [{}],
    "set-maintenance": [{ mode: "global" }, { mode: "local" }, { mode: "none" }],
    "shutdown-engine-vm": [{}],
    readiness: [{}],
    "vm-network": [{}],
    appliances: [{}],
    "inspect-ova": [
        { path: "/root/appliance.ova", sha1: null, progress: false },
        { path: "/root/appliance with space.ova", sha1: "0123456789abcdef0123456789abcdef01234567", progress: true },
        { path: "/root/--progress.ova", sha1: null, progress: true },
    ],
    "validate-backup": [{ path: "/root/engine_backup.tar.gz" }, { path: "/root/-x.tar" }],
    preflight: [installedPlan, ovaPlan],
    upgrade: [installedPlan, ovaPlan],
    "engine-login": [{ adminPassword: "Admin-Pass-1" }],
    backups: [{ adminPassword: null }, { adminPassword: "Admin-Pass-1" }],
    rollback: [{ backup: BACKUP }],
    "delete-backup": [{ backup: BACKUP, allowLastVerified: false, adminPassword: "p" }, { backup: BACKUP, allowLastVerified: true, adminPassword: "p" }],
    follow: [{ job: upgradeJob }],
    jobs: [{}],
    cancel: [{ job: upgradeJob }],
    resume: [
        { job: upgradeJob, secrets: { adminPassword: "Admin-Pass-1", rootPassword: null } },
        { job: upgradeJob, secrets: { adminPassword: "Admin-Pass-1", rootPassword: "Root-Pass-2" } },
        { job: rollbackJob, secrets: null },
    ],
    discard: [{ job: rollbackJob }],
};

const cases = (Object.keys(SAMPLES) as VerbName[]).flatMap(verb =>
    (SAMPLES[verb] as unknown[]).map((input, n) => [verb, n, input] as [VerbName, number, unknown]));

test("every verb of the protocol has samples", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(ENCODE).sort());
});

test.each(cases)("%s #%d: ENCODE's command line reads back as the same input", async (verb, _n, input) => {
    const encode = ENCODE[verb] as (input: unknown) => { args: string[]; stdin?: string };
    const invocation = encode(input);
    let stdinRead = false;
    const parsed = await parseInvocation(invocation.args, {
        stdin: async () => {
            stdinRead = true;
            if (invocation.stdin === undefined)
                throw new Error(`${verb} reads stdin, where ENCODE sends nothing`);
            return invocation.stdin;
        },
        config: () => config,
    });
    expect(parsed).toEqual({ verb, input });
    // stdin is read exactly when something is sent: an unread stdin would hold a secret nobody checked
    expect(stdinRead).toBe(invocation.stdin !== undefined);
});
