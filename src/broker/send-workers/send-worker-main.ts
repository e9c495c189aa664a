// A send worker thread (SendWorkerPool starts them): encodes every batch the main thread posts and
// posts back the records and a slot per entry (send-answer-format.ts), both buffers transferred.
import { parentPort, workerData } from 'node:worker_threads';
import { encodeSendFrame, type SendWorkerInit } from './send-encoding';
import { ENTRY_BYTES, writeAnswerEntry } from './send-answer-format';
import { forEachEntry, RECORD_SLACK_BYTES, type SendBatch, type SendBatchAnswer } from './send-batch-format';

const init = workerData as Omit<SendWorkerInit, 'storeHost'>;
const clusterBytes = Buffer.byteLength(init.brokerClusterName, 'utf8');

function encodeBatch(batch: SendBatch): SendBatchAnswer {
  const records = Buffer.from(
    new ArrayBuffer(batch.bytes.byteLength + batch.count * (RECORD_SLACK_BYTES + clusterBytes)),
  );
  const slots = Buffer.from(new ArrayBuffer(batch.count * ENTRY_BYTES));
  const { address, port } = batch.storeHost;
  const settings: SendWorkerInit = { ...init, storeHost: { address: Buffer.from(address), port } };
  let at = 0;
  let index = 0;
  forEachEntry(batch.bytes, batch.count, (frame, host) => {
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
  return { seq: batch.seq, records: records.buffer as ArrayBuffer, slots: slots.buffer as ArrayBuffer };
}

parentPort!.on('message', (batch: SendBatch) => {
  const answer = encodeBatch(batch);
  parentPort!.postMessage(answer, [answer.records, answer.slots]);
});
