// conf/plain_acl.yml on disk: where it is (Java: ${rocketmq.home.dir}/${rocketmq.acl.plain.file},
// default "/conf/plain_acl.yml"; ours: BrokerConfig.rocketmqHome, which defaults to
// $ROCKETMQ_HOME, and $ROCKETMQ_ACL_PLAIN_FILE), reading it (AclUtils.getYamlDataObject) and
// writing it atomically (tmp + rename, via persistConfigFile; Java rewrites it in place).
// The `yaml` module is loaded on first use only, so a broker with ACL off never loads it.
import fs from 'node:fs';
import path from 'node:path';
import { persistConfigFile } from '../../common/config-file';
import { AclException } from './acl-exception';

export const DEFAULT_PLAIN_ACL_FILE = '/conf/plain_acl.yml';

export type AclYamlData = Record<string, unknown>;

export function plainAclFilePath(
  rocketmqHome: string,
  fileName = process.env.ROCKETMQ_ACL_PLAIN_FILE ?? DEFAULT_PLAIN_ACL_FILE,
): string {
  return path.join(rocketmqHome, fileName);
}

function yamlModule(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml') as typeof import('yaml');
}

/** The file's top-level mapping; null when the file does not exist (Java: FileNotFoundException). */
export function readAclYaml(filePath: string): AclYamlData | null {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AclException((error as Error).message);
  }
  let data: unknown;
  try {
    data = yamlModule().parse(text);
  } catch (error) {
    throw new AclException((error as Error).message);
  }
  if (data === null || data === undefined) return null;
  if (typeof data !== 'object' || Array.isArray(data))
    throw new AclException(`${filePath}: the top level is not a mapping`);
  return data as AclYamlData;
}

/** snakeyaml dumpAsMap's block style; replaced atomically. */
export function writeAclYaml(filePath: string, data: AclYamlData): void {
  persistConfigFile(filePath, yamlModule().stringify(data, { indent: 2, indentSeq: false, lineWidth: 0 }));
}

/** A yml list as strings (fastjson's JSONArray.getString / toJavaList(String)). */
export function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return [String(value)];
  return value.map((item) => String(item));
}
