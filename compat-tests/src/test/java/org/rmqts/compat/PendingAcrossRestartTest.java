package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broker restart (SIGTERM, new process on the same store and port) while a level-3 (10 s) delayed message and an
 * unresolved transaction are pending loses neither: the delayed message arrives about 10 s after its send, and the
 * half message is checked back by the restarted broker (answered COMMIT_MESSAGE) and delivered. Each arrives once.
 */
class PendingAcrossRestartTest {
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create()
        .brokerConf("transactionCheckInterval", "2000").brokerConf("transactionTimeOut", "3000");

    @Test
    void pendingDelayAndTransactionSurviveRestart() throws Exception {
        String topic = Compat.unique("PendingTopic");
        DefaultMQProducer producer = Compat.producer(fx.servers(), Compat.unique("pg_pending"));
        List<MessageExt> checked = Compat.syncList();
        TransactionMQProducer txProducer = new TransactionMQProducer(Compat.unique("pg_pending_tx"));
        txProducer.setNamesrvAddr(fx.servers().nsAddr());
        txProducer.setInstanceName(Compat.unique("txproducer"));
        txProducer.setHeartbeatBrokerInterval(1_000);
        txProducer.setTransactionListener(new TransactionListener() {
            @Override
            public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {
                return LocalTransactionState.UNKNOW;
            }

            @Override
            public LocalTransactionState checkLocalTransaction(MessageExt msg) {
                checked.add(msg);
                return LocalTransactionState.COMMIT_MESSAGE;
            }
        });
        txProducer.start();
        List<MessageExt> got = Compat.syncList();
        DefaultMQPushConsumer consumer = null;
        try {
            producer.send(new Message(topic, "create".getBytes(StandardCharsets.UTF_8)));
            Compat.awaitRoute(fx.servers(), topic, 30_000);
            Message delayed = new Message(topic, "delayed".getBytes(StandardCharsets.UTF_8));
            delayed.setDelayTimeLevel(3);
            long delayedSentAt = System.currentTimeMillis();
            producer.send(delayed);
            txProducer.sendMessageInTransaction(new Message(topic, "pending-tx".getBytes(StandardCharsets.UTF_8)), null);

            fx.servers().stopBroker();
            assertEquals(0, checked.size(), "no check before the restart");
            fx.servers().startBroker();
            Compat.awaitRoute(fx.servers(), topic, 30_000);

            consumer = Compat.pushConsumer(fx.servers(), Compat.unique("cg_pending"), topic, "*",
                ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, got);
            Compat.await("the delayed message and the checked transaction", 60_000,
                () -> has(got, "delayed") && has(got, "pending-tx"), () -> "received " + bodies(got));
            long delayedAt = got.stream().filter(m -> Compat.body(m).equals("delayed")).findFirst().get()
                .getStoreTimestamp();
            System.out.printf("[PendingAcrossRestartTest] delayed stored %d ms after its send; %d check(s) (%s)%n",
                delayedAt - delayedSentAt, checked.size(), Servers.target());
            assertTrue(delayedAt - delayedSentAt >= 9_500, "the delay still applied: " + (delayedAt - delayedSentAt));
            Servers.sleep(3_000);
            assertEquals(1, got.stream().filter(m -> Compat.body(m).equals("delayed")).count());
            assertEquals(1, got.stream().filter(m -> Compat.body(m).equals("pending-tx")).count());
            assertTrue(checked.size() >= 1);
        } finally {
            if (consumer != null) {
                consumer.shutdown();
            }
            txProducer.shutdown();
            producer.shutdown();
        }
    }

    static boolean has(List<MessageExt> got, String body) {
        return got.stream().anyMatch(m -> Compat.body(m).equals(body));
    }

    static List<String> bodies(List<MessageExt> got) {
        synchronized (got) {
            return got.stream().map(Compat::body).collect(java.util.stream.Collectors.toList());
        }
    }
}
