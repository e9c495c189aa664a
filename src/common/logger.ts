// Logs where RocketMQ operators look for them: ~/logs/rocketmqlogs/<name>.log
// (ROCKETMQ_LOG_DIR overrides the folder; tests point it at a temp dir), one line per event in
// the Java pattern `yyyy-MM-dd HH:mm:ss,SSS LEVEL thread - message`. A process started in the
// foreground also logs to the console (enableConsoleLogging).
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';

export type LoggerName = 'namesrv' | 'broker' | 'store' | 'remoting';

const loggers = new Map<LoggerName, winston.Logger>();
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

const lineFormat = winston.format.printf(
  (info) => `${javaTimestamp(new Date())} ${String(info.level).toUpperCase()} ${info.label ?? 'main'} - ${String(info.message)}`,
);

/** Sends every logger's lines to the console too (for `mqbroker` / `mqnamesrv` in the foreground). */
export function enableConsoleLogging(): void {
  consoleEnabled = true;
  for (const logger of loggers.values()) logger.add(new winston.transports.Console({ format: lineFormat }));
}

export function getLogger(name: LoggerName): winston.Logger {
  let logger = loggers.get(name);
  if (logger !== undefined) return logger;
  const transports: winston.transport[] = [
    new winston.transports.File({ filename: path.join(logDirectory(), `${name}.log`), maxsize: 128 * 1024 * 1024, maxFiles: 20 }),
  ];
  if (consoleEnabled) transports.push(new winston.transports.Console());
  logger = winston.createLogger({ level: process.env.ROCKETMQ_LOG_LEVEL ?? 'info', format: lineFormat, transports });
  loggers.set(name, logger);
  return logger;
}

/** Flushes and closes every logger (at shutdown, so the last lines reach the files). */
export async function closeLoggers(): Promise<void> {
  const closing = [...loggers.values()].map(
    (logger) => new Promise<void>((resolve) => {
      logger.on('finish', () => resolve());
      logger.end();
      setTimeout(resolve, 500).unref();
    }),
  );
  loggers.clear();
  await Promise.all(closing);
}
