package org.rmqts.compat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our master (ts) serving a Java 4.7.1 slave over the HA protocol, in ASYNC_MASTER and SYNC_MASTER: every send is
 * SEND_OK, the commit logs end byte-identical, and a consumer reads everything from the Java slave with our master
 * stopped. See {@link MasterSlaveScenario}.
 */
class OurMasterJavaSlaveTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ASYNC_MASTER", "SYNC_MASTER"})
    void javaSlaveFollowsOurMaster(String brokerRole) throws Exception {
        MasterSlaveScenario.run(OurMasterJavaSlaveTest.class, Servers.Target.TS, Servers.Target.JAVA, brokerRole);
    }
}
