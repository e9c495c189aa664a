// What a send worker does to one SEND_MESSAGE / SEND_MESSAGE_V2 frame (SendMessageProcessor's
// work that needs no broker state): decode the command and its header, add the CLUSTER property,
// compute the tags code, validate sizes and encode the whole commit-log record with the offsets and
// the store time left 0 — the ordered writer on the main thread patches them (patchSendRecord).
//
// Only the plain case is encoded here; anything that needs broker state or rewrites the message
// (batches, %RETRY% topics, transactions, delay levels, timers, bad sizes, a header that does not
// decode) answers null, and the main thread processes that frame in line as before.
import { decodeRemotingCommand, type RemotingCommand } from '../../codec/remoting-command';
import {
  decodeSendMessageRequestHeader,
  type SendMessageRequestHeader,
} from '../../codec/headers/send-message-request-header';
import { type HostAddress, isIpv6Host } from '../../codec/message/host-address';
import { MessageConst } from '../../codec/message/message-properties';
import { withHostFlags } from '../../codec/message/message-sys-flag';
import { writeMessageRecord } from '../../codec/message/message-record';
import { putMessageProperty } from '../../codec/message/put-message-property';
import { RequestCode } from '../../codec/request-code';
import { tagsCodeOf } from '../tags-code';
import { RETRY_GROUP_TOPIC_PREFIX } from '../topic-validator';
import { validateMessage } from '../../store/message-validation';
import type { MessageStoreConfig } from '../../store/message-store-config';
import { recordStringPositions } from './send-answer-format';

/** What a worker is told once. */
export interface SendWorkerInit {
  brokerClusterName: string;
  storeHost: HostAddress;
  maxMessageSize: number;
  mappedFileSizeCommitLog: number;
}

/** One encoded send: the command's fields the answer needs, the header, the record's size. */
export interface EncodedSend {
  command: Omit<RemotingCommand, 'extFields' | 'body'>;
  header: SendMessageRequestHeader;
  propertiesString: string;
  tagsCode: number;
  /** SYSFLAG as written (host bits set; the MULTI_TAG bit is the writer's) */
  sysFlag: number;
  recordSizeBytes: number;
  /** TOPICLENGTH's and PROPERTIESLENGTH's positions in the record */
  topicPosition: number;
  propertiesPosition: number;
}

/** Property names whose presence sends a message down the in-line path (substring match). */
const IN_LINE_PROPERTY_MARKS = [
  MessageConst.PROPERTY_TRANSACTION_PREPARED,
  MessageConst.PROPERTY_DELAY_TIME_LEVEL,
  'TIMER_',
  '__STARTDELIVERTIME',
];
const TRANSACTION_TYPE_MASK = 0xc;

function isPlain(command: RemotingCommand, header: SendMessageRequestHeader, propertiesString: string): boolean {
  if (command.code !== RequestCode.SEND_MESSAGE && command.code !== RequestCode.SEND_MESSAGE_V2) return false;
  if (header.batch || header.queueId < 0 || (header.sysFlag & TRANSACTION_TYPE_MASK) !== 0) return false;
  if (header.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return false;
  return !IN_LINE_PROPERTY_MARKS.some((mark) => propertiesString.includes(mark));
}

/**
 * Encodes `frame` into `target` at `position` (room for maxMessageSize bytes needed) or answers
 * null for the in-line path. Never throws for bad input.
 */
export function encodeSendFrame(
  frame: Buffer,
  bornHost: HostAddress,
  init: SendWorkerInit,
  target: Buffer,
  position: number,
): EncodedSend | null {
  let command: RemotingCommand;
  let header: SendMessageRequestHeader;
  try {
    command = decodeRemotingCommand(frame);
    header = decodeSendMessageRequestHeader(command);
  } catch {
    return null;
  }
  const received = header.properties ?? '';
  if (!isPlain(command, header, received)) return null;
  const propertiesString = putMessageProperty(received, MessageConst.PROPERTY_CLUSTER, init.brokerClusterName);
  const storeHost = init.storeHost;
  const message = {
    topic: header.topic,
    queueId: header.queueId,
    flag: header.flag,
    body: command.body ?? Buffer.alloc(0),
    propertiesString,
    tagsCode: 0,
    sysFlag: header.sysFlag,
    bornTimestampMs: header.bornTimestamp,
    bornHost,
    storeHost,
    reconsumeTimes: header.reconsumeTimes ?? 0,
    preparedTransactionOffset: 0,
  };
  const sizes = validateMessage(message, init as unknown as MessageStoreConfig);
  if (typeof sizes === 'string' || position + sizes.recordSizeBytes > target.length) return null;
  const sysFlag = withHostFlags(header.sysFlag, isIpv6Host(bornHost), isIpv6Host(storeHost));
  writeMessageRecord(
    target,
    position,
    { ...message, sysFlag },
    sizes.topicSizeBytes,
    sizes.propertiesSizeBytes,
    0,
    0,
    0,
  );
  const { extFields: _extFields, body: _body, ...fields } = command;
  const positions = recordStringPositions(sysFlag, message.body.length, sizes.topicSizeBytes);
  return {
    command: fields,
    header,
    propertiesString,
    tagsCode: tagsCodeOf(propertiesString),
    sysFlag,
    recordSizeBytes: sizes.recordSizeBytes,
    ...positions,
  };
}
