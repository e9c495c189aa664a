// The RemotingCommand model shared by the frame codec (remoting-command.ts) and the two header
// codecs it calls (json-header-codec.ts, rocketmq-header-codec.ts), kept apart so that neither
// header codec imports the module that imports it.
import type { LanguageCode } from './language-code';

export enum SerializeType {
  JSON = 0,
  ROCKETMQ = 1,
}

/** flag bit 0: this command is a response. */
export const RPC_TYPE_RESPONSE = 1;
/** flag bit 1: the request expects no response. */
export const RPC_ONEWAY = 2;
/** MQVersion.CURRENT_VERSION for V4_7_1 (the enum ordinal). */
export const CURRENT_VERSION = 355;
export type ExtFields = Record<string, string>;

/**
 * A body another thread reads from the commit log before it writes the frame (a connection
 * worker: broker/connection-workers/log-run-reader.ts): `runs` are [physicalOffset, sizeBytes]
 * pairs of written bytes, oldest first, whose bytes back to back are the body.
 */
export interface LogBodyRef {
  runs: readonly number[];
  totalBytes: number;
  /** The log's written end when the answer was made: no run reaches past it. */
  writtenPhysicalOffset: number;
}

export interface RemotingCommand {
  code: number;
  language: LanguageCode;
  version: number;
  opaque: number;
  flag: number;
  remark?: string;
  extFields?: ExtFields;
  body?: Buffer;
  /** Instead of `body` (a frame only a connection worker's socket can write: Connection.send). */
  bodyRef?: LogBodyRef;
  serializeType: SerializeType;
}
