package org.rmqts.matrix.spring;

import java.util.ArrayList;
import java.util.List;

import org.apache.rocketmq.spring.core.RocketMQTemplate;

/**
 * A scenario that sends through its own {@code RocketMQTemplate} bean: its id, its names (README "Topics and
 * groups": topic PREFIX_id, bodies PREFIX_id-i) and that template. A scenario class declares its template and
 * listeners as Spring beans and states only what it sends and what it checks.
 */
public abstract class TemplateScenario implements Scenario {
    private final String id;
    protected final Names names;
    protected final RocketMQTemplate template;

    protected TemplateScenario(String id, Names names, RocketMQTemplate template) {
        this.id = id;
        this.names = names;
        this.template = template;
    }

    @Override
    public final String id() {
        return id;
    }

    /** The scenario's topic, PREFIX_id. */
    protected final String topic() {
        return names.topic(id);
    }

    /** Body {@code index}: PREFIX_id-index. */
    protected final String body(int index) {
        return names.body(id, index);
    }

    /** Bodies 0..count-1, in order. */
    protected final List<String> bodies(int count) {
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add(body(i));
        }
        return bodies;
    }
}
