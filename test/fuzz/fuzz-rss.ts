// Resident memory of the fuzzed servers: the figure before the fuzz, the peak seen at the probes,
// and the figure after, polled for a while after the fuzz connections close (a Node process gives
// memory back in steps, after a GC) until it is back within `slackMiB` of the start.
import { rssMiB } from './fuzz-servers';

const SETTLE_MS = 20_000;
const POLL_MS = 500;

export interface RssFigures {
  start: number;
  peak: number;
  end: number;
  backNearStart: boolean;
}

export async function settleRss(pid: number | undefined, start: number, peak: number, slackMiB: number): Promise<RssFigures> {
  const deadlineMs = Date.now() + SETTLE_MS;
  let end = rssMiB(pid);
  while (!(end <= start + slackMiB) && Date.now() < deadlineMs) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    end = rssMiB(pid);
  }
  return { start, peak: Math.max(peak, end), end, backNearStart: end <= start + slackMiB };
}
