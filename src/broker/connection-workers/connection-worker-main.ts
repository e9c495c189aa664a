// A connection worker thread (ConnectionWorkerPool starts them): it listens on the servers' shared
// sockets, owns the connections it accepts — socket reads and writes, framing, idle time-outs, the
// write-buffer limit — and encodes plain sends (send-encoding.ts) before they reach the main
// thread, which stays the one ordered writer. Every other frame goes to the main thread as it was
// read; what the main thread writes comes back as WRITE events, and pull answers by reference as
// WRITE_LOG events whose records are read here (worker-writes.ts, log-run-reader.ts). Events travel
// one transferred buffer per turn each way (connection-event-format.ts), a connection's in the order
// they happened.
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { FrameDecoder } from '../../codec/frame-decoder';
import { type HostAddress, parseHostAddress } from '../../codec/message/host-address';
import { RequestCode } from '../../codec/request-code';
import { peekRequestCode } from '../../codec/request-code-peek';
import { ENTRY_BYTES, writeAnswerEntry } from '../send-workers/send-answer-format';
import { BATCH_MAX_ENTRIES, RECORD_SLACK_BYTES } from '../send-workers/send-batch-format';
import { encodeSendFrame, type SendWorkerInit } from '../send-workers/send-encoding';
import {
  EventKind,
  PEAK_REPORT_STEP_BYTES,
  EventWriter,
  forEachEvent,
  type MainEvents,
  type WorkerEvents,
  workerEventsBytes,
} from './connection-event-format';
import { HotTailReader, type SharedHotTail } from '../../store/hot-tail';
import { LogRunReader } from './log-run-reader';
import { WorkerWrites } from './worker-writes';

export interface ConnectionWorkerInit {
  /** the shared listen sockets, by server index */
  fds: number[];
  idleTimeoutMs: number;
  frameMaxBytes: number;
  /** serverMaxPendingWriteBytes; 0 = none */
  maxPendingWriteBytes: number;
  /** false (aclEnable): sends go to the main thread as frames, for its hook to read */
  encodeSends: boolean;
  brokerClusterName: string;
  maxMessageSize: number;
  mappedFileSizeCommitLog: number;
  storeHost: { address: number[]; port: number };
  /** Present when pull bodies are read here (WRITE_LOG events). */
  pullBodies?: PullBodySources;
}

/** Where a connection worker reads pull bodies from. */
export interface PullBodySources {
  /** the commit log's folder */
  storePathCommitLog: string;
  /** the log's newest bytes, shared by the main thread */
  hotTail: SharedHotTail;
}

/** Room for one turn's encoded sends; a turn with more posts early. */
const RECORDS_BYTES = 8 * 1024 * 1024;
/** A turn's events past this many bytes are posted early. */
const EVENTS_MAX_BYTES = 8 * 1024 * 1024;
/**
 * Bytes posted to the main thread and not processed there yet, past which every socket's reads
 * pause (until half of them are): a main thread that falls behind stops the reading, as it does
 * when it owns the sockets, instead of queueing without bound.
 */
const MAX_UNPROCESSED_BYTES = 64 * 1024 * 1024;

interface WorkerConnection {
  id: number;
  server: number;
  socket: net.Socket;
  decoder: FrameDecoder;
  bornHost: HostAddress | null;
  closed: boolean;
  /** the most unsent bytes its socket held, and the last of it told to the main thread */
  peakPendingWriteBytes: number;
  reportedPeakBytes: number;
}

const init = workerData as ConnectionWorkerInit;
const sendInit: SendWorkerInit = {
  brokerClusterName: init.brokerClusterName,
  maxMessageSize: init.maxMessageSize,
  mappedFileSizeCommitLog: init.mappedFileSizeCommitLog,
  storeHost: { address: Buffer.from(init.storeHost.address), port: init.storeHost.port },
};
const connections = new Map<number, WorkerConnection>();
let nextId = 1;
const out = new EventWriter();
const records = Buffer.allocUnsafeSlow(RECORDS_BYTES);
let recordsAt = 0;
const slots = Buffer.allocUnsafeSlow(BATCH_MAX_ENTRIES * ENTRY_BYTES);
let slotCount = 0;
let flushScheduled = false;
let postedBytes = 0;
let processedBytes = 0;
let readsPaused = false;
const writes = new WorkerWrites<WorkerConnection>(
  init.maxPendingWriteBytes,
  init.pullBodies === undefined
    ? undefined
    : new LogRunReader(
        init.pullBodies.storePathCommitLog,
        init.mappedFileSizeCommitLog,
        new HotTailReader(init.pullBodies.hotTail),
      ),
  {
    close: (connection, reason) => close(connection, reason, true),
    notePeak: (connection, pendingBytes) => notePeak(connection, pendingBytes),
  },
);

function schedule(): void {
  if (out.bytes >= EVENTS_MAX_BYTES) flush();
  else if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}

function flush(): void {
  flushScheduled = false;
  if (out.count === 0) return;
  const { count, events } = out.take();
  const message: WorkerEvents = {
    count,
    events,
    records: copyOut(records, recordsAt),
    slots: copyOut(slots, slotCount * ENTRY_BYTES),
  };
  recordsAt = 0;
  slotCount = 0;
  postedBytes += workerEventsBytes(message);
  parentPort!.postMessage(message, [message.events, message.records, message.slots]);
  if (!readsPaused && postedBytes - processedBytes > MAX_UNPROCESSED_BYTES) {
    readsPaused = true;
    for (const connection of connections.values()) connection.socket.pause();
  }
}

/** The main thread has processed `bytes` of what was posted: reads resume once half is left. */
function processed(bytes: number): void {
  processedBytes = bytes;
  if (!readsPaused || postedBytes - processedBytes > MAX_UNPROCESSED_BYTES / 2) return;
  readsPaused = false;
  for (const connection of connections.values()) {
    if (!connection.socket.writableNeedDrain) connection.socket.resume();
  }
}

function copyOut(source: Buffer, lengthBytes: number): ArrayBuffer {
  const target = new ArrayBuffer(lengthBytes);
  source.copy(Buffer.from(target), 0, 0, lengthBytes);
  return target;
}

function open(socket: net.Socket, server: number): void {
  const id = nextId;
  nextId = nextId >= 0xffff_fffe ? 1 : nextId + 1;
  const remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
  const connection: WorkerConnection = {
    id,
    server,
    socket,
    decoder: new FrameDecoder(init.frameMaxBytes),
    bornHost: parseHostAddress(remoteAddress),
    closed: false,
    peakPendingWriteBytes: 0,
    reportedPeakBytes: 0,
  };
  connections.set(id, connection);
  const peer = [socket.remoteAddress ?? '?', socket.remotePort ?? 0, socket.localAddress ?? '?', socket.localPort ?? 0];
  out.add(EventKind.OPEN, server, id, Buffer.from(JSON.stringify(peer)));
  schedule();
  socket.setNoDelay(true);
  socket.setTimeout(init.idleTimeoutMs, () => close(connection, `idle for ${init.idleTimeoutMs} ms`, true));
  socket.on('data', (chunk: Buffer) => onData(connection, chunk));
  socket.on('drain', () => {
    if (!readsPaused) socket.resume();
  });
  if (readsPaused) socket.pause();
  socket.on('error', (error) => close(connection, error.message, true));
  socket.on('close', () => close(connection, '', true));
}

function close(connection: WorkerConnection, reason: string, tellMain: boolean): void {
  if (connection.closed) return;
  connection.closed = true;
  connections.delete(connection.id);
  connection.socket.destroy();
  if (!tellMain) return;
  const closed = JSON.stringify([reason, connection.peakPendingWriteBytes]);
  out.add(EventKind.CLOSED, connection.server, connection.id, Buffer.from(closed));
  schedule();
}

function onData(connection: WorkerConnection, chunk: Buffer): void {
  let frames: Buffer[];
  try {
    frames = connection.decoder.push(chunk);
  } catch (error) {
    close(connection, (error as Error).message, true);
    return;
  }
  for (const frame of frames) {
    if (!(init.encodeSends && encodeSend(connection, frame)))
      out.add(EventKind.FRAME, connection.server, connection.id, frame);
  }
  schedule();
}

/** True when `frame` was a plain send, now encoded into the turn's records and slots. */
function encodeSend(connection: WorkerConnection, frame: Buffer): boolean {
  const code = peekRequestCode(frame);
  if (code !== RequestCode.SEND_MESSAGE_V2 && code !== RequestCode.SEND_MESSAGE) return false;
  if (connection.bornHost === null) return false;
  const roomBytes = frame.length + RECORD_SLACK_BYTES + init.brokerClusterName.length * 4 + 1024;
  if (roomBytes > RECORDS_BYTES) return false;
  if (recordsAt + roomBytes > RECORDS_BYTES || slotCount === BATCH_MAX_ENTRIES) flush();
  try {
    const encoded = encodeSendFrame(frame, connection.bornHost, sendInit, records, recordsAt);
    if (encoded === null) return false;
    const defaultTopicOffset = recordsAt + encoded.recordSizeBytes;
    const defaultTopicLength = Buffer.byteLength(encoded.header.defaultTopic, 'utf8');
    if (defaultTopicOffset + defaultTopicLength > records.length) return false;
    records.write(encoded.header.defaultTopic, defaultTopicOffset, 'utf8');
    writeAnswerEntry(slots, slotCount, encoded, recordsAt, defaultTopicOffset, defaultTopicLength);
    slotCount++;
    recordsAt = defaultTopicOffset + defaultTopicLength;
  } catch {
    return false; // the main thread decodes it and answers whatever is wrong with it
  }
  out.add(EventKind.SEND, connection.server, connection.id);
  return true;
}

/** A new peak of unsent bytes; the main thread's Connection is told in steps (PEAK_REPORT_STEP_BYTES). */
function notePeak(connection: WorkerConnection, pendingBytes: number): void {
  connection.peakPendingWriteBytes = pendingBytes;
  if (pendingBytes - connection.reportedPeakBytes < PEAK_REPORT_STEP_BYTES) return;
  connection.reportedPeakBytes = pendingBytes;
  const peak = Buffer.allocUnsafe(4);
  peak.writeUInt32BE(pendingBytes, 0);
  out.add(EventKind.PEAK, connection.server, connection.id, peak);
  schedule();
}

parentPort!.on('message', (message: MainEvents) => {
  processed(message.processedBytes);
  forEachEvent(message.events, message.count, (kind, _server, id, bytes) => {
    const connection = connections.get(id);
    if (connection === undefined) return; // closed here first; its CLOSED is on its way
    if (kind === EventKind.WRITE) writes.write(connection, bytes);
    else if (kind === EventKind.WRITE_LOG) writes.writeLog(connection, bytes);
    else if (kind === EventKind.CLOSE) close(connection, '', false);
  });
  writes.endTurn();
});

let listening = 0;
init.fds.forEach((fd, server) => {
  net
    .createServer((socket) => open(socket, server))
    .listen({ fd }, () => {
      if (++listening === init.fds.length) parentPort!.postMessage('listening');
    });
});
