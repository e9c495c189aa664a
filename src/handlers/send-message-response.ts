// The parts of a send's answer that do not depend on the processor: the one mapping of the store's
// PutMessageStatus to a response code and Java 4.7.1's remark (SendMessageProcessor
// .handlePutMessageResult), and the extFields every answer carries (the client reads MSG_REGION
// and TRACE_ON unconditionally).
import { ResponseCode } from '../codec/response-code';
import type { BrokerConfig } from '../broker/broker-config';
import { diskUtil } from '../broker/stats/java-format';
import type { MessageStoreConfig } from '../store/message-store-config';
import { PutMessageStatus } from '../store/put-message-status';

/** Java 4.7.1's text, fixed whatever maxMessageSize is (SendMessageProcessor.handlePutMessageResult). */
const MESSAGE_ILLEGAL_REMARK =
  'the message is illegal, maybe msg body or properties length not matched. msg body length limit 128k, msg properties length limit 32k.';

/** What a put's status answers: `stored` answers carry the send result; the others only a remark. */
export type PutOutcome = { stored: true; code: number } | { stored: false; code: number; remark: string };

/** The one place a PutMessageStatus becomes a response code. */
export function putStatusToOutcome(status: PutMessageStatus, storeConfig: MessageStoreConfig): PutOutcome {
  switch (status) {
    case PutMessageStatus.PUT_OK:
      return { stored: true, code: ResponseCode.SUCCESS };
    case PutMessageStatus.FLUSH_DISK_TIMEOUT:
      return { stored: true, code: ResponseCode.FLUSH_DISK_TIMEOUT };
    case PutMessageStatus.FLUSH_SLAVE_TIMEOUT:
      return { stored: true, code: ResponseCode.FLUSH_SLAVE_TIMEOUT };
    case PutMessageStatus.SLAVE_NOT_AVAILABLE:
      return { stored: true, code: ResponseCode.SLAVE_NOT_AVAILABLE };
    case PutMessageStatus.CREATE_MAPEDFILE_FAILED:
      return {
        stored: false,
        code: ResponseCode.SYSTEM_ERROR,
        remark: 'create mapped file failed, server is busy or broken.',
      };
    case PutMessageStatus.MESSAGE_ILLEGAL:
    case PutMessageStatus.PROPERTIES_SIZE_EXCEEDED:
      return { stored: false, code: ResponseCode.MESSAGE_ILLEGAL, remark: MESSAGE_ILLEGAL_REMARK };
    case PutMessageStatus.SERVICE_NOT_AVAILABLE:
      return {
        stored: false,
        code: ResponseCode.SERVICE_NOT_AVAILABLE,
        remark:
          `service not available now, maybe disk full, ${diskUtil(storeConfig)}, ` +
          'maybe your broker machine memory too small.',
      };
    case PutMessageStatus.OS_PAGECACHE_BUSY:
      return {
        stored: false,
        code: ResponseCode.SYSTEM_ERROR,
        remark: '[PC_SYNCHRONIZED]broker busy, start flow control for a while',
      };
    default:
      return { stored: false, code: ResponseCode.SYSTEM_ERROR, remark: 'UNKNOWN_ERROR' };
  }
}

/** The extFields of every send answer, stored or not. */
export function regionFields(config: BrokerConfig): { MSG_REGION: string; TRACE_ON: string } {
  return { MSG_REGION: config.regionId, TRACE_ON: String(config.traceOn) };
}
