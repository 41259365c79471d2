// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The preflight's prerequisite checks on their own: each program the upgrade
 * runs must be there, executable and safe for root, else the check names the
 * package to install; the rpm database is read with the real rpm (Debian's,
 * test/deps.sh) from a database made here, and a package it lacks or a
 * database it cannot read fails the check with what to do.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { defaultConfig, type HelperConfig } from "../../src/bridge-helper/config";
import { HelperError } from "../../src/bridge-helper/errors";
import { CheckList } from "../../src/bridge-helper/upgrade/checks/check-list";
import { checkHostPackages } from "../../src/bridge-helper/upgrade/checks/host-packages";
import { checkHostTools, TOOL_PACKAGES } from "../../src/bridge-helper/upgrade/checks/host-tools";
import { text } from "../../src/protocol/text";

let dir: string;

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-prereq-"));
});

afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
});

/* A config whose every checked program is a good executable in dir, with `changes` applied. */
function toolsConfig(changes: (file: (name: string) => string) => void): HelperConfig {
    const config = defaultConfig();
    const bin = fs.mkdtempSync(path.join(dir, "bin-"));
    const file = (name: string) => path.join(bin, name);
    for (const key of Object.keys(TOOL_PACKAGES)) {
        fs.writeFileSync(file(key), "#!/bin/sh\n", { mode: 0o755 });
        fs.chmodSync(file(key), 0o755);
        config.commands[key as keyof typeof TOOL_PACKAGES] = file(key);
    }
    changes(file);
    return config;
}

function toolsCheck(config: HelperConfig) {
    const checks = new CheckList();
    checkHostTools(config, checks);
    expect(checks.list.map(c => c.id)).toEqual(["host-tools"]);
    return checks.list[0];
}

test("every program there, executable and root's: the check passes and lists them", () => {
    const check = toolsCheck(toolsConfig(() => undefined));
    expect(check?.state).toBe("pass");
    expect(check?.detail.english).toMatch(/^Installed and owned by root: .*guestfish, /);
});

test("a missing, a non-executable and a writable-by-others program each fail, naming their EL7 package", () => {
    const config = toolsConfig(file => {
        fs.rmSync(file("guestfish"));
        fs.chmodSync(file("genisoimage"), 0o644);
        fs.chmodSync(file("qemuImg"), 0o777);
    });
    const check = toolsCheck(config);
    expect(check?.state).toBe("fail");
    expect(check?.detail.english).toBe([
        `${config.commands.qemuImg} is not owned by root or can be changed by other users, yet the upgrade runs it as root: reinstall the package qemu-img-rhev.`,
        `${config.commands.guestfish} does not exist: install the package libguestfs-tools-c.`,
        `${config.commands.genisoimage} is not an executable file: reinstall the package genisoimage.`,
    ].join(" "));
});

test("a directory where sudo should be is not a program", () => {
    const config = toolsConfig(file => {
        fs.rmSync(file("sudo"));
        fs.mkdirSync(file("sudo"), { mode: 0o755 });
    });
    expect(toolsCheck(config)?.detail.english).toBe(`${config.commands.sudo} is not an executable file: reinstall the package sudo.`);
});

/* A host root with an empty rpm database, made by rpm itself. */
function emptyRpmRoot(): HelperConfig {
    const config = defaultConfig();
    config.root = fs.mkdtempSync(path.join(dir, "root-"));
    const db = path.join(config.root, "var/lib/rpm");
    fs.mkdirSync(db, { recursive: true });
    execFileSync("rpm", ["--dbpath", db, "--initdb"]);
    return config;
}

const vdsm418 = {
    versions: new Map([
        ["vdsm", { version: "4.18.21", release: "1.el7.centos" }],
        ["qemu-kvm", { version: "2.6.0", release: "28.el7.10.1" }],
        ["qemu-img", { version: "2.6.0", release: "28.el7.10.1" }],
        ["libvirt", { version: "2.0.0", release: "10.el7_3.4" }],
    ]),
};

test("hosted-engine packages the rpm database does not have fail the check, naming what to install", async () => {
    const checks = new CheckList();
    await checkHostPackages(emptyRpmRoot(), vdsm418, checks);
    expect(checks.list[0]).toMatchObject({ id: "host-packages", state: "fail" });
    expect(checks.list[0]?.detail.english).toBe(
        "ovirt-hosted-engine-setup is not installed: install the package ovirt-hosted-engine-setup (2.0.0 or later). "
        + "ovirt-hosted-engine-ha is not installed: install the package ovirt-hosted-engine-ha (2.0.0 or later).");
});

test("vdsm reporting no libvirt and 4.17.35 (newer than 4.17.4): only libvirt fails", async () => {
    const config = emptyRpmRoot();
    const versions = new Map(vdsm418.versions);
    versions.delete("libvirt");
    versions.set("vdsm", { version: "4.17.35", release: "0.el7.centos" });
    const checks = new CheckList();
    await checkHostPackages(config, { versions }, checks);
    expect(checks.list[0]?.detail.english).toMatch(
        /^libvirt is not installed: install the package libvirt-daemon-kvm \(1\.2\.17 or later\)\. ovirt-hosted-engine-setup is not installed/);
});

test("an rpm database that cannot be read, or a vdsm that cannot list packages, fails the check with the reason", async () => {
    const config = defaultConfig();
    config.root = fs.mkdtempSync(path.join(dir, "root-"));
    // a file where the database directory should be
    fs.mkdirSync(path.join(config.root, "var/lib"), { recursive: true });
    fs.writeFileSync(path.join(config.root, "var/lib/rpm"), "not a database");
    const checks = new CheckList();
    await checkHostPackages(config, { error: new HelperError("format-invalid", "vdsm Host.getCapabilities: packages2", text("vdsm.no-packages")) }, checks);
    expect(checks.list[0]).toMatchObject({ id: "host-packages", state: "fail" });
    expect(checks.list[0]?.detail.english).toMatch(
        /^vdsm does not say which packages are installed: vdsm's capabilities list no packages\. The rpm database cannot be read: rpm -q ovirt-hosted-engine-setup ovirt-hosted-engine-ha failed with exit code \d+/);
});
