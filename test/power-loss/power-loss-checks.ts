// What a store reopened after a power loss must satisfy:
// - nothing is present that was not sent, and nothing twice (bodies carry their key);
// - the present messages are a prefix of the commit log (no holes): every message whose record
//   lies below the recovered end is there, none above it;
// - every consume queue agrees with the commit log: units at consecutive queue offsets point at
//   records of that topic/queue with that queue offset, and the queues hold every record;
// - the index answers every present key with that message and never with another one;
// - the checkpoint names nothing beyond the recovered log;
// - the store takes new messages at the right queue offsets (checked by the caller's next round).
import assert from 'node:assert';
import * as path from 'node:path';
import { decodeMessageRecord } from '../../src/codec/message/message-record';
import { type DefaultMessageStore, GetMessageStatus } from '../../src/store/message-store';
import type { MessageStoreConfig } from '../../src/store/message-store-config';
import { StoreCheckpoint } from '../../src/store/store-checkpoint';

export interface Sent {
  key: string;
  queueId: number;
  body: string;
  acknowledged: boolean;
  /** From the put's answer (-1 until acknowledged). */
  physicalOffset: number;
  wroteBytes: number;
}

export interface Verdict {
  /** Keys present in the reopened store. */
  present: Set<string>;
  maxPhyOffset: number;
}

function keyOf(body: string): string {
  return body.slice(0, body.indexOf('|'));
}

/** Every record of the commit log, by offset (blank fillers skipped to the next segment). */
function scanCommitLog(store: DefaultMessageStore, segmentBytes: number): Map<number, string> {
  const records = new Map<number, string>();
  const end = store.getMaxPhyOffset();
  let offset = store.getMinPhyOffset();
  while (offset < end) {
    const raw = store.lookMessageByOffset(offset);
    if (raw === null) {
      offset = offset - (offset % segmentBytes) + segmentBytes; // the segment's blank filler
      continue;
    }
    records.set(offset, keyOf(decodeMessageRecord(raw, 0).record.body.toString()));
    offset += raw.length;
  }
  assert.strictEqual(offset, end, `commit-log scan ended at ${offset}, the log at ${end}`);
  return records;
}

function checkQueue(
  store: DefaultMessageStore,
  topic: string,
  queueId: number,
  logRecords: Map<number, string>,
): string[] {
  const keys: string[] = [];
  const min = store.getMinOffsetInQueue(topic, queueId);
  const max = store.getMaxOffsetInQueue(topic, queueId);
  let next = min;
  let lastPhysicalOffset = -1;
  while (next < max) {
    const got = store.getMessage('check', topic, queueId, next, 32);
    assert.strictEqual(got.status, GetMessageStatus.FOUND, `queue ${queueId} at ${next} of ${max}: ${got.status}`);
    for (const buffer of got.messageBuffers) {
      const record = decodeMessageRecord(buffer, 0).record;
      const key = keyOf(record.body.toString());
      assert.ok(
        record.topic === topic && record.queueId === queueId,
        `unit ${next} of queue ${queueId} points elsewhere`,
      );
      assert.strictEqual(
        record.queueOffset,
        next,
        `queue ${queueId}: unit ${next} holds queue offset ${record.queueOffset}`,
      );
      assert.ok(record.physicalOffset > lastPhysicalOffset, `queue ${queueId}: offsets go back at ${next}`);
      assert.strictEqual(logRecords.get(record.physicalOffset), key, `queue ${queueId} unit ${next}: no such record`);
      lastPhysicalOffset = record.physicalOffset;
      keys.push(key);
      next++;
    }
    assert.strictEqual(got.nextBeginOffset, next);
  }
  return keys;
}

function checkIndex(store: DefaultMessageStore, topic: string, sent: Map<string, Sent>, present: Set<string>): void {
  const endMs = Date.now() + 60000;
  for (const entry of sent.values()) {
    const found = store
      .queryMessage(topic, entry.key, 8, 0, endMs)
      .messageBuffers.map((buffer) => keyOf(decodeMessageRecord(buffer, 0).record.body.toString()));
    for (const key of found) assert.strictEqual(key, entry.key, `index query for ${entry.key} answered ${key}`);
    assert.strictEqual(
      found.length,
      present.has(entry.key) ? 1 : 0,
      `index query for ${entry.key}: ${found.length} records`,
    );
  }
}

/** The checkpoint the reopened store holds (and writes next), and the one on disk. */
function checkCheckpoint(store: DefaultMessageStore, config: MessageStoreConfig, maxPhyOffset: number): void {
  const held = (store as unknown as { checkpoint: StoreCheckpoint }).checkpoint;
  const onDisk = new StoreCheckpoint(path.join(config.storePathRootDir, 'checkpoint'));
  onDisk.load();
  const nowMs = Date.now();
  for (const checkpoint of [held, onDisk]) {
    for (const [name, value] of Object.entries({
      physic: checkpoint.physicMsgTimestampMs,
      logics: checkpoint.logicsMsgTimestampMs,
      index: checkpoint.indexMsgTimestampMs,
    }))
      assert.ok(value >= 0 && value <= nowMs, `checkpoint ${name} timestamp ${value} not in [0, now]`);
    // Where the next crash recovery starts must be inside the recovered log.
    assert.ok(
      checkpoint.recoveryOffset() <= maxPhyOffset,
      `checkpoint recovery offset ${checkpoint.recoveryOffset()} > log end ${maxPhyOffset}`,
    );
  }
  assert.ok(
    held.physicOffset <= maxPhyOffset,
    `checkpoint physic offset ${held.physicOffset} > log end ${maxPhyOffset}`,
  );
  assert.ok(
    held.logicsOffset <= maxPhyOffset,
    `checkpoint logics offset ${held.logicsOffset} > log end ${maxPhyOffset}`,
  );
}

export function checkRecoveredStore(
  store: DefaultMessageStore,
  config: MessageStoreConfig,
  sent: Map<string, Sent>,
  topic: string,
  queues: number,
): Verdict {
  const logRecords = scanCommitLog(store, config.mappedFileSizeCommitLog);
  const present = new Set<string>();
  for (let queueId = 0; queueId < queues; queueId++) {
    for (const key of checkQueue(store, topic, queueId, logRecords)) {
      const entry = sent.get(key);
      assert.ok(entry !== undefined, `present but never sent: ${key}`);
      assert.strictEqual(entry.queueId, queueId, `${key} in queue ${queueId}, sent to ${entry.queueId}`);
      assert.ok(!present.has(key), `${key} present twice`);
      present.add(key);
    }
  }
  assert.strictEqual(present.size, logRecords.size, 'the consume queues do not cover the commit log');
  const maxPhyOffset = store.getMaxPhyOffset();
  for (const [offset, key] of logRecords) {
    const body = store.lookMessageByOffset(offset)!;
    assert.strictEqual(
      decodeMessageRecord(body, 0).record.body.toString(),
      sent.get(key)!.body,
      `${key}: body differs`,
    );
  }
  // A prefix: an acknowledged message below the recovered end is there, none above it.
  for (const entry of sent.values()) {
    if (!entry.acknowledged) continue;
    const below = entry.physicalOffset + entry.wroteBytes <= maxPhyOffset;
    assert.strictEqual(
      present.has(entry.key),
      below,
      `${entry.key} at ${entry.physicalOffset}: present=${present.has(entry.key)}, log end ${maxPhyOffset}`,
    );
  }
  checkIndex(store, topic, sent, present);
  checkCheckpoint(store, config, maxPhyOffset);
  return { present, maxPhyOffset };
}
