import { expect } from 'chai';
import { createRequestCommand, createResponseCommand, type RemotingCommand } from '../codec/remoting-command';
import type { Connection } from './connection';
import { LazyProcessor } from './lazy-processor';
import type { RequestProcessor } from './request-processor';

describe('LazyProcessor', () => {
  const connection = {} as Connection;

  it('builds its processor at the first request only, and hands every request to it', () => {
    let builds = 0;
    const seen: number[] = [];
    const lazy = new LazyProcessor(() => {
      builds++;
      return {
        processRequest: (_c: Connection, request: RemotingCommand) => {
          seen.push(request.code);
          return createResponseCommand(request, 0);
        },
      };
    });
    expect(builds).to.equal(0);
    expect(lazy.processRequest(connection, createRequestCommand(17, 1))).to.include({ code: 0, opaque: 1 });
    lazy.processRequest(connection, createRequestCommand(25, 2));
    expect(builds).to.equal(1);
    expect(seen).to.deep.equal([17, 25]);
  });

  it("follows its processor's rejectRequest, false when it has none", () => {
    let busy = true;
    const rejecting: RequestProcessor = { processRequest: () => null, rejectRequest: () => busy };
    const lazy = new LazyProcessor(() => rejecting);
    expect(lazy.rejectRequest()).to.equal(true);
    busy = false;
    expect(lazy.rejectRequest()).to.equal(false);
    expect(new LazyProcessor(() => ({ processRequest: () => null })).rejectRequest()).to.equal(false);
  });
});
