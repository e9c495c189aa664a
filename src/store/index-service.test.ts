import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { javaStringHashCode } from '../codec/java-hash';
import { decodeMessageRecord } from '../codec/message/message-record';
import { MessageSysFlag } from '../codec/message/message-sys-flag';
import { indexKeyHash } from './index-file';
import type { DefaultMessageStore } from './message-store';
import type { MessageStoreConfig } from './message-store-config';
import { message, openStore, tempStoreHome, testConfig } from './store-test-helpers';

const FOREVER_MS = 8640000000000000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function bodies(buffers: Buffer[]): string[] {
  return buffers.map((buffer) => decodeMessageRecord(buffer, 0).record.body.toString());
}

function keyed(topic: string, body: string, uniqKey: string, keys?: string) {
  const extra = `UNIQ_KEY\u0001${uniqKey}\u0002${keys === undefined ? '' : `KEYS\u0001${keys}\u0002`}`;
  return message(topic, 0, body, undefined, extra);
}

describe('message index (QUERY_MESSAGE)', () => {
  let home: string;
  let config: MessageStoreConfig;
  let store: DefaultMessageStore;

  beforeEach(() => {
    home = tempStoreHome();
    config = testConfig(home, { maxHashSlotNum: 7, maxIndexNum: 25 });
    store = openStore(config);
  });
  afterEach(() => {
    store.shutdown();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('finds records by UNIQ_KEY and by each KEYS token, per topic', async () => {
    await store.putMessage(keyed('T', 'one', 'U1', 'order-1 customer-9'));
    await store.putMessage(keyed('T', 'two', 'U2', 'order-2 customer-9'));
    const last = await store.putMessage(keyed('Other', 'three', 'U3', 'customer-9'));
    await sleep(5);
    expect(bodies(store.queryMessage('T', 'U2', 32, 0, FOREVER_MS).messageBuffers)).to.deep.equal(['two']);
    expect(bodies(store.queryMessage('T', 'order-1', 32, 0, FOREVER_MS).messageBuffers)).to.deep.equal(['one']);
    const both = store.queryMessage('T', 'customer-9', 32, 0, FOREVER_MS);
    expect(bodies(both.messageBuffers)).to.deep.equal(['one', 'two']);
    expect(both.indexLastUpdatePhyoffset).to.equal(last.appendResult!.physicalOffset);
    expect(both.indexLastUpdateTimestamp).to.equal(last.appendResult!.storeTimestampMs);
    expect(bodies(store.queryMessage('Other', 'customer-9', 32, 0, FOREVER_MS).messageBuffers)).to.deep.equal([
      'three',
    ]);
    expect(store.queryMessage('T', 'nope', 32, 0, FOREVER_MS).messageBuffers).to.deep.equal([]);
    expect(store.queryMessage('T', 'U1', 32, FOREVER_MS - 1, FOREVER_MS).messageBuffers).to.deep.equal([]);
  });

  it('indexes PREPARED records but not ROLLBACK ones', async () => {
    const prepared = {
      ...keyed('T', 'half', 'UP'),
      sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE,
    };
    const rollback = {
      ...keyed('T', 'gone', 'UR'),
      sysFlag: MessageSysFlag.TRANSACTION_ROLLBACK_TYPE,
    };
    await store.putMessage(prepared);
    await store.putMessage(rollback);
    await sleep(5);
    expect(bodies(store.queryMessage('T', 'UP', 32, 0, FOREVER_MS).messageBuffers)).to.deep.equal(['half']);
    expect(store.queryMessage('T', 'UR', 32, 0, FOREVER_MS).messageBuffers).to.deep.equal([]);
  });

  it('writes Java IndexFile bytes: header, slot, chained entries', async () => {
    const first = await store.putMessage(keyed('T', 'a', 'K'));
    const second = await store.putMessage(keyed('T', 'b', 'K'));
    await sleep(5);
    store.shutdown();
    const dir = path.join(config.storePathRootDir, 'index');
    const [name] = fs.readdirSync(dir);
    expect(name).to.match(/^\d{17}$/);
    const bytes = fs.readFileSync(path.join(dir, name));
    expect(bytes.length).to.equal(40 + 7 * 4 + 25 * 20);
    expect(Number(bytes.readBigInt64BE(0))).to.equal(first.appendResult!.storeTimestampMs);
    expect(Number(bytes.readBigInt64BE(16))).to.equal(first.appendResult!.physicalOffset);
    expect(Number(bytes.readBigInt64BE(24))).to.equal(second.appendResult!.physicalOffset);
    expect(bytes.readInt32BE(32)).to.equal(1); // one bucket used
    expect(bytes.readInt32BE(36)).to.equal(3); // next entry number
    const keyHash = indexKeyHash('T#K');
    expect(keyHash).to.equal(Math.abs(javaStringHashCode('T#K')));
    expect(bytes.readInt32BE(40 + (keyHash % 7) * 4)).to.equal(2);
    const entry = (n: number) => 40 + 7 * 4 + n * 20;
    expect(bytes.readInt32BE(entry(2))).to.equal(keyHash);
    expect(Number(bytes.readBigInt64BE(entry(2) + 4))).to.equal(second.appendResult!.physicalOffset);
    expect(bytes.readInt32BE(entry(2) + 16)).to.equal(1);
    expect(bytes.readInt32BE(entry(1) + 16)).to.equal(0);
    store = openStore(config);
  });

  it('rolls to new index files and searches them newest first', async () => {
    for (let i = 0; i < 60; i++) await store.putMessage(keyed('T', `m${i}`, `U${i}`, 'common'));
    await sleep(5);
    const files = fs.readdirSync(path.join(config.storePathRootDir, 'index'));
    expect(files.length).to.be.at.least(5);
    expect(bodies(store.queryMessage('T', 'U3', 32, 0, FOREVER_MS).messageBuffers)).to.deep.equal(['m3']);
    expect(bodies(store.queryMessage('T', 'U59', 32, 0, FOREVER_MS).messageBuffers)).to.deep.equal(['m59']);
    expect(store.queryMessage('T', 'common', 5, 0, FOREVER_MS).messageBuffers).to.have.length(5);
  });

  it('keeps the index across a clean restart and rebuilds it after a crash', async () => {
    for (let i = 0; i < 10; i++) await store.putMessage(keyed('T', `m${i}`, `U${i}`));
    await sleep(5);
    store.shutdown();
    store = openStore(config);
    expect(bodies(store.queryMessage('T', 'U4', 32, 0, FOREVER_MS).messageBuffers)).to.deep.equal(['m4']);
    for (let i = 10; i < 20; i++) await store.putMessage(keyed('T', `m${i}`, `U${i}`));
    await sleep(5);
    store.haltWithoutCleanup();
    store = openStore(config);
    expect(bodies(store.queryMessage('T', 'U15', 32, 0, FOREVER_MS).messageBuffers)).to.deep.equal(['m15']);
    expect(bodies(store.queryMessage('T', 'U2', 32, 0, FOREVER_MS).messageBuffers)).to.deep.equal(['m2']);
    expect(store.queryMessage('T', 'U15', 32, 0, FOREVER_MS).messageBuffers).to.have.length(1);
  });
});
