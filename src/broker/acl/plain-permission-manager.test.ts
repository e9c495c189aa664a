import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequestCommand, type RemotingCommand } from '../../codec/remoting-command';
import { RequestCode } from '../../codec/request-code';
import { AclException } from './acl-exception';
import { calSignature, combineRequestContent } from './acl-signer';
import { parsePlainAccessResource } from './plain-access-resource';
import { PlainPermissionManager } from './plain-permission-manager';

const YAML = `globalWhiteRemoteAddresses:
- 10.10.103.*
accounts:
- accessKey: RocketMQ
  secretKey: 12345678
  whiteRemoteAddress: 192.168.1.1-5
  admin: false
  defaultTopicPerm: DENY
  defaultGroupPerm: SUB
  topicPerms:
  - topicA=PUB
  - topicD=DENY
  groupPerms:
  - groupD=DENY
- accessKey: adminKey1
  secretKey: adminSecret1
  admin: true
`;

/** A request signed as AclClientRPCHook signs it (header fields + AccessKey). */
function signed(
  code: number,
  fields: Record<string, string>,
  accessKey = 'RocketMQ',
  secretKey = '12345678',
): RemotingCommand {
  const extFields: Record<string, string> = { ...fields, AccessKey: accessKey };
  extFields.Signature = calSignature(combineRequestContent(extFields, undefined), secretKey);
  return createRequestCommand(code, 1, { extFields });
}

describe('plain permission manager (PlainPermissionManager)', () => {
  let dir: string;
  let file: string;
  let manager: PlainPermissionManager;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acl-'));
    file = path.join(dir, 'plain_acl.yml');
    fs.writeFileSync(file, YAML);
    manager = new PlainPermissionManager(file);
    manager.load();
  });
  afterEach(() => {
    manager.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const check =
    (request: RemotingCommand, from = '127.0.0.1:5555') =>
    () =>
      manager.validate(parsePlainAccessResource(request, from));

  it('refuses in Java order with Java messages', () => {
    const send = (topic: string) => ({ b: topic, a: 'pg' });
    const table: [string, () => void, string][] = [
      ['no extFields', check(createRequestCommand(RequestCode.SEND_MESSAGE_V2, 1)), 'No accessKey is configured'],
      [
        'unknown key',
        check(signed(RequestCode.SEND_MESSAGE_V2, send('topicA'), 'NoSuchKey1')),
        'No acl config for NoSuchKey1',
      ],
      [
        'wrong secret',
        check(signed(RequestCode.SEND_MESSAGE_V2, send('topicA'), 'RocketMQ', 'wrongSecret')),
        'Check signature failed for accessKey=RocketMQ',
      ],
      [
        'topic DENY',
        check(signed(RequestCode.SEND_MESSAGE_V2, send('topicD'))),
        'No default permission for topic:topicD',
      ],
      [
        'default topic DENY',
        check(signed(RequestCode.SEND_MESSAGE_V2, send('other'))),
        'No default permission for topic:other',
      ],
      [
        'group DENY',
        check(signed(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'groupD' })),
        'No default permission for group:groupD',
      ],
      [
        'admin code',
        check(signed(RequestCode.DELETE_TOPIC_IN_BROKER, { topic: 'topicA' })),
        'Need admin permission for request code=215, but accessKey=RocketMQ is not',
      ],
      [
        'batch beyond Java',
        check(signed(RequestCode.SEND_BATCH_MESSAGE, send('topicD'))),
        'No default permission for topic:topicD',
      ],
      [
        'ACL admin code beyond Java',
        check(signed(RequestCode.DELETE_ACL_CONFIG, { accessKey: 'adminKey1' })),
        'Need admin permission for request code=51, but accessKey=RocketMQ is not',
      ],
      [
        'missing required field',
        check(signed(RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: 'g' })),
        'the custom field <topic> is null',
      ],
    ];
    for (const [what, run, message] of table) expect(run, what).to.throw(AclException, message);
  });

  it('lets through global and account white addresses, right signatures and admins', () => {
    check(createRequestCommand(RequestCode.SEND_MESSAGE_V2, 1), '10.10.103.9:1')();
    check(signed(RequestCode.SEND_MESSAGE_V2, { b: 'topicD' }, 'RocketMQ', 'wrong'), '192.168.1.3:1')();
    check(signed(RequestCode.SEND_MESSAGE_V2, { b: 'topicA' }))();
    check(signed(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'anyGroup' }))();
    check(signed(RequestCode.DELETE_TOPIC_IN_BROKER, { topic: 'topicA' }, 'adminKey1', 'adminSecret1'))();
  });

  it('answers with Java exceptionSimpleDesc remarks', () => {
    try {
      check(signed(RequestCode.SEND_MESSAGE_V2, { b: 'topicA' }, 'NoSuchKey1'))();
      expect.fail('not refused');
    } catch (error) {
      expect((error as AclException).remark).to.equal(
        'org.apache.rocketmq.acl.common.AclException: No acl config for NoSuchKey1, ' +
          'org.apache.rocketmq.acl.plain.PlainPermissionManager.validate(PlainPermissionManager.java:398)',
      );
    }
  });

  it('refuses a file that does not load and keeps the previous rules', () => {
    const bad = [
      '',
      'accounts:\n- accessKey: short\n  secretKey: 12345678\n',
      'accounts:\n- accessKey: RocketMQ\n  secretKey: 123\n',
      'accounts:\n- accessKey: RocketMQ\n',
      'globalWhiteRemoteAddresses:\n- 192.168.*\n',
      'accounts:\n- accessKey: RocketMQ\n  secretKey: 12345678\n  topicPerms:\n  - topicA\n',
      'accounts:\n- accessKey: RocketMQ\n  secretKey: 12345678\n  whiteRemoteAddress: 1.2.3.300\n',
      'accounts: [unclosed',
    ];
    for (const text of bad) {
      fs.writeFileSync(file, text);
      expect(() => manager.load(), JSON.stringify(text)).to.throw(AclException);
      check(signed(RequestCode.SEND_MESSAGE_V2, { b: 'topicA' }))();
    }
  });

  it('re-reads the file when it changes', async () => {
    manager.watch();
    expect(check(createRequestCommand(RequestCode.SEND_MESSAGE_V2, 1))).to.throw(AclException);
    fs.writeFileSync(file, YAML.replace('10.10.103.*', '127.0.0.1'));
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        check(createRequestCommand(RequestCode.SEND_MESSAGE_V2, 1))();
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
});
