package org.rmqts.matrix.spring.scenario;

import java.util.ArrayList;
import java.util.List;

import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.spring.annotation.ExtRocketMQTemplateConfiguration;
import org.apache.rocketmq.spring.annotation.RocketMQMessageListener;
import org.apache.rocketmq.spring.core.RocketMQTemplate;
import org.rmqts.matrix.spring.Checks;
import org.rmqts.matrix.spring.Delivery;
import org.rmqts.matrix.spring.Inbox;
import org.rmqts.matrix.spring.Names;
import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.rmqts.matrix.spring.Scenario;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

/** batch: one {@code RocketMQTemplate.syncSend(destination, Collection<Message>)} of 10. */
@Component
@OnScenario(BatchScenario.ID)
public class BatchScenario implements Scenario {
    static final String ID = "batch";

    @ExtRocketMQTemplateConfiguration(group = "${matrix.prefix}_" + ID + "_pg")
    @OnScenario(ID)
    public static class Template extends RocketMQTemplate {
    }

    @Component
    @OnScenario(ID)
    @RocketMQMessageListener(topic = "${matrix.prefix}_" + ID, consumerGroup = "${matrix.prefix}_" + ID + "_cg")
    public static class Listener extends Inbox {
    }

    private final Template template;
    private final Listener listener;
    private final Names names;

    public BatchScenario(Template template, Listener listener, Names names) {
        this.template = template;
        this.listener = listener;
        this.names = names;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Outcome run() throws InterruptedException {
        List<String> expected = new ArrayList<>();
        List<Message<String>> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add(names.body(ID, i));
            batch.add(MessageBuilder.withPayload(names.body(ID, i)).build());
        }
        SendResult result = template.syncSend(names.topic(ID), batch);
        if (result.getSendStatus() != SendStatus.SEND_OK) {
            return Outcome.fail("expected SEND_OK for the batch, got " + result.getSendStatus());
        }
        List<Delivery> received = listener.awaitAndLinger(10, 30_000);
        String problem = Checks.exactlyOnce(expected, received);
        if (problem != null) {
            return Outcome.fail("batch SEND_OK, but expected its 10 bodies once each: " + problem);
        }
        return Outcome.pass("batch of 10 SEND_OK, 10/10 received");
    }
}
