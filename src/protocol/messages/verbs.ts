// SPDX-License-Identifier: LGPL-2.1-or-later

import { N_ } from "./marker";

export const VERBS_MESSAGES = {
    // the command line
    "verbs.none": N_("No verb given; see --help"),
    "verbs.unknown": N_("Unknown verb \"$verb\"; see --help"),
    "verbs.bad-option": N_("$verb: $reason; see --help"),
    "verbs.arguments": N_("$verb takes $expected arguments, not $given; see --help"),
    "verbs.mode": N_("--mode must be one of $modes"),
    "verbs.mode-not": N_("--mode must be one of $modes, not \"$value\""),
    "verbs.sha1": N_("--sha1 must be 40 hex digits, not \"$value\""),
    "verbs.ova-relative": N_("The OVA path \"$path\" must be absolute"),
    "verbs.backup-relative": N_("The backup path \"$path\" must be absolute"),
    "verbs.not-a-file": N_("$path does not exist or is not a file"),
    "verbs.input-relative": N_("\"$path\" must be an absolute path"),
    "verbs.input-unreadable": N_("Cannot read $path"),
    "verbs.dir-unreadable": N_("Cannot read $path"),
    "verbs.appliance-ova-missing": N_("$conf names $ova, which does not exist"),
    "verbs.appliance-unreadable": N_("$file: $reason"),

    // what arrives on stdin: the names of the inputs, then what can be wrong with them
    "input.upgrade-plan": N_("upgrade plan"),
    "input.rollback-plan": N_("rollback plan"),
    "input.delete-plan": N_("delete plan"),
    "input.engine-login": N_("engine login"),
    "input.resume": N_("resume input"),
    "input.not-json": N_("The $what on stdin is not JSON"),
    "input.not-object": N_("The $what must be a JSON object"),
    "input.unknown-field": N_("The $what's $field is not a field it has"),
    "input.backup-uuid": N_("The $what's backup must be the backup disk's image UUID (lower-case 8-4-4-4-12 hex)"),
    "input.admin-password": N_("The $what's adminPassword must be the engine's admin@internal password"),
    "input.admin-password-needed": N_("The engine's admin@internal password is needed on stdin"),
    "input.resume-password": N_("The engine admin password is needed on stdin to resume"),
    "input.boolean": N_("The $what's $field must be true or false"),
    "input.string": N_("The $what's $field must be a string"),

    // the helper's own configuration file
    "config.unreadable": N_("Cannot read the helper configuration $file"),
    "config.not-json": N_("$file is not valid JSON"),
    "config.not-json-at": N_("$file is not valid JSON (at line $line)"),
    "config.too-large": N_("$file is larger than $limit bytes"),
    "config.untrusted": N_("$file is not safe for root to read: $reason. Only root may be able to change it."),
    "config.command-untrusted": N_("$file: \"$name\" ($command) is not safe for root to run: $reason. Point it at a program only root can change."),

    // files and directories root runs or trusts: only root may be able to change them
    "trusted-path.missing": N_("$path does not exist"),
    "trusted-path.not-root-owned": N_("$path is not owned by root"),
    "trusted-path.writable-by-others": N_("$path can be changed by any user"),
    "trusted-path.writable-by-group": N_("$path can be changed by the users of its group"),
    "trusted-path.not-a-file": N_("$path is not a regular file"),
    "trusted-path.not-a-directory": N_("$path is not a directory"),
    "config.file-not-object": N_("$file: the file must be a JSON object"),
    "config.setting-not-object": N_("$file: $name must be a JSON object"),
    "config.unknown-setting": N_("$file: unknown setting \"$name\""),
    "config.not-null": N_("$file: \"$name\" must not be null"),
    "config.seconds": N_("$file: \"$name\" must be whole seconds (1-86400)"),
    "config.port": N_("$file: \"$name\" must be a TCP port (1-65535)"),
    "config.string": N_("$file: \"$name\" must be a non-empty string"),
    "config.absolute-path": N_("$file: \"$name\" must be an absolute path"),
    "config.url": N_("$file: \"$name\" must be an http or https URL"),
    "config.host-path": N_("The host path $path is not absolute"),
} as const;
