package org.rmqts.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A NameServer (ours) plus one broker at a time on a store directory the test chooses, for the store scenarios
 * (crash recovery, store compatibility, disk full). Unlike {@link Servers}, the broker can be our Node broker or the
 * real Java 4.7.1 broker on the same store, gets extra {@code broker.conf} keys, and can be killed with SIGKILL at
 * any moment (also while it boots). Output goes to {@code target/server-logs/<name>-broker-<n>.out}.
 */
final class StoreProcesses implements AutoCloseable {
    enum Kind { TS, JAVA }

    static final long BOOT_TIMEOUT_MS = 30_000;

    private final String name;
    private final Path work;
    private final Path logDir;
    private final int nsPort;
    private final int brokerPort;
    private Servers.Child namesrv;
    private Servers.Child broker;
    private int brokerStarts;

    private StoreProcesses(String name) {
        this.name = name;
        try {
            Path base = Servers.buildDir().resolve("server-work");
            Files.createDirectories(base);
            this.work = Files.createTempDirectory(base, name + "-");
            this.logDir = Servers.buildDir().resolve("server-logs");
            Files.createDirectories(logDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.nsPort = Servers.freePort(false);
        this.brokerPort = Servers.freePort(true);
    }

    /** Work directory plus our NameServer, booted. */
    static StoreProcesses start(String name) {
        StoreProcesses p = new StoreProcesses(name);
        try {
            p.startNameServer();
            return p;
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    Path work() {
        return work;
    }

    String nsAddr() {
        return "127.0.0.1:" + nsPort;
    }

    int nsPort() {
        return nsPort;
    }

    String brokerAddr() {
        return "127.0.0.1:" + brokerPort;
    }

    private void startNameServer() {
        Path conf = work.resolve("namesrv.properties");
        write(conf, "listenPort=" + nsPort + "\n");
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("compat.node", "node"));
        cmd.add(Servers.repoRoot().resolve("dist/src/cli/mqnamesrv.js").toString());
        cmd.add("-c");
        cmd.add(conf.toString());
        namesrv = Servers.Child.launch("namesrv", cmd, work, env(), logDir.resolve(name + "-namesrv.out"));
        namesrv.awaitBoot(Servers.NAMESRV_BOOT_MARKER, nsPort, BOOT_TIMEOUT_MS, null);
    }

    /** The broker.conf every broker of this instance gets, plus {@code extra}. */
    Map<String, String> brokerConf(Path store, Map<String, String> extra) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("brokerClusterName", "DefaultCluster");
        conf.put("brokerName", "broker-a");
        conf.put("brokerId", "0");
        conf.put("listenPort", String.valueOf(brokerPort));
        conf.put("namesrvAddr", nsAddr());
        conf.put("brokerIP1", "127.0.0.1");
        conf.put("storePathRootDir", store.toString());
        conf.put("storePathCommitLog", store.resolve("commitlog").toString());
        conf.put("mappedFileSizeCommitLog", String.valueOf(4 * 1024 * 1024));
        // same (small) index geometry for both brokers: index files must have one size
        conf.put("maxHashSlotNum", "50000");
        conf.put("maxIndexNum", "200000");
        conf.putAll(extra);
        return conf;
    }

    /** Launches a broker without waiting for it (callers may kill it while it boots). */
    Servers.Child launchBroker(Kind kind, Map<String, String> conf) {
        brokerStarts++;
        StringBuilder text = new StringBuilder();
        conf.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path confFile = work.resolve("broker-" + brokerStarts + ".conf");
        write(confFile, text.toString());
        List<String> cmd = new ArrayList<>();
        if (kind == Kind.TS) {
            cmd.add(System.getProperty("compat.node", "node"));
            cmd.add(Servers.repoRoot().resolve("dist/src/cli/mqbroker.js").toString());
        } else {
            cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            Collections.addAll(cmd, "-server", "-Xms256m", "-Xmx256m", "-XX:MaxDirectMemorySize=256m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dfile.encoding=UTF-8",
                "-Duser.home=" + work.resolve("home"), "-Drocketmq.home.dir=" + rocketmqHome());
            cmd.addAll(Servers.JDK17_OPENS);
            cmd.add("-cp");
            cmd.add(Servers.serverClasspath());
            cmd.add("org.apache.rocketmq.broker.BrokerStartup");
        }
        cmd.add("-c");
        cmd.add(confFile.toString());
        String role = "broker-" + brokerStarts + "-" + kind.name().toLowerCase();
        broker = Servers.Child.launch(role, cmd, work, env(), logDir.resolve(name + "-" + role + ".out"));
        return broker;
    }

    /** Launches another broker next to the current one (it is not tracked: the caller stops it). */
    Servers.Child launchSecondBroker(Kind kind, Map<String, String> conf) {
        Servers.Child current = broker;
        try {
            return launchBroker(kind, conf);
        } finally {
            broker = current;
        }
    }

    /** Launches a broker and waits until it printed its boot line and accepts connections. */
    void startBroker(Kind kind, Map<String, String> conf) {
        launchBroker(kind, conf).awaitBoot(Servers.BROKER_BOOT_MARKER, brokerPort, BOOT_TIMEOUT_MS, null);
    }

    /** SIGKILL, like a crash of the broker process. */
    void killBroker() {
        if (broker == null) {
            return;
        }
        broker.process.destroyForcibly();
        try {
            if (!broker.process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("broker did not die after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        broker = null;
    }

    /** SIGTERM (clean shutdown: offsets and config persisted), SIGKILL after 10 s. */
    void stopBroker() {
        if (broker != null) {
            broker.stop(10_000);
            broker = null;
        }
    }

    /** Output of the running (or last) broker so far. */
    String brokerOutput() {
        return broker == null ? "(no broker)" : broker.tail();
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.stop(10_000);
            broker = null;
        }
        if (namesrv != null) {
            namesrv.stop(10_000);
            namesrv = null;
        }
        if (!Boolean.getBoolean("compat.keepWork")) {
            Servers.deleteRecursively(work);
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("ROCKETMQ_LOG_DIR", logDir.resolve(name).toString());
        env.put("ROCKETMQ_HOME", rocketmqHome().toString());
        return env;
    }

    /** A minimal ROCKETMQ_HOME for the Java broker: conf/logback_broker.xml writing into our log dir. */
    private Path rocketmqHome() {
        Path home = work.resolve("rmqhome");
        Path conf = home.resolve("conf");
        if (!Files.isDirectory(conf)) {
            try {
                Files.createDirectories(conf);
                Files.createDirectories(work.resolve("home"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String logback = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n"
                + "  <appender name=\"FILE\" class=\"ch.qos.logback.core.FileAppender\">\n"
                + "    <file>" + logDir.resolve(name).resolve("java-broker.log") + "</file>\n"
                + "    <append>true</append>\n"
                + "    <encoder><pattern>%d{yyyy-MM-dd HH:mm:ss,SSS} %p %t %c{0} - %m%n</pattern></encoder>\n"
                + "  </appender>\n  <root level=\"INFO\"><appender-ref ref=\"FILE\"/></root>\n</configuration>\n";
            write(conf.resolve("logback_broker.xml"), logback);
        }
        return home;
    }

    static void write(Path p, String text) {
        try {
            Files.write(p, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
