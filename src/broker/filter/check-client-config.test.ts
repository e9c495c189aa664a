import { expect } from 'chai';
import { createRequestCommand } from '../../codec/remoting-command';
import { RequestCode } from '../../codec/request-code';
import { ResponseCode } from '../../codec/response-code';
import { defaultBrokerConfig } from '../broker-config';
import { checkClientConfig } from './check-client-config';

function check(expressionType: string, subString: string, enablePropertyFilter: boolean) {
  const body = {
    clientId: 'c',
    group: 'g',
    subscriptionData: {
      classFilterMode: false,
      codeSet: [],
      expressionType,
      subString,
      subVersion: 1,
      tagsSet: [],
      topic: 'T',
    },
  };
  const request = createRequestCommand(RequestCode.CHECK_CLIENT_CONFIG, 1, { body: Buffer.from(JSON.stringify(body)) });
  return checkClientConfig({ ...defaultBrokerConfig(), enablePropertyFilter }, request);
}

describe('CHECK_CLIENT_CONFIG', () => {
  it('accepts TAG subscriptions whatever enablePropertyFilter says', () => {
    expect(check('TAG', 'a || b', false).code).to.equal(ResponseCode.SUCCESS);
  });

  it('refuses SQL92 as Java does when enablePropertyFilter is off', () => {
    const response = check('SQL92', 'a > 1', false);
    expect([response.code, response.remark]).to.deep.equal([
      ResponseCode.SYSTEM_ERROR,
      'The broker does not support consumer to filter message by SQL92',
    ]);
  });

  it('accepts a good SQL92 expression and names the error of a bad one', () => {
    expect(check('SQL92', "a > 1 AND TAGS IN ('x')", true).code).to.equal(ResponseCode.SUCCESS);
    const bad = check('SQL92', 'a > ', true);
    expect(bad.code).to.equal(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    expect(bad.remark).to.match(/^org\.apache\.rocketmq\.filter\.parser\.ParseException: .*line 1, column/);
    expect(check('SQL92', 'a BETWEEN 3 AND 1', true).code).to.equal(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
  });

  it('answers SYSTEM_ERROR for a body that is not JSON', () => {
    const request = createRequestCommand(RequestCode.CHECK_CLIENT_CONFIG, 1, { body: Buffer.from('nope') });
    expect(checkClientConfig(defaultBrokerConfig(), request).code).to.equal(ResponseCode.SYSTEM_ERROR);
  });
});
