// Hand-off microbenchmark (issue #15 §2): what it costs the MAIN thread to move a 1 KiB send to a
// worker thread and get its result back, per message, for several hand-off shapes, beside the cost
// of the work that would move (JSON header decode + SendMessageRequestHeader + record encode + CRC).
// Main-thread CPU is read from /proc/thread-self/schedstat (ns on CPU), so other threads don't count.
//   node dist/bench/workers/handoff.js [messages]
import fs from 'node:fs';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { createRequestCommand, decodeRemotingCommand, encodeRemotingCommand } from '../../src/codec/remoting-command';
import { decodeSendMessageRequestHeader } from '../../src/codec/headers/send-message-request-header';
import { writeMessageRecord } from '../../src/codec/message/message-record';
import { RequestCode } from '../../src/codec/request-code';

const BATCH = 64;
const RECORD_BYTES = 1024 + 200;

function mainThreadNs(): number {
  return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
}

function frame(opaque: number): Buffer {
  const extFields = {
    a: 'pg',
    b: 'BenchmarkTest',
    c: 'TBW102',
    d: '4',
    e: '3',
    f: '0',
    g: String(Date.now()),
    h: '0',
    i: 'WAIT\u0001true\u0002TAGS\u0001TagA\u0002',
    j: '0',
    k: 'false',
    m: 'false',
  };
  const bytes = encodeRemotingCommand(
    createRequestCommand(RequestCode.SEND_MESSAGE_V2, opaque, { extFields, body: Buffer.alloc(1024, 0x61) }),
  );
  return bytes.subarray(4);
}

/** The work a worker would take over, done in line: the figure a hand-off must beat. */
function work(bytes: Buffer, target: Buffer): number {
  const request = decodeRemotingCommand(bytes);
  const header = decodeSendMessageRequestHeader(request);
  const host = { address: Buffer.from([127, 0, 0, 1]), port: 1234 };
  return writeMessageRecord(
    target,
    0,
    {
      queueId: header.queueId,
      flag: header.flag,
      sysFlag: header.sysFlag,
      bornTimestampMs: header.bornTimestamp,
      bornHost: host,
      storeHost: host,
      reconsumeTimes: 0,
      preparedTransactionOffset: 0,
      body: request.body!,
      topic: header.topic,
      propertiesString: header.properties ?? '',
    },
    Buffer.byteLength(header.topic),
    Buffer.byteLength(header.properties ?? ''),
    0,
    0,
    Date.now(),
  );
}

function workerMain(): void {
  const target = Buffer.alloc(4096);
  parentPort!.on('message', (message: { kind: string; data: ArrayBuffer | Uint8Array; count: number }) => {
    if (message.kind === 'one') {
      const bytes = Buffer.from(message.data as Uint8Array);
      const size = work(bytes, target);
      const out = new Uint8Array(size);
      out.set(target.subarray(0, size));
      parentPort!.postMessage({ kind: 'one', data: out });
    } else {
      // a batch: length-prefixed frames in, length-prefixed records out, both transferred
      const input = Buffer.from(message.data as ArrayBuffer);
      const output = Buffer.from(new ArrayBuffer(message.count * (RECORD_BYTES + 4)));
      let at = 0,
        out = 0;
      for (let i = 0; i < message.count; i++) {
        const length = input.readInt32BE(at);
        const size = work(input.subarray(at + 4, at + 4 + length), target);
        output.writeInt32BE(size, out);
        target.copy(output, out + 4, 0, size);
        at += 4 + length;
        out += 4 + size;
      }
      const meta =
        message.kind === 'batch-clone'
          ? Array.from({ length: message.count }, (_, i) => ({
              topic: 'BenchmarkTest',
              queueId: i & 7,
              tagsCode: 123,
              properties: 'WAIT\u0001true\u0002TAGS\u0001TagA\u0002',
              opaque: i,
            }))
          : undefined;
      parentPort!.postMessage({ kind: message.kind, data: output.buffer, meta }, [output.buffer]);
    }
  });
}

async function measure(name: string, messages: number, run: (done: () => void) => void): Promise<string> {
  const startNs = mainThreadNs();
  const startMs = performance.now();
  await new Promise<void>((resolve) => run(resolve));
  const mainUs = (mainThreadNs() - startNs) / 1000 / messages;
  const wallUs = ((performance.now() - startMs) * 1000) / messages;
  return `${name.padEnd(44)} main ${mainUs.toFixed(2).padStart(6)} µs/msg   wall ${wallUs.toFixed(2).padStart(6)} µs/msg`;
}

async function main(): Promise<void> {
  const messages = Number(process.argv[2] ?? 200_000);
  const frames = Array.from({ length: BATCH }, (_, i) => frame(i + 1));
  const target = Buffer.alloc(4096);
  const lines: string[] = [
    `uptime: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}; ${messages} messages of 1 KiB, batches of ${BATCH}`,
  ];
  lines.push(
    await measure('in line: decode + header + record + CRC', messages, (done) => {
      for (let i = 0; i < messages; i++) work(frames[i % BATCH], target);
      done();
    }),
  );
  const worker = new Worker(__filename);
  await new Promise((resolve) => worker.once('online', resolve));
  lines.push(
    await measure('postMessage per message (copy both ways)', messages, (done) => {
      let sent = 0,
        received = 0;
      const window = 256;
      worker.on('message', function onOne() {
        if (++received === messages) {
          worker.off('message', onOne);
          done();
          return;
        }
        if (sent < messages) {
          worker.postMessage({ kind: 'one', data: frames[sent++ % BATCH] });
        }
      });
      for (; sent < window; sent++) worker.postMessage({ kind: 'one', data: frames[sent % BATCH] });
    }),
  );
  for (const kind of ['batch-transfer', 'batch-clone']) {
    const label =
      kind === 'batch-transfer'
        ? `batch of ${BATCH}: copy in + transfer, records back`
        : `same + metadata objects cloned back`;
    lines.push(
      await measure(label, messages, (done) => {
        const batches = Math.ceil(messages / BATCH);
        let sent = 0,
          received = 0;
        const post = () => {
          const buffer = Buffer.from(new ArrayBuffer(BATCH * (frames[0].length + 4)));
          let at = 0;
          for (const f of frames) {
            buffer.writeInt32BE(f.length, at);
            f.copy(buffer, at + 4);
            at += 4 + f.length;
          }
          worker.postMessage({ kind, data: buffer.buffer, count: BATCH }, [buffer.buffer]);
          sent++;
        };
        worker.on('message', function onBatch(reply: { data: ArrayBuffer }) {
          const records = Buffer.from(reply.data);
          let at = 0,
            checksum = 0;
          for (let i = 0; i < BATCH; i++) {
            const size = records.readInt32BE(at);
            checksum += records[at + 8];
            at += 4 + size;
          }
          if (checksum < 0) throw new Error('unreachable');
          if (++received === batches) {
            worker.off('message', onBatch);
            done();
            return;
          }
          if (sent < batches) post();
        });
        for (let i = 0; i < 4; i++) post();
      }),
    );
  }
  await worker.terminate();
  console.log(lines.join('\n'));
}

if (isMainThread) void main();
else workerMain();
