package org.rmqts.compat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our slave (ts) following a Java 4.7.1 master over the HA protocol, in ASYNC_MASTER and SYNC_MASTER: every send is
 * SEND_OK (a Java SYNC_MASTER waits for our acknowledgements), the commit logs end byte-identical, and a consumer
 * reads everything from our slave with the Java master stopped. See {@link MasterSlaveScenario}.
 */
class JavaMasterOurSlaveTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ASYNC_MASTER", "SYNC_MASTER"})
    void ourSlaveFollowsJavaMaster(String brokerRole) throws Exception {
        MasterSlaveScenario.run(JavaMasterOurSlaveTest.class, Servers.Target.JAVA, Servers.Target.TS, brokerRole);
    }
}
