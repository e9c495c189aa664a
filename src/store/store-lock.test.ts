import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DefaultMessageStore, StoreLockedError } from './message-store';
import { StoreLock, findLockHolder } from './store-lock';
import { openStore, tempStoreHome, testConfig } from './store-test-helpers';

describe('store lock (one broker per store directory)', () => {
  let home: string;
  let root: string;

  beforeEach(() => {
    home = tempStoreHome();
    root = path.join(home, 'store');
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('refuses a second store on the same directory until the first shuts down', () => {
    const config = testConfig(home);
    const first = openStore(config);
    expect(fs.readFileSync(path.join(root, 'lock'), 'utf8')).to.equal('lock');
    expect(fs.readFileSync(path.join(root, 'lock.owner'), 'utf8')).to.match(new RegExp(`^${process.pid} \\d+\\n$`));
    const second = new DefaultMessageStore(config);
    expect(() => second.load()).to.throw(StoreLockedError, /Lock failed, MQ already started.*process \d+/);
    first.shutdown();
    expect(fs.existsSync(path.join(root, 'lock.owner'))).to.equal(false);
    const third = openStore(config);
    third.shutdown();
  });

  it('takes over the owner file of a process that is gone (a killed broker)', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(gone.stdout.toString());
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'lock.owner'), `${deadPid} 12345\n`);
    const lock = new StoreLock(root);
    lock.acquire();
    expect(lock.held).to.equal(true);
    expect(fs.readFileSync(path.join(root, 'lock.owner'), 'utf8')).to.match(new RegExp(`^${process.pid} `));
    expect(fs.readdirSync(root).filter((name) => name.includes('stale'))).to.deep.equal([]);
    lock.release();
  });

  it('does not trust a recycled pid: same pid, other start time', () => {
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'lock.owner'), `${process.pid} 1\n`);
    const lock = new StoreLock(root);
    lock.acquire();
    lock.release();
  });

  /** A fresh `lock` file and its id as /proc/locks writes it (major:minor:inode, hex device numbers). */
  function lockFile(): { lockPath: string; fileId: string; ino: bigint } {
    fs.mkdirSync(root, { recursive: true });
    const lockPath = path.join(root, 'lock');
    fs.writeFileSync(lockPath, 'lock');
    const stat = fs.statSync(lockPath, { bigint: true });
    const major = ((stat.dev >> 8n) & 0xfffn).toString(16).padStart(2, '0');
    const minor = (stat.dev & 0xffn).toString(16).padStart(2, '0');
    return { lockPath, fileId: `${major}:${minor}:${stat.ino}`, ino: stat.ino };
  }

  it('sees a Java broker through its fcntl lock in /proc/locks', () => {
    const { lockPath, fileId, ino } = lockFile();
    const locks = [
      `1: POSIX  ADVISORY  WRITE 4242 00:99:${ino} 0 0`,
      `2: POSIX  ADVISORY  WRITE 4343 ${fileId} 0 0`,
      `3: FLOCK  ADVISORY  WRITE ${process.pid} ${fileId} 0 EOF`,
    ].join('\n');
    expect(findLockHolder(lockPath, locks)).to.equal(4343);
    expect(findLockHolder(lockPath, locks.split('\n')[0])).to.equal(null);
  });

  it('refuses to start while another process holds an fcntl lock on `lock` (when python3 is there)', function () {
    const probe = spawnSync('python3', ['-c', 'import fcntl']);
    if (probe.status !== 0) this.skip();
    fs.mkdirSync(root, { recursive: true });
    const lockPath = path.join(root, 'lock');
    fs.writeFileSync(lockPath, 'lock');
    // The same call Java's FileChannel.tryLock(0, 1, false) makes: F_SETLK, write lock on byte 0.
    const script =
      `import fcntl,sys,time\nf=open(sys.argv[1],'r+')\n` +
      `fcntl.lockf(f,fcntl.LOCK_EX|fcntl.LOCK_NB,1,0)\nprint('locked',flush=True)\ntime.sleep(5)`;
    const holder = spawn('python3', ['-c', script, lockPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    return new Promise<void>((resolve, reject) => {
      holder.stdout.once('data', () => {
        try {
          expect(() => new StoreLock(root).acquire()).to.throw(StoreLockedError, `locked by process ${holder.pid}`);
          resolve();
        } catch (error) {
          reject(error);
        } finally {
          holder.kill('SIGKILL');
        }
      });
    });
  });
});
