// One power-loss round on a store: concurrent puts, the power cut after a chosen number of
// acknowledgements, files put back to what was fdatasynced (PowerLossFs), the store reopened and
// checked (power-loss-checks.ts). Shared by the mocha test and `npm run powerloss-test`.
import assert from 'node:assert';
import { type DefaultMessageStore, PutMessageStatus } from '../../src/store/message-store';
import type { MessageStoreConfig } from '../../src/store/message-store-config';
import { message, openStore } from '../../src/store/store-test-helpers';
import { checkRecoveredStore, type Sent } from './power-loss-checks';
import { PowerLossFs, type RestoreReport } from './power-loss-fs';

export const TOPIC = 'PowerLossTopic';
export const QUEUES = 4;

export interface RoundOptions {
  round: number;
  /** Puts in flight at once. */
  concurrency: number;
  /** The power goes after this many acknowledgements. */
  cutAfterAcks: number;
  /** Upper bound on puts (the cut comes first). */
  maxPuts: number;
  /** Each worker waits this long after each acknowledgement (spreads a round over flush intervals). */
  pauseMs: number;
}

export interface RoundFigures {
  round: number;
  flushDiskType: string;
  sent: number;
  acknowledged: number;
  /** Acknowledged in this round and present after the reopen. */
  acknowledgedPresent: number;
  /** Acknowledged in this round and gone (ASYNC_FLUSH: within the unflushed window). */
  acknowledgedLost: number;
  /** Acknowledged after the last commit-log fdatasync the store completed before the cut. */
  unflushedWindow: number;
  /** Sent, never acknowledged, present anyway (written and synced before the cut). */
  unacknowledgedPresent: number;
  restore: RestoreReport;
  recoveredMaxPhyOffset: number;
}

function flushedPhysicalOffset(store: DefaultMessageStore): number {
  const internals = store as unknown as { commitLog: { flushedPhysicalOffset: number } };
  return internals.commitLog.flushedPhysicalOffset;
}

/** Puts until `cutAfterAcks` acknowledgements, then cuts the power mid-flight. */
async function putUntilCut(
  store: DefaultMessageStore,
  layer: PowerLossFs,
  sent: Map<string, Sent>,
  options: RoundOptions,
): Promise<{ flushedAtCut: number }> {
  let next = 0;
  let acks = 0;
  let flushedAtCut = -1;
  const putOne = async (): Promise<void> => {
    const index = next++;
    const key = `r${options.round}-k${index}`;
    const queueId = index % QUEUES;
    const body = `${key}|${'p'.repeat(20 + (index % 200))}`;
    const entry: Sent = { key, queueId, body, acknowledged: false, physicalOffset: -1, wroteBytes: 0 };
    sent.set(key, entry);
    const result = await store.putMessage(message(TOPIC, queueId, body, `tag${index % 3}`, `KEYS\u0001${key}\u0002`));
    if (layer.isCut) return; // answered after the power went: the producer never saw it
    assert.strictEqual(result.status, PutMessageStatus.PUT_OK, `put ${key}: ${result.status}`);
    entry.acknowledged = true;
    entry.physicalOffset = result.appendResult!.physicalOffset;
    entry.wroteBytes = result.appendResult!.wroteBytes;
    if (++acks === options.cutAfterAcks) {
      flushedAtCut = flushedPhysicalOffset(store);
      layer.cutPower();
      store.haltWithoutCleanup();
    }
  };
  const worker = async (): Promise<void> => {
    while (!layer.isCut && next < options.maxPuts) {
      await putOne();
      if (options.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  };
  // A halted store never answers the SYNC_FLUSH puts it was holding: wait for the cut, not for them.
  const cut = new Promise<void>((resolve, reject) => {
    const workers = Array.from({ length: options.concurrency }, () => worker());
    const timer = setInterval(() => {
      if (layer.isCut) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
    Promise.all(workers).then(
      () => {
        if (!layer.isCut) {
          clearInterval(timer);
          reject(new Error(`${options.maxPuts} puts and only ${acks} acknowledgements`));
        }
      },
      (error) => {
        clearInterval(timer);
        reject(error);
      },
    );
  });
  await cut;
  return { flushedAtCut };
}

/**
 * Runs one round on an open store (armed here) and returns the reopened store and the figures.
 * `sent` accumulates every message of every round (the checks cover earlier rounds too).
 */
export async function runRound(
  store: DefaultMessageStore,
  config: MessageStoreConfig,
  sent: Map<string, Sent>,
  options: RoundOptions,
): Promise<{ store: DefaultMessageStore; figures: RoundFigures }> {
  const layer = new PowerLossFs(config.storePathRootDir);
  layer.arm();
  let restore: RestoreReport;
  let flushedAtCut: number;
  try {
    ({ flushedAtCut } = await putUntilCut(store, layer, sent, options));
    await layer.quiesce();
    restore = layer.restore();
  } finally {
    layer.disarm();
  }
  const reopened = openStore(config);
  const round = [...sent.values()].filter((entry) => entry.key.startsWith(`r${options.round}-`));
  let verdict: ReturnType<typeof checkRecoveredStore>;
  try {
    verdict = checkRecoveredStore(reopened, config, sent, TOPIC, QUEUES);
    // Nothing the store had fdatasynced may be lost, whatever the flush mode.
    assert.ok(
      verdict.maxPhyOffset >= flushedAtCut,
      `recovered log ends at ${verdict.maxPhyOffset}, below the flushed ${flushedAtCut}`,
    );
  } catch (error) {
    reopened.shutdown();
    throw error;
  }
  const acknowledged = round.filter((entry) => entry.acknowledged);
  const lost = acknowledged.filter((entry) => !verdict.present.has(entry.key));
  const figures: RoundFigures = {
    round: options.round,
    flushDiskType: config.flushDiskType,
    sent: round.length,
    acknowledged: acknowledged.length,
    acknowledgedPresent: acknowledged.length - lost.length,
    acknowledgedLost: lost.length,
    unflushedWindow: acknowledged.filter((e) => e.physicalOffset + e.wroteBytes > flushedAtCut).length,
    unacknowledgedPresent: round.filter((e) => !e.acknowledged && verdict.present.has(e.key)).length,
    restore,
    recoveredMaxPhyOffset: verdict.maxPhyOffset,
  };
  // Forget what is gone: a later round must not expect it.
  for (const entry of round) if (!verdict.present.has(entry.key)) sent.delete(entry.key);
  for (const entry of round) if (verdict.present.has(entry.key)) entry.acknowledged = true;
  return { store: reopened, figures };
}
