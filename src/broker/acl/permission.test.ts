import { expect } from 'chai';
import { AclException } from './acl-exception';
import { checkPermission, needAdminPerm, parsePermFromString, parseResourcePerms, Permission } from './permission';

const { DENY, ANY, PUB, SUB } = Permission;

describe('acl permission (Permission.java)', () => {
  it('checks needed against owned bits as Java', () => {
    const table: [number, number, boolean][] = [
      [PUB, PUB, true],
      [PUB, SUB, false],
      [SUB, PUB | SUB, true],
      [PUB, DENY, false],
      [PUB, DENY | PUB, false],
      [ANY, SUB, true],
      [ANY, PUB, true],
      [ANY, DENY, false],
      [SUB, 0, false],
    ];
    for (const [needed, owned, expected] of table)
      expect(checkPermission(needed, owned), `${needed} vs ${owned}`).to.equal(expected);
  });

  it('parses the yml strings; anything else is DENY', () => {
    const table: [string | undefined, number][] = [
      ['PUB', PUB],
      [' SUB ', SUB],
      ['PUB|SUB', PUB | SUB],
      ['SUB|PUB', PUB | SUB],
      ['DENY', DENY],
      [undefined, DENY],
      ['pub', DENY],
      ['PUB | SUB', DENY],
      ['ANY', DENY],
      ['', DENY],
    ];
    for (const [text, perm] of table) expect(parsePermFromString(text), String(text)).to.equal(perm);
  });

  it('keys groups by their retry topic and refuses entries that are not name=PERM', () => {
    const perms = new Map<string, number>();
    parseResourcePerms(perms, true, ['t1=PUB', ' t2 = SUB ']);
    parseResourcePerms(perms, false, ['g1=SUB']);
    expect([...perms]).to.deep.equal([
      ['t1', PUB],
      ['t2', SUB],
      ['%RETRY%g1', SUB],
    ]);
    for (const bad of ['t1', 't1=PUB=SUB', '=PUB', 'PUB=']) {
      expect(() => parseResourcePerms(new Map(), true, [bad]), bad).to.throw(
        AclException,
        `Parse resource permission failed for topic:${bad}`,
      );
    }
  });

  it('needs admin for the five codes of Java ADMIN_CODE only', () => {
    for (const code of [17, 25, 215, 200, 207]) expect(needAdminPerm(code), String(code)).to.equal(true);
    // 50–54: beyond-java-resources.ts
    for (const code of [10, 11, 310, 320, 34, 50]) expect(needAdminPerm(code), String(code)).to.equal(false);
  });
});
