// The load test's servers, in a process of their own so that the broker's RSS is the broker's:
// a NameServer and a broker on free 127.0.0.1 ports with a temporary store. Prints one line
// `LOAD-SERVERS {"namesrvPort":…,"brokerPort":…}` once both serve; on SIGTERM (or when stdin
// closes, i.e. the parent died) it shuts both down and removes the store.
//   node dist/bench/load/load-servers.js '<broker overrides as JSON>'
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { defaultBrokerConfig } from '../../src/broker/broker-config';
import { BrokerController } from '../../src/broker/broker-controller';
import { createNamesrvConfig } from '../../src/namesrv/namesrv-config';
import { NamesrvController } from '../../src/namesrv/namesrv-controller';
import { defaultMessageStoreConfig } from '../../src/store/message-store-config';

async function main(): Promise<void> {
  const overrides = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-load-'));
  process.env.ROCKETMQ_LOG_DIR ??= path.join(home, 'logs');
  const namesrv = new NamesrvController(
    createNamesrvConfig({
      listenPort: 0,
      kvConfigPath: path.join(home, 'namesrv', 'kvConfig.json'),
      configStorePath: path.join(home, 'namesrv', 'namesrv.properties'),
    }),
    { logger: winston.createLogger({ silent: true }) },
  );
  await namesrv.start();
  const brokerConfig = {
    ...defaultBrokerConfig(),
    listenPort: 0,
    namesrvAddr: `127.0.0.1:${namesrv.port}`,
    ...overrides,
  };
  const storeConfig = { ...defaultMessageStoreConfig(home), haListenPort: 0, ...overrides };
  const broker = new BrokerController(brokerConfig, storeConfig);
  await broker.start();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await broker.shutdown().catch(() => undefined);
    await namesrv.shutdown().catch(() => undefined);
    fs.rmSync(home, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
  process.stdout.write(
    `LOAD-SERVERS ${JSON.stringify({ namesrvPort: namesrv.port, brokerPort: broker.listenPort })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`load-servers: ${(error as Error).stack}\n`);
  process.exit(1);
});
