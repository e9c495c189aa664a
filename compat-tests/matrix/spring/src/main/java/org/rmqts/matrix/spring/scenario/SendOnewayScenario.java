package org.rmqts.matrix.spring.scenario;

import java.util.ArrayList;
import java.util.List;

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
import org.springframework.stereotype.Component;

/** send_oneway: 10 × {@code RocketMQTemplate.sendOneWay}; a listener receives all 10. */
@Component
@OnScenario(SendOnewayScenario.ID)
public class SendOnewayScenario implements Scenario {
    static final String ID = "send_oneway";

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

    public SendOnewayScenario(Template template, Listener listener, Names names) {
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
        for (int i = 0; i < 10; i++) {
            expected.add(names.body(ID, i));
            template.sendOneWay(names.topic(ID), names.body(ID, i));
        }
        List<Delivery> received = listener.awaitAndLinger(10, 30_000);
        String problem = Checks.exactlyOnce(expected, received);
        if (problem != null) {
            return Outcome.fail("expected the 10 oneway bodies once each: " + problem);
        }
        return Outcome.pass("10/10 received");
    }
}
