// The child processes of recovery-time.ts: each opens the store the way a broker does.
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { javaStringHashCode } from '../../src/codec/java-hash';
import { parseHostAddress } from '../../src/codec/message/host-address';
import { IndexFile } from '../../src/store/index-file';
import { DefaultMessageStore, type MessageToStore, PutMessageStatus } from '../../src/store/message-store';
import { defaultMessageStoreConfig, type MessageStoreConfig } from '../../src/store/message-store-config';

const BORN_HOST = parseHostAddress('10.0.0.1:50000')!;
const STORE_HOST = parseHostAddress('127.0.0.1:10911')!;
const IN_FLIGHT = Number(process.env.RECOVERY_IN_FLIGHT ?? 2000);
const BODY = Buffer.alloc(1024, 'r');

function config(dir: string): MessageStoreConfig {
  // Java's defaults: 1 GiB segments, 300,000-unit consume queues, 5M-slot index files.
  return defaultMessageStoreConfig(dir);
}

function message(seq: number): MessageToStore {
  const uniqKey = `7F00000100002A9F${seq.toString(16).toUpperCase().padStart(16, '0')}`;
  const tag = `t${seq % 4}`;
  return {
    topic: `Bench${seq % 16}`,
    queueId: (seq >> 4) % 4,
    flag: 0,
    body: BODY,
    propertiesString: `UNIQ_KEY\u0001${uniqKey}\u0002KEYS\u0001k${seq}\u0002TAGS\u0001${tag}\u0002WAIT\u0001true\u0002`,
    tagsCode: javaStringHashCode(tag),
    sysFlag: 0,
    bornTimestampMs: Date.now(),
    bornHost: BORN_HOST,
    storeHost: STORE_HOST,
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  };
}

function open(dir: string): DefaultMessageStore {
  const store = new DefaultMessageStore(config(dir));
  if (!store.load()) throw new Error('store failed to load');
  store.start();
  return store;
}

/** Writes with IN_FLIGHT puts outstanding until `until()` says stop. */
async function write(store: DefaultMessageStore, until: () => boolean, firstSeq: number): Promise<number> {
  let seq = firstSeq;
  while (!until()) {
    const batch: Promise<unknown>[] = [];
    for (let i = 0; i < IN_FLIGHT; i++) {
      batch.push(
        store.putMessage(message(seq++)).then((r) => {
          if (r.status !== PutMessageStatus.PUT_OK) throw new Error(`put: ${r.status}`);
        }),
      );
    }
    await Promise.all(batch);
  }
  return seq;
}

/** Times IndexFile.flushSlots (synchronous slot-table writes) while the store runs. */
function watchSlotFlushes(): { maxMs: number; totalMs: number; count: number } {
  const stats = { maxMs: 0, totalMs: 0, count: 0 };
  const original = IndexFile.prototype.flushSlots;
  IndexFile.prototype.flushSlots = function (this: IndexFile) {
    const started = process.hrtime.bigint();
    original.call(this);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    stats.count++;
    stats.totalMs += ms;
    stats.maxMs = Math.max(stats.maxMs, ms);
  };
  return stats;
}

export async function runFill(dir: string, gb: number): Promise<void> {
  const slotFlushes = watchSlotFlushes();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const store = open(dir);
  loopDelay.enable();
  const startedAt = Date.now();
  let reported = 0;
  const target = gb * 2 ** 30;
  const seq = await write(
    store,
    () => {
      const written = store.getMaxPhyOffset();
      if (written - reported >= 2 ** 30) {
        reported = written;
        console.log(`${(written / 2 ** 30).toFixed(0)} GiB after ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
      }
      return written >= target;
    },
    0,
  );
  loopDelay.disable();
  const seconds = (Date.now() - startedAt) / 1000;
  const p = (q: number) => Math.round(loopDelay.percentile(q) / 1e5) / 10;
  console.log(
    JSON.stringify({
      messages: seq,
      seconds: Math.round(seconds),
      mibPerSecond: Math.round(store.getMaxPhyOffset() / 2 ** 20 / seconds),
      eventLoopDelayMs: { p50: p(50), p99: p(99), max: Math.round(loopDelay.max / 1e5) / 10 },
      indexSlotFlushMs: {
        count: slotFlushes.count,
        max: Math.round(slotFlushes.maxMs * 10) / 10,
        mean: Math.round((slotFlushes.totalMs / Math.max(1, slotFlushes.count)) * 10) / 10,
      },
    }),
  );
  console.log('FILLED');
  await write(store, () => false, seq); // until SIGKILL
}

export async function runTail(dir: string): Promise<void> {
  const store = open(dir);
  console.log('WRITING');
  await write(store, () => false, 1e12); // until SIGKILL
}

export async function runLoad(dir: string, shutdown: boolean): Promise<void> {
  const store = new DefaultMessageStore(config(dir));
  const started = process.hrtime.bigint();
  if (!store.load()) throw new Error('store failed to load');
  const loadMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  const report = store.recovery!;
  console.log(
    JSON.stringify({
      loadMs,
      checkedBytes: report.endPhysicalOffset - report.checkedFromPhysicalOffset,
      endPhysicalOffset: report.endPhysicalOffset,
      lastExitOk: report.lastExitOk,
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      storeDir: path.join(dir, 'store'),
    }),
  );
  store.start();
  if (shutdown) store.shutdown();
  else store.haltWithoutCleanup(); // keep the abort file: the store stays "crashed"
}
