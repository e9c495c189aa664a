package org.rmqts.matrix;

import java.util.List;

import org.apache.rocketmq.client.QueryResult;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** query_key, admin_create_topic. */
final class QueryAdminScenarios {
    private static final long QUERY_TIMEOUT_MS = 10_000;
    private static final long ROUTE_TIMEOUT_MS = 10_000;
    private static final long RETRY_MS = 500;
    private static final long HOUR_MS = 3_600_000;
    private static final int NEW_TOPIC_QUEUES = 2;
    private static final int PERM_READ_WRITE = 6;

    private QueryAdminScenarios() {
    }

    /** One message with key PREFIX_key; within 10 s a query by that key finds it (same id and body). */
    static Outcome queryKey(ScenarioContext ctx) throws Exception {
        DefaultMQProducer producer = ctx.startProducer();
        String key = ctx.prefix + "_key";
        Message message = ctx.message(0);
        message.setKeys(key);
        SendResult sent = producer.send(message);
        if (sent.getSendStatus() != SendStatus.SEND_OK) {
            return Outcome.fail("send: " + sent.getSendStatus() + ", expected SEND_OK");
        }
        long start = System.nanoTime();
        long deadline = start + QUERY_TIMEOUT_MS * 1_000_000L;
        String last = "no query answered";
        while (System.nanoTime() < deadline) {
            long now = System.currentTimeMillis();
            try {
                QueryResult result = producer.queryMessage(ctx.topic(), key, 32, now - HOUR_MS, now + HOUR_MS);
                List<MessageExt> found = result.getMessageList();
                for (MessageExt hit : found) {
                    boolean same = sent.getMsgId().equals(hit.getMsgId())
                        && ctx.body(0).equals(ScenarioContext.text(hit.getBody()));
                    if (same) {
                        return Outcome.pass("found by key after " + (System.nanoTime() - start) / 1_000_000L
                            + " ms: same id and body (" + found.size() + " hit)");
                    }
                }
                last = found.size() + " hits, none with id " + sent.getMsgId() + " and the sent body";
            } catch (MQClientException e) {
                last = Outcome.describe(e);
            }
            Thread.sleep(RETRY_MS);
        }
        return Outcome.fail("not found by key " + key + " within 10 s; last: " + last);
    }

    /** Admin API creates PREFIX_admin_create_topic_new (2+2 queues); its route shows 2 queues; a send is consumed. */
    static Outcome adminCreateTopic(ScenarioContext ctx) throws Exception {
        String topic = ctx.topic() + "_new";
        DefaultMQAdminExt admin = new DefaultMQAdminExt();
        ctx.configure(admin, "admin");
        admin.start();
        ctx.onClose(admin::shutdown);
        admin.createAndUpdateTopicConfig(ctx.broker,
            new TopicConfig(topic, NEW_TOPIC_QUEUES, NEW_TOPIC_QUEUES, PERM_READ_WRITE));

        DefaultMQProducer producer = ctx.startProducer();
        long start = System.nanoTime();
        String route = awaitRoute(producer, topic);
        if (route != null) {
            return Outcome.fail("route of " + topic + " within 10 s: " + route);
        }
        long routeMs = (System.nanoTime() - start) / 1_000_000L;
        Inbox inbox = new Inbox();
        var consumer = ctx.pushConsumer("consumer");
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener(inbox.concurrentListener());
        ctx.start(consumer, inbox, topic);
        String body = ctx.body(0);
        SendResult sent = producer.send(new Message(topic, ScenarioContext.bytes(body)));
        if (sent.getSendStatus() != SendStatus.SEND_OK) {
            return Outcome.fail("send to " + topic + ": " + sent.getSendStatus() + ", expected SEND_OK");
        }
        return SendScenarios.consumed(inbox, List.of(body), "created; route with 2 queues after " + routeMs
            + " ms; sent");
    }

    /** null once the route shows 2 write queues, else what it showed last. */
    private static String awaitRoute(DefaultMQProducer producer, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + ROUTE_TIMEOUT_MS * 1_000_000L;
        String last = "no route";
        while (System.nanoTime() < deadline) {
            try {
                int queues = producer.fetchPublishMessageQueues(topic).size();
                if (queues == NEW_TOPIC_QUEUES) {
                    return null;
                }
                last = queues + " queues, expected " + NEW_TOPIC_QUEUES;
            } catch (MQClientException e) {
                last = Outcome.describe(e);
            }
            Thread.sleep(RETRY_MS);
        }
        return last;
    }
}
