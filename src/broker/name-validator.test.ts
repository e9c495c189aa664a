import { expect } from 'chai';
import { unsafeTextProblem } from '../common/unsafe-text';
import { GROUP_MAX_LENGTH, groupNameProblem, offsetTopicProblem, STORED_TOPIC_MAX_LENGTH } from './name-validator';

describe('name validator', () => {
  const accepted = [
    'please_rename_unique_group_name_4',
    '%RETRY%group',
    '%DLQ%group',
    'rmq_sys_x',
    'CID_RMQ_SYS_TRANS',
    'ns%group',
    'a|b',
    'a-b_c',
    'my.group',
    'group with space',
    ' padded ',
    'ü😀',
    'a@b',
    'x'.repeat(GROUP_MAX_LENGTH),
  ];
  for (const group of accepted) {
    it(`accepts the group ${JSON.stringify(group.slice(0, 40))}`, () =>
      expect(groupNameProblem('consumerGroup', group)).to.equal(undefined));
  }

  const refused: [string, RegExp][] = [
    ['', /^The specified consumerGroup is blank; a consumerGroup must not be blank/],
    [' ', /is blank/],
    ['\t\n', /is blank/],
    ['\u0000', /control character U\+0000 at index 0/],
    ['a\nb', /control character U\+000A at index 1/],
    ['g\r', /control character U\+000D/],
    ['a\u007f', /control character U\+007F/],
    ['a\u0085', /control character U\+0085/],
    ['\ud800', /unpaired surrogate U\+D800 at index 0/],
    ['a\udc00b', /unpaired surrogate U\+DC00 at index 1/],
    ['😀\ud83d', /unpaired surrogate U\+D83D at index 2/],
    ['x'.repeat(GROUP_MAX_LENGTH + 1), /is 256 characters long; .* longer than 255 characters\.$/],
  ];
  for (const [group, remark] of refused) {
    it(`refuses the group ${JSON.stringify(group.slice(0, 20))}, naming the field and the rule`, () => {
      expect(groupNameProblem('consumerGroup', group)).to.match(remark);
    });
  }

  it('lets offsets be committed on the %RETRY% topic of the longest group, no longer', () => {
    const longest = `%RETRY%${'g'.repeat(GROUP_MAX_LENGTH)}`;
    expect(longest.length).to.equal(STORED_TOPIC_MAX_LENGTH);
    expect(offsetTopicProblem('topic', longest)).to.equal(undefined);
    expect(offsetTopicProblem('topic', `${longest}x`)).to.match(/^The specified topic is 263 characters long/);
    expect(offsetTopicProblem('topic', 'TopicTest')).to.equal(undefined);
    expect(offsetTopicProblem('topic', '')).to.match(/topic is blank/);
  });

  it('finds what would not load back as itself in any text', () => {
    expect(unsafeTextProblem('plain = text: ü')).to.equal(undefined);
    expect(unsafeTextProblem('a\u2028b')).to.equal(undefined); // a separator, not a control character
    expect(unsafeTextProblem('line\nbreak')).to.match(/U\+000A/);
    expect(unsafeTextProblem('\udfff')).to.match(/unpaired surrogate/);
  });
});
