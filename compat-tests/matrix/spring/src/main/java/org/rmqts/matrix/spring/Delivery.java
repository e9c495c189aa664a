package org.rmqts.matrix.spring;

import java.nio.charset.StandardCharsets;

import org.apache.rocketmq.common.message.MessageExt;

/** What a listener saw of one delivered message, and when. */
public record Delivery(String body, String tags, String msgId, int queueId, long queueOffset, int reconsumeTimes,
                       String propertyA, long receivedAtMs) {

    static Delivery of(MessageExt message) {
        return new Delivery(new String(message.getBody(), StandardCharsets.UTF_8), message.getTags(),
            message.getMsgId(), message.getQueueId(), message.getQueueOffset(), message.getReconsumeTimes(),
            message.getUserProperty("a"), System.currentTimeMillis());
    }
}
