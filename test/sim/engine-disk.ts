// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What the engine VM's disk holds. The old engine's disk is an el6 system with
 * the 3.6 engine; its database (the sim keeps it as JSON where PostgreSQL keeps
 * its data) lives on that disk, so copying the disk away and back really
 * carries the engine's data, and booting a disk brings back what is on it.
 */

import { readGuestFile, writeGuestFile } from "./disk-image";
import type { BootedSystem, EngineData, SimWorld } from "./world";

/** Where the sim's engine keeps its database inside the guest. */
export const ENGINE_DATABASE_PATH = "/var/lib/pgsql/data/ovirt-engine-sim.json";

export interface EngineDatabase {
    version: string;
    data: EngineData;
}

/** The files of the el6 engine VM with a 3.6 engine and its database. */
export function el6EngineFiles(world: SimWorld): Record<string, string> {
    const database: EngineDatabase = { version: world.engine.version, data: world.engine.data };
    return {
        "etc/redhat-release": "CentOS release 6.8 (Final)\n",
        "etc/sysconfig/network": `NETWORKING=yes\nHOSTNAME=${world.engine.fqdn}\n`,
        "etc/fstab": "LABEL=rootfs / ext4 defaults 1 1\n",
        "etc/ovirt-engine/engine.conf.d/10-setup-database.conf":
            "ENGINE_DB_HOST=\"localhost\"\nENGINE_DB_PORT=\"5432\"\nENGINE_DB_USER=\"engine\"\n" +
            "ENGINE_DB_PASSWORD=\"sim-db-password\"\nENGINE_DB_DATABASE=\"engine\"\nENGINE_DB_SECURED=\"False\"\n" +
            "ENGINE_DB_SECURED_VALIDATION=\"False\"\n",
        "etc/ovirt-engine/extensions.d/internal-authz.properties":
            "ovirt.engine.extension.name = internal-authz\n" +
            "ovirt.engine.extension.bindings.method = jbossmodule\n" +
            "ovirt.engine.extension.binding.jbossmodule.module = org.ovirt.engine.extension.aaa.jdbc\n" +
            "ovirt.engine.extension.binding.jbossmodule.class = org.ovirt.engine.extension.aaa.jdbc.binding.api.AuthzExtension\n" +
            "ovirt.engine.extension.provides = org.ovirt.engine.api.extensions.aaa.Authz\n",
        "usr/share/ovirt-engine/version": `${world.engine.version}\n`,
        [ENGINE_DATABASE_PATH.slice(1)]: JSON.stringify(database, null, 2) + "\n",
    };
}

/** Which system a disk boots, from its release file; null for a disk that boots nothing. */
export function bootedSystemOf(image: string): BootedSystem | null {
    const release = readGuestFile(image, "/etc/redhat-release") ?? "";
    if (/release 6\./.test(release) && readGuestFile(image, "/usr/share/ovirt-engine/version")?.startsWith("3.6"))
        return "el6-engine-3.6";
    if (/release 7\./.test(release))
        return "el7-appliance-4.0";
    return null;
}

export function readEngineDatabase(image: string): EngineDatabase | null {
    const text = readGuestFile(image, ENGINE_DATABASE_PATH);
    return text === null ? null : JSON.parse(text) as EngineDatabase;
}

/** What PostgreSQL does on a clean shutdown: the engine's current data is on the disk. */
export function writeEngineDatabase(image: string, world: SimWorld): void {
    const database: EngineDatabase = { version: world.engine.version, data: world.engine.data };
    writeGuestFile(image, ENGINE_DATABASE_PATH, JSON.stringify(database, null, 2) + "\n");
}
