import { expect } from 'chai';
import { calSignature, combineRequestContent } from './acl-signer';

describe('acl signer (AclSigner / combineRequestContent)', () => {
  it('signs the values in key order, then the body (vectors from openssl dgst -sha1 -hmac)', () => {
    const fields = { topic: 'topicA', AccessKey: 'RocketMQ', Signature: 'ignored', _UNIQUE_KEY_QUERY: 'ignored' };
    expect(combineRequestContent(fields, undefined).toString()).to.equal('RocketMQtopicA');
    expect(calSignature(combineRequestContent(fields, undefined), '12345678')).to.equal('Xz7hbuQTTlO6bHQAeJAlb9On2jw=');
    expect(calSignature(combineRequestContent(fields, Buffer.from('hello')), '12345678')).to.equal(
      'Xq0Gbh77vVggSc/XVSxu6ucEeF8=',
    );
  });

  it('orders keys as Java String.compareTo (upper case before lower case, UTF-16 units)', () => {
    expect(combineRequestContent({ b: '2', B: '1', a: '3', AccessKey: 'k' }, undefined).toString()).to.equal('k132');
  });
});
