import { expect } from 'chai';
import { createRequestCommand } from '../../codec/remoting-command';
import { RequestCode } from '../../codec/request-code';
import { parsePlainAccessResource } from './plain-access-resource';

describe('acl resources beyond Java 4.7.1', () => {
  const needed = (code: number, extFields: Record<string, string>, body?: string) => [
    ...(parsePlainAccessResource(
      createRequestCommand(code, 1, {
        extFields: { ...extFields, AccessKey: 'k' },
        body: body === undefined ? undefined : Buffer.from(body),
      }),
      '127.0.0.1:1',
    ).resourcePermMap ?? []),
  ];

  it('asks for the topics and groups of codes 4.7.1 does not check', () => {
    const table: [string, number, Record<string, string>, [string, number][], string?][] = [
      ['batch', RequestCode.SEND_BATCH_MESSAGE, { b: 'T', a: 'pg' }, [['T', 4]]],
      ['reply', RequestCode.SEND_REPLY_MESSAGE_V2, { b: 'T' }, [['T', 4]]],
      [
        'lite pull',
        RequestCode.LITE_PULL_MESSAGE,
        { topic: 'T', consumerGroup: 'g' },
        [
          ['T', 8],
          ['%RETRY%g', 8],
        ],
      ],
      [
        'query offset',
        RequestCode.QUERY_CONSUMER_OFFSET,
        { topic: 'T', consumerGroup: 'g', queueId: '0' },
        [
          ['T', 8],
          ['%RETRY%g', 8],
        ],
      ],
      ['max offset', RequestCode.GET_MAX_OFFSET, { topic: 'T', queueId: '0' }, [['T', 8]]],
      ['consume stats', RequestCode.GET_CONSUME_STATS, { consumerGroup: 'g' }, [['%RETRY%g', 8]]],
      [
        'lock',
        RequestCode.LOCK_BATCH_MQ,
        {},
        [
          ['%RETRY%g', 8],
          ['T', 8],
        ],
        '{"consumerGroup":"g","clientId":"c","mqSet":[{"topic":"T","brokerName":"b","queueId":0}]}',
      ],
      ['not a topic code', RequestCode.GET_BROKER_RUNTIME_INFO, {}, []],
    ];
    for (const [what, code, fields, expected, body] of table)
      expect(needed(code, fields, body), what).to.deep.equal(expected);
  });
});
