// V8 flags the broker's launchers pass to node, as Java's runbroker.sh passes JVM options: the
// shebang of mqbroker.ts and start.ts (`env -S`), `npm start`, and the benchmark's broker spawn.
// A test checks that those places agree with this list.
//
// --max-semi-space-size=8: the young generation grows to 2 x 8 MiB instead of 2 x 16 MiB. At 64
// sending threads the broker's RSS peak dropped from about 125 MiB to 110 MiB with the same send
// TPS, CPU per message and probe p99 (ours-only runs of the 128 B and 1 KiB workloads; 4 MiB saved
// 24 MiB but its probe p99 was higher in every run).
export const BROKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
