// PlainAccessResource and PlainAccessValidator.parse: what a request asks for (the white-address
// candidate, the credentials it carries, the topics / retry topics it needs and with which
// permission, and the signed content). Java's switch for the codes 4.7.1 checks, plus the
// beyond-Java codes of beyond-java-resources.ts (README "ACL").
import type { RemotingCommand } from '../../codec/remoting-command';
import { RequestCode } from '../../codec/request-code';
import { decodeHeartbeatData } from '../heartbeat-data';
import { addBeyondJavaResources } from './beyond-java-resources';
import { AclException, AclFrame } from './acl-exception';
import { ACCESS_KEY, combineRequestContent, SECURITY_TOKEN, SIGNATURE } from './acl-signer';
import { Permission, RETRY_GROUP_TOPIC_PREFIX, retryTopic } from './permission';

export interface PlainAccessResource {
  /** The peer's IP without port. */
  whiteRemoteAddress: string | undefined;
  requestCode: number;
  accessKey?: string;
  signature?: string;
  secretToken?: string;
  /** Topic or retry topic → needed permission; undefined when the code needs none. */
  resourcePermMap?: Map<string, number>;
  content?: Buffer;
}

export function isRetryTopic(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
}

/** PlainAccessResource.printStr: "group:<g>" for a retry topic, "topic:<t>" otherwise. */
export function printStr(resource: string, isGroup: boolean): string {
  return isGroup ? `group:${resource.substring(RETRY_GROUP_TOPIC_PREFIX.length)}` : `topic:${resource}`;
}

function add(resource: PlainAccessResource, name: string | undefined, perm: number): void {
  if (name === undefined) return;
  resource.resourcePermMap ??= new Map();
  resource.resourcePermMap.set(name, perm);
}

/** decodeCommandCustomHeader's check of a @CFNotNull field. */
function required(request: RemotingCommand, name: string): string {
  const value = request.extFields?.[name];
  if (value === undefined) throw new AclException(`the custom field <${name}> is null`, AclFrame.parse);
  return value;
}

function retry(group: string | undefined): string | undefined {
  return group === undefined ? undefined : retryTopic(group);
}

/** The codes 4.7.1's PlainAccessValidator.parse checks. */
function addJavaResources(resource: PlainAccessResource, request: RemotingCommand): boolean {
  const fields = request.extFields ?? {};
  switch (request.code) {
    case RequestCode.SEND_MESSAGE:
      add(resource, fields.topic, Permission.PUB);
      return true;
    case RequestCode.SEND_MESSAGE_V2:
      add(resource, fields.b, Permission.PUB);
      return true;
    case RequestCode.CONSUMER_SEND_MSG_BACK:
      add(resource, fields.originTopic, Permission.PUB);
      add(resource, retry(fields.group), Permission.SUB);
      return true;
    case RequestCode.PULL_MESSAGE:
      add(resource, fields.topic, Permission.SUB);
      add(resource, retry(fields.consumerGroup), Permission.SUB);
      return true;
    case RequestCode.QUERY_MESSAGE:
      add(resource, fields.topic, Permission.SUB);
      return true;
    case RequestCode.HEART_BEAT: {
      const heartbeat = decodeHeartbeatData(request.body);
      for (const consumer of heartbeat.consumerDataSet) {
        add(resource, retryTopic(consumer.groupName), Permission.SUB);
        for (const subscription of consumer.subscriptionDataSet) add(resource, subscription.topic, Permission.SUB);
      }
      return true;
    }
    case RequestCode.UNREGISTER_CLIENT:
      required(request, 'clientID');
      add(resource, retry(fields.consumerGroup), Permission.SUB);
      return true;
    case RequestCode.GET_CONSUMER_LIST_BY_GROUP:
      add(resource, retryTopic(required(request, 'consumerGroup')), Permission.SUB);
      return true;
    case RequestCode.UPDATE_CONSUMER_OFFSET: {
      const group = required(request, 'consumerGroup');
      const topic = required(request, 'topic');
      required(request, 'queueId');
      required(request, 'commitOffset');
      add(resource, retryTopic(group), Permission.SUB);
      add(resource, topic, Permission.SUB);
      return true;
    }
    default:
      return false;
  }
}

/** PlainAccessValidator.parse. `remoteAddress` is "ip:port" as the connection reports it. */
export function parsePlainAccessResource(request: RemotingCommand, remoteAddress: string): PlainAccessResource {
  const colon = remoteAddress.lastIndexOf(':');
  const resource: PlainAccessResource = {
    whiteRemoteAddress: colon >= 0 ? remoteAddress.substring(0, colon) : remoteAddress,
    requestCode: request.code,
  };
  const fields = request.extFields;
  if (fields === undefined) return resource;
  resource.accessKey = fields[ACCESS_KEY];
  resource.signature = fields[SIGNATURE];
  resource.secretToken = fields[SECURITY_TOKEN];
  try {
    if (!addJavaResources(resource, request))
      addBeyondJavaResources(request, (name, perm) => add(resource, name, perm));
  } catch (error) {
    if (error instanceof AclException) throw error;
    throw new AclException((error as Error).message, AclFrame.parse);
  }
  resource.content = combineRequestContent(fields, request.body);
  return resource;
}
