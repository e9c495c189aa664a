// The workloads: the official benchmark Producer (sync sends from N threads to BenchmarkTest, 1024
// queues on both brokers), with the official Consumer where the workload reads, and our latency
// probe alongside. Every workload runs for a fixed number of the Producer's 10-second report lines.
import type { FlushDiskType } from './servers';

export interface BacklogPlan {
  /** messages written by BacklogFill before the broker is restarted cold */
  count: number;
  fillThreads: number;
  /** messages per SEND_BATCH_MESSAGE request of the fill */
  fillBatch: number;
  /** cap on the fill, in seconds */
  fillSeconds: number;
  /** Producer lines before the Consumer starts reading from the start of the backlog */
  hotLines: number;
  /** Producer lines while it reads (the first one is the transition and is not used) */
  coldLines: number;
}

export interface Workload {
  id: string;
  title: string;
  threads: number;
  size: number;
  flush: FlushDiskType;
  /** run the official Consumer next to the Producer */
  consumer: boolean;
  /** Producer report lines to collect (10 s each) */
  producerLines: number;
  /** leading Producer lines not used (JIT and page-cache warm-up of both brokers) */
  warmupLines: number;
  backlog?: BacklogPlan;
  /** extra broker.conf lines, the same on both sides */
  brokerConf?: string[];
}

export const PROBE_TOPIC = 'BenchLatencyProbe';
export const PROBE_RATE_PER_SECOND = 200;
export const COMMIT_LOG_SEGMENT_BYTES = 1024 * 1024 * 1024;

function send(threads: number, size: number, flush: FlushDiskType, lines = 5): Workload {
  const kib = size >= 1024 ? `${size / 1024} KiB` : `${size} B`;
  const flushName = flush === 'ASYNC_FLUSH' ? 'async' : 'sync';
  return {
    id: `send-${threads}t-${size}b-${flushName}`,
    title: `send ${threads} thr ${kib} ${flushName} flush`,
    threads,
    size,
    flush,
    consumer: false,
    producerLines: lines,
    warmupLines: 2,
  };
}

export function quickWorkloads(): Workload[] {
  return [send(64, 1024, 'ASYNC_FLUSH')];
}

export function fullWorkloads(backlogCount: number): Workload[] {
  return [
    send(1, 1024, 'ASYNC_FLUSH'),
    send(16, 1024, 'ASYNC_FLUSH'),
    send(64, 1024, 'ASYNC_FLUSH'),
    send(64, 128, 'ASYNC_FLUSH'),
    send(1, 1024, 'SYNC_FLUSH'),
    send(64, 1024, 'SYNC_FLUSH'),
    {
      id: 'produce-consume-64t-1024b-async',
      title: 'produce+consume 64 thr 1 KiB async',
      threads: 64,
      size: 1024,
      flush: 'ASYNC_FLUSH',
      consumer: true,
      producerLines: 5,
      warmupLines: 2,
    },
    {
      id: 'backlog-64t-1024b-async',
      title: `backlog ${(backlogCount / 1e6).toFixed(1)}M × 1 KiB, cold read + 64 thr send`,
      threads: 64,
      size: 1024,
      flush: 'ASYNC_FLUSH',
      consumer: true,
      producerLines: 7,
      // after the restart: line 1 warm-up, lines 2–3 before the read, line 4 the transition, 5–7 reading
      warmupLines: 1,
      backlog: { count: backlogCount, fillThreads: 8, fillBatch: 64, fillSeconds: 300, hotLines: 3, coldLines: 4 },
      // A new group starts at offset 0 only while the queue's first message is "in memory" (Java
      // checkInDiskByConsumeOffset: within accessMessageInMemoryMaxRatio % of RAM of the log end);
      // past that the official Consumer (CONSUME_FROM_LAST_OFFSET) starts at the end and reads
      // nothing cold. 90 % keeps a 10M-message backlog readable from the start on a 24 GiB box.
      brokerConf: ['accessMessageInMemoryMaxRatio=90'],
    },
  ];
}
