// Regression fixtures of the socket fuzzer: every input that ever broke a server (a crash, a hang,
// a state the next start could not load) is kept in test/fuzz/fixtures/*.json and replayed at the
// start of every fuzz run, before the random inputs, and so also by the short form in `npm test`.
//
//   { "description": "...", "found": "2026-12-06", "inputs": [
//       { "target": "broker", "delivery": "stream", "kind": "mutated-pull", "hex": "0000..." } ] }
import fs from 'node:fs';
import path from 'node:path';
import type { Delivery, FuzzInput, Target } from './fuzz-inputs';

export const FIXTURES_DIR = path.resolve(__dirname, '../../../test/fuzz/fixtures');
/** Inputs larger than this are left out of a saved window (named, not stored). */
const SAVED_INPUT_MAX_BYTES = 64 * 1024;

export interface FixtureInput {
  target: Target;
  delivery: Delivery;
  kind: string;
  hex?: string;
  omittedBytes?: number;
}

export interface Fixture {
  file: string;
  description: string;
  found?: string;
  inputs: FixtureInput[];
}

export function loadFixtures(dir: string = FIXTURES_DIR): Fixture[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({
      ...(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Omit<Fixture, 'file'>),
      file: name,
    }));
}

export function fixtureInputs(fixture: Fixture): FuzzInput[] {
  return fixture.inputs
    .filter((input) => input.hex !== undefined)
    .map((input) => ({
      target: input.target,
      delivery: input.delivery,
      kind: input.kind,
      bytes: Buffer.from(input.hex!, 'hex'),
    }));
}

/** Writes the last inputs before a failure as a new fixture; returns its path. */
export function saveFailure(dir: string, name: string, description: string, window: readonly FuzzInput[]): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  const inputs: FixtureInput[] = window.map((input) =>
    input.bytes.length > SAVED_INPUT_MAX_BYTES
      ? { target: input.target, delivery: input.delivery, kind: input.kind, omittedBytes: input.bytes.length }
      : { target: input.target, delivery: input.delivery, kind: input.kind, hex: input.bytes.toString('hex') },
  );
  const fixture = { description, found: new Date().toISOString().slice(0, 10), inputs };
  fs.writeFileSync(file, `${JSON.stringify(fixture, null, 1)}\n`);
  return file;
}

/** Keeps the last `size` inputs. */
export class InputWindow {
  private readonly items: FuzzInput[] = [];

  constructor(private readonly size: number) {}

  push(input: FuzzInput): void {
    this.items.push(input);
    if (this.items.length > this.size) this.items.shift();
  }

  snapshot(): FuzzInput[] {
    return [...this.items];
  }
}
