package org.rmqts.matrix.spring.scenario;

import java.util.List;

import org.apache.rocketmq.spring.annotation.ExtRocketMQTemplateConfiguration;
import org.apache.rocketmq.spring.annotation.RocketMQMessageListener;
import org.apache.rocketmq.spring.core.RocketMQTemplate;
import org.rmqts.matrix.spring.Inbox;
import org.rmqts.matrix.spring.ListenerScenario;
import org.rmqts.matrix.spring.Names;
import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.springframework.stereotype.Component;

/** send_oneway: 10 × {@code RocketMQTemplate.sendOneWay}; a listener receives all 10. */
@Component
@OnScenario(SendOnewayScenario.ID)
public class SendOnewayScenario extends ListenerScenario {
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

    public SendOnewayScenario(Template template, Listener listener, Names names) {
        super(ID, names, template, listener);
    }

    @Override
    public Outcome run() throws InterruptedException {
        List<String> bodies = bodies(10);
        bodies.forEach(body -> template.sendOneWay(topic(), body));
        return expectEachOnce(bodies, "expected the 10 oneway bodies once each", "10/10 received");
    }
}
