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
import org.springframework.stereotype.Component;

/** filter_tag: 30 sends to "topic:TagX" (A, B, C in turn); a listener with selector "TagA || TagB" gets the 20. */
@Component
@OnScenario(FilterTagScenario.ID)
public class FilterTagScenario extends ListenerScenario {
    static final String ID = "filter_tag";
    private static final String[] TAGS = {"TagA", "TagB", "TagC"};

    @ExtRocketMQTemplateConfiguration(group = "${matrix.prefix}_" + ID + "_pg")
    @OnScenario(ID)
    public static class Template extends RocketMQTemplate {
    }

    @Component
    @OnScenario(ID)
    @RocketMQMessageListener(topic = "${matrix.prefix}_" + ID, consumerGroup = "${matrix.prefix}_" + ID + "_cg",
        selectorType = SelectorType.TAG, selectorExpression = "TagA || TagB")
    public static class Listener extends Inbox {
    }

    public FilterTagScenario(Template template, Listener listener, Names names) {
        super(ID, names, template, listener);
    }

    @Override
    public Outcome run() throws InterruptedException {
        List<String> bodies = bodies(30);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            String tag = TAGS[i % 3];
            if (!tag.equals("TagC")) {
                expected.add(bodies.get(i));
            }
            template.syncSend(topic() + ":" + tag, bodies.get(i));
        }
        return expectEachOnce(expected, this::wrongTags, "expected the 20 TagA/TagB bodies once each, tags intact",
            "20/20 TagA/TagB received, tags intact, no TagC");
    }

    /** The deliveries whose tag is not the one their body was sent with, or null when there are none. */
    private String wrongTags(List<Delivery> received) {
        List<String> wrongTags = new ArrayList<>();
        for (Delivery d : received) {
            String expectedTag = expectedTag(d.body());
            if (expectedTag != null && !expectedTag.equals(d.tags())) {
                wrongTags.add(d.body().substring(names.prefix().length()) + " tag=" + Checks.visible(d.tags()));
            }
        }
        return wrongTags.isEmpty() ? null : wrongTags.size() + " with wrong tag " + Checks.shortList(wrongTags);
    }

    private String expectedTag(String body) {
        String head = topic() + "-";
        if (!body.startsWith(head)) {
            return null;
        }
        try {
            return TAGS[Integer.parseInt(body.substring(head.length())) % 3];
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
