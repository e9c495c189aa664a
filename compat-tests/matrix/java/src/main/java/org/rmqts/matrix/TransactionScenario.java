package org.rmqts.matrix;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.client.producer.TransactionSendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * transaction: body commit → COMMIT, rollback → ROLLBACK, unknown → UNKNOW and then COMMIT on the broker's
 * check-back. A consumer receives commit and unknown, never rollback.
 */
final class TransactionScenario {
    private static final long RECEIVE_TIMEOUT_MS = 40_000;
    private static final Map<String, LocalTransactionState> LOCAL_STATES = Map.of(
        "commit", LocalTransactionState.COMMIT_MESSAGE,
        "rollback", LocalTransactionState.ROLLBACK_MESSAGE,
        "unknown", LocalTransactionState.UNKNOW);

    private TransactionScenario() {
    }

    /** Answers the local transaction by body, and every check-back with COMMIT (recording what was checked). */
    private static final class Listener implements TransactionListener {
        final Set<String> checkedBodies = ConcurrentHashMap.newKeySet();

        @Override
        public LocalTransactionState executeLocalTransaction(Message message, Object arg) {
            return LOCAL_STATES.getOrDefault(ScenarioContext.text(message.getBody()), LocalTransactionState.UNKNOW);
        }

        @Override
        public LocalTransactionState checkLocalTransaction(MessageExt message) {
            checkedBodies.add(ScenarioContext.text(message.getBody()));
            return LocalTransactionState.COMMIT_MESSAGE;
        }
    }

    static Outcome transaction(ScenarioContext ctx) throws Exception {
        Inbox inbox = new Inbox();
        ctx.startConsumer("consumer", inbox);
        Listener listener = new Listener();
        TransactionMQProducer producer = new TransactionMQProducer(ctx.producerGroup());
        ctx.configure(producer, "txproducer");
        producer.setTransactionListener(listener);
        producer.start();
        ctx.onClose(producer::shutdown);

        Map<String, String> sent = new LinkedHashMap<>();
        for (String body : List.of("commit", "rollback", "unknown")) {
            Message message = new Message(ctx.topic(), ScenarioContext.bytes(body));
            TransactionSendResult result = producer.sendMessageInTransaction(message, null);
            sent.put(body, result.getSendStatus() + "/" + result.getLocalTransactionState());
        }
        List<String> expected = List.of("commit", "unknown");
        boolean received = inbox.awaitBodies(expected, RECEIVE_TIMEOUT_MS);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!listener.checkedBodies.contains("unknown") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Inbox.linger();
        BodyCheck check = BodyCheck.of(expected, inbox.bodies());
        boolean sendsOk = sent.get("commit").equals("SEND_OK/COMMIT_MESSAGE")
            && sent.get("rollback").equals("SEND_OK/ROLLBACK_MESSAGE")
            && sent.get("unknown").equals("SEND_OK/UNKNOW");
        boolean checkedUnknown = listener.checkedBodies.contains("unknown");
        String detail = "sent " + sent + "; checked back " + listener.checkedBodies + "; consumer " + check.summary();
        return Outcome.check(received && sendsOk && checkedUnknown && check.complete(), detail);
    }
}
