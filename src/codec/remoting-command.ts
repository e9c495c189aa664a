// RemotingCommand: the one message shape of RocketMQ's remoting protocol
// (org.apache.rocketmq.remoting.protocol.RemotingCommand).
//
//   frame   = length:int32 typeAndHeaderLength:int32 header body
//   length  = 4 + headerLength + bodyLength       (excludes its own 4 bytes)
//   typeAndHeaderLength = serializeType:uint8 headerLength:uint24
//   header  = JSON text (serializeType 0) | ROCKETMQ binary header (serializeType 1)
//   body    = the remaining bytes (absent when empty)
import { CodecError } from './codec-error';
import { decodeJsonHeader, encodeJsonHeaderGeneric, templatedJsonHeaderTextOf } from './json-header-codec';
import { decodeRocketmqHeader, encodeRocketmqHeader } from './rocketmq-header-codec';
import {
  CURRENT_VERSION,
  type RemotingCommand,
  RPC_ONEWAY,
  RPC_TYPE_RESPONSE,
  SerializeType,
} from './remoting-command-model';
import type { ExtFields } from './remoting-command-model';

export { CURRENT_VERSION, RPC_ONEWAY, RPC_TYPE_RESPONSE, SerializeType } from './remoting-command-model';
export type { ExtFields, LogBodyRef, RemotingCommand } from './remoting-command-model';

const HEADER_MAX_BYTES = 0xffffff;

export function isResponse(command: RemotingCommand): boolean {
  return (command.flag & RPC_TYPE_RESPONSE) !== 0;
}

export function isOneway(command: RemotingCommand): boolean {
  return (command.flag & RPC_ONEWAY) !== 0;
}

/** Decodes one frame as returned by FrameDecoder (without the 4-byte length prefix). */
export function decodeRemotingCommand(frame: Buffer): RemotingCommand {
  if (frame.length < 4) throw new CodecError(`frame of ${frame.length} bytes has no header length`, 0);
  const serializeType = frame[0];
  const headerLength = frame.readUIntBE(1, 3);
  if (4 + headerLength > frame.length) {
    throw new CodecError(`header length ${headerLength} exceeds the frame (${frame.length - 4} bytes left)`, 1);
  }
  const header = frame.subarray(4, 4 + headerLength);
  let command: RemotingCommand;
  if (serializeType === SerializeType.JSON) command = decodeJsonHeader(header);
  else if (serializeType === SerializeType.ROCKETMQ) command = decodeRocketmqHeader(header);
  else throw new CodecError(`unknown serialize type ${serializeType}`, 0);
  if (frame.length > 4 + headerLength) command.body = frame.subarray(4 + headerLength);
  return command;
}

/**
 * Encodes a command as a whole frame (length prefix included). The body is copied into the same
 * buffer; use encodeRemotingCommandParts for large bodies that should be written without a copy.
 */
export function encodeRemotingCommand(command: RemotingCommand): Buffer {
  const [prefixAndHeader, body] = encodeRemotingCommandParts(command);
  return body === undefined ? prefixAndHeader : Buffer.concat([prefixAndHeader, body]);
}

/** Encodes [length prefix + type/length + header, body] so the body can go to writev as it is. */
export function encodeRemotingCommandParts(command: RemotingCommand): [Buffer, Buffer | undefined] {
  const body = command.body !== undefined && command.body.length > 0 ? command.body : undefined;
  const bodyLength = body?.length ?? command.bodyRef?.totalBytes ?? 0;
  const templated = command.serializeType === SerializeType.ROCKETMQ ? undefined : templatedJsonHeaderTextOf(command);
  if (templated !== undefined && templated.length <= HEADER_MAX_BYTES) {
    // the template's text is ASCII: written straight after the prefix, no header buffer in between
    const prefix = framePrefix(command.serializeType, templated.length, bodyLength);
    prefix.write(templated, 8, 'latin1');
    return [prefix, body];
  }
  const header =
    command.serializeType === SerializeType.ROCKETMQ ? encodeRocketmqHeader(command) : encodeJsonHeaderGeneric(command);
  if (header.length > HEADER_MAX_BYTES) throw new CodecError(`header of ${header.length} bytes is too large`);
  const prefix = framePrefix(command.serializeType, header.length, bodyLength);
  header.copy(prefix, 8);
  return [prefix, body];
}

/** length, serialize type and header length, with room for the header after them. */
function framePrefix(serializeType: SerializeType, headerBytes: number, bodyBytes: number): Buffer {
  const prefix = Buffer.allocUnsafe(8 + headerBytes);
  prefix.writeInt32BE(4 + headerBytes + bodyBytes, 0);
  prefix.writeUInt8(serializeType, 4);
  prefix.writeUIntBE(headerBytes, 5, 3);
  return prefix;
}

export interface CommandInit {
  remark?: string;
  extFields?: ExtFields;
  body?: Buffer;
  serializeType?: SerializeType;
}

export function createRequestCommand(code: number, opaque: number, init: CommandInit = {}): RemotingCommand {
  return {
    code,
    language: 'JAVA',
    version: CURRENT_VERSION,
    opaque,
    flag: 0,
    remark: init.remark,
    extFields: init.extFields,
    body: init.body,
    serializeType: init.serializeType ?? SerializeType.JSON,
  };
}

/**
 * The remark Java's RemotingCommand.createResponseCommand(Class) starts a response with. A Java
 * handler that then only sets the code SUCCESS sends it along (4.7.1: UPDATE_AND_CREATE_TOPIC, and
 * END_TRANSACTION's rollback through checkPrepareMessage).
 */
export const NOT_SET_RESPONSE_REMARK = 'not set any response code';

/** A response to `request`: same opaque, flag bit 0, the request's serialize type (as 4.9 does). */
export function createResponseCommand(request: RemotingCommand, code: number, init: CommandInit = {}): RemotingCommand {
  return {
    code,
    language: 'JAVA',
    version: CURRENT_VERSION,
    opaque: request.opaque,
    flag: RPC_TYPE_RESPONSE,
    remark: init.remark,
    extFields: init.extFields,
    body: init.body,
    serializeType: init.serializeType ?? request.serializeType,
  };
}
