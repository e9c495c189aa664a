import { expect } from 'chai';
import { ResponseCode } from '../codec/response-code';
import { defaultMessageStoreConfig } from '../store/message-store-config';
import { PutMessageStatus } from '../store/put-message-status';
import { putStatusToOutcome } from './send-message-response';

describe('putStatusToOutcome', () => {
  const config = defaultMessageStoreConfig('/tmp/send-message-response-test');

  // [status, code, stored (answers carry the send result), remark starts with]
  const table: [PutMessageStatus, number, boolean, string][] = [
    [PutMessageStatus.PUT_OK, ResponseCode.SUCCESS, true, ''],
    [PutMessageStatus.FLUSH_DISK_TIMEOUT, ResponseCode.FLUSH_DISK_TIMEOUT, true, ''],
    [PutMessageStatus.FLUSH_SLAVE_TIMEOUT, ResponseCode.FLUSH_SLAVE_TIMEOUT, true, ''],
    [PutMessageStatus.SLAVE_NOT_AVAILABLE, ResponseCode.SLAVE_NOT_AVAILABLE, true, ''],
    [PutMessageStatus.CREATE_MAPEDFILE_FAILED, ResponseCode.SYSTEM_ERROR, false, 'create mapped file failed'],
    [PutMessageStatus.MESSAGE_ILLEGAL, ResponseCode.MESSAGE_ILLEGAL, false, 'the message is illegal'],
    [PutMessageStatus.PROPERTIES_SIZE_EXCEEDED, ResponseCode.MESSAGE_ILLEGAL, false, 'the message is illegal'],
    [PutMessageStatus.SERVICE_NOT_AVAILABLE, ResponseCode.SERVICE_NOT_AVAILABLE, false, 'service not available now'],
    [PutMessageStatus.OS_PAGECACHE_BUSY, ResponseCode.SYSTEM_ERROR, false, '[PC_SYNCHRONIZED]broker busy'],
    [PutMessageStatus.UNKNOWN_ERROR, ResponseCode.SYSTEM_ERROR, false, 'UNKNOWN_ERROR'],
  ];
  for (const [status, code, stored, remark] of table) {
    it(`maps ${status} to code ${code} as Java 4.7.1 does`, () => {
      const outcome = putStatusToOutcome(status, config);
      expect(outcome.code).to.equal(code);
      expect(outcome.stored).to.equal(stored);
      if (!outcome.stored) expect(outcome.remark.startsWith(remark), outcome.remark).to.equal(true);
    });
  }

  it('names the disk use in SERVICE_NOT_AVAILABLE as Java does', () => {
    const outcome = putStatusToOutcome(PutMessageStatus.SERVICE_NOT_AVAILABLE, config);
    expect(outcome.stored).to.equal(false);
    expect(!outcome.stored && outcome.remark).to.match(
      /maybe disk full, .*maybe your broker machine memory too small\.$/,
    );
  });
});
