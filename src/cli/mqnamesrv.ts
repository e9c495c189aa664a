#!/usr/bin/env node
// mqnamesrv: starts a name server in the foreground, as Java's NamesrvStartup.
//
//   mqnamesrv [-c <configFile>] [-p] [-n <namesrvAddr>] [-h]
//
// -c loads namesrv.properties keys (and makes that file the configStorePath); -p prints every
// setting as `name=value` and exits 0; -n is accepted and ignored, as Java does; -h prints usage.
// On listening it prints "The Name Server boot success. serializeType=JSON"; SIGINT/SIGTERM shut
// it down cleanly and exit 0.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { bindProperties, parseJavaProperties } from '../common/java-properties';
import { closeLoggers, enableConsoleLogging, getLogger } from '../common/logger';
import {
  createNamesrvConfig,
  formatNamesrvConfigForPrint,
  type NamesrvConfig,
  validateNamesrvConfig,
} from '../namesrv/namesrv-config';
import { NamesrvController } from '../namesrv/namesrv-controller';

const USAGE = [
  'usage: mqnamesrv [-c <arg>] [-h] [-n <arg>] [-p]',
  ' -c,--configFile <arg>    Name server config properties file',
  ' -h,--help                Print help',
  ' -n,--namesrvAddr <arg>   Name server address list, eg: 192.168.0.1:9876;192.168.0.2:9876',
  ' -p,--printConfigItem     Print all config item',
].join('\n');

interface CommandLine {
  configFile?: string;
  printConfigItem: boolean;
  help: boolean;
}

function parseCommandLine(args: string[]): CommandLine {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      configFile: { type: 'string', short: 'c' },
      printConfigItem: { type: 'boolean', short: 'p' },
      namesrvAddr: { type: 'string', short: 'n' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  return {
    configFile: values.configFile,
    printConfigItem: values.printConfigItem === true,
    help: values.help === true,
  };
}

/** Defaults, then the -c file (which also becomes configStorePath, as in Java). */
function loadConfig(configFile: string | undefined): { config: NamesrvConfig; fileProperties?: Map<string, string> } {
  const config = createNamesrvConfig();
  if (configFile === undefined) return { config };
  const fileProperties = parseJavaProperties(fs.readFileSync(configFile, 'utf8'));
  const rejected = bindProperties(config, fileProperties).filter((key) => Object.hasOwn(config, key));
  for (const key of rejected) console.warn(`ignoring ${key}=${fileProperties.get(key)}: not a valid value`);
  config.configStorePath = configFile;
  console.log(`load config properties file OK, ${configFile}`);
  return { config, fileProperties };
}

async function main(args: string[]): Promise<void> {
  let commandLine: CommandLine;
  try {
    commandLine = parseCommandLine(args);
  } catch (error) {
    console.error((error as Error).message);
    console.log(USAGE);
    process.exit(1);
  }
  if (commandLine.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const { config, fileProperties } = loadConfig(commandLine.configFile);
  if (commandLine.printConfigItem) {
    for (const line of formatNamesrvConfigForPrint(config)) console.log(line);
    process.exit(0);
  }
  validateNamesrvConfig(config);
  enableConsoleLogging();
  const logger = getLogger('namesrv');
  for (const line of formatNamesrvConfigForPrint(config)) logger.info(line);
  const controller = new NamesrvController(config, { extraProperties: fileProperties, logger });
  installShutdownHook(controller);
  await controller.start();
  const tip = 'The Name Server boot success. serializeType=JSON';
  logger.info(tip);
  process.stdout.write(`${tip}\n`);
}

function installShutdownHook(controller: NamesrvController): void {
  let shuttingDown = false;
  const shutdown = (signal: string): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    getLogger('namesrv').info(`Shutdown hook was invoked (${signal})`);
    controller
      .shutdown()
      .then(() => closeLoggers())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  closeLoggers().finally(() => process.exit(255));
});
