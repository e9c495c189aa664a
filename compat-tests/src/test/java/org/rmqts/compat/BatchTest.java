package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageClientExt;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A batch of 64 messages (SEND_BATCH_MESSAGE) with its own keys, tags and user properties per message: the send
 * result lists all 64 client ids and 64 offsetMsgIds, the messages take 64 consecutive offsets of one queue, and a
 * push consumer receives each one once with its keys, tag, property and id intact.
 */
class BatchTest {
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create();

    @Test
    void batchOf64WithKeysIsStoredAndConsumedMessageByMessage() throws Exception {
        String topic = Compat.unique("BatchTopic");
        DefaultMQProducer producer = Compat.producer(fx.servers(), Compat.unique("pg_batch"));
        List<MessageExt> got = Compat.syncList();
        DefaultMQPushConsumer consumer = null;
        try {
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                Message m = new Message(topic, "Tag" + (i % 4), "key-" + i + " batch-key",
                    ("batch-" + i).getBytes(StandardCharsets.UTF_8));
                m.putUserProperty("index", String.valueOf(i));
                batch.add(m);
            }
            SendResult result = producer.send(batch);
            assertEquals(SendStatus.SEND_OK, result.getSendStatus());
            String[] ids = result.getMsgId().split(",");
            String[] offsetIds = result.getOffsetMsgId().split(",");
            assertEquals(64, ids.length, result.toString());
            assertEquals(64, offsetIds.length, result.toString());
            assertEquals(64, new HashSet<>(Arrays.asList(ids)).size(), "distinct client ids");
            assertEquals(64, new HashSet<>(Arrays.asList(offsetIds)).size(), "distinct offsetMsgIds");
            int queueId = result.getMessageQueue().getQueueId();

            Compat.awaitRoute(fx.servers(), topic, 30_000);
            consumer = Compat.pushConsumer(fx.servers(), Compat.unique("cg_batch"), topic, "*",
                ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, got);
            Consumption.awaitCount("the 64 batch messages", 60_000, got, 64);
            Servers.sleep(1_000);
            assertEquals(64, got.size(), "each message once");
            Map<String, MessageExt> byBody = new HashMap<>();
            for (MessageExt m : got) {
                byBody.put(Compat.body(m), m);
            }
            for (int i = 0; i < 64; i++) {
                MessageExt m = byBody.get("batch-" + i);
                assertTrue(m != null, "batch-" + i + " received");
                assertEquals("key-" + i + " batch-key", m.getKeys());
                assertEquals("Tag" + (i % 4), m.getTags());
                assertEquals(String.valueOf(i), m.getUserProperty("index"));
                assertEquals(ids[i], m.getMsgId(), "client id of batch-" + i);
                assertEquals(queueId, m.getQueueId());
                assertEquals(result.getQueueOffset() + i, m.getQueueOffset(), "offset of batch-" + i);
                assertEquals(offsetIds[i], ((MessageClientExt) m).getOffsetMsgId());
            }
        } finally {
            if (consumer != null) {
                consumer.shutdown();
            }
            producer.shutdown();
        }
    }
}
