package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.protocol.heartbeat.MessageModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CONSUME_FROM_TIMESTAMP: "old" messages, a second boundary T at least a second later, then "new" messages.
 * SEARCH_OFFSET_BY_TIMESTAMP for T gives exactly the first new offset of every queue, and a consumer that starts
 * from T skips every old message. The consumer is a broadcasting one: a clustering group with no stored offset is
 * told offset 0 for a young queue by the broker (Java's QUERY_CONSUMER_OFFSET rule) and reads from the start,
 * whatever its ConsumeFromWhere, which the last check pins down too.
 */
class ConsumeFromTimestampTest {
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create().clientOffsetsInBuildDir().withProducer("pg_time").withAdmin();
    private static String topic;
    private static long boundaryMs;
    private static final Map<Integer, Long> FIRST_NEW_OFFSET = new HashMap<>();

    @BeforeAll
    static void sendTheMessages() throws Exception {
        topic = Compat.unique("TimeTopic");
        Consumption.createTopic(fx.servers(), fx.admin(), topic, 4);
        Consumption.send(fx.producer(), topic, "TagT", "old", 40);
        long lastOldMs = System.currentTimeMillis();
        boundaryMs = (lastOldMs / 1000 + 2) * 1000; // a whole second, 1..2 s after the last old message
        while (System.currentTimeMillis() < boundaryMs + 20) {
            Servers.sleep(5);
        }
        for (int i = 0; i < 40; i++) {
            SendResult r = fx.producer().send(new Message(topic, "TagT", ("new-" + i).getBytes(StandardCharsets.UTF_8)));
            FIRST_NEW_OFFSET.putIfAbsent(r.getMessageQueue().getQueueId(), r.getQueueOffset());
        }
    }

    static DefaultMQPushConsumer fromTimestamp(String group, MessageModel model, List<MessageExt> sink) throws Exception {
        return Compat.pushConsumer(fx.servers(), group, "timed", c -> {
            c.setMessageModel(model);
            c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_TIMESTAMP);
            c.setConsumeTimestamp(new SimpleDateFormat("yyyyMMddHHmmss").format(new Date(boundaryMs)));
            c.subscribe(topic, "*");
        }, Compat.collectInto(sink));
    }

    @Test
    void searchOffsetByTimestampFindsTheFirstNewMessageOfEveryQueue() throws Exception {
        DefaultLitePullConsumer c = new DefaultLitePullConsumer(Compat.unique("cg_time_lite"));
        c.setNamesrvAddr(fx.servers().nsAddr());
        c.setInstanceName(Compat.unique("lite"));
        c.start();
        try {
            assertEquals(4, FIRST_NEW_OFFSET.size(), "new messages in every queue: " + FIRST_NEW_OFFSET);
            for (MessageQueue mq : c.fetchMessageQueues(topic)) {
                assertEquals(FIRST_NEW_OFFSET.get(mq.getQueueId()), c.offsetForTimestamp(mq, boundaryMs),
                    "offset for the boundary in queue " + mq.getQueueId());
            }
        } finally {
            c.shutdown();
        }
    }

    @Test
    void consumerStartingAtTheBoundarySkipsOlderMessages() throws Exception {
        List<MessageExt> got = Compat.syncList();
        DefaultMQPushConsumer c = fromTimestamp(Compat.unique("cg_time_bc"), MessageModel.BROADCASTING, got);
        try {
            Consumption.awaitBodies("the 40 new messages", 30_000, got, Consumption.expected("new", 40));
            Servers.sleep(1500);
            assertEquals(Consumption.expected("new", 40), Consumption.bodies(got), "only the messages after the boundary");
            assertEquals(40, got.size(), "deliveries");
            for (MessageExt m : got) {
                assertTrue(m.getStoreTimestamp() >= boundaryMs, "store time of " + Compat.body(m));
            }
        } finally {
            c.shutdown();
        }
    }

    @Test
    void newClusteringGroupReadsAYoungQueueFromItsStartAsJavaDoes() throws Exception {
        List<MessageExt> got = Compat.syncList();
        DefaultMQPushConsumer c = fromTimestamp(Compat.unique("cg_time_cl"), MessageModel.CLUSTERING, got);
        try {
            Consumption.awaitCount("all 80 messages", 30_000, got, 80);
            assertTrue(Consumption.bodies(got).containsAll(Consumption.expected("old", 40)), "old messages too");
        } finally {
            c.shutdown();
        }
    }
}
