package org.rmqts.compat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * A push consumer in a JVM of its own, so a scenario can kill it (SIGKILL: no unregister, no offset flush). Prints
 * {@code STARTED} once started and {@code RECV <queueId> <body>} for every delivered message.
 * Arguments: nsAddr group topic instanceName.
 */
public final class ConsumerProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        DefaultMQPushConsumer c = new DefaultMQPushConsumer(args[1]);
        c.setNamesrvAddr(args[0]);
        c.setInstanceName(args[3]);
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.subscribe(args[2], "*");
        c.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                System.out.println("RECV " + m.getQueueId() + " " + new String(m.getBody(), StandardCharsets.UTF_8));
            }
            System.out.flush();
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        c.start();
        System.out.println("STARTED " + c.buildMQClientId());
        System.out.flush();
        TimeUnit.MINUTES.sleep(5); // killed by the scenario long before
        System.exit(0);
    }

    private ConsumerProcess(Process process) {
        this.process = process;
        Thread t = new Thread(this::pump, "pump-consumer-" + process.pid());
        t.setDaemon(true);
        t.start();
    }

    public static ConsumerProcess start(Servers s, String group, String topic, String instanceName, Path work)
        throws IOException {
        Files.createDirectories(work);
        List<String> cmd = new ArrayList<>(Arrays.asList(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "-Duser.home=" + work, "-Drocketmq.client.logRoot=" + work.resolve("logs"),
            "-cp", Servers.buildDir().resolve("test-classes") + File.pathSeparator + Servers.serverClasspath(),
            ConsumerProcess.class.getName(), s.nsAddr(), group, topic, instanceName));
        return new ConsumerProcess(new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start());
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** Bodies this consumer printed as received. */
    public List<String> received() {
        List<String> out = new ArrayList<>();
        for (String l : lines()) {
            if (l.startsWith("RECV ")) {
                out.add(l.substring(l.indexOf(' ', 5) + 1));
            }
        }
        return out;
    }

    public boolean started() {
        return lines().stream().anyMatch(l -> l.startsWith("STARTED "));
    }

    /** SIGKILL, as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        Thread.sleep(200); // let the pump drain what the child wrote before it died
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
