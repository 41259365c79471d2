// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The contract between the page and the helper: the only code both import.
 * It uses neither Node nor the DOM (see tsconfig.json here).
 */

export * from "./checks";
export * from "./errors";
export * from "./events";
export { MESSAGES, type MessageCode } from "./messages";
export * from "./plans";
export * from "./reports";
export * from "./steps";
export * from "./text";
export * from "./verbs";
export * from "./network";
