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
import os from 'node:os';
import path from 'node:path';
import type winston from 'winston';
import { dayKey, liveFileBytes, liveFileDay, moveToOtherDays, pruneOtherDays, shiftParts } from './log-roll';

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
/** Java's broker.log roll: 128 MB per file (ROCKETMQ_LOG_MAX_FILE_BYTES), 20 files (ROCKETMQ_LOG_MAX_FILES). */
const DEFAULT_MAX_FILE_BYTES = 128 * 1024 * 1024;
const DEFAULT_MAX_FILES = 20;
/** Days otherdays/ keeps (ROCKETMQ_LOG_MAX_DAYS). */
const DEFAULT_MAX_DAYS = 7;

/** A positive whole number from the environment, or the default (a bad value is not a reason to stop logging). */
function positiveIntegerEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

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

export function logDirectory(): string {
  return process.env.ROCKETMQ_LOG_DIR ?? path.join(os.homedir(), 'logs', 'rocketmqlogs');
}

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

/** Local midnight after `atMs`: when the live files roll to otherdays/. */
function nextMidnightMs(atMs: number): number {
  const date = new Date(atMs);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();
}

class DeferredLogger implements Logger {
  target: winston.Logger | null = null;
  fileTransport: winston.transport | null = null;
  fileStream: fs.WriteStream | null = null;
  /** The day the live file holds, and when it ends. */
  day = '';
  rollAtMs = 0;
  /** Bytes in the live file (estimated per line), for the size roll. */
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

  /** Adds a line to the live file's size; rolls first when it would pass ROCKETMQ_LOG_MAX_FILE_BYTES. */
  countBytes(message: string): void {
    this.bytesInFile += message.length + LINE_OVERHEAD_BYTES;
    if (this.bytesInFile > maxFileBytes()) {
      rollSize(this);
      this.bytesInFile = message.length + LINE_OVERHEAD_BYTES;
    }
  }

  private write(level: Level, message: string): void {
    if (this.target !== null) {
      if (Date.now() >= this.rollAtMs) rollDay(this);
      if (LEVEL_RANK[level] > enabledRank()) return;
      this.countBytes(message);
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

/** Timestamp, level and thread around the message: `2026-01-01 00:00:00,000 INFO main - `. */
const LINE_OVERHEAD_BYTES = 40;

function maxFileBytes(): number {
  return positiveIntegerEnv('ROCKETMQ_LOG_MAX_FILE_BYTES', DEFAULT_MAX_FILE_BYTES);
}

function maxFiles(): number {
  return positiveIntegerEnv('ROCKETMQ_LOG_MAX_FILES', DEFAULT_MAX_FILES);
}

/**
 * <name>.log, appended to. The size and day rolls are ours (log-roll.ts), not winston's maxsize, and
 * the file is opened synchronously: it exists before the next line, so a roll right after renames
 * the right file (an open stream follows its file through a rename).
 */
function openFile(w: typeof winston, logger: DeferredLogger): void {
  const file = path.join(logDirectory(), `${logger.name}.log`);
  let fd: number;
  try {
    fs.mkdirSync(logDirectory(), { recursive: true });
    fd = fs.openSync(file, 'a');
  } catch (error) {
    // an unwritable log folder must not stop the broker: the lines go nowhere (and to the console if enabled)
    process.stderr.write(`cannot open ${file}: ${(error as Error).message}\n`);
    fd = fs.openSync(os.devNull, 'a');
  }
  logger.fileStream = fs.createWriteStream('', { fd });
  logger.fileTransport = new w.transports.Stream({ stream: logger.fileStream });
}

/** Moves a day's files to otherdays/ (log-roll.ts) and drops the ones older than ROCKETMQ_LOG_MAX_DAYS. */
function moveDay(name: LoggerName, day: string): void {
  try {
    moveToOtherDays(logDirectory(), name, day, maxFiles());
    pruneOtherDays(logDirectory(), positiveIntegerEnv('ROCKETMQ_LOG_MAX_DAYS', DEFAULT_MAX_DAYS), Date.now());
  } catch (error) {
    process.stderr.write(`log roll of ${name}.log failed: ${(error as Error).message}\n`);
  }
}

/**
 * After the files were renamed: the old transport finishes into the moved file (its open stream
 * follows the rename), a new one opens <name>.log.
 */
function swapFileTransport(logger: DeferredLogger): void {
  const old = logger.fileTransport;
  if (old === null || logger.target === null || winstonModule === null) return;
  logger.target.remove(old);
  logger.fileStream?.end(); // after the lines already written to it
  openFile(winstonModule, logger);
  logger.target.add(logger.fileTransport!);
  logger.bytesInFile = 0;
}

/** The local date changed while running. */
function rollDay(logger: DeferredLogger): void {
  const nowMs = Date.now();
  if (logger.fileTransport !== null) {
    moveDay(logger.name, logger.day);
    swapFileTransport(logger);
  }
  logger.day = dayKey(nowMs);
  logger.rollAtMs = nextMidnightMs(nowMs);
}

/** The live file reached ROCKETMQ_LOG_MAX_FILE_BYTES. */
function rollSize(logger: DeferredLogger): void {
  try {
    shiftParts(logDirectory(), logger.name, maxFiles());
  } catch (error) {
    process.stderr.write(`log roll of ${logger.name}.log failed: ${(error as Error).message}\n`);
  }
  swapFileTransport(logger);
}

function createWinstonLogger(w: typeof winston, logger: DeferredLogger): winston.Logger {
  const nowMs = Date.now();
  const lastDay = liveFileDay(logDirectory(), logger.name);
  // a live file left by an earlier day (the process was not running at midnight) moves first
  if (lastDay !== undefined && lastDay < dayKey(nowMs)) moveDay(logger.name, lastDay);
  logger.day = dayKey(nowMs);
  logger.rollAtMs = nextMidnightMs(nowMs);
  openFile(w, logger);
  logger.bytesInFile = liveFileBytes(logDirectory(), logger.name);
  const transports: winston.transport[] = [logger.fileTransport!];
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
    logger.countBytes(line.message);
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
