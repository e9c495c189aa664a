package org.rmqts.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.MessageQueueSelector;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;

/** order: keys k0, k1, k2 × 10 messages each to the key's queue; an orderly consumer sees each key in order. */
final class OrderScenario {
    private static final String[] KEYS = {"k0", "k1", "k2"};
    private static final int PER_KEY = 10;

    private OrderScenario() {
    }

    /** The queue chosen by the key's hash. */
    private static final MessageQueueSelector BY_KEY_HASH =
        (queues, message, key) -> queues.get(Math.floorMod(key.hashCode(), queues.size()));

    static Outcome order(ScenarioContext ctx) throws Exception {
        Inbox inbox = new Inbox();
        DefaultMQPushConsumer consumer = ctx.pushConsumer("consumer");
        consumer.subscribe(ctx.topic(), "*");
        consumer.registerMessageListener((MessageListenerOrderly) (messages, context) -> {
            messages.forEach(inbox::add);
            return ConsumeOrderlyStatus.SUCCESS;
        });
        ctx.start(consumer, inbox);
        DefaultMQProducer producer = ctx.startProducer();
        List<String> expected = new ArrayList<>();
        Map<String, TreeSet<Integer>> queuesByKey = new LinkedHashMap<>();
        for (int seq = 0; seq < PER_KEY; seq++) {
            for (String key : KEYS) {
                String body = key + "-" + seq;
                Message message = new Message(ctx.topic(), ScenarioContext.bytes(body));
                message.setKeys(key);
                SendResult result = producer.send(message, BY_KEY_HASH, key);
                if (result.getSendStatus() != SendStatus.SEND_OK) {
                    return Outcome.fail(body + ": " + result.getSendStatus() + ", expected SEND_OK");
                }
                queuesByKey.computeIfAbsent(key, k -> new TreeSet<>()).add(result.getMessageQueue().getQueueId());
                expected.add(body);
            }
        }
        boolean all = inbox.awaitBodies(expected, SendScenarios.CONSUME_TIMEOUT_MS);
        Inbox.linger();
        BodyCheck check = BodyCheck.of(expected, inbox.bodies());
        List<String> outOfOrder = outOfOrderKeys(inbox.bodies());
        String detail = check.summary() + ", queues by key " + queuesByKey
            + (outOfOrder.isEmpty() ? ", every key in order" : ", out of order: " + outOfOrder);
        return Outcome.check(all && check.exact() && outOfOrder.isEmpty(), detail);
    }

    /** Keys whose sequence numbers did not arrive as exactly 0..9 in that order, with what came. */
    private static List<String> outOfOrderKeys(List<String> bodies) {
        Map<String, List<Integer>> seqsByKey = new LinkedHashMap<>();
        for (String key : KEYS) {
            seqsByKey.put(key, new ArrayList<>());
        }
        for (String body : bodies) {
            int dash = body.lastIndexOf('-');
            List<Integer> seqs = dash < 0 ? null : seqsByKey.get(body.substring(0, dash));
            if (seqs != null) {
                seqs.add(Integer.parseInt(body.substring(dash + 1)));
            }
        }
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> entry : seqsByKey.entrySet()) {
            List<Integer> seqs = entry.getValue();
            boolean inOrder = seqs.size() == PER_KEY;
            for (int i = 0; inOrder && i < PER_KEY; i++) {
                inOrder = seqs.get(i) == i;
            }
            if (!inOrder) {
                wrong.add(entry.getKey() + "=" + seqs);
            }
        }
        return wrong;
    }
}
