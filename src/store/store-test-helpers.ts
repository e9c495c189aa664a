// Shared helpers for the store tests (not a test file itself).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { javaStringHashCode } from '../codec/java-hash';
import { parseHostAddress } from '../codec/message/host-address';
import type { MessageToStore } from './dispatch-request';
import { type MessageStoreConfig, defaultMessageStoreConfig } from './message-store-config';
import { DefaultMessageStore } from './message-store';

export const BORN_HOST = parseHostAddress('10.0.0.1:50000')!;
export const STORE_HOST = parseHostAddress('10.0.0.2:10911')!;

/** How many mappings of `filePath` this process holds now (/proc/self/maps). */
export function mappingsOf(filePath: string): number {
  return fs
    .readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((line) => line.endsWith(filePath)).length;
}

/** Lets two turns of the event loop pass (a released mapping is unmapped at the next turn). */
export async function twoTurns(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}

export function tempStoreHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-store-'));
}

/** Small files so that tests cross segment boundaries quickly. */
export function testConfig(home: string, overrides: Partial<MessageStoreConfig> = {}): MessageStoreConfig {
  return {
    ...defaultMessageStoreConfig(home),
    mappedFileSizeCommitLog: 64 * 1024,
    mappedFileSizeConsumeQueue: 100 * 20,
    maxMessageSize: 32 * 1024,
    flushIntervalCommitLog: 50,
    flushIntervalConsumeQueue: 50,
    // Expired-file deletion only when a test asks for it.
    deleteWhen: '99',
    maxHashSlotNum: 1000,
    maxIndexNum: 4000,
    diskMaxUsedSpaceRatio: 100,
    // Every periodic pass flushes every queue with new units (Java's 2 pages are tested on their own).
    flushConsumeQueueLeastPages: 0,
    ...overrides,
  };
}

export function message(
  topic: string,
  queueId: number,
  body: string | Buffer,
  tags?: string,
  extraProperties = '',
): MessageToStore {
  const properties = (tags === undefined ? '' : `TAGS\u0001${tags}\u0002`) + extraProperties;
  return {
    topic,
    queueId,
    flag: 0,
    body: typeof body === 'string' ? Buffer.from(body) : body,
    propertiesString: properties,
    tagsCode: tags === undefined ? 0 : javaStringHashCode(tags),
    sysFlag: 0,
    bornTimestampMs: 1600000000000,
    bornHost: BORN_HOST,
    storeHost: STORE_HOST,
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  };
}

export function openStore(config: MessageStoreConfig): DefaultMessageStore {
  const store = new DefaultMessageStore(config);
  if (!store.load()) throw new Error('store failed to load');
  store.start();
  return store;
}

/** A fresh store per test (mocha beforeEach / afterEach), in a temporary folder removed after. */
export interface TempStore {
  /** The open store; throws between `close` and `open`. */
  readonly store: DefaultMessageStore;
  readonly home: string;
  config(): MessageStoreConfig;
  /** Closes the store cleanly, or as a SIGKILL would (`haltWithoutCleanup`); files stay. */
  close(how: 'clean' | 'kill'): void;
  /** Opens (load + start) the store again on the same folder, after `close`. */
  open(): DefaultMessageStore;
  /** `close(how)` then `open()`. */
  reopen(how: 'clean' | 'kill'): void;
}

export function useTempStore(overrides: Partial<MessageStoreConfig> = {}): TempStore {
  let home = '';
  let store: DefaultMessageStore | undefined;
  const fixture: TempStore = {
    get store(): DefaultMessageStore {
      if (store === undefined) throw new Error('no open store (outside a test, or closed)');
      return store;
    },
    get home(): string {
      return home;
    },
    config: () => testConfig(home, overrides),
    close(how) {
      const closing = fixture.store;
      store = undefined;
      if (how === 'clean') closing.shutdown();
      else closing.haltWithoutCleanup();
    },
    open() {
      if (store !== undefined) throw new Error('store already open');
      store = openStore(fixture.config());
      return store;
    },
    reopen(how) {
      fixture.close(how);
      fixture.open();
    },
  };
  beforeEach(() => {
    home = tempStoreHome();
    store = openStore(fixture.config());
  });
  afterEach(() => {
    // A test may leave the store closed (between `close` and `open`).
    store?.shutdown();
    store = undefined;
    fs.rmSync(home, { recursive: true, force: true });
  });
  return fixture;
}
