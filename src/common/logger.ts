// Logs where RocketMQ operators look for them: ~/logs/rocketmqlogs/<name>.log, one file per Java
// logger category (broker, store, remoting, stats, transaction, namesrv; ROCKETMQ_LOG_DIR overrides
// the folder; tests point it at a temp dir). Each file rolls by size (ROCKETMQ_LOG_MAX_FILE_BYTES,
// 128 MB; ROCKETMQ_LOG_MAX_FILES parts, 20) and by day into otherdays/ (log-roll.ts,
// ROCKETMQ_LOG_MAX_DAYS, 7); <name>.log is always the live file. One line per event in
// the Java pattern `yyyy-MM-dd HH:mm:ss,SSS LEVEL thread - message`. A process started in the
// foreground also logs to the console (enableConsoleLogging: mqnamesrv and `npm start` always,
// mqbroker when stdout is a terminal or ROCKETMQ_LOG_STDOUT=true, as the container image sets).
//
// winston (and its ~100 modules) loads WINSTON_LOAD_DELAY_MS after the first line, not at start-up:
// until then lines wait in memory with the time they were logged (at most MAX_PENDING_LINES, then
// winston loads at once), a foreground process prints them on the console straight away, and a
// process that exits first appends them to their files synchronously.
import fs from 'node:fs';
import path from 'node:path';
import type winston from 'winston';
import { countLineBytes, type LogFileState, logDirectory, rollDay, startLogFile } from './log-files';

export { logDirectory } from './log-files';

/** Java's logger categories, one file each: broker.log, store.log, remoting.log, stats.log, transaction.log, namesrv.log. */
export type LoggerName = 'namesrv' | 'broker' | 'store' | 'remoting' | 'stats' | 'transaction';

/** What the code logs with: winston's Logger fits, and so does a silent stand-in in tests. */
export interface Logger {
  error(message: string): unknown;
  warn(message: string): unknown;
  info(message: string): unknown;
  debug(message: string): unknown;
}

type Level = 'error' | 'warn' | 'info' | 'debug';
const LEVEL_RANK: Record<Level, number> = { error: 0, warn: 1, info: 2, debug: 3 };
const WINSTON_LOAD_DELAY_MS = 1000;
const MAX_PENDING_LINES = 2000;
interface PendingLine {
  name: LoggerName;
  level: Level;
  message: string;
  atMs: number;
}

const loggers = new Map<LoggerName, DeferredLogger>();
let pending: PendingLine[] = [];
let winstonModule: typeof winston | null = null;
let loadTimer: NodeJS.Timeout | undefined;
let consoleEnabled = false;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function javaTimestamp(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`
  );
}

function formatLine(level: string, message: string, atMs: number): string {
  return `${javaTimestamp(new Date(atMs))} ${level.toUpperCase()} main - ${message}`;
}

function enabledRank(): number {
  return LEVEL_RANK[(process.env.ROCKETMQ_LOG_LEVEL ?? 'info') as Level] ?? LEVEL_RANK.info;
}

class DeferredLogger implements Logger, LogFileState {
  w: typeof winston | null = null;
  target: winston.Logger | null = null;
  fileTransport: winston.transport | null = null;
  fileStream: fs.WriteStream | null = null;
  day = '';
  rollAtMs = 0;
  bytesInFile = 0;

  constructor(readonly name: LoggerName) {}

  error(message: string): void {
    this.write('error', message);
  }
  warn(message: string): void {
    this.write('warn', message);
  }
  info(message: string): void {
    this.write('info', message);
  }
  debug(message: string): void {
    this.write('debug', message);
  }

  private write(level: Level, message: string): void {
    if (this.target !== null) {
      if (Date.now() >= this.rollAtMs) rollDay(this);
      if (LEVEL_RANK[level] > enabledRank()) return;
      countLineBytes(this, message);
      this.target.log(level, message);
      return;
    }
    if (LEVEL_RANK[level] > enabledRank()) return;
    const atMs = Date.now();
    if (consoleEnabled) process.stdout.write(`${formatLine(level, message, atMs)}\n`);
    pending.push({ name: this.name, level, message, atMs });
    if (pending.length >= MAX_PENDING_LINES) loadWinston();
    else loadTimer ??= setTimeout(loadWinston, WINSTON_LOAD_DELAY_MS).unref();
  }
}

function lineFormat(w: typeof winston): winston.Logform.Format {
  return w.format.printf((info) =>
    formatLine(String(info.level), String(info.message), typeof info.atMs === 'number' ? info.atMs : Date.now()),
  );
}

/** The console transport skips lines printed while winston was not loaded yet. */
function consoleTransport(w: typeof winston): winston.transport {
  const notPrinted = w.format((info) => (info.consoleDone === true ? false : info));
  return new w.transports.Console({ format: w.format.combine(notPrinted(), lineFormat(w)) });
}

function createWinstonLogger(w: typeof winston, logger: DeferredLogger): winston.Logger {
  const transports: winston.transport[] = [startLogFile(w, logger)];
  if (consoleEnabled) transports.push(consoleTransport(w));
  return w.createLogger({ level: process.env.ROCKETMQ_LOG_LEVEL ?? 'info', format: lineFormat(w), transports });
}

/** Loads winston, gives every logger its transports and hands it the waiting lines. */
function loadWinston(): void {
  if (loadTimer !== undefined) clearTimeout(loadTimer);
  loadTimer = undefined;
  winstonModule ??= require('winston') as typeof winston;
  for (const logger of loggers.values()) logger.target ??= createWinstonLogger(winstonModule, logger);
  const lines = pending;
  pending = [];
  for (const line of lines) {
    // the console already has them
    const logger = loggers.get(line.name);
    if (logger?.target == null) continue;
    countLineBytes(logger, line.message);
    logger.target.log({ level: line.level, message: line.message, atMs: line.atMs, consoleDone: true });
  }
}

/** Lines not yet handed to winston, appended synchronously (a process exiting before the load). */
function flushPendingSync(): void {
  if (pending.length === 0) return;
  const byFile = new Map<string, string>();
  for (const line of pending) {
    const file = path.join(logDirectory(), `${line.name}.log`);
    byFile.set(file, `${byFile.get(file) ?? ''}${formatLine(line.level, line.message, line.atMs)}\n`);
  }
  pending = [];
  try {
    fs.mkdirSync(logDirectory(), { recursive: true });
    for (const [file, text] of byFile) fs.appendFileSync(file, text);
  } catch {
    // nowhere left to report it
  }
}
process.on('exit', flushPendingSync);

/** Sends every logger's lines to the console too (for `mqbroker` / `mqnamesrv` in the foreground). */
export function enableConsoleLogging(): void {
  consoleEnabled = true;
  if (winstonModule === null) return;
  for (const logger of loggers.values()) logger.target?.add(consoleTransport(winstonModule));
}

export function getLogger(name: LoggerName): Logger {
  let logger = loggers.get(name);
  if (logger === undefined) {
    logger = new DeferredLogger(name);
    if (winstonModule !== null) logger.target = createWinstonLogger(winstonModule, logger);
    loggers.set(name, logger);
  }
  return logger;
}

/** Flushes and closes every logger (at shutdown, so the last lines reach the files). */
const DRAIN_WAIT_MS = 3000;

/** Lines still inside winston: its own buffers and those of its transports. */
function bufferedLines(target: winston.Logger): number {
  let count = target.readableLength + target.writableLength;
  for (const transport of target.transports) count += transport.writableLength;
  return count;
}

/**
 * Waits (at most DRAIN_WAIT_MS) until winston handed every line to its transports: winston's end()
 * ends the transports while lines still wait in the logger ('write after end', lines lost).
 */
async function drain(target: winston.Logger): Promise<void> {
  const deadlineMs = Date.now() + DRAIN_WAIT_MS;
  while (bufferedLines(target) > 0 && Date.now() < deadlineMs) await new Promise((resolve) => setTimeout(resolve, 10));
}

export async function closeLoggers(): Promise<void> {
  if (pending.length > 0) loadWinston();
  const closing = [...loggers.values()].map(async (logger) => {
    const target = logger.target;
    if (target === null) return;
    await drain(target);
    await new Promise<void>((resolve) => {
      target.on('finish', () => resolve());
      target.end();
      setTimeout(resolve, 500).unref();
    });
    const stream = logger.fileStream;
    if (stream !== null) await new Promise<void>((resolve) => stream.end(resolve));
  });
  loggers.clear();
  await Promise.all(closing);
}
