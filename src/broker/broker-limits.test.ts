import { expect } from 'chai';
import { CodecError } from '../codec/codec-error';
import { fastjsonMaxDepth, parseFastjson, setFastjsonMaxDepth, FASTJSON_MAX_DEPTH } from '../codec/fastjson-parse';
import type { Connection } from '../remoting/connection';
import type { RemotingCommand } from '../codec/remoting-command';
import { defaultBrokerConfig } from './broker-config';
import { badLimitProperties, DEFAULT_BROKER_LIMITS, pickLimits, validateBrokerLimits } from './broker-limits';
import { type PullRequest, PullRequestHoldService } from './longpolling/pull-request-hold-service';

describe('broker limits', () => {
  it('the defaults pass validation and are part of every BrokerConfig', () => {
    validateBrokerLimits({ ...DEFAULT_BROKER_LIMITS });
    expect(pickLimits(defaultBrokerConfig())).to.deep.equal(DEFAULT_BROKER_LIMITS);
  });

  it('refuses a limit out of its range, naming the key', () => {
    expect(() => validateBrokerLimits({ ...DEFAULT_BROKER_LIMITS, maxHeldPulls: 0 })).to.throw(
      RangeError,
      /maxHeldPulls must be/,
    );
    expect(() => validateBrokerLimits({ ...DEFAULT_BROKER_LIMITS, maxPropertiesLength: 40000 })).to.throw(
      RangeError,
      /maxPropertiesLength/,
    );
    expect(() => validateBrokerLimits({ ...DEFAULT_BROKER_LIMITS, serverMaxConnections: 1.5 })).to.throw(
      RangeError,
      /serverMaxConnections/,
    );
  });

  it('pullTurnBudgetMs takes a fraction of a millisecond down to 0.05 (the others are integers)', () => {
    validateBrokerLimits({ ...DEFAULT_BROKER_LIMITS, pullTurnBudgetMs: 0.25 });
    for (const bad of [0.01, 0, Number.NaN, 1001])
      expect(() => validateBrokerLimits({ ...DEFAULT_BROKER_LIMITS, pullTurnBudgetMs: bad })).to.throw(
        RangeError,
        /pullTurnBudgetMs must be a number in 0.05..1000/,
      );
    expect(badLimitProperties(defaultBrokerConfig(), new Map([['pullTurnBudgetMs', '0.5']]))).to.deep.equal([]);
  });

  it('badLimitProperties names the updates that would break a limit and lets the others through', () => {
    const properties = new Map([
      ['maxTopicCount', '-1'],
      ['maxHeldPulls', '50'],
      ['fastjsonMaxDepth', 'deep'],
      ['brokerName', 'x'],
    ]);
    expect(badLimitProperties(defaultBrokerConfig(), properties)).to.deep.equal(['fastjsonMaxDepth', 'maxTopicCount']);
  });

  it('fastjsonMaxDepth is a process-wide setting checked on every parse', () => {
    try {
      setFastjsonMaxDepth(3);
      expect(fastjsonMaxDepth()).to.equal(3);
      expect(parseFastjson('[[[1]]]')).to.deep.equal([[[1]]]);
      expect(() => parseFastjson('[[[[1]]]]')).to.throw(CodecError, 'nesting deeper than fastjsonMaxDepth=3');
      expect(() => setFastjsonMaxDepth(0)).to.throw(RangeError);
    } finally {
      setFastjsonMaxDepth(FASTJSON_MAX_DEPTH);
    }
  });
});

describe('PullRequestHoldService limits', () => {
  const connection = (closed = false) => ({ isClosed: closed }) as unknown as Connection;
  const pull = (peer: Connection, offset = 0): PullRequest => ({
    connection: peer,
    request: {} as RemotingCommand,
    suspendTimestampMs: 0,
    timeoutMs: 60_000,
    pullFromThisOffset: offset,
    filter: undefined,
  });

  it('counts held pulls per connection and in all, refuses past either limit, and frees a slot on wake-up', () => {
    const woken: PullRequest[] = [];
    const service = new PullRequestHoldService(
      (request) => woken.push(request),
      () => 0,
      () => ({ maxHeldPullsPerConnection: 2, maxHeldPulls: 3 }),
    );
    const a = connection();
    const b = connection();
    expect(service.suspendPullRequest('T', 0, pull(a))).to.equal(undefined);
    expect(service.suspendPullRequest('T', 1, pull(a))).to.equal(undefined);
    expect(service.suspendPullRequest('T', 2, pull(a))).to.match(/maxHeldPullsPerConnection=2/);
    expect(service.suspendPullRequest('T', 2, pull(b))).to.equal(undefined);
    expect(service.suspendPullRequest('T', 3, pull(b))).to.match(/maxHeldPulls=3/);
    service.notifyMessageArriving('T', 0, 1);
    expect(woken).to.have.length(1);
    expect([service.heldCountOf(a), service.heldCountOf(b), service.heldCount]).to.deep.equal([1, 1, 2]);
    expect(service.suspendPullRequest('T', 3, pull(a))).to.equal(undefined);
  });

  it('releases the pulls of a closed connection on the next check', () => {
    const service = new PullRequestHoldService(
      () => undefined,
      () => 0,
      () => ({ maxHeldPullsPerConnection: 5, maxHeldPulls: 5 }),
    );
    const gone = connection(true);
    service.suspendPullRequest('T', 0, pull(gone));
    service.suspendPullRequest('T', 1, pull(gone));
    service.checkHoldRequest(1);
    expect([service.heldCountOf(gone), service.heldCount]).to.deep.equal([0, 0]);
  });
});
