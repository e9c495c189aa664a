// Broker2Client: requests the broker sends to its clients over their own connections.
// Oneway: CHECK_TRANSACTION_STATE (39), NOTIFY_CONSUMER_IDS_CHANGED (40), RESET_CONSUMER_CLIENT_OFFSET
// (220). Sync, answered by the client with the same opaque: GET_CONSUMER_STATUS_FROM_CLIENT (221,
// 5 s), GET_CONSUMER_RUNNING_INFO (307, 10 s), CONSUME_MESSAGE_DIRECTLY (309, 10 s),
// PUSH_REPLY_MESSAGE_TO_CLIENT (326, 10 s).
import { createRequestCommand, type ExtFields, type RemotingCommand } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { newOpaque, type Connection } from '../remoting/connection';

export function notifyConsumerIdsChanged(connection: Connection, consumerGroup: string): void {
  connection.invokeOneway(
    createRequestCommand(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, newOpaque(), { extFields: { consumerGroup } }),
  );
}

/** A oneway request to a client (no answer is expected or read). */
export function sendOnewayToClient(connection: Connection, code: number, extFields: ExtFields, body?: Buffer): void {
  connection.invokeOneway(createRequestCommand(code, newOpaque(), { extFields, body }));
}

/** A sync request to a client; rejects with RemotingTimeoutError / RemotingClosedError. */
export function callClient(
  connection: Connection,
  code: number,
  extFields: ExtFields,
  timeoutMs: number,
  body?: Buffer,
): Promise<RemotingCommand> {
  return connection.invoke(createRequestCommand(code, newOpaque(), { extFields, body }), timeoutMs);
}
