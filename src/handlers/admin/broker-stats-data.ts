// VIEW_BROKER_STATS_DATA (315): one counter of the BrokerStatsManager over the last minute, hour
// and day, as BrokerStatsData:
//
//   {"statsDay":{"avgpt":2.0,"sum":1,"tps":1.0},"statsHour":{…},"statsMinute":{…}}
//
// A name or key never counted is answered SYSTEM_ERROR "The stats <name> <key> not exist", as
// Java does (mqadmin statsAll and the exporter skip such keys).
import { JavaDouble } from '../../codec/fastjson-write';
import { decodeViewBrokerStatsDataRequestHeader } from '../../codec/headers/admin-request-headers';
import { RequestCode } from '../../codec/request-code';
import { ResponseCode } from '../../codec/response-code';
import type { BrokerContext } from '../../broker/broker-context';
import type { StatsSnapshot } from '../../broker/stats/stats-item';
import { type AdminRegistry, failure, success } from './admin-support';

function brokerStatsItem(snapshot: StatsSnapshot) {
  return { avgpt: new JavaDouble(snapshot.avgpt), sum: snapshot.sum, tps: new JavaDouble(snapshot.tps) };
}

export function registerBrokerStatsData(registry: AdminRegistry, broker: BrokerContext): void {
  registry.register(RequestCode.VIEW_BROKER_STATS_DATA, (request) => {
    const { statsName, statsKey } = decodeViewBrokerStatsDataRequestHeader(request.extFields);
    const item = broker.brokerStatsManager.getStatsItem(statsName, statsKey);
    if (item === undefined)
      return failure(request, ResponseCode.SYSTEM_ERROR, `The stats <${statsName}> <${statsKey}> not exist`);
    return success(request, {
      statsDay: brokerStatsItem(item.getStatsDataInDay()),
      statsHour: brokerStatsItem(item.getStatsDataInHour()),
      statsMinute: brokerStatsItem(item.getStatsDataInMinute()),
    });
  });
}
