// AclSigner / AclUtils.combineRequestContent: the HMAC-SHA1 signature AclClientRPCHook sends.
// Content = the values of the request's extFields except Signature and _UNIQUE_KEY_QUERY, in key
// order (Java TreeMap: UTF-16 code-unit order, which JS's default sort is), then the body bytes.
import crypto from 'node:crypto';
import type { ExtFields } from '../../codec/remoting-command';

export const SIGNATURE = 'Signature';
export const ACCESS_KEY = 'AccessKey';
export const SECURITY_TOKEN = 'SecurityToken';
export const UNIQUE_MSG_QUERY_FLAG = '_UNIQUE_KEY_QUERY';

/** The signed bytes of a request as the broker rebuilds them. */
export function combineRequestContent(extFields: ExtFields, body: Buffer | undefined): Buffer {
  const keys = Object.keys(extFields)
    .filter((key) => key !== SIGNATURE && key !== UNIQUE_MSG_QUERY_FLAG)
    .sort();
  const text = Buffer.from(keys.map((key) => extFields[key]).join(''), 'utf8');
  return body === undefined || body.length === 0 ? text : Buffer.concat([text, body]);
}

/** Base64 (standard, padded) of HmacSHA1(secretKey, content). */
export function calSignature(content: Buffer, secretKey: string): string {
  return crypto.createHmac('sha1', Buffer.from(secretKey, 'utf8')).update(content).digest('base64');
}
