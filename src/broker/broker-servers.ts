// The broker's two remoting servers and which processor serves which request code (Java
// BrokerController.initialize / registerProcessor): the main port serves everything, the VIP port
// (listenPort - 2) everything but pulls, as in Java. Both check ACL first when it is on.
import { RequestCode } from '../codec/request-code';
import { AdminBrokerProcessor } from '../handlers/admin-broker-processor';
import { ClientManageProcessor } from '../handlers/client-manage-processor';
import { ConsumerManageProcessor } from '../handlers/consumer-manage-processor';
import { EndTransactionProcessor } from '../handlers/end-transaction-processor';
import type { PullMessageProcessor } from '../handlers/pull-message-processor';
import { QueryMessageProcessor } from '../handlers/query-message-processor';
import { ReplyMessageProcessor } from '../handlers/reply-message-processor';
import { SendMessageProcessor } from '../handlers/send-message-processor';
import { setFastjsonMaxDepth } from '../codec/fastjson-parse';
import { getLogger } from '../common/logger';
import { RemotingServer } from '../remoting/remoting-server';
import type { PlainAccessValidator } from './acl/plain-access-validator';
import type { BrokerContext } from './broker-context';
import type { BrokerWorkers } from './broker-workers';
import { pickLimits } from './broker-limits';

const SEND_CODES = [
  RequestCode.SEND_MESSAGE,
  RequestCode.SEND_MESSAGE_V2,
  RequestCode.SEND_BATCH_MESSAGE,
  RequestCode.CONSUMER_SEND_MSG_BACK,
];
const REPLY_CODES = [RequestCode.SEND_REPLY_MESSAGE, RequestCode.SEND_REPLY_MESSAGE_V2];
const PULL_CODES = [RequestCode.PULL_MESSAGE, RequestCode.LITE_PULL_MESSAGE];
const CLIENT_MANAGE_CODES = [RequestCode.HEART_BEAT, RequestCode.UNREGISTER_CLIENT, RequestCode.CHECK_CLIENT_CONFIG];
const CONSUMER_MANAGE_CODES = [
  RequestCode.GET_CONSUMER_LIST_BY_GROUP,
  RequestCode.UPDATE_CONSUMER_OFFSET,
  RequestCode.QUERY_CONSUMER_OFFSET,
];
const QUERY_CODES = [RequestCode.QUERY_MESSAGE, RequestCode.VIEW_MESSAGE_BY_ID];

/** Registers the broker's processors on `server`; pulls only when `pull` is given (the main port). */
export function registerBrokerProcessors(
  broker: BrokerContext,
  server: RemotingServer,
  pull: PullMessageProcessor | undefined,
): void {
  const send = new SendMessageProcessor(broker);
  for (const code of SEND_CODES) server.registerProcessor(code, send);
  server.registerProcessor(RequestCode.END_TRANSACTION, new EndTransactionProcessor(broker));
  const reply = new ReplyMessageProcessor(broker, send);
  for (const code of REPLY_CODES) server.registerProcessor(code, reply);
  if (pull !== undefined) for (const code of PULL_CODES) server.registerProcessor(code, pull);
  const clientManage = new ClientManageProcessor(broker);
  for (const code of CLIENT_MANAGE_CODES) server.registerProcessor(code, clientManage);
  const consumerManage = new ConsumerManageProcessor(broker);
  for (const code of CONSUMER_MANAGE_CODES) server.registerProcessor(code, consumerManage);
  const queryMessage = new QueryMessageProcessor(broker);
  for (const code of QUERY_CODES) server.registerProcessor(code, queryMessage);
  server.registerDefaultProcessor(new AdminBrokerProcessor(broker));
}

/** The main and VIP servers, with their processors and the ACL check; not started. */
export function createBrokerServers(
  broker: BrokerContext,
  pull: PullMessageProcessor,
  validator: PlainAccessValidator | undefined,
): [RemotingServer, RemotingServer] {
  const config = broker.brokerConfig;
  const idleTimeoutMs = config.serverChannelMaxIdleTimeSeconds * 1000;
  setFastjsonMaxDepth(config.fastjsonMaxDepth);
  const limits = pickLimits(config);
  const { bindAddress } = config;
  const main = new RemotingServer(
    { listenPort: config.listenPort, bindAddress, idleTimeoutMs, limits },
    getLogger('remoting'),
  );
  const vipPort = config.listenPort === 0 ? 0 : config.listenPort - 2;
  const vip = new RemotingServer({ listenPort: vipPort, bindAddress, idleTimeoutMs, limits }, getLogger('remoting'));
  registerBrokerProcessors(broker, main, pull);
  registerBrokerProcessors(broker, vip, undefined);
  if (validator !== undefined)
    for (const server of [main, vip]) server.registerRpcHook((address, request) => validator.check(address, request));
  return [main, vip];
}

/**
 * Starts both servers (in line, or owned by `connectionWorkerThreads` workers): frames go to held
 * pulls first, then to the send workers when there are any; a closed connection leaves the client
 * tables. Each server is added to `started` once the broker owns it (shutdown closes those).
 */
export async function startBrokerServers(
  broker: BrokerContext,
  main: RemotingServer,
  vip: RemotingServer,
  pulls: PullMessageProcessor,
  workers: BrokerWorkers,
  started: RemotingServer[],
): Promise<void> {
  const connectionWorkers = broker.brokerConfig.connectionWorkerThreads;
  const sendWorkerPool = connectionWorkers > 0 ? undefined : workers.startSendWorkers();
  for (const server of [main, vip]) {
    const sendRouter = sendWorkerPool?.routerFor(server);
    server.setFrameRouter((connection, frame) =>
      pulls.deferFrame(connection, frame) ? true : (sendRouter?.(connection, frame) ?? false),
    );
    server.onConnectionClose((connection) => {
      broker.consumerManager.doChannelCloseEvent(connection);
      broker.producerManager.doChannelCloseEvent(connection);
    });
  }
  if (connectionWorkers > 0) {
    started.push(main, vip);
    await workers.startConnectionWorkers([main, vip], connectionWorkers);
    return;
  }
  for (const server of [main, vip]) {
    await server.start();
    started.push(server);
  }
}
