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
import org.rmqts.matrix.spring.ListenerScenario;
import org.rmqts.matrix.spring.Names;
import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

/**
 * filter_sql92: 10 sends whose Spring message header {@code a} = 0..9 (the starter turns headers into user
 * properties); a listener with the SQL92 selector {@code a >= 5} gets the five with a = 5..9.
 */
@Component
@OnScenario(FilterSql92Scenario.ID)
public class FilterSql92Scenario extends ListenerScenario {
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

    public FilterSql92Scenario(Template template, Listener listener, Names names) {
        super(ID, names, template, listener);
    }

    @Override
    public Outcome run() throws InterruptedException {
        List<String> bodies = bodies(10);
        for (int a = 0; a < bodies.size(); a++) {
            template.syncSend(topic(), MessageBuilder.withPayload(bodies.get(a)).setHeader("a", a).build());
        }
        return expectEachOnce(bodies.subList(5, 10), FilterSql92Scenario::wrongPropertyA,
            "expected exactly a = 5..9", "5/5 with a = 5..9 received, none below");
    }

    /** The deliveries whose property {@code a} is not the index in their body, or null when there are none. */
    private static String wrongPropertyA(List<Delivery> received) {
        List<String> wrongA = new ArrayList<>();
        for (Delivery d : received) {
            String index = d.body().substring(d.body().lastIndexOf('-') + 1);
            if (!index.equals(d.propertyA())) {
                wrongA.add(index + " a=" + Checks.visible(d.propertyA()));
            }
        }
        return wrongA.isEmpty() ? null : "property a wrong " + Checks.shortList(wrongA);
    }
}
