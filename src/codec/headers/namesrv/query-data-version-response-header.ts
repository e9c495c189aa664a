// QUERY_DATA_VERSION (322) response header. The body is the DataVersion the name server holds for
// that broker address, when it holds one.
// Mirrors org.apache.rocketmq.common.protocol.header.namesrv.QueryDataVersionResponseHeader.
//
//   extFields = changed:Boolean NN ("true" when the broker's DataVersion differs or is unknown)
import type { ExtFields } from '../../remoting-command';
import { HeaderReader, toExtFields } from '../header-reader';

export interface QueryDataVersionResponseHeader {
  changed: boolean;
}

export function decodeQueryDataVersionResponseHeader(extFields: ExtFields | undefined): QueryDataVersionResponseHeader {
  const reader = new HeaderReader(extFields, 'QueryDataVersionResponseHeader');
  return { changed: reader.string('changed').toLowerCase() === 'true' };
}

export function encodeQueryDataVersionResponseHeader(header: QueryDataVersionResponseHeader): ExtFields {
  return toExtFields(header);
}
