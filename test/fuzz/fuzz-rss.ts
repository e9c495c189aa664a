// Resident memory of the fuzzed servers: the figure before the fuzz, the peak seen at the probes,
// and the figure after, polled for up to a minute after the fuzz connections close (a Node process gives
// memory back in steps, after a GC) until it is back within `slackMiB` of the start.
import fs from 'node:fs';
import path from 'node:path';
import { parseFastjson } from '../../src/codec/fastjson-parse';
import { rssMiB } from './fuzz-servers';

const SETTLE_MS = 60_000;
const POLL_MS = 500;

export interface RssFigures {
  start: number;
  peak: number;
  end: number;
  backNearStart: boolean;
}

export async function settleRss(
  pid: number | undefined,
  start: number,
  peak: number,
  slackMiB: number,
): Promise<RssFigures> {
  const deadlineMs = Date.now() + SETTLE_MS;
  let end = rssMiB(pid);
  while (!(end <= start + slackMiB) && Date.now() < deadlineMs) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    end = rssMiB(pid);
  }
  return { start, peak: Math.max(peak, end), end, backNearStart: end <= start + slackMiB };
}

export interface StoreState {
  topics: number;
  subscriptionGroups: number;
  configBytes: number;
}

function tableSize(file: string, key: string): number {
  try {
    const table = (parseFastjson(fs.readFileSync(file)) as Record<string, unknown>)[key];
    return table !== null && typeof table === 'object' ? Object.keys(table).length : 0;
  } catch {
    return -1;
  }
}

/** What the fuzz left in the broker's persisted state (explains part of the RSS after it). */
export function storeState(storeRoot: string): StoreState {
  const config = path.join(storeRoot, 'config');
  const configBytes = fs.existsSync(config)
    ? fs.readdirSync(config).reduce((sum, name) => sum + fs.statSync(path.join(config, name)).size, 0)
    : 0;
  return {
    topics: tableSize(path.join(config, 'topics.json'), 'topicConfigTable'),
    subscriptionGroups: tableSize(path.join(config, 'subscriptionGroup.json'), 'subscriptionGroupTable'),
    configBytes,
  };
}
