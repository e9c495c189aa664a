// GET_BROKER_CONFIG (26) and UPDATE_BROKER_CONFIG (25): the broker's configuration as Java
// properties text (`key=value\n`), with the config's DataVersion as JSON in the `version` header.
// An update that would persist something the next start reads differently or refuses is answered
// SYSTEM_ERROR and changes nothing (broker-config-update.ts).
import { parseJavaProperties, formatJavaProperties } from '../common/java-properties';
import { getLogger } from '../common/logger';
import { stringifyFastjson } from '../codec/fastjson-write';
import { createResponseCommand, type RemotingCommand } from '../codec/remoting-command';
import { ResponseCode } from '../codec/response-code';
import type { BrokerContext } from '../broker/broker-context';
import { brokerConfigUpdateProblems } from '../broker/broker-config-update';

const SECRET_KEY = /secret|password/i;

export class BrokerConfigRequests {
  constructor(private readonly broker: BrokerContext) {}

  getBrokerConfig(request: RemotingCommand): RemotingCommand {
    // no key holds a secret today (ACL keys live in plain_acl.yml); should one appear, it is never shown
    const entries = this.broker.configEntries().filter(([key]) => !SECRET_KEY.test(key));
    const body = Buffer.from(formatJavaProperties(entries), 'utf8');
    return createResponseCommand(request, ResponseCode.SUCCESS, {
      body,
      extFields: { version: stringifyFastjson(this.broker.configDataVersion) },
    });
  }

  updateBrokerConfig(request: RemotingCommand): RemotingCommand {
    if (request.body === undefined) return createResponseCommand(request, ResponseCode.SUCCESS);
    const properties = parseJavaProperties(request.body.toString('utf8'));
    // What would persist a file the next start reads differently, or refuses, changes nothing.
    const problems = brokerConfigUpdateProblems(properties, this.broker.brokerConfig, this.broker.messageStoreConfig);
    if (problems.length > 0) {
      return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, {
        remark: `updateBrokerConfig refused, nothing changed: ${problems.join('; ')}`,
      });
    }
    const refused = this.broker.updateConfig(properties);
    // Java (Configuration.update) answers SUCCESS and keeps the old value of an unknown key or a bad value.
    if (refused.length > 0)
      getLogger('broker').warn(`updateBrokerConfig ignored unknown or invalid keys: ${refused.join(', ')}`);
    return createResponseCommand(request, ResponseCode.SUCCESS);
  }
}
