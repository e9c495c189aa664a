// QueryMessageProcessor: VIEW_MESSAGE_BY_ID (33) answers the one record stored at a commit-log
// offset (decoded by the client from an offsetMsgId). A bogus offset gets SYSTEM_ERROR, never a
// crash: mqadmin sends any 32-hex id it is given this way first.
import { HeaderReader } from '../codec/headers/header-reader';
import { createResponseCommand, RemotingCommand } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import type { BrokerContext } from '../broker/broker-context';
import type { Connection } from '../remoting/connection';
import type { RequestProcessor } from '../remoting/request-processor';

export class QueryMessageProcessor implements RequestProcessor {
  constructor(private readonly broker: BrokerContext) {}

  processRequest(_connection: Connection, request: RemotingCommand): RemotingCommand {
    if (request.code === RequestCode.VIEW_MESSAGE_BY_ID) return this.viewMessageById(request);
    return createResponseCommand(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, { remark: ` request type ${request.code} not supported` });
  }

  private viewMessageById(request: RemotingCommand): RemotingCommand {
    const physicalOffset = new HeaderReader(request.extFields, 'ViewMessageRequestHeader').long('offset');
    const record = physicalOffset < 0 ? null : this.broker.messageStore.lookMessageByOffset(physicalOffset);
    if (record === null) {
      return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, { remark: `can not find message by the offset, ${physicalOffset}` });
    }
    return createResponseCommand(request, ResponseCode.SUCCESS, { body: record });
  }
}
