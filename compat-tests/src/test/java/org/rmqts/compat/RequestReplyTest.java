package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.RequestCallback;
import org.apache.rocketmq.client.utils.MessageUtil;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request/reply with the 4.7.1 API: {@code producer.request(msg, timeout)} on one side; a push consumer that
 * answers with {@code MessageUtil.createReplyMessage} + {@code send} on the other. The reply travels as
 * SEND_REPLY_MESSAGE_V2 to the broker, which pushes it (PUSH_REPLY_MESSAGE_TO_CLIENT) to the requester.
 * Synchronous and callback requests both get their own reply.
 */
class RequestReplyTest {
    @RegisterExtension
    static final CompatFixture fx = CompatFixture.create();

    @Test
    void requestGetsItsReply() throws Exception {
        String topic = Compat.unique("RequestTopic");
        DefaultMQProducer requester = Compat.producer(fx.servers(), Compat.unique("pg_request"));
        DefaultMQProducer replier = Compat.producer(fx.servers(), Compat.unique("pg_reply"));
        List<MessageExt> requests = Compat.syncList();
        DefaultMQPushConsumer responder = new DefaultMQPushConsumer(Compat.unique("cg_responder"));
        try {
            // created through the replier: the requester's first request then finds no route and heartbeats
            // to the broker (DefaultMQProducerImpl.prepareSendRequest), which is how the broker learns its id
            replier.send(new Message(topic, "create".getBytes(StandardCharsets.UTF_8)));
            Compat.awaitRoute(fx.servers(), topic, 30_000);
            responder.setNamesrvAddr(fx.servers().nsAddr());
            responder.setInstanceName(Compat.unique("responder"));
            responder.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            responder.subscribe(topic, "*");
            responder.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                for (MessageExt m : msgs) {
                    requests.add(m);
                    if (m.getProperty("CORRELATION_ID") == null) {
                        continue;
                    }
                    try {
                        Message reply = MessageUtil.createReplyMessage(m,
                            ("re:" + Compat.body(m)).getBytes(StandardCharsets.UTF_8));
                        replier.send(reply, 5_000);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
            responder.start();
            Compat.await("the responder to get the first message", 60_000,
                () -> requests.stream().anyMatch(m -> Compat.body(m).equals("create")), () -> "got " + requests.size());

            for (int i = 0; i < 3; i++) {
                long start = System.currentTimeMillis();
                Message reply = requester.request(new Message(topic, ("question-" + i).getBytes(StandardCharsets.UTF_8)),
                    10_000);
                assertNotNull(reply, "reply " + i);
                assertEquals("re:question-" + i, new String(reply.getBody(), StandardCharsets.UTF_8));
                assertEquals("DefaultCluster_REPLY_TOPIC", reply.getTopic());
                assertEquals("reply", reply.getProperty("MSG_TYPE"));
                assertNotNull(reply.getProperty("PUSH_REPLY_TIME"));
                System.out.printf("[RequestReplyTest] round trip %d ms (%s)%n", System.currentTimeMillis() - start,
                    Servers.target());
            }

            CountDownLatch done = new CountDownLatch(1);
            AtomicReference<Message> async = new AtomicReference<>();
            requester.request(new Message(topic, "async".getBytes(StandardCharsets.UTF_8)), new RequestCallback() {
                @Override
                public void onSuccess(Message message) {
                    async.set(message);
                    done.countDown();
                }

                @Override
                public void onException(Throwable e) {
                    done.countDown();
                }
            }, 10_000);
            assertTrue(done.await(15, TimeUnit.SECONDS), "callback called");
            assertNotNull(async.get(), "callback got a reply");
            assertEquals("re:async", new String(async.get().getBody(), StandardCharsets.UTF_8));
        } finally {
            responder.shutdown();
            replier.shutdown();
            requester.shutdown();
        }
    }
}
