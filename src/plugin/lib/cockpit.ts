// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Typed access to the cockpit.js that Cockpit serves at ../base1/cockpit.js.
 * Debian 12's Cockpit ships no typings, so this declares just the part of the
 * API the page uses. It is the one module jest mocks.
 */

export type SuperuserMode = "require" | "try" | null;

export interface SpawnOptions {
    superuser?: SuperuserMode;
    err?: "out" | "ignore" | "message";
    environ?: string[];
    directory?: string;
}

/** How cockpit.spawn rejects: `problem` when the process never ran, exit fields otherwise. */
export interface ProcessError {
    problem: string | null;
    exit_status: number | null;
    exit_signal: number | null;
    message: string;
}

/** cockpit's deferred: thenable with extra arguments (stdout on failure) and stream/input. */
export interface SpawnPromise {
    then<R>(done: (stdout: string) => R, fail?: (ex: ProcessError, stdout?: string) => R): PromiseLike<R>;
    stream(callback: (chunk: string) => void): SpawnPromise;
    input(data: string, stream?: boolean): SpawnPromise;
    close(problem?: string): void;
}

export interface FileHandle {
    read(): PromiseLike<string | null>;
    watch(callback: (content: string | null, tag: string | null, error?: ProcessError) => void): { remove(): void };
    close(): void;
}

export interface CockpitLocation {
    path: string[];
    options: Record<string, string | string[]>;
    go(path: string[] | string, options?: Record<string, string>): void;
    replace(path: string[] | string, options?: Record<string, string>): void;
}

export interface DBusProxy {
    valid: boolean;
    [property: string]: unknown;
    wait(callback?: () => void): PromiseLike<void>;
    addEventListener(event: "changed", listener: () => void): void;
    removeEventListener(event: "changed", listener: () => void): void;
}

export interface DBusClient {
    proxy(iface: string, path: string): DBusProxy;
    close(): void;
}

export interface UserInfo {
    id: number;
    name: string;
    full_name: string;
    home: string;
    groups: string[];
}

export interface Cockpit {
    spawn(args: string[], options?: SpawnOptions): SpawnPromise;
    file(path: string, options?: { superuser?: SuperuserMode; syntax?: unknown }): FileHandle;
    dbus(name: string | null, options?: { bus?: "internal" | "system" | "session"; superuser?: SuperuserMode }): DBusClient;
    location: CockpitLocation;
    addEventListener(event: "locationchanged" | "visibilitychange", listener: () => void): void;
    removeEventListener(event: "locationchanged" | "visibilitychange", listener: () => void): void;
    hidden: boolean;
    format(template: string, ...args: unknown[]): string;
    /** factor 1024 for KiB, MiB, GiB (1000 and kB, MB, GB otherwise) */
    format_bytes(bytes: number, factor?: 1000 | 1024): string;
    gettext(message: string): string;
    gettext(context: string, message: string): string;
    ngettext(singular: string, plural: string, n: number): string;
    noop<T>(value: T): T;
    user(): PromiseLike<UserInfo>;
    jump(path: string, host?: string): void;
    language: string;
}

declare global {
    interface Window {
        cockpit: Cockpit;
    }
}

const cockpit: Cockpit = window.cockpit;
export default cockpit;
