import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { parseFastjson } from '../codec/fastjson-parse';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import { startTestNamesrv, TestBroker, type TestNamesrv, topicConfig } from './namesrv-test-support';

const ORDER = 'ORDER_TOPIC_CONFIG';

describe('NameServer admin and client codes over real sockets', () => {
  let namesrv: TestNamesrv;
  const brokers: TestBroker[] = [];

  async function register(spec: ConstructorParameters<typeof TestBroker>[1] = {}) {
    const broker = new TestBroker(namesrv.address, spec);
    brokers.push(broker);
    return broker.register();
  }

  async function bodyOf(code: number, extFields?: Record<string, string>): Promise<unknown> {
    const response = await namesrv.request(code, extFields);
    expect(response.code).to.equal(ResponseCode.SUCCESS);
    return parseFastjson(response.body!);
  }

  beforeEach(async () => {
    namesrv = await startTestNamesrv();
  });

  afterEach(async () => {
    for (const broker of brokers.splice(0)) broker.close();
    await namesrv.stop();
  });

  it('puts, gets, lists and deletes KV config, persisting to kvConfigPath', async () => {
    const put = await namesrv.request(RequestCode.PUT_KV_CONFIG, { namespace: ORDER, key: 'T', value: 'broker-a:4' });
    expect(put.code).to.equal(ResponseCode.SUCCESS);
    const get = await namesrv.request(RequestCode.GET_KV_CONFIG, { namespace: ORDER, key: 'T' });
    expect(get).to.include({ code: ResponseCode.SUCCESS });
    expect(get.extFields).to.deep.equal({ value: 'broker-a:4' });
    expect(await bodyOf(RequestCode.GET_KVLIST_BY_NAMESPACE, { namespace: ORDER })).to.deep.equal({
      table: { T: 'broker-a:4' },
    });
    expect(fs.readFileSync(path.join(namesrv.dir, 'kvConfig.json'), 'utf8')).to.equal(
      '{"configTable":{"ORDER_TOPIC_CONFIG":{"T":"broker-a:4"}}}',
    );

    await namesrv.request(RequestCode.DELETE_KV_CONFIG, { namespace: ORDER, key: 'T' });
    const missing = await namesrv.request(RequestCode.GET_KV_CONFIG, { namespace: ORDER, key: 'T' });
    expect(missing).to.include({
      code: ResponseCode.QUERY_NOT_FOUND,
      remark: 'No config item, Namespace: ORDER_TOPIC_CONFIG Key: T',
    });
    const noNamespace = await namesrv.request(RequestCode.GET_KVLIST_BY_NAMESPACE, { namespace: 'nobody' });
    expect(noNamespace).to.include({ code: ResponseCode.QUERY_NOT_FOUND, remark: 'No config item, Namespace: nobody' });
  });

  it('loads KV config at start', async () => {
    await namesrv.request(RequestCode.PUT_KV_CONFIG, { namespace: 'ns', key: 'k', value: 'v' });
    const restarted = await startTestNamesrv({ kvConfigPath: path.join(namesrv.dir, 'kvConfig.json') });
    try {
      expect(
        (await restarted.request(RequestCode.GET_KV_CONFIG, { namespace: 'ns', key: 'k' })).extFields,
      ).to.deep.equal({ value: 'v' });
    } finally {
      await restarted.stop();
    }
  });

  it('returns the ORDER_TOPIC_CONFIG table to a registering broker', async () => {
    expect((await register()).body).to.equal(undefined);
    await namesrv.request(RequestCode.PUT_KV_CONFIG, { namespace: ORDER, key: 'T', value: 'broker-a:4' });
    expect((await register()).body!.toString()).to.equal('{"table":{"T":"broker-a:4"}}');
  });

  it('adds orderTopicConf to the route only when orderMessageEnable is set', async () => {
    await register();
    await namesrv.request(RequestCode.PUT_KV_CONFIG, { namespace: ORDER, key: 'T', value: 'broker-a:4' });
    const before = (await bodyOf(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'T' })) as Record<string, unknown>;
    expect(before).to.not.have.property('orderTopicConf');
    const update = await namesrv.request(
      RequestCode.UPDATE_NAMESRV_CONFIG,
      undefined,
      Buffer.from('orderMessageEnable=true\n'),
    );
    expect(update.code).to.equal(ResponseCode.SUCCESS);
    const after = (await namesrv.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'T' })).body!.toString();
    expect(after).to.contain('"filterServerTable":{},"orderTopicConf":"broker-a:4","queueDatas"');
  });

  it('gets and updates the name server config as key=value text, persisted to configStorePath', async () => {
    const text = (await namesrv.request(RequestCode.GET_NAMESRV_CONFIG)).body!.toString();
    expect(text)
      .to.contain('listenPort=0\n')
      .and.contain('orderMessageEnable=false\n')
      .and.contain('productEnvName=center\n');
    await namesrv.request(
      RequestCode.UPDATE_NAMESRV_CONFIG,
      undefined,
      Buffer.from('productEnvName=test\nunknownKey=1\n'),
    );
    const updated = (await namesrv.request(RequestCode.GET_NAMESRV_CONFIG)).body!.toString();
    expect(updated).to.contain('productEnvName=test\n').and.not.contain('unknownKey');
    expect(fs.readFileSync(path.join(namesrv.dir, 'namesrv.properties'), 'utf8')).to.equal(updated);
  });

  it('refuses remote updates of the file path keys and bad values', async () => {
    const blackListed = await namesrv.request(
      RequestCode.UPDATE_NAMESRV_CONFIG,
      undefined,
      Buffer.from('kvConfigPath=/etc/x\n'),
    );
    expect(blackListed).to.include({
      code: ResponseCode.NO_PERMISSION,
      remark: 'Can not update config in black list.',
    });
    const badValue = await namesrv.request(
      RequestCode.UPDATE_NAMESRV_CONFIG,
      undefined,
      Buffer.from('listenPort=abc\n'),
    );
    expect(badValue.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(badValue.remark).to.contain('listenPort');
    expect(namesrv.controller.namesrvConfig.kvConfigPath).to.equal(path.join(namesrv.dir, 'kvConfig.json'));
  });

  // Lines added to the persisted file would be a way round the black list.
  it('refuses a value that would add lines to the persisted file, or a bindAddress it cannot listen on', async () => {
    const file = path.join(namesrv.dir, 'namesrv.properties');
    await namesrv.request(RequestCode.UPDATE_NAMESRV_CONFIG, undefined, Buffer.from('productEnvName=before\n'));
    const before = fs.readFileSync(file, 'utf8');
    const injected = await namesrv.request(
      RequestCode.UPDATE_NAMESRV_CONFIG,
      undefined,
      Buffer.from('productEnvName=x\\nkvConfigPath=/tmp/evil\n'),
    );
    expect(injected.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(injected.remark).to.match(
      /^updateConfig refused, nothing changed: the value of "productEnvName" contains the control character U\+000A/,
    );
    const backslash = await namesrv.request(
      RequestCode.UPDATE_NAMESRV_CONFIG,
      undefined,
      Buffer.from('productEnvName=a\\\\\n'),
    );
    expect(backslash.remark).to.contain('backslash');
    const bind = await namesrv.request(
      RequestCode.UPDATE_NAMESRV_CONFIG,
      undefined,
      Buffer.from('bindAddress=nowhere\n'),
    );
    expect([bind.code, bind.remark]).to.deep.equal([
      ResponseCode.SYSTEM_ERROR,
      'updateConfig refused, nothing changed: bindAddress=nowhere: must be an IP address, or the next start could not listen',
    ]);
    expect(fs.readFileSync(file, 'utf8')).to.equal(before);
    expect(namesrv.controller.namesrvConfig.productEnvName).to.equal('before');
    const ok = await namesrv.request(
      RequestCode.UPDATE_NAMESRV_CONFIG,
      undefined,
      Buffer.from('productEnvName=caf\\u00e9 = ok\n'),
    );
    expect(ok.code).to.equal(ResponseCode.SUCCESS);
    expect(fs.readFileSync(file, 'utf8')).to.contain('productEnvName=café = ok\n');
  });

  it('keeps odd KV namespaces, keys and values across a restart, and refuses text UTF-8 cannot hold', async () => {
    for (const text of ['', '\u0000', 'line\nbreak', 'ü😀']) {
      const put = await namesrv.request(RequestCode.PUT_KV_CONFIG, {
        namespace: `ns${text}`,
        key: `k${text}`,
        value: `v${text}`,
      });
      expect(put.code, JSON.stringify(text)).to.equal(ResponseCode.SUCCESS);
    }
    const surrogate = await namesrv.request(RequestCode.PUT_KV_CONFIG, { namespace: 'ns', key: 'k\ud800', value: 'v' });
    expect([surrogate.code, surrogate.remark]).to.deep.equal([
      ResponseCode.SYSTEM_ERROR,
      'The specified key contains the unpaired surrogate U+D800 at index 1; kvConfig.json is written as UTF-8, which cannot hold it',
    ]);
    const restarted = await startTestNamesrv({ kvConfigPath: path.join(namesrv.dir, 'kvConfig.json') });
    try {
      for (const text of ['', '\u0000', 'line\nbreak', 'ü😀']) {
        const got = await restarted.request(RequestCode.GET_KV_CONFIG, { namespace: `ns${text}`, key: `k${text}` });
        expect(got.extFields, JSON.stringify(text)).to.deep.equal({ value: `v${text}` });
      }
    } finally {
      await restarted.stop();
    }
  });

  it('wipes the write permission of a broker and reports the count', async () => {
    await register({ topics: [topicConfig('T'), topicConfig('U', 4, 7)] });
    const response = await namesrv.request(RequestCode.WIPE_WRITE_PERM_OF_BROKER, { brokerName: 'broker-a' });
    expect(response.extFields).to.deep.equal({ wipeTopicCount: '2' });
    const route = (await namesrv.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'U' })).body!.toString();
    expect(route).to.contain('"perm":5');
  });

  it('deletes a topic from the name server', async () => {
    await register({ topics: [topicConfig('T'), topicConfig('U')] });
    expect((await namesrv.request(RequestCode.DELETE_TOPIC_IN_NAMESRV, { topic: 'U' })).code).to.equal(
      ResponseCode.SUCCESS,
    );
    expect((await namesrv.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'U' })).code).to.equal(
      ResponseCode.TOPIC_NOT_EXIST,
    );
    expect(await bodyOf(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER)).to.deep.equal({ topicList: ['T'] });
  });

  it('lists topics by cluster, system topics and unit topics', async () => {
    await register({
      topics: [
        topicConfig('T'),
        { ...topicConfig('Unit'), topicSysFlag: 1 },
        { ...topicConfig('Sub'), topicSysFlag: 2 },
      ],
    });
    const byCluster = (await bodyOf(RequestCode.GET_TOPICS_BY_CLUSTER, { cluster: 'DefaultCluster' })) as {
      topicList: string[];
    };
    expect(byCluster.topicList).to.have.members(['T', 'Unit', 'Sub']);
    expect(await bodyOf(RequestCode.GET_TOPICS_BY_CLUSTER, { cluster: 'nobody' })).to.deep.equal({ topicList: [] });
    const system = (await bodyOf(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS)) as {
      topicList: string[];
      brokerAddr: string;
    };
    expect(system.topicList).to.have.members(['DefaultCluster', 'broker-a']);
    expect(system.brokerAddr).to.equal('127.0.0.1:10911');
    expect(await bodyOf(RequestCode.GET_UNIT_TOPIC_LIST)).to.deep.equal({ topicList: ['Unit'] });
    expect(await bodyOf(RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST)).to.deep.equal({ topicList: ['Sub'] });
    expect(await bodyOf(RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST)).to.deep.equal({ topicList: ['Sub'] });
  });

  it('answers QUERY_DATA_VERSION with changed and the held version', async () => {
    await register({ counter: 7 });
    const header = {
      brokerName: 'broker-a',
      brokerAddr: '127.0.0.1:10911',
      clusterName: 'DefaultCluster',
      brokerId: '0',
    };
    const same = await namesrv.request(
      RequestCode.QUERY_DATA_VERSION,
      header,
      Buffer.from('{"counter":7,"timestamp":1600000000000}'),
    );
    expect(same.extFields).to.deep.equal({ changed: 'false' });
    expect(same.body!.toString()).to.equal('{"counter":7,"timestamp":1600000000000}');
    const newer = await namesrv.request(
      RequestCode.QUERY_DATA_VERSION,
      header,
      Buffer.from('{"counter":8,"timestamp":1600000000001}'),
    );
    expect(newer.extFields).to.deep.equal({ changed: 'true' });
    const unknown = await namesrv.request(
      RequestCode.QUERY_DATA_VERSION,
      { ...header, brokerAddr: '10.0.0.1:1' },
      Buffer.from('{}'),
    );
    expect(unknown.extFields).to.deep.equal({ changed: 'true' });
    expect(unknown.body).to.equal(undefined);
  });
});
