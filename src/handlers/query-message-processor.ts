// QueryMessageProcessor: QUERY_MESSAGE (12) and VIEW_MESSAGE_BY_ID (33).
//
//   QueryMessageRequestHeader: topic String NN, key String NN, maxNum Integer NN,
//     beginTimestamp Long NN, endTimestamp Long NN (mqadmin sends Long.MAX_VALUE);
//     extField _UNIQUE_KEY_QUERY = "true" for a lookup by UNIQ_KEY (maxNum becomes defaultQueryMaxNum)
//   QueryMessageResponseHeader: indexLastUpdateTimestamp Long NN, indexLastUpdatePhyoffset Long NN
//   ViewMessageRequestHeader: offset Long NN (commit-log offset decoded from an offsetMsgId)
//
// Both answer stored records as they are. A bogus view offset gets SYSTEM_ERROR, never a crash:
// mqadmin sends any 32-hex id it is given this way first.
import { HeaderReader } from '../codec/headers/header-reader';
import { createResponseCommand, type RemotingCommand } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import type { BrokerContext } from '../broker/broker-context';
import type { Connection } from '../remoting/connection';
import type { RequestProcessor } from '../remoting/request-processor';

const UNIQUE_MSG_QUERY_FLAG = '_UNIQUE_KEY_QUERY';
/** MessageStoreConfig.defaultQueryMaxNum. */
const DEFAULT_QUERY_MAX_NUM = 32;

export class QueryMessageProcessor implements RequestProcessor {
  constructor(private readonly broker: BrokerContext) {}

  processRequest(_connection: Connection, request: RemotingCommand): RemotingCommand {
    if (request.code === RequestCode.VIEW_MESSAGE_BY_ID) return this.viewMessageById(request);
    if (request.code === RequestCode.QUERY_MESSAGE) return this.queryMessage(request);
    return createResponseCommand(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, {
      remark: ` request type ${request.code} not supported`,
    });
  }

  private queryMessage(request: RemotingCommand): RemotingCommand {
    const reader = new HeaderReader(request.extFields, 'QueryMessageRequestHeader');
    const topic = reader.string('topic');
    const key = reader.string('key');
    let maxNum = reader.int('maxNum');
    const beginTimestampMs = reader.longClamped('beginTimestamp');
    const endTimestampMs = reader.longClamped('endTimestamp');
    if (request.extFields?.[UNIQUE_MSG_QUERY_FLAG] === 'true') maxNum = DEFAULT_QUERY_MAX_NUM;
    const result = this.broker.messageStore.queryMessage(topic, key, maxNum, beginTimestampMs, endTimestampMs);
    const extFields = {
      indexLastUpdateTimestamp: String(result.indexLastUpdateTimestamp),
      indexLastUpdatePhyoffset: String(result.indexLastUpdatePhyoffset),
    };
    if (result.bufferTotalSize === 0) {
      return createResponseCommand(request, ResponseCode.QUERY_NOT_FOUND, {
        remark: 'can not find message, maybe time range not correct',
        extFields,
      });
    }
    return createResponseCommand(request, ResponseCode.SUCCESS, {
      extFields,
      body: Buffer.concat(result.messageBuffers, result.bufferTotalSize),
    });
  }

  private viewMessageById(request: RemotingCommand): RemotingCommand {
    const physicalOffset = new HeaderReader(request.extFields, 'ViewMessageRequestHeader').long('offset');
    const record = physicalOffset < 0 ? null : this.broker.messageStore.lookMessageByOffset(physicalOffset);
    if (record === null) {
      return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, {
        remark: `can not find message by the offset, ${physicalOffset}`,
      });
    }
    return createResponseCommand(request, ResponseCode.SUCCESS, { body: record });
  }
}
