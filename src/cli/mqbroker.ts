#!/usr/bin/env -S node --max-semi-space-size=8
// `mqbroker`: starts one broker in the foreground, like Java's bin/mqbroker. Prints the Java boot
// line on stdout once it has registered; SIGINT / SIGTERM shut it down cleanly, logged as Java's
// BrokerStartup shutdown hook logs it. Log lines also go to the console when stdout is a terminal
// or ROCKETMQ_LOG_STDOUT=true (the container image sets it, so `docker logs` shows them).
import './thread-pool-size';
import { closeLoggers, enableConsoleLogging } from '../common/logger';
import {
  bootSuccessLine,
  ConfigError,
  createBrokerController,
  formatBrokerConfig,
  parseBrokerArgs,
  UsageError,
} from './broker-startup';

async function main(): Promise<void> {
  let startup: ReturnType<typeof parseBrokerArgs>;
  try {
    startup = parseBrokerArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(error instanceof UsageError ? 0 : error instanceof ConfigError ? error.exitCode : 1);
  }
  if (startup.printConfig !== undefined) {
    process.stdout.write(formatBrokerConfig(startup));
    process.exit(0);
  }
  if (process.stdout.isTTY || process.env.ROCKETMQ_LOG_STDOUT === 'true') enableConsoleLogging();
  const controller = createBrokerController(startup);
  for (const key of startup.unknownKeys) controller.logger.warn(`unknown config key ignored: ${key}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const startedMs = Date.now();
    controller.logger.info(`Shutdown hook was invoked, 1 (${signal})`);
    await controller.shutdown();
    controller.logger.info(`Shutdown hook over, consuming total time(ms): ${Date.now() - startedMs}`);
    await closeLoggers();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await controller.start();
  process.stdout.write(`${bootSuccessLine(controller)}\n`);
}

main().catch((error) => {
  process.stderr.write(`broker failed to start: ${(error as Error).stack}\n`);
  process.exit(1);
});
