package org.rmqts.matrix.spring.scenario;

import java.util.List;

import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.spring.annotation.ExtRocketMQTemplateConfiguration;
import org.apache.rocketmq.spring.annotation.RocketMQMessageListener;
import org.apache.rocketmq.spring.core.RocketMQTemplate;
import org.rmqts.matrix.spring.Inbox;
import org.rmqts.matrix.spring.ListenerScenario;
import org.rmqts.matrix.spring.Names;
import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

/** batch: one {@code RocketMQTemplate.syncSend(destination, Collection<Message>)} of 10. */
@Component
@OnScenario(BatchScenario.ID)
public class BatchScenario extends ListenerScenario {
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

    public BatchScenario(Template template, Listener listener, Names names) {
        super(ID, names, template, listener);
    }

    @Override
    public Outcome run() throws InterruptedException {
        List<String> bodies = bodies(10);
        List<Message<String>> batch = bodies.stream().map(body -> MessageBuilder.withPayload(body).build()).toList();
        SendResult result = template.syncSend(topic(), batch);
        if (result.getSendStatus() != SendStatus.SEND_OK) {
            return Outcome.fail("expected SEND_OK for the batch, got " + result.getSendStatus());
        }
        return expectEachOnce(bodies, "batch SEND_OK, but expected its 10 bodies once each",
            "batch of 10 SEND_OK, 10/10 received");
    }
}
