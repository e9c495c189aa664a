package org.rmqts.matrix.spring.scenario;

import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.rmqts.matrix.spring.Scenario;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Scenarios rocketmq-spring-boot-starter has no API for. */
@Configuration(proxyBeanMethods = false)
public class UnsupportedScenarios {

    /** A scenario that is always {@code unsupported}, for the reason given. */
    record Unsupported(String id, String reason) implements Scenario {
        @Override
        public Outcome run() {
            return Outcome.unsupported(reason);
        }
    }

    @Bean
    @OnScenario("query_key")
    Scenario queryKey() {
        return new Unsupported("query_key", "rocketmq-spring-boot-starter has no message query API (RocketMQTemplate"
            + " only sends and receives); querying by key means dropping to the plain client's"
            + " DefaultMQProducer/MQAdmin, which the Java columns cover");
    }

    @Bean
    @OnScenario("admin_create_topic")
    Scenario adminCreateTopic() {
        return new Unsupported("admin_create_topic", "rocketmq-spring-boot-starter has no admin API (no topic"
            + " creation; RocketMQTemplate only sends and receives)");
    }
}
