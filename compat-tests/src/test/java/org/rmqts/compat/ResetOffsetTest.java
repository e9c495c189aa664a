package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.protocol.body.CMResult;
import org.apache.rocketmq.common.protocol.body.ConsumeMessageDirectlyResult;
import org.apache.rocketmq.common.protocol.body.ConsumerRunningInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Back-tracking by time (the seed's 消息回溯) and the broker-to-client calls of mqadmin: a live consumer that read
 * batches "a" and "b" is reset to the boundary between them (INVOKE_BROKER_TO_RESET_OFFSET, pushed to it as
 * RESET_CONSUMER_CLIENT_OFFSET) and reads exactly batch "b" again; its status (223 → 221), running info (307) and a
 * direct consume (309) are relayed through the broker; once it has left, a reset gets CONSUMER_NOT_ONLINE.
 */
class ResetOffsetTest {
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create().withProducer("pg_reset").withAdmin();

    static long count(List<MessageExt> msgs, String body) {
        synchronized (msgs) {
            return msgs.stream().filter(m -> Compat.body(m).equals(body)).count();
        }
    }

    /** The broker refuses a reset until the group has an offset for every queue; the client commits within seconds. */
    static Map<MessageQueue, Long> resetWhenOffsetsStored(String topic, String group, long timestamp) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try {
                return fx.admin().resetOffsetByTimestamp(topic, group, timestamp, true);
            } catch (MQClientException e) {
                if (System.currentTimeMillis() > deadline || !String.valueOf(e.getErrorMessage()).contains("not exist")) {
                    throw e;
                }
                Servers.sleep(500);
            }
        }
    }

    @Test
    void resetByTimeMakesALiveConsumerReReadAndRelaysClientCalls() throws Exception {
        String topic = Compat.unique("ResetTopic");
        String group = Compat.unique("cg_reset");
        Consumption.createTopic(fx.servers(), fx.admin(), topic, 4);
        Consumption.send(fx.producer(), topic, "TagR", "a", 20);
        long boundaryMs = (System.currentTimeMillis() / 1000 + 2) * 1000;
        while (System.currentTimeMillis() < boundaryMs + 20) {
            Servers.sleep(5);
        }
        Map<Integer, Long> firstB = new HashMap<>();
        String offsetMsgId = null;
        for (int i = 0; i < 20; i++) {
            SendResult r = fx.producer().send(new Message(topic, "TagR", ("b-" + i).getBytes(StandardCharsets.UTF_8)));
            firstB.putIfAbsent(r.getMessageQueue().getQueueId(), r.getQueueOffset());
            offsetMsgId = r.getOffsetMsgId();
        }
        assertEquals(4, firstB.size(), "batch b reached every queue");

        List<MessageExt> got = Compat.syncList();
        DefaultMQPushConsumer c = Compat.pushConsumer(fx.servers(), group, topic, "*", ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, got);
        boolean running = true;
        try {
            Compat.await("all 40 messages", 30_000, () -> Consumption.bodies(got).size() == 40, () -> got.size() + " received");
            String clientId = c.getDefaultMQPushConsumerImpl().getmQClientFactory().getClientId();

            Map<String, Map<MessageQueue, Long>> status = fx.admin().getConsumeStatus(topic, group, "");
            assertEquals(1, status.size(), "one client reports its status: " + status);
            assertEquals(4, status.get(clientId).size(), "its queues of the topic: " + status);

            ConsumerRunningInfo info = fx.admin().getConsumerRunningInfo(group, clientId, false);
            assertNotNull(info, "running info");
            assertTrue(info.getSubscriptionSet().stream().anyMatch(s -> s.getTopic().equals(topic)), "subscriptions " + info.getSubscriptionSet());
            assertEquals(4, info.getMqTable().keySet().stream().filter(mq -> mq.getTopic().equals(topic)).count(), "queues in running info");

            ConsumeMessageDirectlyResult direct = fx.admin().consumeMessageDirectly(group, clientId, offsetMsgId);
            assertEquals(CMResult.CR_SUCCESS, direct.getConsumeResult(), "direct consume " + direct);
            Compat.await("the directly consumed b-19 to reach the listener again", 10_000, () -> count(got, "b-19") == 2, null);

            Map<MessageQueue, Long> table = resetWhenOffsetsStored(topic, group, boundaryMs);
            Map<Integer, Long> byQueue = table.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().getQueueId(), Map.Entry::getValue));
            assertEquals(firstB, byQueue, "reset offsets = the first b message of every queue");

            Compat.await("batch b delivered again after the reset", 40_000, () -> {
                for (int i = 0; i < 19; i++) {
                    if (count(got, "b-" + i) < 2) {
                        return false;
                    }
                }
                return count(got, "b-19") >= 3;
            }, () -> got.size() + " deliveries");
            Servers.sleep(1000);
            for (int i = 0; i < 20; i++) {
                assertEquals(1, count(got, "a-" + i), "deliveries of a-" + i + " (before the reset time)");
            }

            c.shutdown();
            running = false;
            MQClientException offline = assertThrows(MQClientException.class,
                () -> fx.admin().resetOffsetByTimestamp(topic, group, boundaryMs, true));
            assertEquals(206, offline.getResponseCode(), "CONSUMER_NOT_ONLINE: " + offline.getMessage());
        } finally {
            if (running) {
                c.shutdown();
            }
        }
    }
}
