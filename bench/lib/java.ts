// The Java half of the benchmark: builds bench/java (the probes, and target/classpath.txt with the
// 4.7.1 servers and client, and the 4.7.0 benchmark classes alone), and the JVM command lines.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const JAVA_DIR = path.join(REPO_ROOT, 'bench', 'java');

/** Flags the 4.7.1 servers need on JDK 17 (Netty 4.0.42 and MappedFile.clean reflect into java.base). */
const JDK17_SERVER_OPENS = [
  '--add-opens',
  'java.base/java.nio=ALL-UNNAMED',
  '--add-opens',
  'java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens',
  'java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-exports',
  'java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-exports',
  'java.base/sun.nio.ch=ALL-UNNAMED',
];

/**
 * Heaps: the shipped runserver.sh / runbroker.sh values divided by 4 for this shared 2-core box
 * (namesrv 4g/2g young → 1g/512m; broker 8g/4g young → 2g/1g, MaxDirectMemorySize 15g → 4g), with
 * runbroker.sh's G1 flags. Not used: -XX:+AlwaysPreTouch (it would make the broker's RSS the whole
 * heap from the first second and add to its start-up; we report the memory Java actually touches),
 * the GC log, CMS (runserver.sh; gone in JDK 17; G1 instead) and -XX:-UseBiasedLocking (the default
 * on 17).
 */
export const JAVA_NAMESRV_HEAP = [
  '-Xms1g',
  '-Xmx1g',
  '-Xmn512m',
  '-XX:+UseG1GC',
  '-XX:MetaspaceSize=128m',
  '-XX:MaxMetaspaceSize=320m',
];
export const JAVA_BROKER_HEAP = [
  '-Xms2g',
  '-Xmx2g',
  '-Xmn1g',
  '-XX:+UseG1GC',
  '-XX:G1HeapRegionSize=16m',
  '-XX:G1ReservePercent=25',
  '-XX:InitiatingHeapOccupancyPercent=30',
  '-XX:SoftRefLRUPolicyMSPerMB=0',
  '-XX:-OmitStackTraceInFastThrow',
  '-XX:MaxDirectMemorySize=4g',
  '-XX:-UseLargePages',
];
/** runclass.sh gives the benchmark clients -Xms1g -Xmx1g -Xmn256m. */
const CLIENT_HEAP = ['-Xms1g', '-Xmx1g', '-Xmn256m'];
const PROBE_HEAP = ['-Xms256m', '-Xmx256m'];

export function javaBin(): string {
  const home = process.env.JAVA_HOME;
  return home ? path.join(home, 'bin', 'java') : 'java';
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Compiles bench/java when its sources changed and returns the classpath (probes first). Checks that
 * the only 4.7.0 jar is rocketmq-example, so the benchmark classes run on the 4.7.1 client.
 */
export function buildJava(): string {
  const cpFile = path.join(JAVA_DIR, 'target', 'classpath.txt');
  const sourcesMtime = Math.max(
    newestMtime(path.join(JAVA_DIR, 'src')),
    fs.statSync(path.join(JAVA_DIR, 'pom.xml')).mtimeMs,
  );
  if (!fs.existsSync(cpFile) || fs.statSync(cpFile).mtimeMs < sourcesMtime) {
    console.log('building bench/java (mvn -q -f bench/java compile) ...');
    fs.rmSync(cpFile, { force: true });
    execFileSync('mvn', ['-B', '-q', '-f', path.join(JAVA_DIR, 'pom.xml'), 'compile'], { stdio: 'inherit' });
  }
  const jars = fs.readFileSync(cpFile, 'utf8').trim().split(path.delimiter);
  const stale = jars.filter((jar) => /-4\.7\.0\.jar$/.test(jar) && !/rocketmq-example-4\.7\.0\.jar$/.test(jar));
  if (stale.length > 0)
    throw new Error(`bench classpath must hold 4.7.1 jars only besides rocketmq-example: ${stale.join(', ')}`);
  for (const needed of ['rocketmq-client-4.7.1.jar', 'rocketmq-broker-4.7.1.jar', 'rocketmq-example-4.7.0.jar']) {
    if (!jars.some((jar) => jar.endsWith(needed))) throw new Error(`bench classpath lacks ${needed}`);
  }
  return [path.join(JAVA_DIR, 'target', 'classes'), ...jars].join(path.delimiter);
}

export interface JavaContext {
  classpath: string;
  /** user.home and the client log root for every JVM of one run. */
  homeDir: string;
}

export function javaServerCommand(
  ctx: JavaContext,
  role: 'namesrv' | 'broker',
  rocketmqHome: string,
  conf: string,
): string[] {
  const main =
    role === 'namesrv' ? 'org.apache.rocketmq.namesrv.NamesrvStartup' : 'org.apache.rocketmq.broker.BrokerStartup';
  return [
    javaBin(),
    '-server',
    ...(role === 'namesrv' ? JAVA_NAMESRV_HEAP : JAVA_BROKER_HEAP),
    ...JDK17_SERVER_OPENS,
    '-Dfile.encoding=UTF-8',
    `-Duser.home=${ctx.homeDir}`,
    `-Drocketmq.home.dir=${rocketmqHome}`,
    '-cp',
    ctx.classpath,
    main,
    '-c',
    conf,
  ];
}

/** A client JVM: the official benchmark classes get runclass.sh's heap, our probes a small one. */
export function javaClientCommand(ctx: JavaContext, mainClass: string, args: string[]): string[] {
  const official = mainClass.startsWith('org.apache.rocketmq.');
  return [
    javaBin(),
    '-server',
    ...(official ? CLIENT_HEAP : PROBE_HEAP),
    '--add-opens',
    'java.base/java.nio=ALL-UNNAMED',
    '-Dfile.encoding=UTF-8',
    `-Duser.home=${ctx.homeDir}`,
    `-Drocketmq.client.logRoot=${path.join(ctx.homeDir, 'client-logs')}`,
    '-Drocketmq.client.logLevel=WARN',
    '-Dorg.apache.rocketmq.client.sendSmartMsg=true',
    '-cp',
    ctx.classpath,
    mainClass,
    ...args,
  ];
}

/** A minimal ROCKETMQ_HOME: conf/logback_{namesrv,broker}.xml writing into `logDir`. */
export function makeRocketmqHome(dir: string, logDir: string): string {
  const conf = path.join(dir, 'conf');
  fs.mkdirSync(conf, { recursive: true });
  for (const role of ['namesrv', 'broker']) {
    fs.writeFileSync(
      path.join(conf, `logback_${role}.xml`),
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<configuration>',
        '  <appender name="FILE" class="ch.qos.logback.core.FileAppender">',
        `    <file>${path.join(logDir, `java-${role}.log`)}</file>`,
        '    <encoder><pattern>%d{yyyy-MM-dd HH:mm:ss,SSS} %p %t %c{0} - %m%n</pattern></encoder>',
        '  </appender>',
        '  <root level="INFO"><appender-ref ref="FILE"/></root>',
        '</configuration>',
        '',
      ].join('\n'),
    );
  }
  return dir;
}
