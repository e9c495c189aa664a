import { expect } from 'chai';
import { javaHashMapOrder, javaStringHashCode } from './java-hash';

describe('javaHashMapOrder', () => {
  it('orders keys by HashMap bucket, then insertion', () => {
    expect(javaStringHashCode('a')).to.equal(97);
    expect(javaHashMapOrder(['b', 'a', 'c'])).to.deep.equal(['a', 'b', 'c']);
  });

  it('never answers one key list with the cached order of another (hostile names with NUL)', () => {
    const lists: string[][] = [[''], [], ['a\u0000b'], ['a', 'b'], ['1:a'], ['a', ''], ['', 'a'], ['', '']];
    for (const keys of lists) javaHashMapOrder(keys);
    for (const keys of lists)
      expect(javaHashMapOrder(keys).slice().sort(), JSON.stringify(keys)).to.deep.equal(keys.slice().sort());
  });

  it('hands out copies, so a caller that changes the list does not change the next answer', () => {
    const first = javaHashMapOrder(['x', 'y']);
    first.push('z');
    expect(javaHashMapOrder(['x', 'y'])).to.have.length(2);
  });

  it('orders as a `new HashMap<>(1024)` table when asked (the NameServer topicQueueTable: mqadmin topicList)', () => {
    // TBW102 and broker-a share a bucket of 16 but not of 1024: Java's topicList prints broker-a first
    expect(javaHashMapOrder(['TBW102', 'broker-a'])).to.deep.equal(['TBW102', 'broker-a']);
    expect(javaHashMapOrder(['TBW102', 'broker-a'], 1024)).to.deep.equal(['broker-a', 'TBW102']);
    expect(() => javaHashMapOrder(['a'], 1000)).to.throw(/capacity/);
  });
});
