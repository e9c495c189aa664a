package org.rmqts.compat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts a NameServer and a Broker as child processes on free 127.0.0.1 ports with a private store directory, and stops
 * them again (SIGTERM, then SIGKILL after 10 s).
 *
 * <p>Targets (system property {@code compat.target}):
 * <ul>
 *   <li>{@code ts} (default): our Node servers {@code <repo>/dist/src/cli/mqnamesrv.js} / {@code mqbroker.js}</li>
 *   <li>{@code java}: the real Apache RocketMQ 4.7.1 NamesrvStartup / BrokerStartup (the oracle)</li>
 * </ul>
 * Child stdout+stderr go to {@code target/server-logs/<Class>-<role>.out}; server log files go to
 * {@code target/server-logs/<Class>/} (env {@code ROCKETMQ_LOG_DIR} for ts, logback config for java).
 */
public final class Servers implements AutoCloseable {
    public enum Target { TS, JAVA }

    public static final String NAMESRV_BOOT_MARKER = "The Name Server boot success";
    public static final String BROKER_BOOT_MARKER = "boot success";
    static final long BOOT_TIMEOUT_MS = 30_000;
    static final long CLASS_BOOT_BUDGET_MS = 40_000;
    static final long STOP_GRACE_MS = 10_000;

    static final List<String> JDK17_OPENS = java.util.Arrays.asList(
        "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED");

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Random RANDOM = new Random();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : LIVE) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }, "compat-servers-reaper"));
    }

    private final String name;
    /** The NameServer's target ({@code compat.target} unless a mixed cluster says otherwise). */
    private Target target;
    /** The broker's target (the NameServer's is {@link #target}); differs in master/slave pairs. */
    private Target brokerTarget;
    private final Path work;
    private final Path logDir;
    private int nsPort;
    private int brokerPort;
    private Child namesrv;
    private Child broker;
    private int brokerStarts;
    private final Map<String, String> extraBrokerConf = new java.util.LinkedHashMap<>();
    private Target slaveTarget;
    private int slavePort;
    private Child slave;
    private int slaveStarts;
    /** A second NameServer ({@link #startTwoNameServers}): every broker registers with both. */
    private Target ns2Target;
    private int ns2Port;
    private Child namesrv2;
    private int ns2Starts;
    private int ns1Starts;
    /** A second master, broker-b ({@link #startBrokerB}), in the same cluster. */
    private Target brokerBTarget;
    private int brokerBPort;
    private Child brokerB;

    private Servers(String name) {
        this.name = name;
        this.target = target();
        this.brokerTarget = target;
        try {
            Path base = buildDir().resolve("server-work");
            Files.createDirectories(base);
            this.work = Files.createTempDirectory(base, name + "-");
            this.logDir = buildDir().resolve("server-logs");
            Files.createDirectories(logDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Target target() {
        String t = System.getProperty("compat.target", "ts").trim().toLowerCase();
        switch (t) {
            case "java":
                return Target.JAVA;
            case "ts":
            case "":
                return Target.TS;
            default:
                throw new IllegalArgumentException("compat.target must be 'ts' or 'java', got '" + t + "'");
        }
    }

    public static boolean isJava() {
        return target() == Target.JAVA;
    }

    static Path buildDir() {
        return Paths.get(System.getProperty("compat.buildDir", "target")).toAbsolutePath().normalize();
    }

    static Path repoRoot() {
        return Paths.get(System.getProperty("compat.repoRoot", "..")).toAbsolutePath().normalize();
    }

    /** NameServer on a free port plus one broker registered with it. */
    public static Servers start(Class<?> testClass) {
        return start(testClass, 0);
    }

    /** NameServer on {@code nsPort} (0 = any free port) plus one broker registered with it. */
    public static Servers start(Class<?> testClass, int nsPort) {
        return start(testClass, nsPort, java.util.Collections.emptyMap());
    }

    /** As {@link #start(Class, int)}, with extra {@code broker.conf} lines (kept for restarts). */
    public static Servers start(Class<?> testClass, int nsPort, Map<String, String> brokerConf) {
        return start(testClass, nsPort, brokerConf, null);
    }

    /**
     * As {@link #start(Class, int, Map)}; a non-null {@code plainAclYaml} is written to
     * {@code ROCKETMQ_HOME/conf/plain_acl.yml} before the broker starts (both targets read it there).
     */
    public static Servers start(Class<?> testClass, int nsPort, Map<String, String> brokerConf, String plainAclYaml) {
        Servers s = new Servers(testClass.getSimpleName());
        s.extraBrokerConf.putAll(brokerConf);
        if (plainAclYaml != null) {
            write(s.plainAclFile(), plainAclYaml);
        }
        // each server gets at most 30 s, and both together at most 40 s, so a class gives up quickly
        long classDeadline = System.currentTimeMillis() + CLASS_BOOT_BUDGET_MS;
        return booted(s, () -> {
            s.startNameServer(nsPort);
            s.startBroker(Math.max(5_000, Math.min(BOOT_TIMEOUT_MS, classDeadline - System.currentTimeMillis())));
        });
    }

    /**
     * A NameServer (of the {@code compat.target}) and a master/slave pair of {@code broker-a}: the master
     * (brokerId 0) of {@code masterTarget}, then the slave (brokerId 1, brokerRole SLAVE, its own store and ports)
     * of {@code slaveTarget}, which learns its master from the NameServer. {@code brokerConf} goes to both;
     * {@code brokerRole} in it is the master's. Both set brokerIP2=127.0.0.1 (the HA address they register).
     */
    public static Servers startPair(Class<?> testClass, Target masterTarget, Target slaveTarget, Map<String, String> brokerConf) {
        Servers s = new Servers(testClass.getSimpleName());
        s.brokerTarget = masterTarget;
        s.slaveTarget = slaveTarget;
        s.extraBrokerConf.put("brokerIP2", "127.0.0.1");
        s.extraBrokerConf.putAll(brokerConf);
        return booted(s, () -> {
            s.startNameServer(0);
            s.startBroker(BOOT_TIMEOUT_MS);
            s.startSlave();
        });
    }

    /**
     * A mixed cluster: a NameServer of {@code nsTarget} and one broker (broker-a) of {@code brokerTarget}, whatever
     * {@code compat.target} says. {@code brokerConf} as for {@link #start(Class, int, Map)}.
     */
    public static Servers startMixed(Class<?> testClass, Target nsTarget, Target brokerTarget, Map<String, String> brokerConf) {
        Servers s = new Servers(testClass.getSimpleName());
        s.target = nsTarget;
        s.brokerTarget = brokerTarget;
        s.extraBrokerConf.putAll(brokerConf);
        return booted(s, () -> {
            s.startNameServer(0);
            s.startBroker(BOOT_TIMEOUT_MS);
        });
    }

    /**
     * Two NameServers (the first of {@code ns1Target}, the second of {@code ns2Target}) and one broker (broker-a) of
     * {@code brokerTarget} whose {@code namesrvAddr} names both ({@code ;}-separated). {@link #nsAddr()} names both too.
     */
    public static Servers startTwoNameServers(Class<?> testClass, Target ns1Target, Target ns2Target, Target brokerTarget,
        Map<String, String> brokerConf) {
        Servers s = new Servers(testClass.getSimpleName());
        s.target = ns1Target;
        s.ns2Target = ns2Target;
        s.brokerTarget = brokerTarget;
        s.extraBrokerConf.putAll(brokerConf);
        return booted(s, () -> {
            s.startNameServer(0);
            s.startNameServer2();
            s.startBroker(BOOT_TIMEOUT_MS);
        });
    }

    /** Every NameServer address, {@code ;}-separated (one unless {@link #startTwoNameServers}). */
    /** Runs the start steps of {@code s}; whatever they started is stopped again when one of them fails. */
    private static Servers booted(Servers s, Runnable steps) {
        try {
            steps.run();
            return s;
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
    }

    public String nsAddr() {
        return ns2Port == 0 ? ns1Addr() : ns1Addr() + ";" + ns2Addr();
    }

    public String ns1Addr() {
        return "127.0.0.1:" + nsPort;
    }

    public String ns2Addr() {
        return "127.0.0.1:" + ns2Port;
    }

    public int ns2Port() {
        return ns2Port;
    }

    public int brokerBPort() {
        return brokerBPort;
    }

    public String brokerBAddr() {
        return "127.0.0.1:" + brokerBPort;
    }

    public int nsPort() {
        return nsPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public String brokerAddr() {
        return "127.0.0.1:" + brokerPort;
    }

    /** ROCKETMQ_HOME/conf/plain_acl.yml of the broker (ours and Java's read the same place). */
    public Path plainAclFile() {
        return rocketmqHome().resolve("conf").resolve("plain_acl.yml");
    }

    public Path workDir() {
        return work;
    }

    public String slaveAddr() {
        return "127.0.0.1:" + slavePort;
    }

    public int slavePort() {
        return slavePort;
    }

    /** The master's commit-log folder. */
    public Path commitLogDir() {
        return work.resolve("store").resolve("commitlog");
    }

    public Path slaveCommitLogDir() {
        return work.resolve("slave-store").resolve("commitlog");
    }

    // ------------------------------------------------------------------------------------------- name server

    public void startNameServer(int port) {
        ns1Starts++;
        namesrv = launchNameServer(target, port, ns1Starts == 1 ? "namesrv" : "namesrv-" + ns1Starts, "namesrv.properties");
        this.nsPort = namesrv.port;
    }

    /** (Re)starts the second NameServer of {@link #startTwoNameServers} on its port. */
    public void startNameServer2() {
        ns2Starts++;
        namesrv2 = launchNameServer(ns2Target, ns2Port, ns2Starts == 1 ? "namesrv2" : "namesrv2-" + ns2Starts,
            "namesrv2.properties");
        this.ns2Port = namesrv2.port;
    }

    /** SIGKILL the first NameServer (index 1) or the second (2): a crash, nothing is saved. */
    public void killNameServer(int index) {
        Child c = index == 1 ? namesrv : namesrv2;
        if (c != null) {
            c.kill();
        }
        if (index == 1) {
            namesrv = null;
        } else {
            namesrv2 = null;
        }
    }

    /** Restarts the first NameServer on its port after {@link #killNameServer}. */
    public void restartNameServer1() {
        startNameServer(nsPort);
    }

    private Child launchNameServer(Target t, int port, String role, String confName) {
        if (port == 0) {
            port = freePort(false);
        } else if (role.equals("namesrv") && !canBind(port)) { // a restart may meet the killed one's TIME_WAIT sockets
            throw new AssertionError("port 127.0.0.1:" + port + " is busy; " + name + " needs it (the seed examples "
                + "hard-code localhost:" + port + "). Stop whatever listens there (ss -ltnp | grep " + port + ")");
        }
        Path conf = work.resolve(confName);
        write(conf, "listenPort=" + port + "\n");
        List<String> cmd = new ArrayList<>();
        if (t == Target.TS) {
            cmd.add(node());
            cmd.add(tsCli("mqnamesrv.js").toString());
        } else {
            javaPrefix(cmd, false);
            cmd.add("org.apache.rocketmq.namesrv.NamesrvStartup");
        }
        cmd.add("-c");
        cmd.add(conf.toString());
        Child c = Child.launch(role, cmd, work, env(t), logDir.resolve(name + "-" + role + ".out"));
        c.port = port;
        c.awaitBoot(NAMESRV_BOOT_MARKER, port, BOOT_TIMEOUT_MS, null);
        return c;
    }

    // ------------------------------------------------------------------------------------------- broker

    /** (Re)starts the broker on the same port and store; waits up to 30 s for it to boot. */
    public void startBroker() {
        startBroker(BOOT_TIMEOUT_MS);
    }

    private void startBroker(long bootTimeoutMs) {
        if (brokerPort == 0) {
            brokerPort = freePort(true);
        }
        brokerStarts++;
        String role = brokerStarts == 1 ? "broker" : "broker-" + brokerStarts;
        broker = launchBroker(role, brokerTarget, brokerPort, work.resolve("store"), "0", extraBrokerConf, "broker.conf",
            bootTimeoutMs);
    }

    /**
     * Starts (or restarts, on the same port and store) a second master, {@code broker-b} of {@code t}, in the same
     * cluster and with the same NameServers as broker-a; {@code conf} adds to the shared broker conf.
     */
    public void startBrokerB(Target t, Map<String, String> conf) {
        if (brokerBPort == 0) {
            brokerBPort = freePort(true);
        }
        brokerBTarget = t;
        Map<String, String> c = new java.util.LinkedHashMap<>(extraBrokerConf);
        c.putAll(conf);
        c.put("brokerName", "broker-b");
        brokerB = launchBroker("broker-b", t, brokerBPort, work.resolve("store-b"), "0", c, "broker-b.conf",
            BOOT_TIMEOUT_MS);
    }

    public void stopBrokerB() {
        if (brokerB != null) {
            brokerB.stop(STOP_GRACE_MS);
            brokerB = null;
        }
    }

    /** (Re)starts the slave of a {@link #startPair} on its port and store; waits up to 30 s for it to boot. */
    public void startSlave() {
        if (slaveTarget == null) {
            throw new IllegalStateException("not a master/slave pair (Servers.startPair)");
        }
        if (slavePort == 0) {
            slavePort = freePort(true);
        }
        Map<String, String> conf = new java.util.LinkedHashMap<>(extraBrokerConf);
        conf.put("brokerRole", "SLAVE");
        slaveStarts++;
        String role = slaveStarts == 1 ? "slave" : "slave-" + slaveStarts;
        slave = launchBroker(role, slaveTarget, slavePort, work.resolve("slave-store"), "1", conf, "slave.conf",
            BOOT_TIMEOUT_MS);
    }

    /** SIGTERM the slave, SIGKILL after 10 s. */
    public void stopSlave() {
        if (slave != null) {
            slave.stop(STOP_GRACE_MS);
            slave = null;
        }
    }

    private Child launchBroker(String role, Target t, int port, Path store, String brokerId, Map<String, String> extra,
        String confName, long bootTimeoutMs) {
        StringBuilder conf = new StringBuilder();
        conf.append("brokerClusterName=DefaultCluster\n");
        conf.append("brokerName=").append(extra.getOrDefault("brokerName", "broker-a")).append('\n');
        conf.append("brokerId=").append(brokerId).append('\n');
        conf.append("listenPort=").append(port).append('\n');
        conf.append("namesrvAddr=").append(nsAddr()).append('\n');
        conf.append("brokerIP1=127.0.0.1\n");
        conf.append("storePathRootDir=").append(store).append('\n');
        conf.append("storePathCommitLog=").append(store.resolve("commitlog")).append('\n');
        conf.append("mappedFileSizeCommitLog=67108864\n");
        extra.forEach((key, value) -> {
            if (!key.equals("brokerName")) {
                conf.append(key).append('=').append(value).append('\n');
            }
        });
        if (t == Target.JAVA) {
            // keep the Java broker's index file small (default 5M slots + 20M entries = ~420 MB sparse file)
            conf.append("maxHashSlotNum=50000\n");
            conf.append("maxIndexNum=200000\n");
        }
        Path confFile = work.resolve(confName);
        write(confFile, conf.toString());

        List<String> cmd = new ArrayList<>();
        if (t == Target.TS) {
            cmd.add(node());
            cmd.add(tsCli("mqbroker.js").toString());
        } else {
            javaPrefix(cmd, true);
            cmd.add("org.apache.rocketmq.broker.BrokerStartup");
        }
        cmd.add("-c");
        cmd.add(confFile.toString());
        Map<String, String> env = env(t);
        env.put("ROCKETMQ_HOME", rocketmqHome().toString()); // ours too: conf/plain_acl.yml
        if (role.startsWith("slave")) {
            env.put("ROCKETMQ_LOG_DIR", logDir.resolve(name).resolve("slave").toString()); // ts slave: its own log files
        }
        Child child = Child.launch(role, cmd, work, env, logDir.resolve(name + "-" + role + ".out"));
        String expectAddr = "127.0.0.1:" + port;
        child.awaitBoot(BROKER_BOOT_MARKER, port, bootTimeoutMs,
            t == Target.JAVA ? () -> clusterListsBroker(expectAddr) : null);
        return child;
    }

    private boolean clusterListsBroker(String addr) {
        try (Raw raw = Raw.connect(nsPort)) {
            Raw.Cmd r = raw.call(106 /* GET_BROKER_CLUSTER_INFO */, null, null, 3000);
            return r.code == 0 && r.body != null && new String(r.body, StandardCharsets.UTF_8).contains(addr);
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL the broker (a crash; nothing is saved). */
    public void killBroker() {
        if (broker != null) {
            broker.kill();
            broker = null;
        }
    }

    /** SIGKILL the slave of a pair. */
    public void killSlave() {
        if (slave != null) {
            slave.kill();
            slave = null;
        }
    }

    /** SIGTERM the broker (the Java broker persists offsets in its shutdown hook), SIGKILL after 10 s. */
    public void stopBroker() {
        if (broker != null) {
            broker.stop(STOP_GRACE_MS);
            broker = null;
        }
    }

    @Override
    public void close() {
        stopSlave();
        stopBrokerB();
        stopBroker();
        if (namesrv2 != null) {
            namesrv2.stop(STOP_GRACE_MS);
            namesrv2 = null;
        }
        if (namesrv != null) {
            namesrv.stop(STOP_GRACE_MS);
            namesrv = null;
        }
        if (!Boolean.getBoolean("compat.keepWork")) {
            deleteRecursively(work);
        }
    }

    // ------------------------------------------------------------------------------------------- process setup

    private Map<String, String> env(Target t) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("ROCKETMQ_LOG_DIR", logDir.resolve(name).toString());
        if (t == Target.JAVA) {
            env.put("ROCKETMQ_HOME", rocketmqHome().toString());
        }
        return env;
    }

    private Path tsCli(String file) {
        return repoRoot().resolve("dist").resolve("src").resolve("cli").resolve(file);
    }

    private static String node() {
        return System.getProperty("compat.node", "node");
    }

    private void javaPrefix(List<String> cmd, boolean broker) {
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-server");
        cmd.add("-Xms256m");
        cmd.add("-Xmx256m");
        cmd.add("-XX:MaxDirectMemorySize=256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dfile.encoding=UTF-8");
        cmd.add("-Duser.home=" + work.resolve("home"));
        cmd.add("-Drocketmq.home.dir=" + rocketmqHome());
        // Netty 4.0.42 (namesrv and broker) and MappedFile.clean (broker) reflect into java.base on JDK 17
        cmd.addAll(JDK17_OPENS);
        cmd.add("-cp");
        cmd.add(serverClasspath());
    }

    /** Dependency classpath written by maven-dependency-plugin (build-classpath) during generate-test-resources. */
    static String serverClasspath() {
        Path f = buildDir().resolve("test-classpath.txt");
        try {
            return new String(Files.readAllBytes(f), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new AssertionError("missing " + f + " (run through Maven: mvn -f compat-tests test)", e);
        }
    }

    /** A minimal ROCKETMQ_HOME: conf/logback_namesrv.xml and conf/logback_broker.xml writing into our log dir. */
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
            Path logs = logDir.resolve(name);
            write(conf.resolve("logback_namesrv.xml"), logback(logs.resolve("namesrv.log")));
            write(conf.resolve("logback_broker.xml"), logback(logs.resolve("broker.log")));
        }
        return home;
    }

    private static String logback(Path file) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<configuration>\n"
            + "  <appender name=\"FILE\" class=\"ch.qos.logback.core.FileAppender\">\n"
            + "    <file>" + file + "</file>\n"
            + "    <append>true</append>\n"
            + "    <encoder><pattern>%d{yyyy-MM-dd HH:mm:ss,SSS} %p %t %c{0} - %m%n</pattern></encoder>\n"
            + "  </appender>\n"
            + "  <root level=\"INFO\"><appender-ref ref=\"FILE\"/></root>\n"
            + "</configuration>\n";
    }

    // ------------------------------------------------------------------------------------------- ports

    static boolean canBind(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A free port below the Linux ephemeral range; for a broker also listenPort-2 (VIP) and +1 (HA) must be free. */
    static int freePort(boolean broker) {
        for (int i = 0; i < 500; i++) {
            int p = 20000 + RANDOM.nextInt(12000);
            if (canBind(p) && (!broker || (canBind(p - 2) && canBind(p + 1)))) {
                return p;
            }
        }
        throw new AssertionError("no free port found");
    }

    static boolean accepting(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------- files

    private static void write(Path p, String text) {
        try {
            Files.write(p, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path p) {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.deleteIfExists(x);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    // ------------------------------------------------------------------------------------------- child process

    interface ReadyCheck {
        boolean ready();
    }

    static final class Child {
        final String role;
        final Process process;
        final Path log;
        final List<String> command;
        int port;
        private final Deque<String> tail = new ArrayDeque<>();
        private volatile boolean sawMarker;
        private volatile String marker;

        private Child(String role, Process process, Path log, List<String> command) {
            this.role = role;
            this.process = process;
            this.log = log;
            this.command = command;
        }

        static Child launch(String role, List<String> cmd, Path dir, Map<String, String> env, Path log) {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.directory(dir.toFile());
            pb.redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p;
            try {
                Files.write(log, ("# " + String.join(" ", cmd) + "\n").getBytes(StandardCharsets.UTF_8));
                p = pb.start();
            } catch (IOException e) {
                throw new AssertionError("cannot start " + role + ": " + String.join(" ", cmd) + ": " + e, e);
            }
            LIVE.add(p);
            Child c = new Child(role, p, log, cmd);
            Thread t = new Thread(c::pump, "pump-" + role + "-" + p.pid());
            t.setDaemon(true);
            t.start();
            return c;
        }

        private void pump() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
                 OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 40) {
                            tail.removeFirst();
                        }
                    }
                    String m = marker;
                    if (m != null && line.contains(m)) {
                        sawMarker = true;
                    }
                }
            } catch (IOException ignored) {
                // process went away
            }
        }

        String tail() {
            synchronized (tail) {
                return tail.isEmpty() ? "(no output)" : String.join("\n", tail);
            }
        }

        void awaitBoot(String bootMarker, int port, long timeoutMs, ReadyCheck extra) {
            this.marker = bootMarker;
            synchronized (tail) {
                for (String l : tail) {
                    if (l.contains(bootMarker)) {
                        sawMarker = true;
                    }
                }
            }
            long deadline = System.currentTimeMillis() + timeoutMs;
            String stage = "waiting for a stdout line containing '" + bootMarker + "'";
            while (System.currentTimeMillis() < deadline) {
                if (!process.isAlive()) {
                    sleep(200); // let the pump drain the last lines
                    LIVE.remove(process);
                    throw new AssertionError(role + " exited with code " + process.exitValue() + " before booting ("
                        + stage + ").\ncommand: " + String.join(" ", command) + "\nlog: " + log + "\n--- last output ---\n"
                        + tail());
                }
                if (sawMarker) {
                    stage = "boot line seen, waiting for 127.0.0.1:" + port + " to accept connections";
                    if (accepting(port)) {
                        if (extra == null) {
                            return;
                        }
                        stage = "port open, waiting for the NameServer cluster info to list the broker";
                        if (extra.ready()) {
                            return;
                        }
                    }
                }
                sleep(200);
            }
            stop(2000);
            throw new AssertionError(role + " did not boot within " + timeoutMs / 1000 + " s (" + stage + ").\ncommand: "
                + String.join(" ", command) + "\nlog: " + log + "\n--- last output ---\n" + tail());
        }

        /** SIGKILL, no grace (a crash). */
        void kill() {
            try {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                LIVE.remove(process);
            }
        }

        void stop(long graceMs) {
            try {
                List<ProcessHandle> kids = new ArrayList<>();
                process.descendants().forEach(kids::add);
                if (process.isAlive()) {
                    process.destroy(); // SIGTERM
                    if (!process.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
                        process.destroyForcibly();
                        process.waitFor(5, TimeUnit.SECONDS);
                    }
                }
                for (ProcessHandle k : kids) {
                    k.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            } finally {
                LIVE.remove(process);
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
