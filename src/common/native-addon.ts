// The project's one native addon (native/mapped-file.c, built by scripts/build-native.mjs into
// dist/native/mapped-file.node): read-only mappings of store files and the gather copy for the
// store's reads (src/store/mapped-view.ts), and the C-heap trim both servers run (free-memory.ts).
// Optional: without a C compiler at build time it is absent, and each user falls back (pread,
// Buffer.copy, no trim).
import * as path from 'node:path';

export interface NativeAddon {
  map(fd: number, lengthBytes: number): ArrayBuffer;
  release(mapping: ArrayBuffer): void;
  gather(source: Uint8Array, target: Uint8Array, runs: Float64Array, count: number): void;
  trim(): boolean;
}

/** Where the build puts the addon, from dist/src/common. */
const ADDON_PATH = path.join(__dirname, '..', '..', 'native', 'mapped-file.node');

let addon: NativeAddon | null | undefined;

/** The addon, loaded at the first call; null when it was not built. */
export function nativeAddon(): NativeAddon | null {
  if (addon === undefined) {
    try {
      addon = require(ADDON_PATH) as NativeAddon;
    } catch {
      addon = null;
    }
  }
  return addon;
}
