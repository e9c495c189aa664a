import { expect } from 'chai';
import { unimplementedSafetySettings, withoutUnimplementedSafetySettings } from './unimplemented-config';

describe('unimplemented safety settings', () => {
  it('refuses each guarded store key set to a value the broker does not act on', () => {
    const refused: Array<[string, string]> = [
      ['enableDLegerCommitLog', ' TRUE '],
      ['enableDLegerCommitLog', 'true'],
      ['duplicationEnable', 'true'],
      ['enableConsumeQueueExt', 'true'],
      ['messageIndexSafe', 'true'],
    ];
    for (const [key, value] of refused) {
      const problems = unimplementedSafetySettings(new Map([[key, value]]));
      expect(problems, `${key}=${value}`).to.have.length(1);
      expect(problems[0]).to.contain(`${key}=${value.trim()}`).and.contain('does not implement');
    }
  });

  it('accepts the defaults and keys it does not guard (roles, HA and ACL are implemented)', () => {
    const fine = new Map([
      ['brokerRole', 'SYNC_MASTER'],
      ['haMasterAddress', '127.0.0.1:10912'],
      ['aclEnable', 'false'],
      ['aclEnable', 'true'],
      ['enableDLegerCommitLog', 'no'],
      ['flushDiskType', 'SYNC_FLUSH'],
      ['brokerName', 'broker-a'],
    ]);
    expect(unimplementedSafetySettings(fine)).to.deep.equal([]);
  });

  it('splits an update into the keys to apply and the ones refused', () => {
    const { kept, refused } = withoutUnimplementedSafetySettings(
      new Map([
        ['duplicationEnable', 'true'],
        ['aclEnable', 'true'],
        ['brokerPermission', '6'],
        ['brokerRole', 'SLAVE'],
        ['messageIndexSafe', 'true'],
      ]),
    );
    expect([...kept.keys()]).to.deep.equal(['aclEnable', 'brokerPermission', 'brokerRole']);
    expect(refused).to.deep.equal(['duplicationEnable', 'messageIndexSafe']);
  });
});
