// A send worker thread (SendWorkerPool starts them): waits on its mailbox (send-batch-format.ts),
// encodes the batch in it, frees the mailbox and posts back the records and a slot per entry
// (send-answer-format.ts), both buffers transferred.
import { parentPort, workerData } from 'node:worker_threads';
import { encodeSendFrame, SendWorkerInit } from './send-encoding';
import { ENTRY_BYTES, writeAnswerEntry } from './send-answer-format';
import { batchStoreHost, forEachEntry, MAILBOX_EMPTY, MAILBOX_FULL, MAILBOX_STOP, MailboxWord, RECORD_SLACK_BYTES, SendBatchAnswer } from './send-batch-format';

interface WorkerInit extends Omit<SendWorkerInit, 'storeHost'> {
  mailbox: SharedArrayBuffer;
  control: SharedArrayBuffer;
}

const init = workerData as WorkerInit;
const clusterBytes = Buffer.byteLength(init.brokerClusterName, 'utf8');
const control = new Int32Array(init.control);
const mailbox = Buffer.from(init.mailbox);
const WAIT_MS = 1000;

function encodeBatch(seq: number, count: number, byteLength: number): SendBatchAnswer {
  const records = Buffer.from(new ArrayBuffer(byteLength + count * (RECORD_SLACK_BYTES + clusterBytes)));
  const slots = Buffer.from(new ArrayBuffer(count * ENTRY_BYTES));
  const { storeHost, entriesAt } = batchStoreHost(mailbox);
  const settings: SendWorkerInit = { ...init, storeHost };
  let at = 0;
  let index = 0;
  forEachEntry(mailbox, entriesAt, count, (frame, host) => {
    const slot = index++;
    try {
      const encoded = encodeSendFrame(frame, host, settings, records, at);
      if (encoded === null) return;
      const defaultTopicOffset = at + encoded.recordSizeBytes;
      const defaultTopicLength = Buffer.byteLength(encoded.header.defaultTopic, 'utf8');
      if (defaultTopicOffset + defaultTopicLength > records.length) return;
      records.write(encoded.header.defaultTopic, defaultTopicOffset, 'utf8');
      writeAnswerEntry(slots, slot, encoded, at, defaultTopicOffset, defaultTopicLength);
      at = defaultTopicOffset + defaultTopicLength;
    } catch {
      slots.fill(0, slot * ENTRY_BYTES, (slot + 1) * ENTRY_BYTES); // the in-line path answers it
    }
  });
  return { seq, records: records.buffer as ArrayBuffer, slots: slots.buffer as ArrayBuffer };
}

for (;;) {
  Atomics.wait(control, MailboxWord.STATE, MAILBOX_EMPTY, WAIT_MS);
  const state = Atomics.load(control, MailboxWord.STATE);
  if (state === MAILBOX_STOP) break;
  if (state !== MAILBOX_FULL) continue;
  const answer = encodeBatch(control[MailboxWord.SEQ], control[MailboxWord.COUNT], control[MailboxWord.BYTES]);
  Atomics.store(control, MailboxWord.STATE, MAILBOX_EMPTY);
  parentPort!.postMessage(answer, [answer.records, answer.slots]);
}
