// Shared pieces of the decoder property tests (`*.property.test.ts`): how many runs, mutations of
// golden fixtures, and the one property every decoder must have on hostile input — it returns a
// value or throws the project's typed error, within a time budget and with output bounded by the
// input. Test-only (fast-check is a dev dependency); nothing on the broker path imports it.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';

/** Runs per property: FC_NUM_RUNS, or a small default that keeps `npm test` at a few seconds. */
export function numRuns(fallback = 200): number {
  const fromEnv = Number(process.env.FC_NUM_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback;
}

/** fast-check parameters: the run count above and FC_SEED when given, so a failure replays. */
export function fcParams(fallbackRuns = 200): fc.Parameters<unknown> {
  const seed = Number(process.env.FC_SEED);
  return { numRuns: numRuns(fallbackRuns), ...(Number.isInteger(seed) ? { seed } : {}) };
}

export const FIXTURES_DIR = path.resolve(__dirname, '../../../src/codec/fixtures');

/** The golden fixtures of one kind folder (`frames`, `records`, `batches`), as bytes. */
export function hexFixtures(folder: string): Buffer[] {
  const dir = path.join(FIXTURES_DIR, folder);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.hex'))
    .sort()
    .map((name) => Buffer.from(fs.readFileSync(path.join(dir, name), 'utf8').trim(), 'hex'));
}

/** The golden JSON bodies, as text. */
export function bodyFixtures(): string[] {
  const dir = path.join(FIXTURES_DIR, 'bodies');
  return fs
    .readdirSync(dir)
    .sort()
    .map((name) => fs.readFileSync(path.join(dir, name), 'utf8'));
}

const INTERESTING_INT32 = [
  0, 1, -1, 2, 3, 4, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0xffffff, 0x1000000, 0x7fffffff, -0x80000000,
];

type Mutation =
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'int32'; at: number; value: number }
  | { kind: 'delta32'; at: number; delta: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; sizeBytes: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; sizeBytes: number };

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('int32' as const), at: fc.nat(), value: fc.constantFrom(...INTERESTING_INT32) }),
  fc.record({ kind: fc.constant('delta32' as const), at: fc.nat(), delta: fc.integer({ min: -8, max: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), sizeBytes: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), sizeBytes: fc.integer({ min: 1, max: 32 }) }),
);

function applyMutation(bytes: Buffer, mutation: Mutation): Buffer {
  const at = bytes.length === 0 ? 0 : mutation.at % (bytes.length + 1);
  switch (mutation.kind) {
    case 'set': {
      if (at >= bytes.length) return bytes;
      const copy = Buffer.from(bytes);
      copy[at] = mutation.byte;
      return copy;
    }
    case 'int32':
    case 'delta32': {
      if (at + 4 > bytes.length) return bytes;
      const copy = Buffer.from(bytes);
      const value = mutation.kind === 'int32' ? mutation.value : copy.readInt32BE(at) + mutation.delta;
      copy.writeInt32BE(value | 0, at);
      return copy;
    }
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), mutation.bytes, bytes.subarray(at)]);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + mutation.sizeBytes)]);
    case 'truncate':
      return Buffer.from(bytes.subarray(0, at));
    case 'duplicate':
      return Buffer.concat([bytes.subarray(0, at + mutation.sizeBytes), bytes.subarray(at)]);
  }
}

/** One of `seeds` with 1–6 random mutations applied (bytes flipped, int32 fields set, cut, grown). */
export function mutatedFrom(seeds: readonly Buffer[]): fc.Arbitrary<Buffer> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutationArbitrary, { minLength: 1, maxLength: 6 }))
    .map(([seed, mutations]) => mutations.reduce(applyMutation, seed));
}

/** Like mutatedFrom, for text seeds (mutated as UTF-8 bytes, decoded back leniently). */
export function mutatedTextFrom(seeds: readonly string[]): fc.Arbitrary<string> {
  return mutatedFrom(seeds.map((seed) => Buffer.from(seed, 'utf8'))).map((bytes) => bytes.toString('utf8'));
}

/** A rough size of a decoded value: string lengths, buffer lengths and one unit per node. */
export function outputSize(value: unknown, seen = new Set<unknown>()): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'string') return value.length + 1;
  if (typeof value !== 'object') return 1;
  if (seen.has(value)) return 1;
  seen.add(value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return value.length + 1;
  let size = 1;
  if (value instanceof Map) {
    for (const [key, item] of value) size += outputSize(key, seen) + outputSize(item, seen);
    return size;
  }
  for (const key of Object.keys(value)) size += key.length + outputSize((value as Record<string, unknown>)[key], seen);
  return size;
}

export interface HostileLimits {
  /** Wall time one call may take. */
  maxMs?: number;
  /** Output may be at most `factor × inputSize + constant` in outputSize units. */
  factor?: number;
  constant?: number;
}

function timed(
  decode: () => unknown,
  typedErrors: readonly (abstract new (...args: never[]) => Error)[],
): { result: unknown; elapsedMs: number } {
  const startedMs = performance.now();
  try {
    const result = decode();
    return { result, elapsedMs: performance.now() - startedMs };
  } catch (error) {
    if (!typedErrors.some((type) => error instanceof type)) {
      throw new Error(`untyped ${(error as Error)?.name}: ${(error as Error)?.message}`, { cause: error });
    }
    return { result: undefined, elapsedMs: performance.now() - startedMs };
  }
}

/**
 * The property: `decode()` returns a value or throws one of `typedErrors`, within `maxMs`, with an
 * output no larger than the bound. Anything else (a TypeError, a RangeError, a slow or bloated
 * result) fails with the details, so fast-check shrinks it to a small counterexample.
 */
export function assertValueOrTypedError(
  inputSize: number,
  decode: () => unknown,
  typedErrors: readonly (abstract new (...args: never[]) => Error)[],
  limits: HostileLimits = {},
): unknown {
  const { maxMs = 250, factor = 4, constant = 4096 } = limits;
  let { result, elapsedMs } = timed(decode, typedErrors);
  // A slow call is timed again: a decoder that is slow on this input is slow twice, while a GC
  // pause or a busy machine rarely hits the same call two times running.
  if (elapsedMs > maxMs) ({ result, elapsedMs } = timed(decode, typedErrors));
  if (elapsedMs > maxMs) throw new Error(`took ${elapsedMs.toFixed(1)} ms (twice) on ${inputSize} input units`);
  const size = outputSize(result);
  const bound = factor * inputSize + constant;
  if (size > bound) throw new Error(`output of ${size} units exceeds ${bound} for ${inputSize} input units`);
  return result;
}
