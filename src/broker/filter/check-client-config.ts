// CHECK_CLIENT_CONFIG (46): a push or lite pull consumer with a non-TAG subscription asks every
// broker at start whether it can filter that way (Java ClientManageProcessor.checkClientConfig);
// a refusal makes consumer.start() throw, so a bad expression fails loudly instead of leaving an
// empty queue.
//
//   CheckClientRequestBody {"clientId":"cid","group":"cg","subscriptionData":{SubscriptionData}}
//
//   TAG (or no subscription)          SUCCESS
//   enablePropertyFilter=false        SYSTEM_ERROR "The broker does not support consumer to filter message by SQL92"
//   expression does not compile       SUBSCRIPTION_PARSE_FAILED, remark naming the error as Java's
//                                     exception text does ("<exception class>: <reason> at line…")
import { asBean } from '../../codec/body/bean-fields';
import { parseFastjson } from '../../codec/fastjson-parse';
import { createResponseCommand, type RemotingCommand } from '../../codec/remoting-command';
import { ResponseCode } from '../../codec/response-code';
import { FilterSyntaxError } from '../../filter';
import type { BrokerConfig } from '../broker-config';
import { subscriptionDataFromJson } from '../subscription-data';
import { compileExpression, isTagType } from './consumer-filter-manager';

/** The Java exception class whose toString() the Java broker puts in the remark. */
const JAVA_ERROR_CLASS: Record<string, string> = {
  lexical: 'org.apache.rocketmq.filter.parser.TokenMgrError',
  syntax: 'org.apache.rocketmq.filter.parser.ParseException',
  semantic: 'java.lang.RuntimeException',
  limit: 'org.apache.rocketmq.filter.parser.ParseException',
};

export function compileErrorRemark(error: unknown): string {
  if (error instanceof FilterSyntaxError)
    return `${JAVA_ERROR_CLASS[error.kind] ?? 'java.lang.Exception'}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

export function checkClientConfig(brokerConfig: BrokerConfig, request: RemotingCommand): RemotingCommand {
  let subscription: ReturnType<typeof subscriptionDataFromJson> | undefined;
  try {
    const body =
      request.body === undefined || request.body.length === 0
        ? null
        : asBean(parseFastjson(request.body), 'CheckClientRequestBody');
    const value = body?.subscriptionData;
    subscription = value === undefined || value === null ? undefined : subscriptionDataFromJson(value);
  } catch (error) {
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, {
      remark: `bad CheckClientRequestBody: ${(error as Error).message}`,
    });
  }
  if (subscription === undefined || isTagType(subscription.expressionType))
    return createResponseCommand(request, ResponseCode.SUCCESS);
  if (!brokerConfig.enablePropertyFilter) {
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, {
      remark: `The broker does not support consumer to filter message by ${subscription.expressionType}`,
    });
  }
  try {
    compileExpression(subscription.subString, subscription.expressionType);
  } catch (error) {
    return createResponseCommand(request, ResponseCode.SUBSCRIPTION_PARSE_FAILED, {
      remark: compileErrorRemark(error),
    });
  }
  return createResponseCommand(request, ResponseCode.SUCCESS);
}
