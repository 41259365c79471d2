// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Where the helper finds the host it works on. The defaults are a real oVirt
 * hosted-engine host. A JSON file overrides any subset of them: first the file
 * named by HE_HELPER_CONFIG, then /etc/cockpit-hosted-engine/helper.json. The
 * page passes none of this; the simulated host and the tests use the file to
 * point the unmodified helper at test/sim.
 *
 * Two kinds of paths: well-known host paths (/etc/ovirt-hosted-engine,
 * /rhev/data-center, ...) are looked up under `root` by hostPath(); paths given
 * in the config itself (commands, TLS files, state and log directories) are
 * used as written and must be absolute.
 */

import fs from "node:fs";
import path from "node:path";

import type { MessageCode } from "../protocol/messages";
import { text } from "../protocol/text";
import { HelperError } from "./errors";
import { openRegularFile, readUpTo, RegularFileRefused } from "./regular-file";
import { untrustedReason } from "./trusted-path";

export const SYSTEM_CONFIG_PATH = "/etc/cockpit-hosted-engine/helper.json";
/* The override file is a few settings: anything larger is not one. */
const CONFIG_SIZE_LIMIT = 64 * 1024;

export interface CommandPaths {
    hostedEngine: string;
    qemuImg: string;
    qemuIo: string;
    sha256sum: string;
    /** reads the configuration volume as the disk user */
    dd: string;
    guestfish: string;
    genisoimage: string;
    tar: string;
    xz: string;
    bzip2: string;
    sudo: string;
    /** queried for ovirt-hosted-engine-setup and -ha (rpm's database under `root`) */
    rpm: string;
}

export interface VdsmEndpoint {
    host: string;
    port: number;
    caFile: string;
    certFile: string;
    keyFile: string;
}

export interface LibguestfsSettings {
    /** LIBGUESTFS_BACKEND, e.g. "direct"; null leaves libguestfs' default */
    backend: string | null;
    /** LIBGUESTFS_BACKEND_SETTINGS, e.g. "force_tcg" where KVM does not work */
    backendSettings: string | null;
}

/** How long the upgrade waits for things that may hang; the sim sets them short. */
export interface Timeouts {
    /** engine-setup silent on the setup channel for this long counts as stalled (the original: 1800) */
    setupStallSeconds: number;
    engineHealthSeconds: number;
    /** how long the new engine's API may not answer once its health page does (the original: 5 tries of 30 s) */
    engineApiSeconds: number;
    /** how long this host and its data center may take to be up in the restored engine (the deploy flow: 600) */
    hostUpSeconds: number;
    diskCreateSeconds: number;
    vmShutdownSeconds: number;
}

export interface HelperConfig {
    /** prefix under which well-known host paths are looked up; "/" on a real host */
    root: string;
    commands: CommandPaths;
    /** null: https://<fqdn from hosted-engine.conf>/ovirt-engine */
    engineUrl: string | null;
    vdsm: VdsmEndpoint;
    /** where libvirt puts the VM's channel sockets; a socket path has at most 107 bytes, so not under root */
    channelsDir: string;
    stateDir: string;
    logDir: string;
    libguestfs: LibguestfsSettings;
    /** the user and group that own volumes on the storage domain (vdsm:kvm) */
    diskUser: string;
    diskGroup: string;
    /** the user and group qemu runs as (qemu:qemu), who must open the seed ISO */
    qemuUser: string;
    qemuGroup: string;
    timeouts: Timeouts;
    /** which file the settings came from, null for the built-in defaults */
    loadedFrom: string | null;
}

export function defaultConfig(): HelperConfig {
    return {
        root: "/",
        commands: {
            hostedEngine: "/usr/sbin/hosted-engine",
            qemuImg: "/usr/bin/qemu-img",
            qemuIo: "/usr/bin/qemu-io",
            sha256sum: "/usr/bin/sha256sum",
            dd: "/usr/bin/dd",
            guestfish: "/usr/bin/guestfish",
            genisoimage: "/usr/bin/genisoimage",
            tar: "/usr/bin/tar",
            xz: "/usr/bin/xz",
            bzip2: "/usr/bin/bzip2",
            sudo: "/usr/bin/sudo",
            rpm: "/usr/bin/rpm",
        },
        engineUrl: null,
        vdsm: {
            host: "localhost",
            port: 54321,
            caFile: "/etc/pki/vdsm/certs/cacert.pem",
            certFile: "/etc/pki/vdsm/certs/vdsmcert.pem",
            keyFile: "/etc/pki/vdsm/keys/vdsmkey.pem",
        },
        channelsDir: "/var/lib/libvirt/qemu/channels",
        stateDir: "/var/lib/cockpit-hosted-engine",
        logDir: "/var/log/cockpit-hosted-engine",
        libguestfs: { backend: null, backendSettings: null },
        diskUser: "vdsm",
        diskGroup: "kvm",
        qemuUser: "qemu",
        qemuGroup: "qemu",
        timeouts: {
            setupStallSeconds: 1800, engineHealthSeconds: 600, engineApiSeconds: 150, hostUpSeconds: 600,
            diskCreateSeconds: 3600, vmShutdownSeconds: 600,
        },
        loadedFrom: null,
    };
}

type Kind = "absolute-path" | "string" | "port" | "url" | "nullable-string" | "nullable-url" | "seconds";

/* The shape of the override file: every leaf names the kind of value it takes. */
const SCHEMA = {
    root: "absolute-path",
    commands: {
        hostedEngine: "absolute-path",
        qemuImg: "absolute-path",
        qemuIo: "absolute-path",
        sha256sum: "absolute-path",
        dd: "absolute-path",
        guestfish: "absolute-path",
        genisoimage: "absolute-path",
        tar: "absolute-path",
        xz: "absolute-path",
        bzip2: "absolute-path",
        sudo: "absolute-path",
        rpm: "absolute-path",
    },
    engineUrl: "nullable-url",
    vdsm: {
        host: "string",
        port: "port",
        caFile: "absolute-path",
        certFile: "absolute-path",
        keyFile: "absolute-path",
    },
    channelsDir: "absolute-path",
    stateDir: "absolute-path",
    logDir: "absolute-path",
    libguestfs: { backend: "nullable-string", backendSettings: "nullable-string" },
    diskUser: "string",
    diskGroup: "string",
    qemuUser: "string",
    qemuGroup: "string",
    timeouts: {
        setupStallSeconds: "seconds", engineHealthSeconds: "seconds", engineApiSeconds: "seconds", hostUpSeconds: "seconds",
        diskCreateSeconds: "seconds", vmShutdownSeconds: "seconds",
    },
} as const;

type Schema = { readonly [key: string]: Kind | Schema };

type Problem = Extract<MessageCode, `config.${string}`>;

/* What is wrong with one setting's value, as the code of its message; null when nothing is. */
function checkLeaf(kind: Kind, value: unknown): Problem | null {
    const nullable = kind.startsWith("nullable-");
    if (value === null)
        return nullable ? null : "config.not-null";
    if (kind === "seconds")
        return typeof value === "number" && Number.isInteger(value) && value > 0 && value <= 86400 ? null : "config.seconds";
    if (typeof value === "number" && kind === "port")
        return Number.isInteger(value) && value > 0 && value < 65536 ? null : "config.port";
    if (typeof value !== "string" || value === "")
        return kind === "port" ? "config.port" : "config.string";
    if (kind === "absolute-path" && (!path.isAbsolute(value) || value.includes("\0")))
        return "config.absolute-path";
    if (kind.endsWith("url") && !/^https?:\/\/[^\s]+$/.test(value))
        return "config.url";
    return null;
}

function merge(target: Record<string, unknown>, override: unknown, schema: Schema, file: string, prefix: string) {
    if (typeof override !== "object" || override === null || Array.isArray(override)) {
        throw new HelperError("config-invalid", `${file}: ${prefix || "(top level)"}`,
                              prefix ? text("config.setting-not-object", { file, name: prefix }) : text("config.file-not-object", { file }));
    }
    for (const [key, value] of Object.entries(override)) {
        const name = prefix ? `${prefix}.${key}` : key;
        // own keys only: "__proto__" or "constructor" from the file are unknown settings, not the prototype
        const kind = Object.hasOwn(schema, key) ? schema[key] : undefined;
        if (kind === undefined)
            throw new HelperError("config-invalid", `${file}: ${name}`, text("config.unknown-setting", { file, name }));
        if (typeof kind === "string") {
            const problem = checkLeaf(kind, value);
            if (problem)
                throw new HelperError("config-invalid", `${file}: ${name}`, text(problem, { file, name }));
            target[key] = value;
        } else {
            merge(target[key] as Record<string, unknown>, value, kind, file, name);
        }
    }
}

/** Reads the override file if any; a broken file is an error, never silently ignored. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env,
                           systemPath: string = SYSTEM_CONFIG_PATH): HelperConfig {
    const config = defaultConfig();
    const fromEnv = env.HE_HELPER_CONFIG;
    let file: string;
    if (fromEnv) {
        file = fromEnv;
    } else if (fs.existsSync(systemPath)) {
        file = systemPath;
    } else {
        return config;
    }

    const untrusted = untrustedReason(file);
    if (untrusted)
        throw new HelperError("config-invalid", file, text(untrusted.code === "trusted-path.missing" ? "config.unreadable" : "config.untrusted",
                                                           { file, reason: untrusted }));
    const content = readConfigFile(file);
    let data: unknown;
    try {
        data = JSON.parse(content);
    } catch (err) {
        // V8's message quotes the text around the error: only the line is told, never the content
        const position = /position (\d+)/.exec((err as Error).message);
        const line = position ? content.slice(0, Number(position[1])).split("\n").length : null;
        throw new HelperError("config-invalid", file, line ? text("config.not-json-at", { file, line }) : text("config.not-json", { file }));
    }
    merge(config as unknown as Record<string, unknown>, data, SCHEMA, file, "");
    for (const [name, command] of Object.entries(config.commands)) {
        const reason = untrustedReason(command);
        if (reason && reason.code !== "trusted-path.missing") // a missing tool is the prerequisites check's to tell
            throw new HelperError("config-invalid", `${file}: commands.${name}`,
                                  text("config.command-untrusted", { file, name: `commands.${name}`, command, reason }));
    }
    config.loadedFrom = file;
    return config;
}

/** The override file, opened once and read whole only when it is a regular file of reasonable size. */
function readConfigFile(file: string): string {
    let opened: { fd: number; size: number };
    try {
        opened = openRegularFile(file, CONFIG_SIZE_LIMIT);
    } catch (err) {
        if (!(err instanceof RegularFileRefused))
            throw err;
        if (err.problem === "too-large")
            throw new HelperError("config-invalid", file, text("config.too-large", { file, limit: CONFIG_SIZE_LIMIT }));
        if (["missing", "not-a-directory", "symlink", "unreadable"].includes(err.problem))
            throw new HelperError("config-invalid", file, text("config.unreadable", { file }), err.errno ?? undefined);
        throw new HelperError("config-invalid", file, text("trusted-path.not-a-file", { path: file }));
    }
    try {
        return readUpTo(opened.fd, opened.size).toString("utf8");
    } finally {
        fs.closeSync(opened.fd);
    }
}

/** A well-known absolute host path, looked up under the configured root. */
export function hostPath(config: HelperConfig, absolute: string): string {
    if (!path.isAbsolute(absolute))
        throw new HelperError("internal", absolute, text("config.host-path", { path: absolute }));
    return path.join(config.root, absolute);
}
