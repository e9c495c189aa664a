package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.protocol.heartbeat.MessageModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Broadcasting: every consumer of the group gets every message, each exactly once, while holding all queues; a
 * consumer that joins later with CONSUME_FROM_LAST_OFFSET (offsets kept by the client) sees only what was sent
 * after it joined.
 */
class BroadcastingTest {
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create().clientOffsetsInBuildDir().withProducer("pg_broadcast").withAdmin();

    static DefaultMQPushConsumer broadcaster(String group, String topic, ConsumeFromWhere from, List<MessageExt> sink)
        throws Exception {
        return Compat.pushConsumer(fx.servers(), group, "broadcaster", c -> {
            c.setMessageModel(MessageModel.BROADCASTING);
            c.setConsumeFromWhere(from);
            c.subscribe(topic, "*");
        }, Compat.collectInto(sink));
    }

    @Test
    void everyConsumerGetsEveryMessageOnce() throws Exception {
        String topic = Compat.unique("BroadcastTopic");
        String group = Compat.unique("cg_broadcast");
        Consumption.createTopic(fx.servers(), fx.admin(), topic, 4);
        List<List<MessageExt>> sinks = new ArrayList<>();
        List<DefaultMQPushConsumer> consumers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                List<MessageExt> sink = Compat.syncList();
                sinks.add(sink);
                consumers.add(broadcaster(group, topic, ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, sink));
            }
            for (DefaultMQPushConsumer c : consumers) {
                Compat.await("each broadcasting consumer to hold all 4 queues", 30_000,
                    () -> Consumption.queuesOf(c, topic).size() == 4, () -> Consumption.queuesOf(c, topic).toString());
            }
            Consumption.send(fx.producer(), topic, "TagB", "early", 60);
            for (List<MessageExt> sink : sinks) {
                Consumption.awaitBodies("every consumer to receive all 60", 30_000, sink, Consumption.expected("early", 60));
            }

            List<MessageExt> late = Compat.syncList();
            consumers.add(broadcaster(group, topic, ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET, late));
            DefaultMQPushConsumer latecomer = consumers.get(3);
            Compat.await("the late consumer to hold all 4 queues", 30_000,
                () -> Consumption.queuesOf(latecomer, topic).size() == 4, () -> Consumption.queuesOf(latecomer, topic).toString());
            Servers.sleep(1000); // its first pulls start at the max offsets
            Consumption.send(fx.producer(), topic, "TagB", "late", 40);
            sinks.add(late);
            for (List<MessageExt> sink : sinks) {
                Consumption.awaitBodies("every consumer to receive the 40 late messages", 30_000, sink,
                    Consumption.expected("late", 40));
            }
            Servers.sleep(1500);
            for (int i = 0; i < 3; i++) {
                assertEquals(100, sinks.get(i).size(), "deliveries to consumer " + i);
                assertEquals(new TreeSet<String>(), Consumption.duplicates(sinks.get(i)), "duplicates at consumer " + i);
            }
            assertEquals(Consumption.expected("late", 40), Consumption.bodies(late),
                "the late CONSUME_FROM_LAST_OFFSET consumer sees only messages sent after it joined");
            assertEquals(40, late.size(), "deliveries to the late consumer");
        } finally {
            for (DefaultMQPushConsumer c : consumers) {
                c.shutdown();
            }
        }
    }
}
