package org.rmqts.matrix.spring;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The run's names (README "Topics and groups"): topic PREFIX_s, bodies PREFIX_s-i. */
@Component
public class Names {
    private final String prefix;

    public Names(@Value("${matrix.prefix}") String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public String topic(String scenario) {
        return prefix + "_" + scenario;
    }

    public String body(String scenario, int index) {
        return topic(scenario) + "-" + index;
    }
}
