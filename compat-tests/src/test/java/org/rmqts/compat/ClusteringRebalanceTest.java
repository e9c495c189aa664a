package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clustering: two push consumers of one group split an 8-queue topic 4/4 and, once the split has settled, no
 * message reaches both; a consumer killed mid-stream (SIGKILL, in its own JVM) has its queues taken over by the
 * survivor and nothing is lost.
 */
class ClusteringRebalanceTest {
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create().withProducer("pg_rebalance").withAdmin();

    @Test
    void twoConsumersSplitEightQueuesWithoutDuplicates() throws Exception {
        String topic = Compat.unique("SplitTopic");
        String group = Compat.unique("cg_split");
        Consumption.createTopic(fx.servers(), fx.admin(), topic, 8);
        List<MessageExt> got1 = Compat.syncList();
        List<MessageExt> got2 = Compat.syncList();
        DefaultMQPushConsumer c1 = Compat.pushConsumer(fx.servers(), group, topic, "*", ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, got1);
        DefaultMQPushConsumer c2 = Compat.pushConsumer(fx.servers(), group, topic, "*", ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, got2);
        try {
            Compat.await("a 4/4 split of the 8 queues", 30_000, () -> {
                Set<Integer> q1 = Consumption.queuesOf(c1, topic);
                Set<Integer> q2 = Consumption.queuesOf(c2, topic);
                Set<Integer> all = new HashSet<>(q1);
                all.addAll(q2);
                return q1.size() == 4 && q2.size() == 4 && all.size() == 8;
            }, () -> "c1 " + Consumption.queuesOf(c1, topic) + ", c2 " + Consumption.queuesOf(c2, topic));
            List<String> ids = c1.getDefaultMQPushConsumerImpl().getmQClientFactory().findConsumerIdList(topic, group);
            assertEquals(2, ids.size(), "GET_CONSUMER_LIST_BY_GROUP lists both consumers: " + ids);

            Consumption.send(fx.producer(), topic, "TagS", "split", 200);
            Set<String> want = Consumption.expected("split", 200);
            Compat.await("all 200 messages", 30_000, () -> {
                Set<String> union = Consumption.bodies(got1);
                union.addAll(Consumption.bodies(got2));
                return union.containsAll(want);
            }, () -> got1.size() + " + " + got2.size() + " received");
            Servers.sleep(1500); // anything delivered twice would show up now

            Set<String> both = Consumption.bodies(got1);
            both.retainAll(Consumption.bodies(got2));
            assertEquals(new TreeSet<String>(), both, "messages delivered to both consumers");
            assertEquals(new TreeSet<String>(), Consumption.duplicates(got1), "duplicates at c1");
            assertEquals(new TreeSet<String>(), Consumption.duplicates(got2), "duplicates at c2");
            assertEquals(200, got1.size() + got2.size(), "deliveries in all");
            Set<Integer> q1 = Consumption.queuesOf(c1, topic);
            for (MessageExt m : got1) {
                assertTrue(q1.contains(m.getQueueId()), "c1 got a message of queue " + m.getQueueId() + ", not its " + q1);
            }
            assertTrue(got1.size() > 0 && got2.size() > 0, "both consumers received messages");
        } finally {
            c1.shutdown();
            c2.shutdown();
        }
    }

    @Test
    void killedConsumerQueuesAreTakenOverWithNothingLost() throws Exception {
        String topic = Compat.unique("KillTopic");
        String group = Compat.unique("cg_kill");
        Consumption.createTopic(fx.servers(), fx.admin(), topic, 8);
        List<MessageExt> got1 = Compat.syncList();
        DefaultMQPushConsumer c1 = Compat.pushConsumer(fx.servers(), group, topic, "*", ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, got1);
        ConsumerProcess c2 = ConsumerProcess.start(fx.servers(), group, topic, Compat.unique("victim"),
            fx.servers().workDir().resolve("victim"));
        try {
            Compat.await("c1 to hold 4 of the 8 queues next to the child consumer", 40_000,
                () -> c2.started() && Consumption.queuesOf(c1, topic).size() == 4,
                () -> "c1 " + Consumption.queuesOf(c1, topic) + ", child " + c2.lines());
            int total = 300;
            int killAt = 120;
            for (int i = 0; i < total; i++) {
                fx.producer().send(new Message(topic, "TagK", ("kill-" + i).getBytes(StandardCharsets.UTF_8)));
                if (i == killAt) {
                    Compat.await("the child to receive messages before it is killed", 10_000,
                        () -> !c2.received().isEmpty(), () -> c2.lines().toString());
                    c2.kill();
                }
                Servers.sleep(5);
            }
            Set<String> afterKill = new TreeSet<>();
            for (int i = killAt + 1; i < total; i++) {
                afterKill.add("kill-" + i);
            }
            Compat.await("c1 to receive every message sent after the kill", 40_000,
                () -> Consumption.bodies(got1).containsAll(afterKill),
                () -> "c1 has " + got1.size() + ", queues " + Consumption.queuesOf(c1, topic));
            assertEquals(8, Consumption.queuesOf(c1, topic).size(), "c1 took over every queue");
            Set<String> union = Consumption.bodies(got1);
            union.addAll(c2.received());
            Set<String> lost = Consumption.expected("kill", total);
            lost.removeAll(union);
            assertEquals(new TreeSet<String>(), lost, "messages received by nobody");
        } finally {
            c2.close();
            c1.shutdown();
        }
    }
}
