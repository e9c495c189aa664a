// The consume-queue tagsCode of a message: Java's String.hashCode() of its TAGS property, 0 when it
// has none (MessageExtBrokerInner.tagsString2tagsCode for SINGLE_TAG and MULTI_TAG topics alike).
import { javaStringHashCode } from '../codec/java-hash';
import { findMessageProperty, MessageConst } from '../codec/message/message-properties';

export function tagsCodeOf(propertiesString: string | undefined): number {
  const tags =
    propertiesString === undefined ? undefined : findMessageProperty(propertiesString, MessageConst.PROPERTY_TAGS);
  return tags === undefined || tags === '' ? 0 : javaStringHashCode(tags);
}
