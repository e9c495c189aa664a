package org.rmqts.compat;

import java.util.Collections;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A mixed cluster, our NameServer with the Java 4.7.1 broker: see {@link MixedClusterScenario}. Runs whatever {@code compat.target} says. */
class OurNameServerJavaBrokerTest {
    private static Servers servers;

    @BeforeAll
    static void start() {
        servers = Servers.startMixed(OurNameServerJavaBrokerTest.class, Servers.Target.TS, Servers.Target.JAVA, Collections.emptyMap());
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
