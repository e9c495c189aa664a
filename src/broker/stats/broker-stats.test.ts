import { expect } from 'chai';
import { GetMessageStatus } from '../../store/put-message-status';
import { BrokerStatsManager } from './broker-stats-manager';
import { formatRuntime, humanReadableByteCount, javaDoubleToString } from './java-format';
import { StatsItem } from './stats-item';
import { StoreStatsService } from './store-stats-service';

describe('broker stats', () => {
  it('formats doubles, byte counts and the runtime as Java does', () => {
    const doubles = [0, 1, 12.5, 0.001, 1234567.5, 1e7, 0.0001, 1.5e-7, -2, 2.4e10];
    expect(doubles.map(javaDoubleToString)).to.deep.equal([
      '0.0',
      '1.0',
      '12.5',
      '0.001',
      '1234567.5',
      '1.0E7',
      '1.0E-4',
      '1.5E-7',
      '-2.0',
      '2.4E10',
    ]);
    expect([0, 1023, 1024, 1536, 252 * 1024 ** 3].map(humanReadableByteCount)).to.deep.equal([
      '0 B',
      '1023 B',
      '1.0 KiB',
      '1.5 KiB',
      '252.0 GiB',
    ]);
    const elapsedMs = (((1500 * 24 + 2) * 60 + 3) * 60 + 4) * 1000 + 999;
    expect(formatRuntime(elapsedMs)).to.equal('[ 1,500 days, 2 hours, 3 minutes, 4 seconds ]');
  });

  it('reports a window as the difference between its first and last sample', () => {
    const item = new StatsItem('TOPIC_PUT_NUMS', 'T');
    expect(item.getStatsDataInMinute()).to.deep.equal({ sum: 0, tps: 0, avgpt: 0, times: 0 });
    item.add(30, 3);
    item.samplingInSeconds(100_000);
    expect(item.getStatsDataInMinute()).to.deep.equal({ sum: 30, tps: 3, avgpt: 10, times: 3 });
    for (let i = 1; i <= 8; i++) {
      item.add(10, 1);
      item.samplingInSeconds(100_000 + i * 10_000);
    }
    // seven samples kept: 60 s from the sample at +20 s (value 50) to the one at +80 s (value 110)
    expect(item.getStatsDataInMinute()).to.deep.equal({ sum: 60, tps: 1, avgpt: 10, times: 6 });
    expect(item.getStatsDataInDay().sum).to.equal(0);
  });

  it('counts puts, gets and send-backs under Java stats names and keys', () => {
    const stats = new BrokerStatsManager(() => 'DefaultCluster');
    const append = {
      physicalOffset: 0,
      wroteBytes: 300,
      msgId: 'x',
      queueOffset: 0,
      storeTimestampMs: 1000,
      msgNum: 3,
    };
    stats.recordPut('T', append, 1004);
    const found = {
      status: GetMessageStatus.FOUND,
      nextBeginOffset: 2,
      minOffset: 0,
      maxOffset: 3,
      messageBuffers: [],
      messageCount: 2,
      bufferTotalSize: 200,
    };
    stats.recordGetMessage('g', 'T', found);
    stats.recordGetMessage('g', 'T', { ...found, status: GetMessageStatus.NO_MESSAGE_IN_QUEUE, messageCount: 0 });
    stats.recordSendBack('g', 'T');
    stats.samplingInSeconds(50_000);
    const sums = [
      ['TOPIC_PUT_NUMS', 'T'],
      ['TOPIC_PUT_SIZE', 'T'],
      ['BROKER_PUT_NUMS', 'DefaultCluster'],
      ['GROUP_GET_NUMS', 'T@g'],
      ['GROUP_GET_SIZE', 'T@g'],
      ['BROKER_GET_NUMS', 'DefaultCluster'],
      ['SNDBCK_PUT_NUMS', 'T@g'],
    ].map(([name, key]) => stats.getStatsItem(name, key)?.getStatsDataInMinute().sum);
    expect(sums).to.deep.equal([3, 300, 3, 2, 200, 2, 1]);
    expect(stats.getStatsItem('TOPIC_PUT_NUMS', 'Other')).to.equal(undefined);
    const statsLog: string[] = [];
    stats.printAtMinutes((line) => statsLog.push(line));
    // Java StatsItem.printAtMinutes, the stats.log lines
    expect(statsLog).to.include('[TOPIC_PUT_NUMS] [T] Stats In One Minute, SUM: 3 TPS: 0.30 AVGPT: 3.00');
    expect(statsLog.filter((l) => l.startsWith('[GROUP_GET_NUMS] [T@g] '))).to.have.length(1);
    expect(stats.tpsGroupGetNums('g', 'T')).to.equal(0.2);
    const info = stats.storeStats.runtimeInfo(1000);
    expect(info.get('putMessageTimesTotal')).to.equal('3');
    expect(info.get('putMessageDistributeTime')).to.match(/^\[<=0ms\]:0 \[0~10ms\]:1 \[10~50ms\]:0 /);
    expect(stats.storeStats.getMessageTransferredMsgCount).to.equal(2);
    stats.onTopicDeleted('T');
    expect(stats.getStatsItem('GROUP_GET_NUMS', 'T@g')).to.equal(undefined);
  });

  it('gives TPS strings only for windows with enough samples, as StoreStatsService does', () => {
    const service = new StoreStatsService(0);
    expect(service.runtimeInfo(0).get('putTps')).to.equal('  ');
    expect(service.runtimeInfo(0).get('putMessageTimesTotal')).to.equal('1');
    for (let second = 0; second <= 10; second++) {
      service.onPut(2, 100, 0);
      service.sampling(second * 1000);
    }
    const info = service.runtimeInfo(11_000);
    expect(info.get('putTps')).to.equal('2.0  ');
    expect(info.get('getTotalTps')).to.equal('0.0 0.0 0.0');
    expect(info.get('putMessageAverageSize')).to.equal('50.0');
    expect(info.get('runtime')).to.equal('[ 0 days, 0 hours, 0 minutes, 11 seconds ]');
  });
});
