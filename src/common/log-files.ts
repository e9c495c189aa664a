// The files behind logger.ts: <name>.log in logDirectory(), appended to, rolled by size into
// numbered parts (ROCKETMQ_LOG_MAX_FILE_BYTES, ROCKETMQ_LOG_MAX_FILES) and by day into otherdays/
// (ROCKETMQ_LOG_MAX_DAYS); the renames and pruning are log-roll.ts. A roll never loses a line: the
// old stream finishes into the renamed file and a new one opens <name>.log.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type winston from 'winston';
import type { LoggerName } from './logger';
import { dayKey, liveFileBytes, liveFileDay, moveToOtherDays, pruneOtherDays, shiftParts } from './log-roll';

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

/** ~/logs/rocketmqlogs, as Java's logback files (ROCKETMQ_LOG_DIR overrides it). */
export function logDirectory(): string {
  return process.env.ROCKETMQ_LOG_DIR ?? path.join(os.homedir(), 'logs', 'rocketmqlogs');
}

/** Local midnight after `atMs`: when the live files roll to otherdays/. */
function nextMidnightMs(atMs: number): number {
  const date = new Date(atMs);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();
}

/** One logger's file: its winston logger and transport, the live file's day and size. */
export interface LogFileState {
  readonly name: LoggerName;
  /** winston, once loaded (logger.ts loads it late). */
  w: typeof winston | null;
  target: winston.Logger | null;
  fileTransport: winston.transport | null;
  fileStream: fs.WriteStream | null;
  /** The day the live file holds, and when it ends. */
  day: string;
  rollAtMs: number;
  /** Bytes in the live file (estimated per line), for the size roll. */
  bytesInFile: number;
}

/** Adds a line to the live file's size; rolls first when it would pass ROCKETMQ_LOG_MAX_FILE_BYTES. */
export function countLineBytes(logger: LogFileState, message: string): void {
  logger.bytesInFile += message.length + LINE_OVERHEAD_BYTES;
  if (logger.bytesInFile > maxFileBytes()) {
    rollSize(logger);
    logger.bytesInFile = message.length + LINE_OVERHEAD_BYTES;
  }
}

/** Opens the live file for a logger winston is being created for, moving an earlier day's file first. */
export function startLogFile(w: typeof winston, logger: LogFileState): winston.transport {
  const nowMs = Date.now();
  const lastDay = liveFileDay(logDirectory(), logger.name);
  // a live file left by an earlier day (the process was not running at midnight) moves first
  if (lastDay !== undefined && lastDay < dayKey(nowMs)) moveDay(logger.name, lastDay);
  logger.day = dayKey(nowMs);
  logger.rollAtMs = nextMidnightMs(nowMs);
  logger.w = w;
  openFile(w, logger);
  logger.bytesInFile = liveFileBytes(logDirectory(), logger.name);
  return logger.fileTransport!;
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
function openFile(w: typeof winston, logger: LogFileState): void {
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
function swapFileTransport(logger: LogFileState): void {
  const old = logger.fileTransport;
  if (old === null || logger.target === null || logger.w === null) return;
  logger.target.remove(old);
  logger.fileStream?.end(); // after the lines already written to it
  openFile(logger.w, logger);
  logger.target.add(logger.fileTransport!);
  logger.bytesInFile = 0;
}

/** The local date changed while running. */
export function rollDay(logger: LogFileState): void {
  const nowMs = Date.now();
  if (logger.fileTransport !== null) {
    moveDay(logger.name, logger.day);
    swapFileTransport(logger);
  }
  logger.day = dayKey(nowMs);
  logger.rollAtMs = nextMidnightMs(nowMs);
}

/** The live file reached ROCKETMQ_LOG_MAX_FILE_BYTES. */
function rollSize(logger: LogFileState): void {
  try {
    shiftParts(logDirectory(), logger.name, maxFiles());
  } catch (error) {
    process.stderr.write(`log roll of ${logger.name}.log failed: ${(error as Error).message}\n`);
  }
  swapFileTransport(logger);
}
