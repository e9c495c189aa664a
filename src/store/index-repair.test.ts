import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeMessageRecord } from '../codec/message/message-record';
import { type DefaultMessageStore, PutMessageStatus } from './message-store';
import { message, useTempStore } from './store-test-helpers';

const FOREVER_MS = 8640000000000000;
const SLOTS = 101;
const ENTRIES = 400;
const ENTRIES_AT = 40 + SLOTS * 4;

function keyed(i: number) {
  return message('T', i % 2, `m${i}`, undefined, `UNIQ_KEY\u0001U${i}\u0002KEYS\u0001k${i} shared\u0002`);
}

function found(store: DefaultMessageStore, key: string): string[] {
  return store
    .queryMessage('T', key, 64, 0, FOREVER_MS)
    .messageBuffers.map((buffer) => decodeMessageRecord(buffer, 0).record.body.toString())
    .sort();
}

describe('message index after a crash (repaired, not deleted)', () => {
  const fx = useTempStore({
    maxHashSlotNum: SLOTS,
    maxIndexNum: ENTRIES,
    flushIntervalCommitLog: 3600000,
    flushIntervalConsumeQueue: 3600000,
  });
  const offsets: number[] = [];

  function indexFile(): string {
    const dir = path.join(fx.config().storePathRootDir, 'index');
    const names = fs.readdirSync(dir);
    expect(names).to.have.length(1);
    return path.join(dir, names[0]);
  }

  async function write(from: number, to: number): Promise<void> {
    for (let i = from; i < to; i++) {
      const result = await fx.store.putMessage(keyed(i));
      expect(result.status).to.equal(PutMessageStatus.PUT_OK);
      offsets[i] = result.appendResult!.physicalOffset;
    }
  }

  it('keeps every key after a kill, including those written after the last index flush', async () => {
    await write(0, 30);
    await fx.store.flush();
    await write(30, 60);
    const name = indexFile();
    fx.reopen('kill');
    expect(indexFile()).to.equal(name);
    expect(fx.store.recovery!.checkedFromPhysicalOffset).to.equal(offsets[30]);
    for (const i of [0, 29, 30, 59]) expect(found(fx.store, `U${i}`)).to.deep.equal([`m${i}`]);
    expect(found(fx.store, 'shared')).to.have.length(60);
    const bytes = fs.readFileSync(name);
    expect(bytes.readInt32BE(36)).to.equal(1 + 60 * 3); // no entry was indexed twice
  });

  it('cuts a torn tail (machine crash) and indexes those records again from the commit log', async () => {
    await write(0, 30);
    await fx.store.flush();
    const name = indexFile();
    const flushed = fs.readFileSync(name);
    const flushedCount = flushed.readInt32BE(36);
    await write(30, 60);
    fx.close('kill');
    // The slot table and the entries after the flush never reached the disk, except the first
    // entry of record 30 (its UNIQ_KEY; its KEYS entries are lost); the header did.
    const now = fs.readFileSync(name);
    flushed.copy(now, 40, 40, ENTRIES_AT);
    now.fill(0, ENTRIES_AT + (flushedCount + 1) * 20, ENTRIES_AT + ENTRIES * 20);
    fs.writeFileSync(name, now);
    fx.open();
    for (const i of [0, 29, 30, 45, 59]) expect(found(fx.store, `U${i}`)).to.deep.equal([`m${i}`]);
    expect(found(fx.store, 'k30')).to.deep.equal(['m30']);
    expect(found(fx.store, 'shared')).to.have.length(60);
    expect(fs.readFileSync(name).readInt32BE(36)).to.equal(1 + 60 * 3);
  });

  it('removes entries of records the commit-log recovery cut off', async () => {
    await write(0, 30);
    await fx.store.flush();
    await write(30, 40);
    fx.close('kill');
    const segment = path.join(fx.config().storePathCommitLog, '00000000000000000000');
    const fd = fs.openSync(segment, 'r+');
    fs.writeSync(fd, Buffer.alloc(8), 0, 8, offsets[35]); // record 35 torn: 35..39 are gone
    fs.closeSync(fd);
    fx.open();
    expect(fx.store.getMaxPhyOffset()).to.equal(offsets[35]);
    expect(found(fx.store, 'U34')).to.deep.equal(['m34']);
    expect(found(fx.store, 'U35')).to.deep.equal([]);
    expect(found(fx.store, 'shared')).to.have.length(35);
    const bytes = fs.readFileSync(indexFile());
    expect(Number(bytes.readBigInt64BE(24))).to.equal(offsets[34]); // ENDPHYOFFSET
    await write(35, 37); // new records take the freed offsets and are indexed normally
    expect(found(fx.store, 'U36')).to.deep.equal(['m36']);
    expect(found(fx.store, 'shared')).to.have.length(37);
  });
});
