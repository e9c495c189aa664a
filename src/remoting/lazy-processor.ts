// A processor built on its first request. The broker's admin codes (AdminBrokerProcessor and the
// ~20 files of handlers behind it) are needed by mqadmin and a consumer's first offset query, never
// by the send path: loading them at the first admin request instead of at start-up takes about a
// fifth off the time from spawn to the first accepted send (module loading is most of it).
import type { RemotingCommand } from '../codec/remoting-command';
import type { Connection } from './connection';
import type { RequestProcessor } from './request-processor';

export class LazyProcessor implements RequestProcessor {
  private processor: RequestProcessor | undefined;

  constructor(private readonly build: () => RequestProcessor) {}

  /** The processor, built now if no request has built it yet. */
  get target(): RequestProcessor {
    this.processor ??= this.build();
    return this.processor;
  }

  processRequest(
    connection: Connection,
    request: RemotingCommand,
  ): Promise<RemotingCommand | null> | RemotingCommand | null {
    return this.target.processRequest(connection, request);
  }

  rejectRequest(): boolean {
    return this.target.rejectRequest?.() ?? false;
  }
}
