// SPDX-License-Identifier: LGPL-2.1-or-later

// Integration and end-to-end tests drive real processes, disks and browsers:
// their limits are for hangs, not for speed (speed lives in `make bench`).
jest.setTimeout(180_000);
