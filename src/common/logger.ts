// Logs where RocketMQ operators look for them: ~/logs/rocketmqlogs/<name>.log
// (ROCKETMQ_LOG_DIR overrides the folder; tests point it at a temp dir), one line per event in
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

class DeferredLogger implements Logger {
  target: winston.Logger | null = null;

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

function createWinstonLogger(w: typeof winston, name: LoggerName): winston.Logger {
  const transports: winston.transport[] = [
    // tailable: <name>.log is always the live file (tail -f keeps working); older ones are <name>1.log, <name>2.log, ...
    new w.transports.File({
      filename: path.join(logDirectory(), `${name}.log`),
      maxsize: positiveIntegerEnv('ROCKETMQ_LOG_MAX_FILE_BYTES', DEFAULT_MAX_FILE_BYTES),
      maxFiles: positiveIntegerEnv('ROCKETMQ_LOG_MAX_FILES', DEFAULT_MAX_FILES),
      tailable: true,
    }),
  ];
  if (consoleEnabled) transports.push(consoleTransport(w));
  return w.createLogger({ level: process.env.ROCKETMQ_LOG_LEVEL ?? 'info', format: lineFormat(w), transports });
}

/** Loads winston, gives every logger its transports and hands it the waiting lines. */
function loadWinston(): void {
  if (loadTimer !== undefined) clearTimeout(loadTimer);
  loadTimer = undefined;
  winstonModule ??= require('winston') as typeof winston;
  for (const logger of loggers.values()) logger.target ??= createWinstonLogger(winstonModule, logger.name);
  const lines = pending;
  pending = [];
  for (const line of lines) {
    // the console already has them
    loggers.get(line.name)?.target?.log({ level: line.level, message: line.message, atMs: line.atMs, consoleDone: true });
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
    if (winstonModule !== null) logger.target = createWinstonLogger(winstonModule, name);
    loggers.set(name, logger);
  }
  return logger;
}

/** Flushes and closes every logger (at shutdown, so the last lines reach the files). */
export async function closeLoggers(): Promise<void> {
  if (pending.length > 0) loadWinston();
  const closing = [...loggers.values()].map((logger) => {
    const target = logger.target;
    if (target === null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      target.on('finish', () => resolve());
      target.end();
      setTimeout(resolve, 500).unref();
    });
  });
  loggers.clear();
  await Promise.all(closing);
}
