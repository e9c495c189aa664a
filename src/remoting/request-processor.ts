import type { RemotingCommand } from '../codec/remoting-command';
import type { Connection } from './connection';

/**
 * One processor per concern, as Java's NettyRequestProcessor. It returns the response, or null
 * when it answers later itself (a held pull) or never (a oneway request).
 */
export interface RequestProcessor {
  processRequest(
    connection: Connection,
    request: RemotingCommand,
  ): Promise<RemotingCommand | null> | RemotingCommand | null;
  /**
   * Java NettyRequestProcessor.rejectRequest: while true, the server answers every request for
   * this processor SYSTEM_BUSY "[REJECTREQUEST]…" without calling processRequest. Absent = never.
   */
  rejectRequest?(): boolean;
}
