// The seed Producer and Consumer (compat-tests' org.rmqts.compat.seed, the official 4.7.1 Java client)
// for `npm run docker-test`: each in its own JVM on the host, against 127.0.0.1:9876, as ChildJvm starts them.
import fs from 'node:fs';
import path from 'node:path';
import { run, start, stopChild } from './docker-test-lib.mjs';

const BODY = /Hello Java demo RocketMQ (\d+)/;
export const SEED_MESSAGES = 100;

function seedClasspath(root) {
  const target = path.join(root, 'compat-tests', 'target');
  return `${path.join(target, 'test-classes')}${path.delimiter}${fs.readFileSync(path.join(target, 'test-classpath.txt'), 'utf8').trim()}`;
}

export async function ensureSeedClasses(root) {
  const target = path.join(root, 'compat-tests', 'target');
  if (
    fs.existsSync(path.join(target, 'test-classpath.txt')) &&
    fs.existsSync(path.join(target, 'test-classes', 'org', 'rmqts', 'compat', 'seed', 'Consumer.class'))
  )
    return 'compiled already';
  await run('mvn', ['-B', '-q', '-f', path.join(root, 'compat-tests', 'pom.xml'), 'test-compile'], {
    timeoutMs: 600_000,
  });
  return 'compiled with mvn test-compile';
}

function startSeed(root, work, mainClass, name) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  return start(
    java,
    [
      '-Xmx256m',
      '-XX:+UseSerialGC',
      '--add-opens',
      'java.base/java.nio=ALL-UNNAMED',
      '-Dfile.encoding=UTF-8',
      `-Duser.home=${dir}`,
      `-Drocketmq.client.logRoot=${path.join(dir, 'logs')}`,
      '-cp',
      seedClasspath(root),
      mainClass,
    ],
    { cwd: dir, log: path.join(work, `${name}.out`) },
  );
}

/** Runs the seed Producer to its end (at most `timeoutMs`): its exit code and its SendResult lines. */
export async function runSeedProducer(root, work, name, timeoutMs = 90_000) {
  const producer = startSeed(root, work, 'org.rmqts.compat.seed.Producer', name);
  let timer;
  const exit = await Promise.race([
    producer.ended,
    new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs, 'timeout'))),
  ]);
  clearTimeout(timer);
  stopChild(producer);
  return { exit, lines: producer.lines, results: producer.lines.filter((line) => line.startsWith('SendResult [')) };
}

/** Runs the seed Consumer until it printed every body or `timeoutMs` passed: the body numbers it printed. */
export async function runSeedConsumer(root, work, name, waitFor, timeoutMs = 60_000) {
  const consumer = startSeed(root, work, 'org.rmqts.compat.seed.Consumer', name);
  const seen = new Set();
  await waitFor(() => {
    for (const line of consumer.lines) {
      const match = BODY.exec(line);
      if (match) seen.add(Number(match[1]));
    }
    return seen.size >= SEED_MESSAGES || consumer.exitCode !== null;
  }, timeoutMs);
  stopChild(consumer);
  await consumer.ended;
  const started = consumer.lines.some((line) => line.includes('消息消费者已启动'));
  const all = seen.size === SEED_MESSAGES && [...Array(SEED_MESSAGES).keys()].every((i) => seen.has(i));
  return { started, all, seen, lines: consumer.lines };
}
