package org.rmqts.matrix.spring.scenario;

import java.util.List;

import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.spring.annotation.ExtRocketMQTemplateConfiguration;
import org.apache.rocketmq.spring.annotation.RocketMQMessageListener;
import org.apache.rocketmq.spring.core.RocketMQTemplate;
import org.rmqts.matrix.spring.Delivery;
import org.rmqts.matrix.spring.Inbox;
import org.rmqts.matrix.spring.ListenerScenario;
import org.rmqts.matrix.spring.Names;
import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

/** delay: {@code RocketMQTemplate.syncSend(destination, message, timeout, delayLevel 1)}. */
@Component
@OnScenario(DelayScenario.ID)
public class DelayScenario extends ListenerScenario {
    static final String ID = "delay";

    @ExtRocketMQTemplateConfiguration(group = "${matrix.prefix}_" + ID + "_pg")
    @OnScenario(ID)
    public static class Template extends RocketMQTemplate {
    }

    @Component
    @OnScenario(ID)
    @RocketMQMessageListener(topic = "${matrix.prefix}_" + ID, consumerGroup = "${matrix.prefix}_" + ID + "_cg")
    public static class Listener extends Inbox {
    }

    public DelayScenario(Template template, Listener listener, Names names) {
        super(ID, names, template, listener);
    }

    @Override
    public Outcome run() throws InterruptedException {
        String body = body(0);
        SendResult result = template.syncSend(topic(), MessageBuilder.withPayload(body).build(), 3000, 1);
        long sentAtMs = System.currentTimeMillis();
        if (result.getSendStatus() != SendStatus.SEND_OK) {
            return Outcome.fail("expected SEND_OK, got " + result.getSendStatus());
        }
        List<Delivery> received = inbox.awaitAndLinger(1, Inbox.RECEIVE_LIMIT_MS);
        if (received.isEmpty()) {
            return Outcome.fail("the delayed message did not arrive within 30 s");
        }
        Delivery first = received.get(0);
        long afterMs = first.receivedAtMs() - sentAtMs;
        if (received.size() != 1 || !first.body().equals(body)) {
            return Outcome.fail("expected 1 delivery of " + body + ", got " + received.size() + " (first "
                + first.body() + ")");
        }
        if (afterMs < 900) {
            return Outcome.fail("delivered " + afterMs + " ms after the send returned, expected >= 900 ms");
        }
        return Outcome.pass("received " + afterMs + " ms after the send returned");
    }
}
