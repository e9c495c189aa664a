package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sync, async and oneway sends plus keys/tags/user properties, each consumed back with a push consumer. */
class SendModesTest {
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create().withProducer("pg_send");

    @Test
    void syncSend() throws Exception {
        String topic = Compat.unique("SyncTopic");
        List<String> sent = new ArrayList<>();
        Map<Integer, Long> lastOffset = new HashMap<>();
        Set<String> msgIds = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String body = "sync-" + i;
            SendResult r = fx.producer().send(new Message(topic, "TagS", body.getBytes(StandardCharsets.UTF_8)));
            sent.add(body);
            assertEquals(SendStatus.SEND_OK, r.getSendStatus(), "send status of " + body);
            assertNotNull(r.getMsgId(), "msgId");
            assertNotNull(r.getOffsetMsgId(), "offsetMsgId");
            assertTrue(msgIds.add(r.getMsgId()), "msgId unique: " + r.getMsgId());
            assertEquals(topic, r.getMessageQueue().getTopic());
            assertEquals("broker-a", r.getMessageQueue().getBrokerName());

            // offsetMsgId = storeHost(ip:port) + commitlog offset; it must point at this broker (used by viewMessage)
            MessageId id = MessageDecoder.decodeMessageId(r.getOffsetMsgId());
            InetSocketAddress a = (InetSocketAddress) id.getAddress();
            assertEquals("127.0.0.1:" + fx.servers().brokerPort(), a.getAddress().getHostAddress() + ":" + a.getPort(),
                "offsetMsgId store host of " + r);

            // the queue offset of a fresh topic starts at 0 and grows by exactly one per message in that queue
            int q = r.getMessageQueue().getQueueId();
            long expected = lastOffset.containsKey(q) ? lastOffset.get(q) + 1 : 0;
            assertEquals(expected, r.getQueueOffset(), "queueOffset in queue " + q + " for " + body);
            lastOffset.put(q, r.getQueueOffset());
        }
        assertTrue(lastOffset.size() > 1, "messages were spread over several queues: " + lastOffset);

        List<MessageExt> got = consumeAll(topic, "*", sent.size());
        assertBodies(sent, got);
        for (MessageExt m : got) {
            assertEquals("TagS", m.getTags());
            assertEquals(topic, m.getTopic());
        }
    }

    @Test
    void asyncSendWithCallback() throws Exception {
        String topic = Compat.unique("AsyncTopic");
        // make the topic exist first so that 100 concurrent first sends do not race the auto-creation
        SendResult first = fx.producer().send(new Message(topic, "TagW", "warmup".getBytes(StandardCharsets.UTF_8)));
        assertEquals(SendStatus.SEND_OK, first.getSendStatus());

        int n = 100;
        CountDownLatch done = new CountDownLatch(n);
        List<SendResult> ok = Compat.syncList();
        List<Throwable> failed = Compat.syncList();
        List<String> sent = new ArrayList<>();
        sent.add("warmup");
        for (int i = 0; i < n; i++) {
            String body = "async-" + i;
            sent.add(body);
            fx.producer().send(new Message(topic, "TagA", body.getBytes(StandardCharsets.UTF_8)), new SendCallback() {
                @Override
                public void onSuccess(SendResult sendResult) {
                    ok.add(sendResult);
                    done.countDown();
                }

                @Override
                public void onException(Throwable e) {
                    failed.add(e);
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), "all callbacks within 60 s: ok=" + ok.size()
            + " failed=" + failed.size());
        assertEquals(0, failed.size(), "onException calls: " + failed);
        assertEquals(n, ok.size(), "onSuccess calls");
        for (SendResult r : ok) {
            assertEquals(SendStatus.SEND_OK, r.getSendStatus());
            assertNotNull(r.getOffsetMsgId());
        }
        // per queue the offsets handed out are distinct
        Map<Integer, Set<Long>> perQueue = new HashMap<>();
        for (SendResult r : ok) {
            assertTrue(perQueue.computeIfAbsent(r.getMessageQueue().getQueueId(), k -> new HashSet<>())
                .add(r.getQueueOffset()), "duplicate queueOffset " + r);
        }

        assertBodies(sent, consumeAll(topic, "*", sent.size()));
    }

    @Test
    void onewaySend() throws Exception {
        String topic = Compat.unique("OnewayTopic");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String body = "oneway-" + i;
            sent.add(body);
            fx.producer().sendOneway(new Message(topic, "TagO", body.getBytes(StandardCharsets.UTF_8)));
        }
        Compat.awaitRoute(fx.servers(), topic, 30_000);
        List<MessageExt> got = consumeAll(topic, "*", sent.size());
        assertBodies(sent, got);
    }

    @Test
    void keysTagsAndUserProperties() throws Exception {
        String topic = Compat.unique("KeysTopic");
        String[] tags = {"TagA", "TagB", "TagC"};
        List<String> wanted = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String tag = tags[i % 3];
            String body = "kt-" + i + "-" + tag;
            Message m = new Message(topic, tag, "key-" + i + " common-key", body.getBytes(StandardCharsets.UTF_8));
            m.putUserProperty("idx", Integer.toString(i));
            m.putUserProperty("lang", "\u4e2d\u6587 \u00e9");
            SendResult r = fx.producer().send(m);
            assertEquals(SendStatus.SEND_OK, r.getSendStatus());
            if (!tag.equals("TagC")) {
                wanted.add(body);
            }
        }
        Compat.awaitRoute(fx.servers(), topic, 30_000);
        // the broker filters by tag hash code, the client re-checks the tag string
        // linger 2 s after the expected count: no TagC message (and no duplicate) may show up late
        List<MessageExt> got = consumeAll(topic, "TagA || TagB", wanted.size(), 2000);
        assertBodies(wanted, got);
        for (MessageExt m : got) {
            int idx = Integer.parseInt(m.getUserProperty("idx"));
            assertEquals(tags[idx % 3], m.getTags(), "tag of " + Compat.body(m));
            assertEquals("key-" + idx + " common-key", m.getKeys(), "keys of " + Compat.body(m));
            assertEquals("\u4e2d\u6587 \u00e9", m.getUserProperty("lang"), "non-ASCII user property");
            assertEquals(topic, m.getTopic());
            assertTrue(m.getReconsumeTimes() == 0, "first delivery");
            assertTrue(m.getStoreTimestamp() >= m.getBornTimestamp() - 5_000, "store/born timestamps plausible");
        }
    }

    // ------------------------------------------------------------------------------------------------

    private List<MessageExt> consumeAll(String topic, String expression, int expected) throws Exception {
        return consumeAll(topic, expression, expected, 0);
    }

    private List<MessageExt> consumeAll(String topic, String expression, int expected, long lingerMs)
        throws Exception {
        Compat.awaitRoute(fx.servers(), topic, 30_000);
        List<MessageExt> got = Compat.syncList();
        DefaultMQPushConsumer c = Compat.pushConsumer(fx.servers(), Compat.unique("cg_send"), topic, expression,
            ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, got);
        try {
            Consumption.awaitCount(expected + " messages on " + topic, 60_000, got, expected);
            if (lingerMs > 0) {
                Servers.sleep(lingerMs);
            }
        } finally {
            c.shutdown();
        }
        synchronized (got) {
            return new ArrayList<>(got);
        }
    }

    private static void assertBodies(List<String> sent, List<MessageExt> got) {
        List<String> bodies = got.stream().map(Compat::body).collect(Collectors.toList());
        Set<String> distinct = new TreeSet<>(bodies);
        assertEquals(new TreeSet<>(sent), distinct, "bodies received");
        assertEquals(sent.size(), bodies.size(), "no message delivered twice");
    }
}
