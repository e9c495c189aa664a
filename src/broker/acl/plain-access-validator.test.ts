import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AclException } from './acl-exception';
import { PlainAccessValidator } from './plain-access-validator';

describe('plain access validator: the ACL admin writes', () => {
  let home: string;
  let file: string;
  let validator: PlainAccessValidator;

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'acl-home-'));
    fs.mkdirSync(path.join(home, 'conf'));
    file = path.join(home, 'conf', 'plain_acl.yml');
    fs.writeFileSync(
      file,
      'globalWhiteRemoteAddresses:\n- 10.10.103.*\naccounts:\n- accessKey: RocketMQ\n  secretKey: "12345678"\n  admin: false\n',
    );
    validator = new PlainAccessValidator(home);
  });
  afterEach(() => {
    validator.shutdown();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('adds, updates and deletes accounts and bumps the data version in the file', () => {
    expect(
      validator.updateAccessConfig({
        accessKey: 'newUser1',
        secretKey: 'newSecret1',
        admin: true,
        topicPerms: ['t=PUB'],
      }),
    ).to.equal(true);
    expect(JSON.parse(validator.aclConfigVersion()).counter).to.equal(1);
    expect(validator.updateAccessConfig({ accessKey: 'newUser1', admin: false, defaultTopicPerm: 'SUB' })).to.equal(
      true,
    );
    const config = validator.getAllAclConfig();
    expect(config.plainAccessConfigs.map((c) => c.accessKey)).to.deep.equal(['RocketMQ', 'newUser1']);
    expect(config.plainAccessConfigs[1]).to.include({ secretKey: 'newSecret1', admin: false, defaultTopicPerm: 'SUB' });
    expect(fs.readFileSync(file, 'utf8')).to.contain('dataVersion').and.contain('counter: 2');
    expect(validator.deleteAccessConfig('newUser1')).to.equal(true);
    expect(validator.deleteAccessConfig('newUser1')).to.equal(false);
    expect(validator.updateGlobalWhiteAddrsConfig(['10.*.*.*', '127.0.0.1'])).to.equal(true);
    expect(validator.getAllAclConfig().globalWhiteAddrs).to.deep.equal(['10.*.*.*', '127.0.0.1']);
    expect(fs.readdirSync(path.join(home, 'conf')).filter((name) => name.endsWith('.tmp'))).to.deep.equal([]);
  });

  it('refuses short keys and unloadable accounts without writing', () => {
    const before = fs.readFileSync(file, 'utf8');
    const bad = [
      { accessKey: 'short', secretKey: 'newSecret1', admin: false },
      { accessKey: 'newUser1', secretKey: 'short', admin: false },
      { accessKey: 'newUser1', secretKey: 'newSecret1', admin: false, whiteRemoteAddress: '192.168.*' },
    ];
    for (const config of bad)
      expect(() => validator.updateAccessConfig(config), JSON.stringify(config)).to.throw(AclException);
    expect(fs.readFileSync(file, 'utf8')).to.equal(before);
  });
});

describe('plain_acl.yml location', () => {
  it('is <home>/conf/plain_acl.yml, or <home> + $ROCKETMQ_ACL_PLAIN_FILE as -Drocketmq.acl.plain.file', async () => {
    const { plainAclFilePath } = await import('./plain-acl-file');
    expect(plainAclFilePath('/opt/rmq', '/conf/plain_acl.yml')).to.equal('/opt/rmq/conf/plain_acl.yml');
    expect(plainAclFilePath('/opt/rmq', 'acl/other.yml')).to.equal('/opt/rmq/acl/other.yml');
  });
});
