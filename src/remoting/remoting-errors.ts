/** A request got no response within its timeout. */
export class RemotingTimeoutError extends Error {
  constructor(address: string, timeoutMs: number) {
    super(`wait response on ${address} timed out after ${timeoutMs} ms`);
    this.name = 'RemotingTimeoutError';
  }
}

/** The connection closed before a response arrived, or was closed when the request was made. */
export class RemotingClosedError extends Error {
  constructor(address: string) {
    super(`connection to ${address} is closed`);
    this.name = 'RemotingClosedError';
  }
}

/** The connection could not be made. */
export class RemotingConnectError extends Error {
  constructor(address: string, cause: string) {
    super(`connect to ${address} failed: ${cause}`);
    this.name = 'RemotingConnectError';
  }
}
