// SPDX-License-Identifier: LGPL-2.1-or-later

/* esbuild bundles imported CSS; TypeScript only needs to know such imports exist. */
declare module "*.css";
