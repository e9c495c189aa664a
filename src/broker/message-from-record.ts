// A new message built from a stored one, for the broker's own re-puts: delayed delivery,
// send-back to %RETRY% / %DLQ%, transaction commit. Everything is copied from the stored record
// except what the caller names (topic, queue, properties, …); tagsCode follows the properties.
import type { MessageRecord } from '../codec/message/message-record';
import type { MessageToStore } from '../store/dispatch-request';
import { tagsCodeOf } from './tags-code';

export type RecordOverrides = Pick<MessageToStore, 'topic' | 'queueId' | 'propertiesString'> & Partial<MessageToStore>;

export function messageFromRecord(record: MessageRecord, overrides: RecordOverrides): MessageToStore {
  return {
    flag: record.flag,
    body: record.body,
    sysFlag: record.sysFlag,
    bornTimestampMs: record.bornTimestampMs,
    bornHost: record.bornHost,
    storeHost: record.storeHost,
    reconsumeTimes: record.reconsumeTimes,
    preparedTransactionOffset: record.preparedTransactionOffset,
    tagsCode: tagsCodeOf(overrides.propertiesString),
    ...overrides,
  };
}
