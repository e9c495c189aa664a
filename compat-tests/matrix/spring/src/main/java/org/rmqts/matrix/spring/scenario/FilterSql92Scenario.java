package org.rmqts.matrix.spring.scenario;

import java.util.ArrayList;
import java.util.List;

import org.apache.rocketmq.spring.annotation.ExtRocketMQTemplateConfiguration;
import org.apache.rocketmq.spring.annotation.RocketMQMessageListener;
import org.apache.rocketmq.spring.annotation.SelectorType;
import org.apache.rocketmq.spring.core.RocketMQTemplate;
import org.rmqts.matrix.spring.Checks;
import org.rmqts.matrix.spring.Delivery;
import org.rmqts.matrix.spring.Inbox;
import org.rmqts.matrix.spring.Names;
import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.rmqts.matrix.spring.Scenario;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

/**
 * filter_sql92: 10 sends whose Spring message header {@code a} = 0..9 (the starter turns headers into user
 * properties); a listener with the SQL92 selector {@code a >= 5} gets the five with a = 5..9.
 */
@Component
@OnScenario(FilterSql92Scenario.ID)
public class FilterSql92Scenario implements Scenario {
    static final String ID = "filter_sql92";

    @ExtRocketMQTemplateConfiguration(group = "${matrix.prefix}_" + ID + "_pg")
    @OnScenario(ID)
    public static class Template extends RocketMQTemplate {
    }

    @Component
    @OnScenario(ID)
    @RocketMQMessageListener(topic = "${matrix.prefix}_" + ID, consumerGroup = "${matrix.prefix}_" + ID + "_cg",
        selectorType = SelectorType.SQL92, selectorExpression = "a >= 5")
    public static class Listener extends Inbox {
    }

    private final Template template;
    private final Listener listener;
    private final Names names;

    public FilterSql92Scenario(Template template, Listener listener, Names names) {
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
            if (i >= 5) {
                expected.add(names.body(ID, i));
            }
            template.syncSend(names.topic(ID), MessageBuilder.withPayload(names.body(ID, i)).setHeader("a", i).build());
        }
        List<Delivery> received = listener.awaitAndLinger(5, 30_000);
        String problem = Checks.exactlyOnce(expected, received);
        List<String> wrongA = new ArrayList<>();
        for (Delivery d : received) {
            String index = d.body().substring(d.body().lastIndexOf('-') + 1);
            if (!index.equals(d.propertyA())) {
                wrongA.add(index + " a=" + Checks.visible(d.propertyA()));
            }
        }
        if (problem != null || !wrongA.isEmpty()) {
            return Outcome.fail("expected exactly a = 5..9: " + (problem == null ? "" : problem + "; ")
                + (wrongA.isEmpty() ? "" : "property a wrong " + Checks.shortList(wrongA)));
        }
        return Outcome.pass("5/5 with a = 5..9 received, none below");
    }
}
