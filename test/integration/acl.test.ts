// Plain ACL over real sockets: a broker with aclEnable=true and a plain_acl.yml under its
// rocketmqHome, requests signed as AclClientRPCHook signs them.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { ExtFields } from '../../src/codec/remoting-command';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { calSignature, combineRequestContent } from '../../src/broker/acl/acl-signer';
import { Cluster, sendHeader } from './harness';

const YAML = `globalWhiteRemoteAddresses:
- 10.10.103.*
accounts:
- accessKey: RocketMQ
  secretKey: '12345678'
  defaultTopicPerm: DENY
  defaultGroupPerm: SUB
  topicPerms:
  - aclOpen=PUB|SUB
- accessKey: adminKey1
  secretKey: adminSecret1
  admin: true
`;

function signed(fields: ExtFields, body: Buffer | undefined, accessKey: string, secretKey: string): ExtFields {
  const extFields: ExtFields = { ...fields, AccessKey: accessKey };
  return { ...extFields, Signature: calSignature(combineRequestContent(extFields, body), secretKey) };
}

describe('plain ACL over real sockets', function () {
  this.timeout(20_000);
  const cluster = new Cluster();

  before(async () => {
    fs.mkdirSync(path.join(cluster.home, 'conf'), { recursive: true });
    fs.writeFileSync(path.join(cluster.home, 'conf', 'plain_acl.yml'), YAML);
    await cluster.start({ aclEnable: true, rocketmqHome: cluster.home });
    const create = {
      topic: 'aclOpen',
      defaultTopic: 'TBW102',
      readQueueNums: '1',
      writeQueueNums: '1',
      perm: '6',
      topicFilterType: 'SINGLE_TAG',
    };
    expect(
      (
        await cluster.toBroker(
          RequestCode.UPDATE_AND_CREATE_TOPIC,
          signed(create, undefined, 'adminKey1', 'adminSecret1'),
        )
      ).code,
    ).to.equal(ResponseCode.SUCCESS);
  });
  after(() => cluster.stop());

  it('sends with the right signature and refuses the others with Java remarks, on the main and the VIP port', async () => {
    const body = Buffer.from('acl');
    const send = (fields: ExtFields) => cluster.toBroker(RequestCode.SEND_MESSAGE_V2, fields, body);
    expect((await send(signed(sendHeader('aclOpen', 0), body, 'RocketMQ', '12345678'))).code).to.equal(
      ResponseCode.SUCCESS,
    );
    const refusals: [ExtFields, string][] = [
      [
        signed(sendHeader('aclOpen', 0), body, 'RocketMQ', 'wrongSecret'),
        'Check signature failed for accessKey=RocketMQ',
      ],
      [signed(sendHeader('aclOpen', 0), body, 'NoSuchKey1', '12345678'), 'No acl config for NoSuchKey1'],
      [sendHeader('aclOpen', 0), 'No accessKey is configured'],
      [signed(sendHeader('other', 0), body, 'RocketMQ', '12345678'), 'No default permission for topic:other'],
    ];
    for (const [fields, message] of refusals) {
      const response = await send(fields);
      expect(response.code, message).to.equal(ResponseCode.SYSTEM_ERROR);
      expect(response.remark).to.match(
        new RegExp(
          `^org\\.apache\\.rocketmq\\.acl\\.common\\.AclException: ${message}, org\\.apache\\.rocketmq\\.acl\\.plain\\.`,
        ),
      );
    }
    // listenPort 0: the VIP server listens on a free port of its own
    const vipPort = (cluster.broker as unknown as { servers: { port: number }[] }).servers[1].port;
    const vip = `127.0.0.1:${vipPort}`;
    const viaVip = await cluster.request(vip, RequestCode.SEND_MESSAGE_V2, sendHeader('aclOpen', 0), body);
    expect(viaVip.remark).to.contain('No accessKey is configured');
  });

  it('keeps secrets out of GET_BROKER_CONFIG', async () => {
    const config = await cluster.toBroker(
      RequestCode.GET_BROKER_CONFIG,
      signed({}, undefined, 'adminKey1', 'adminSecret1'),
    );
    expect(config.body!.toString()).to.contain('aclEnable=true').and.not.contain('adminSecret1');
  });
});
