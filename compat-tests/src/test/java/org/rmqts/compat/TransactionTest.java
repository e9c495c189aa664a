package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.client.producer.TransactionSendResult;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Transactional messages with the 4.7.1 {@link TransactionMQProducer}: COMMIT_MESSAGE delivers, ROLLBACK_MESSAGE
 * never delivers, UNKNOW is checked back by the broker (CHECK_TRANSACTION_STATE, answered COMMIT_MESSAGE by
 * checkLocalTransaction) and then delivered. The broker runs with transactionCheckInterval=2000 and
 * transactionTimeOut=3000 (Java's keys), so the check comes within a few seconds.
 */
class TransactionTest {
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create()
        .brokerConf("transactionCheckInterval", "2000").brokerConf("transactionTimeOut", "3000");

    /** Answers the local transaction by body ("commit", "rollback", anything else UNKNOW); checks commit. */
    static final class Listener implements TransactionListener {
        final List<MessageExt> checked = Compat.syncList();
        final Map<String, Long> checkedAt = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {
            String body = new String(msg.getBody(), StandardCharsets.UTF_8);
            if (body.startsWith("commit")) {
                return LocalTransactionState.COMMIT_MESSAGE;
            }
            return body.startsWith("rollback") ? LocalTransactionState.ROLLBACK_MESSAGE : LocalTransactionState.UNKNOW;
        }

        @Override
        public LocalTransactionState checkLocalTransaction(MessageExt msg) {
            checked.add(msg);
            checkedAt.putIfAbsent(new String(msg.getBody(), StandardCharsets.UTF_8), System.currentTimeMillis());
            return LocalTransactionState.COMMIT_MESSAGE;
        }
    }

    static TransactionMQProducer producer(Servers s, String group, TransactionListener listener) throws Exception {
        TransactionMQProducer p = new TransactionMQProducer(group);
        p.setNamesrvAddr(s.nsAddr());
        p.setInstanceName(Compat.unique("txproducer"));
        p.setSendMsgTimeout(10_000);
        p.setTransactionListener(listener);
        p.start();
        return p;
    }

    static String body(MessageExt m) {
        return new String(m.getBody(), StandardCharsets.UTF_8);
    }

    @Test
    void commitDeliversRollbackNeverUnknownIsCheckedThenDelivered() throws Exception {
        String topic = Compat.unique("TxTopic");
        String group = Compat.unique("pg_tx");
        Listener listener = new Listener();
        TransactionMQProducer producer = producer(fx.servers(), group, listener);
        List<MessageExt> got = Compat.syncList();
        DefaultMQPushConsumer consumer = null;
        try {
            producer.send(new Message(topic, "plain".getBytes(StandardCharsets.UTF_8)));
            Compat.awaitRoute(fx.servers(), topic, 30_000);
            consumer = Compat.pushConsumer(fx.servers(), Compat.unique("cg_tx"), topic, "*",
                ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, got);
            Compat.await("the plain message", 60_000, () -> got.stream().anyMatch(m -> body(m).equals("plain")),
                () -> "received " + got.size());

            TransactionSendResult commit = send(producer, topic, "commit", "TagC");
            TransactionSendResult rollback = send(producer, topic, "rollback", "TagR");
            long unknownSentAt = System.currentTimeMillis();
            TransactionSendResult unknown = send(producer, topic, "unknown", "TagU");
            assertEquals(LocalTransactionState.COMMIT_MESSAGE, commit.getLocalTransactionState());
            assertEquals(LocalTransactionState.ROLLBACK_MESSAGE, rollback.getLocalTransactionState());
            assertEquals(LocalTransactionState.UNKNOW, unknown.getLocalTransactionState());

            Compat.await("the committed message", 15_000, () -> got.stream().anyMatch(m -> body(m).equals("commit")),
                () -> "received " + got.size());
            MessageExt committed = got.stream().filter(m -> body(m).equals("commit")).findFirst().get();
            assertEquals(topic, committed.getTopic());
            assertEquals("TagC", committed.getTags());
            assertEquals(commit.getMsgId(), committed.getMsgId());
            assertEquals(commit.getMsgId(), committed.getTransactionId());
            System.out.println("[TransactionTest] committed message properties (" + Servers.target() + "): "
                + new TreeMap<>(committed.getProperties()).keySet());
            assertEquals("true", committed.getProperty("TRAN_MSG"), "Java keeps the half message's properties");
            assertEquals(group, committed.getProperty("PGROUP"));
            assertEquals(topic, committed.getProperty("REAL_TOPIC"));

            Compat.await("the unknown transaction to be checked and delivered", 30_000,
                () -> got.stream().anyMatch(m -> body(m).equals("unknown")), () -> "checks " + listener.checked.size());
            long checkedAt = listener.checkedAt.get("unknown");
            System.out.printf("[TransactionTest] first check %d ms after the send (%s)%n", checkedAt - unknownSentAt,
                Servers.target());
            assertTrue(checkedAt - unknownSentAt >= 3_000, "checked only after transactionTimeOut");
            MessageExt checkedMessage = listener.checked.stream().filter(m -> body(m).equals("unknown")).findFirst()
                .get();
            assertEquals(topic, checkedMessage.getTopic(), "the check carries the real topic");
            assertEquals(unknown.getMsgId(), checkedMessage.getTransactionId());
            assertEquals("1", checkedMessage.getProperty("TRANSACTION_CHECK_TIMES"));
            assertEquals(group, checkedMessage.getProperty("PGROUP"));
            assertNotNull(checkedMessage.getProperty("CLUSTER"));

            Servers.sleep(3_000);
            assertEquals(0, got.stream().filter(m -> body(m).equals("rollback")).count(), "rollback never delivers");
            assertEquals(1, got.stream().filter(m -> body(m).equals("commit")).count());
            assertEquals(1, got.stream().filter(m -> body(m).equals("unknown")).count());
            assertEquals(1, listener.checked.size(), "only the unknown transaction is checked, once");
        } finally {
            if (consumer != null) {
                consumer.shutdown();
            }
            producer.shutdown();
        }
    }

    static TransactionSendResult send(TransactionMQProducer producer, String topic, String body, String tag)
        throws Exception {
        TransactionSendResult r = producer.sendMessageInTransaction(
            new Message(topic, tag, body.getBytes(StandardCharsets.UTF_8)), null);
        assertEquals(SendStatus.SEND_OK, r.getSendStatus());
        assertTrue(r.getQueueOffset() >= 0, r.toString());
        return r;
    }
}
