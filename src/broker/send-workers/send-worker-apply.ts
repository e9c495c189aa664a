// The main thread's half of an encoded send: the request and header rebuilt from the worker's slot
// (send-answer-format.ts), processed through the server's dispatch (processor lookup,
// rejectRequest, answer) with SendMessageProcessor.processEncoded as the processor's work.
import type { Connection } from '../../remoting/connection';
import type { RemotingServer } from '../../remoting/remoting-server';
import { SendMessageProcessor } from '../../handlers/send-message-processor';
import type { AnswerEntry } from './send-answer-format';

export function applyEncodedSend(server: RemotingServer, connection: Connection, entry: AnswerEntry): void {
  const { request, header } = entry;
  server.dispatchDecoded(connection, request, (processor) => {
    if (!(processor instanceof SendMessageProcessor))
      throw new Error(`request code ${request.code} has no send processor`);
    return processor.processEncoded(
      connection,
      request,
      header,
      {
        record: entry.record,
        topic: header.topic,
        queueId: header.queueId,
        sysFlag: entry.sysFlag,
        tagsCode: entry.tagsCode,
        propertiesString: entry.propertiesString,
      },
      entry.receivedPropertiesLength,
    );
  });
}
