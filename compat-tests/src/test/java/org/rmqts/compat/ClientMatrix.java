package org.rmqts.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.alibaba.fastjson.JSON;
import com.alibaba.fastjson.JSONArray;
import com.alibaba.fastjson.JSONObject;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** Shared facts of the client matrix (compat-tests/matrix/README.md): broker settings, scenarios, topics. */
final class ClientMatrix {
    static final int QUEUES_PER_TOPIC = 4;

    private ClientMatrix() {
    }

    static Path matrixDir() {
        return Servers.repoRoot().resolve("compat-tests").resolve("matrix");
    }

    /** broker.conf lines beyond the harness defaults: SQL92 filters on, fast transaction check-back. */
    static Map<String, String> brokerConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("enablePropertyFilter", "true");
        conf.put("transactionCheckInterval", "2000");
        conf.put("transactionTimeOut", "3000");
        conf.put("autoCreateTopicEnable", "true");
        conf.put("autoCreateSubscriptionGroup", "true");
        // Java's send-queue flow control answers SYSTEM_BUSY [TIMEOUT_CLEAN_QUEUE] after 200 ms in the queue; a cold
        // JVM with a driver's concurrent scenarios on a shared 2-core machine reaches that (ours has no send queue)
        conf.put("waitTimeMillsInSendQueue", "3000");
        return conf;
    }

    /** The scenario ids of scenarios.json, in row order. */
    static List<String> scenarioIds() {
        List<String> ids = new ArrayList<>();
        for (Object o : readArray(matrixDir().resolve("scenarios.json"))) {
            ids.add(((JSONObject) o).getString("id"));
        }
        return ids;
    }

    static JSONArray readArray(Path file) {
        try {
            return JSON.parseArray(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    /** Creates PREFIX_s (4 read and 4 write queues) for every scenario s on the broker. */
    static void createTopics(DefaultMQAdminExt admin, String brokerAddr, String prefix) throws Exception {
        for (String id : scenarioIds()) {
            TopicConfig config = new TopicConfig(prefix + "_" + id, QUEUES_PER_TOPIC, QUEUES_PER_TOPIC, 6);
            admin.createAndUpdateTopicConfig(brokerAddr, config);
        }
    }
}
