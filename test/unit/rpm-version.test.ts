// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * rpm's version order and `rpm -q` output: the package-version checks of the
 * upgrade's preflight decide with these, so a wrong order would let a too old
 * host through or stop a good one ("4.17.35" is newer than "4.17.4").
 */

import { atLeast, parseRpmQuery, rpmVerCmp } from "../../src/bridge-helper/formats/rpm";

/*
 * rpm's own test table (rpm tests/rpmvercmp.at, 4.18) and ours; every row was
 * checked against rpm 4.18 itself: rpm --eval "%{lua: print(rpm.vercmp(a, b))}".
 */
const CASES: [string, string, number][] = [
    ["1.0", "1.0", 0],
    ["1.0", "2.0", -1],
    ["2.0", "1.0", 1],
    ["2.0.1", "2.0.1", 0],
    ["2.0", "2.0.1", -1],
    ["2.0.1", "2.0", 1],
    ["2.0.1a", "2.0.1a", 0],
    ["2.0.1a", "2.0.1", 1],
    ["2.0.1", "2.0.1a", -1],
    ["5.5p1", "5.5p1", 0],
    ["5.5p1", "5.5p2", -1],
    ["5.5p2", "5.5p1", 1],
    ["5.5p10", "5.5p10", 0],
    ["5.5p1", "5.5p10", -1],
    ["5.5p10", "5.5p1", 1],
    ["10xyz", "10.1xyz", -1],
    ["10.1xyz", "10xyz", 1],
    ["xyz10", "xyz10", 0],
    ["xyz10", "xyz10.1", -1],
    ["xyz10.1", "xyz10", 1],
    ["xyz.4", "xyz.4", 0],
    ["xyz.4", "8", -1],
    ["8", "xyz.4", 1],
    ["xyz.4", "2", -1],
    ["2", "xyz.4", 1],
    ["5.5p2", "5.6p1", -1],
    ["5.6p1", "5.5p2", 1],
    ["5.6p1", "6.5p1", -1],
    ["6.5p1", "5.6p1", 1],
    ["6.0.rc1", "6.0", 1],
    ["6.0", "6.0.rc1", -1],
    ["10b2", "10a1", 1],
    ["10a2", "10b2", -1],
    ["1.0aa", "1.0aa", 0],
    ["1.0a", "1.0aa", -1],
    ["1.0aa", "1.0a", 1],
    ["10.0001", "10.0001", 0],
    ["10.0001", "10.1", 0],
    ["10.1", "10.0001", 0],
    ["10.0001", "10.0039", -1],
    ["10.0039", "10.0001", 1],
    ["4.999.9", "5.0", -1],
    ["5.0", "4.999.9", 1],
    ["20101121", "20101121", 0],
    ["20101121", "20101122", -1],
    ["20101122", "20101121", 1],
    ["2_0", "2_0", 0],
    ["2.0", "2_0", 0],
    ["2_0", "2.0", 0],
    ["a", "a", 0],
    ["a+", "a+", 0],
    ["a+", "a_", 0],
    ["a_", "a+", 0],
    ["+a", "+a", 0],
    ["+a", "_a", 0],
    ["_a", "+a", 0],
    ["+_", "+_", 0],
    ["_+", "+_", 0],
    ["_+", "_+", 0],
    ["+", "_", 0],
    ["_", "+", 0],
    ["1.0~rc1", "1.0~rc1", 0],
    ["1.0~rc1", "1.0", -1],
    ["1.0", "1.0~rc1", 1],
    ["1.0~rc1", "1.0~rc2", -1],
    ["1.0~rc2", "1.0~rc1", 1],
    ["1.0~rc1~git123", "1.0~rc1~git123", 0],
    ["1.0~rc1~git123", "1.0~rc1", -1],
    ["1.0~rc1", "1.0~rc1~git123", 1],
    ["1.0^", "1.0^", 0],
    ["1.0^", "1.0", 1],
    ["1.0", "1.0^", -1],
    ["1.0^git1", "1.0^git1", 0],
    ["1.0^git1", "1.0", 1],
    ["1.0", "1.0^git1", -1],
    ["1.0^git1", "1.0^git2", -1],
    ["1.0^git2", "1.0^git1", 1],
    ["1.0^git1", "1.01", -1],
    ["1.01", "1.0^git1", 1],
    ["1.0^20160101", "1.0^20160101", 0],
    ["1.0^20160101", "1.0.1", -1],
    ["1.0.1", "1.0^20160101", 1],
    ["1.0^20160101^git1", "1.0^20160101^git1", 0],
    ["1.0^20160102", "1.0^20160101^git1", 1],
    ["1.0^20160101^git1", "1.0^20160102", -1],
    ["1.0~rc1^git1", "1.0~rc1^git1", 0],
    ["1.0~rc1^git1", "1.0~rc1", 1],
    ["1.0~rc1", "1.0~rc1^git1", -1],
    ["1.0^git1~pre", "1.0^git1~pre", 0],
    ["1.0^git1", "1.0^git1~pre", 1],
    ["1.0^git1~pre", "1.0^git1", -1],
    ["4.17.35", "4.17.4", 1],
    ["4.17.4", "4.17.35", -1],
    ["4.17.999", "4.18.0", -1],
    ["2.0.0", "2.0", 1],
    ["1.3.7.3", "2.0.0", -1],
    ["10.el7_2.5", "13.el7_2.5", -1],
    ["13.el7_2.5", "13.el7_2.16", -1],
];

test.each(CASES)("rpmvercmp(%s, %s) is %d, as rpm says", (a, b, expected) => {
    expect(rpmVerCmp(a, b)).toBe(expected);
});

test.each([
    ["4.17.35", "1.el7.centos", "4.17.4", true],
    ["4.17.4", "1.el7", "4.17.35", false],
    ["4.16.30", "0.el7.centos", "4.17.0", false],
    ["4.17.0", "0.el7", "4.17.0", true],
    ["1.3.7.3", "1.el7.centos", "2.0.0", false],
    ["2.0.4.1", "1.el7.centos", "2.0.0", true],
    ["1.2.17", "13.el7_2.4", "1.2.17-13.el7_2.5", false],
    ["1.2.17", "13.el7_2.16", "1.2.17-13.el7_2.5", true],
    ["1.2.18", "1.el7", "1.2.17-13.el7_2.5", true],
    ["2.0.0", "0.1.beta1", "2.0.0", true],
])("%s-%s is at least %s: %s", (version, release, minimum, expected) => {
    expect(atLeast(version, release, minimum)).toBe(expected);
});

test("rpm -q's lines: installed packages with version and release, absent ones by name, anything else apart", () => {
    const out = [
        "ovirt-hosted-engine-setup\t2.0.4.1\t1.el7.centos",
        "package ovirt-hosted-engine-ha is not installed",
        "error: rpmdb: damaged header #12 retrieved -- skipping.",
        "",
    ].join("\n");
    expect(parseRpmQuery(out)).toEqual({
        installed: [{ name: "ovirt-hosted-engine-setup", version: "2.0.4.1", release: "1.el7.centos" }],
        missing: ["ovirt-hosted-engine-ha"],
        other: ["error: rpmdb: damaged header #12 retrieved -- skipping."],
    });
});
