// The power-loss layer's own model: what was fdatasynced comes back, with its length; nothing else.
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PowerLossFs } from './power-loss-fs';

describe('PowerLossFs', () => {
  let dir = '';
  let layer: PowerLossFs;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'power-loss-fs-')));
    layer = new PowerLossFs(dir);
  });
  afterEach(() => {
    layer.disarm();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function writeAt(fd: number, text: string, position: number): void {
    fs.writeSync(fd, Buffer.from(text), 0, text.length, position);
  }

  it('restores each file to its last fdatasynced content and length, and deletes files never synced', async () => {
    const kept = path.join(dir, 'kept');
    fs.writeFileSync(kept, 'before-arm');
    layer.arm();
    const fd = fs.openSync(kept, 'r+');
    writeAt(fd, 'SYNCED', 0);
    fs.fdatasyncSync(fd);
    writeAt(fd, 'lost', 2);
    fs.ftruncateSync(fd, 64); // a length change, never synced
    fs.closeSync(fd);
    const synced = path.join(dir, 'sub', 'synced-async');
    fs.mkdirSync(path.dirname(synced));
    const fd2 = fs.openSync(synced, 'w+');
    writeAt(fd2, 'async', 0);
    await new Promise<void>((resolve, reject) => fs.fdatasync(fd2, (e) => (e ? reject(e) : resolve())));
    fs.closeSync(fd2);
    fs.writeFileSync(path.join(dir, 'never-synced'), 'gone');
    layer.cutPower();
    await layer.quiesce(20);
    const report = layer.restore();
    expect(fs.readFileSync(kept, 'utf8')).to.equal('SYNCED-arm');
    expect(fs.readFileSync(synced, 'utf8')).to.equal('async');
    expect(fs.existsSync(path.join(dir, 'never-synced'))).to.equal(false);
    expect(report).to.deep.equal({ filesRestored: 1, filesDeleted: 1, bytesDiscarded: 4 + 54 + 4 });
  });

  it('does not count a sync that completes after the cut, and keeps deletions', async () => {
    const file = path.join(dir, 'late');
    fs.writeFileSync(file, 'old');
    fs.writeFileSync(path.join(dir, 'removed'), 'x');
    layer.arm();
    fs.rmSync(path.join(dir, 'removed'));
    const fd = fs.openSync(file, 'r+');
    writeAt(fd, 'new', 0);
    const late = new Promise<void>((resolve) => fs.fdatasync(fd, () => resolve()));
    layer.cutPower(); // before the callback runs
    await late;
    fs.closeSync(fd);
    await layer.quiesce(20);
    layer.restore();
    expect(fs.readFileSync(file, 'utf8')).to.equal('old');
    expect(fs.existsSync(path.join(dir, 'removed'))).to.equal(false);
  });
});
