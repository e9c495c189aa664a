package org.rmqts.compat;

import java.util.LinkedHashMap;
import java.util.Map;

/** Shared facts of the client matrix (compat-tests/matrix/README.md): the broker settings every column runs on. */
final class ClientMatrix {
    private ClientMatrix() {
    }

    /** broker.conf lines beyond the harness defaults: SQL92 filters on, fast transaction check-back. */
    static Map<String, String> brokerConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("enablePropertyFilter", "true");
        conf.put("transactionCheckInterval", "2000");
        conf.put("transactionTimeOut", "3000");
        conf.put("autoCreateTopicEnable", "true");
        conf.put("autoCreateSubscriptionGroup", "true");
        return conf;
    }
}
