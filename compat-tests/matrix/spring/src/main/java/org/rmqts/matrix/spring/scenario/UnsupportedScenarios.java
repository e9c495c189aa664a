package org.rmqts.matrix.spring.scenario;

import org.rmqts.matrix.spring.OnScenario;
import org.rmqts.matrix.spring.Outcome;
import org.rmqts.matrix.spring.Scenario;
import org.springframework.stereotype.Component;

/** Scenarios rocketmq-spring-boot-starter has no API for. */
public final class UnsupportedScenarios {
    private UnsupportedScenarios() {
    }

    @Component
    @OnScenario(QueryKey.ID)
    public static class QueryKey implements Scenario {
        static final String ID = "query_key";

        @Override
        public String id() {
            return ID;
        }

        @Override
        public Outcome run() {
            return Outcome.unsupported("rocketmq-spring-boot-starter has no message query API (RocketMQTemplate only"
                + " sends and receives); querying by key means dropping to the plain client's"
                + " DefaultMQProducer/MQAdmin, which the Java columns cover");
        }
    }

    @Component
    @OnScenario(AdminCreateTopic.ID)
    public static class AdminCreateTopic implements Scenario {
        static final String ID = "admin_create_topic";

        @Override
        public String id() {
            return ID;
        }

        @Override
        public Outcome run() {
            return Outcome.unsupported("rocketmq-spring-boot-starter has no admin API (no topic creation; "
                + "RocketMQTemplate only sends and receives)");
        }
    }
}
