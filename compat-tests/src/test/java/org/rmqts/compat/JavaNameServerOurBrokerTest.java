package org.rmqts.compat;

import java.util.Collections;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A mixed cluster, the Java 4.7.1 NameServer with our broker: see {@link MixedClusterScenario}. Runs whatever {@code compat.target} says. */
class JavaNameServerOurBrokerTest {
    private static Servers servers;

    @BeforeAll
    static void start() {
        servers = Servers.startMixed(JavaNameServerOurBrokerTest.class, Servers.Target.JAVA, Servers.Target.TS, Collections.emptyMap());
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void sendConsumeFilterResumeAndQuery() throws Exception {
        MixedClusterScenario.run(servers);
    }
}
