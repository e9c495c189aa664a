// What the consumer admin handlers need of AdminBrokerProcessor: a way to claim request codes.
import type { RemotingCommand } from '../../codec/remoting-command';
import type { Connection } from '../../remoting/connection';

export type ConsumerAdminHandler = (
  request: RemotingCommand,
  connection: Connection,
) => RemotingCommand | Promise<RemotingCommand>;

export interface ConsumerAdminRegistry {
  register(code: number, handler: ConsumerAdminHandler): void;
}
