#!/usr/bin/env -S node --max-semi-space-size=8
// `npm start`: a NameServer and a broker in one process on embedded defaults — NameServer on
// 127.0.0.1:9876, broker `broker-a` of `DefaultCluster` on 127.0.0.1:10911 (VIP 10909), store in
// ~/store, logs in ~/logs/rocketmqlogs/. Point a Java client at it with
// producer.setNamesrvAddr("127.0.0.1:9876"). Extra arguments go to the broker as for `mqbroker`
// (e.g. `npm start -- -c broker.conf`). Ctrl-C shuts both down cleanly.
import './thread-pool-size';
import { closeLoggers, enableConsoleLogging } from '../common/logger';
import { createNamesrvConfig } from '../namesrv/namesrv-config';
import { NamesrvController } from '../namesrv/namesrv-controller';
import { bootSuccessLine, createBrokerController, parseBrokerArgs } from './broker-startup';

async function main(): Promise<void> {
  enableConsoleLogging();
  const namesrv = new NamesrvController(createNamesrvConfig({ listenPort: Number(process.env.NAMESRV_PORT ?? 9876) }));
  await namesrv.start();
  process.stdout.write('The Name Server boot success. serializeType=JSON\n');
  const startup = parseBrokerArgs(process.argv.slice(2));
  if (!process.argv.slice(2).includes('-n')) startup.brokerConfig.namesrvAddr = `127.0.0.1:${namesrv.port}`;
  const broker = createBrokerController(startup);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await broker.shutdown();
    await namesrv.shutdown();
    await closeLoggers();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  await broker.start();
  process.stdout.write(`${bootSuccessLine(broker)}\n`);
}

main().catch((error) => {
  process.stderr.write(`start failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
