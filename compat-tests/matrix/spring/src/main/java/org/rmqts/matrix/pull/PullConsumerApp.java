package org.rmqts.matrix.pull;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A separate, minimal Spring Boot application whose only RocketMQ bean is the starter's own
 * {@code rocketMQTemplate} with its pull consumer, configured by properties alone. The pull_offsets scenario
 * starts it twice, one after the other, as an application that is restarted would be.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class PullConsumerApp {

    /**
     * Starts the application: its template's lite pull consumer subscribes {@code topic} as {@code group}
     * (the property names of both starter lines are set: {@code rocketmq.consumer.*} up to 2.2.x,
     * {@code rocketmq.pull-consumer.*} from 2.3.0).
     */
    public static ConfigurableApplicationContext start(String nameServer, String group, String topic,
                                                       int pullBatchSize) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("rocketmq.name-server", nameServer);
        for (String prefix : new String[] {"rocketmq.consumer.", "rocketmq.pull-consumer."}) {
            properties.put(prefix + "group", group);
            properties.put(prefix + "topic", topic);
            properties.put(prefix + "pull-batch-size", pullBatchSize);
        }
        return new SpringApplicationBuilder(PullConsumerApp.class)
            .web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .registerShutdownHook(false)
            .properties(properties)
            .run();
    }
}
