package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Network faults between the official 4.7.1 client and our servers. Our NameServer and broker run in network namespace
 * A on a veth address ({@code brokerIP1} and {@code bindAddress} set to it), {@link NetFaultClient} (sync producer with
 * retries, push consumer) in namespace B. The link goes through phases: clean, delay 100 ms ± 20 ms, 5 % loss,
 * reordering, cut (every packet dropped both ways) for {@code netfaults.cutSeconds}, healed. Producer and consumer
 * must recover by themselves (acknowledged sends and deliveries after the heal), every acknowledged message must be
 * delivered at least once, and nothing may be delivered that was not sent (keys and bodies checked). Short form here
 * (5 s cut); {@code npm run netem-test -- --cut-seconds 30} is the long one. Figures go to
 * {@code target/netfaults/summary.txt}. Needs root: without it the test fails saying so, it never skips.
 */
class NetFaultsTest {
    private static final int CUT_SECONDS = Integer.getInteger("netfaults.cutSeconds", 5);
    private static final int PHASE_SECONDS = Integer.getInteger("netfaults.phaseSeconds", 4);
    private static final int DRAIN_SECONDS = Integer.getInteger("netfaults.drainSeconds", 60);
    private static final int MAX_MESSAGES = 200_000;
    private static final String TOPIC = "NetFaultTopic";
    private static final String GROUP = "netfault_group";

    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> received = new ConcurrentHashMap<>();
    private final List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Per phase: ACK, FAIL and RECV lines seen while it lasted. */
    private final Map<String, int[]> byPhase = new LinkedHashMap<>();
    private volatile String phase = "boot";
    /** When the link healed, and the first acknowledgement and delivery after that (0 until seen). */
    private volatile long healedAtMs;
    private volatile long firstAckAfterHealMs;
    private volatile long firstRecvAfterHealMs;
    private volatile boolean ready;
    private volatile boolean stopped;

    @Test
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void clientRecoversAndLosesNothingAcrossLinkFaults() throws Exception {
        Path work = Servers.buildDir().resolve("netfaults");
        Servers.deleteRecursively(work);
        Files.createDirectories(work);
        long startedMs = System.currentTimeMillis();
        try (NetNamespaces ns = NetNamespaces.create(work)) {
            startServers(ns, work);
            Process client = startClient(ns, work);
            long readyBy = System.currentTimeMillis() + 90_000;
            while (!ready && client.isAlive() && System.currentTimeMillis() < readyBy) {
                Servers.sleep(100);
            }
            assertTrue(ready, "the client did not start (see " + work.resolve("client.out") + ")");

            phase("clean", PHASE_SECONDS, ns::heal);
            phase("delay 100ms±20ms", PHASE_SECONDS, () -> ns.delay(100, 20));
            phase("loss 5%", PHASE_SECONDS, () -> ns.loss(5));
            phase("reorder 25% (others 10ms late)", PHASE_SECONDS, () -> ns.reorder(10, 25));
            phase("cut " + CUT_SECONDS + "s", CUT_SECONDS, ns::cut);
            phase("healed", PHASE_SECONDS * 2, ns::heal);

            phase = "drain";
            try (OutputStream in = client.getOutputStream()) {
                in.write("STOP\n".getBytes(StandardCharsets.UTF_8));
            }
            long drainStartMs = System.currentTimeMillis();
            long drainBy = drainStartMs + DRAIN_SECONDS * 1000L;
            while ((!stopped || !received.keySet().containsAll(acked)) && System.currentTimeMillis() < drainBy) {
                Servers.sleep(200);
            }
            long drainMs = System.currentTimeMillis() - drainStartMs;
            assertTrue(client.isAlive(), "the client process died (see " + work.resolve("client.out") + ")");
            String summary = summary(ns.backend(), drainMs, System.currentTimeMillis() - startedMs);
            Files.write(work.resolve("summary.txt"), summary.getBytes(StandardCharsets.UTF_8));
            System.out.println(summary);
            check(summary);
        }
    }

    private interface Fault {
        void apply() throws IOException;
    }

    private void phase(String name, int seconds, Fault fault) throws IOException {
        fault.apply();
        synchronized (byPhase) {
            byPhase.put(name, new int[3]);
        }
        if (name.equals("healed")) {
            healedAtMs = System.currentTimeMillis();
        }
        phase = name;
        Servers.sleep(seconds * 1000L);
    }

    private void count(int which) {
        synchronized (byPhase) {
            byPhase.computeIfAbsent(phase, k -> new int[3])[which]++;
        }
    }

    private void check(String summary) {
        assertTrue(stopped, "the producer did not stop within the drain time\n" + summary);
        for (String p : new String[] {"clean", "healed"}) {
            assertTrue(byPhase.get(p)[0] > 0, "no acknowledged send in phase '" + p + "'\n" + summary);
        }
        int[] healed = byPhase.get("healed");
        assertTrue(healed[2] > 0, "the push consumer received nothing after the link healed\n" + summary);
        assertEquals(List.of(), wrong, "deliveries of messages never sent (or with another body)\n" + summary);
        List<String> missing = acked.stream().filter(k -> !received.containsKey(k)).sorted().limit(20)
            .collect(Collectors.toList());
        assertEquals(List.of(), missing, "acknowledged but never delivered (first 20)\n" + summary);
    }

    private String summary(String backend, long drainMs, long totalMs) {
        StringBuilder b = new StringBuilder();
        b.append("network faults (").append(backend).append("), ").append(totalMs / 1000).append(" s in all\n");
        synchronized (byPhase) {
            byPhase.forEach((name, c) -> b.append(String.format("  %-32s acknowledged %5d  failed %4d  delivered %5d%n",
                name, c[0], c[1], c[2])));
        }
        long duplicates = received.values().stream().filter(n -> n > 1).count();
        long unackedDelivered = received.keySet().stream().filter(k -> !acked.contains(k)).count();
        b.append(String.format("  sent %d, acknowledged %d, failed %d; delivered %d distinct (%d more than once, %d not "
            + "acknowledged but sent); acknowledged and missing %d; wrong deliveries %d; drain %.1f s%n", sent.size(),
            acked.size(), failed.size(), received.size(), duplicates, unackedDelivered,
            acked.stream().filter(k -> !received.containsKey(k)).count(), wrong.size(), drainMs / 1000.0));
        b.append(String.format("  after the heal: first acknowledgement %s, first delivery %s%n",
            sinceHeal(firstAckAfterHealMs), sinceHeal(firstRecvAfterHealMs)));
        return b.toString();
    }

    private String sinceHeal(long atMs) {
        return atMs == 0 ? "never" : String.format("%.1f s", (atMs - healedAtMs) / 1000.0);
    }

    // ------------------------------------------------------------------------------------------- processes

    private void startServers(NetNamespaces ns, Path work) throws IOException {
        Path cli = Servers.repoRoot().resolve("dist").resolve("src").resolve("cli");
        String node = System.getProperty("compat.node", "node");
        Map<String, String> env = Map.of("ROCKETMQ_LOG_DIR", work.resolve("logs").toString());
        Path nsConf = work.resolve("namesrv.properties");
        Files.write(nsConf, ("listenPort=9876\nbindAddress=" + NetNamespaces.ADDRESS_A + "\n").getBytes(StandardCharsets.UTF_8));
        Path nsLog = work.resolve("namesrv.out");
        Process namesrv = ns.start(ns.inA(node, cli.resolve("mqnamesrv.js").toString(), "-c", nsConf.toString()), env, nsLog);
        awaitLine(namesrv, nsLog, Servers.NAMESRV_BOOT_MARKER);
        Path store = work.resolve("store");
        String conf = "brokerClusterName=DefaultCluster\nbrokerName=broker-a\nbrokerId=0\nlistenPort=10911\n"
            + "namesrvAddr=" + NetNamespaces.ADDRESS_A + ":9876\nbrokerIP1=" + NetNamespaces.ADDRESS_A + "\n"
            + "bindAddress=" + NetNamespaces.ADDRESS_A + "\nstorePathRootDir=" + store + "\n"
            + "storePathCommitLog=" + store.resolve("commitlog") + "\nmappedFileSizeCommitLog=67108864\n";
        Path brokerConf = work.resolve("broker.conf");
        Files.write(brokerConf, conf.getBytes(StandardCharsets.UTF_8));
        Path brokerLog = work.resolve("broker.out");
        Process broker = ns.start(ns.inA(node, cli.resolve("mqbroker.js").toString(), "-c", brokerConf.toString()), env,
            brokerLog);
        awaitLine(broker, brokerLog, Servers.BROKER_BOOT_MARKER);
    }

    private static void awaitLine(Process p, Path log, String marker) throws IOException {
        long by = System.currentTimeMillis() + Servers.BOOT_TIMEOUT_MS;
        while (System.currentTimeMillis() < by) {
            if (new String(Files.readAllBytes(log), StandardCharsets.UTF_8).contains(marker)) {
                return;
            }
            if (!p.isAlive()) {
                break;
            }
            Servers.sleep(100);
        }
        throw new AssertionError("no '" + marker + "' in " + log + " (alive: " + p.isAlive() + "):\n"
            + new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
    }

    private Process startClient(NetNamespaces ns, Path work) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("--add-opens");
        cmd.add("java.base/java.nio=ALL-UNNAMED");
        cmd.add("-Dfile.encoding=UTF-8");
        cmd.add("-Duser.home=" + work.resolve("client-home"));
        cmd.add("-Drocketmq.client.logRoot=" + work.resolve("client-logs"));
        cmd.add("-cp");
        cmd.add(Servers.buildDir().resolve("test-classes") + java.io.File.pathSeparator + Servers.serverClasspath());
        cmd.add(NetFaultClient.class.getName());
        String a = NetNamespaces.ADDRESS_A;
        cmd.addAll(List.of(a + ":9876", a + ":10911", TOPIC, GROUP, Integer.toString(MAX_MESSAGES)));
        Path log = work.resolve("client.out");
        Process p = ns.startPiped(ns.inB(cmd.toArray(new String[0])), log);
        Thread pump = new Thread(() -> pump(p, log), "netfault-client-out");
        pump.setDaemon(true);
        pump.start();
        return p;
    }

    private void pump(Process p, Path log) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
            for (String line; (line = r.readLine()) != null; ) {
                out.write((phase + "\t" + line + "\n").getBytes(StandardCharsets.UTF_8));
                onLine(line);
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private void onLine(String line) {
        String[] f = line.split(" ", 3);
        switch (f[0]) {
            case "READY":
                ready = true;
                break;
            case "STOPPED":
                stopped = true;
                break;
            case "SEND":
                sent.add(f[1]);
                break;
            case "ACK":
                acked.add(f[1]);
                if (healedAtMs > 0 && firstAckAfterHealMs == 0) {
                    firstAckAfterHealMs = System.currentTimeMillis();
                }
                count(0);
                break;
            case "FAIL":
                failed.add(f[1]);
                count(1);
                break;
            case "RECV":
                String key = f[1];
                String body = f.length > 2 ? f[2] : "";
                if (!sent.contains(key) || !body.equals(NetFaultClient.body(key)) || !body.startsWith(key + "|")) {
                    wrong.add(line);
                }
                received.merge(key, 1, Integer::sum);
                if (healedAtMs > 0 && firstRecvAfterHealMs == 0) {
                    firstRecvAfterHealMs = System.currentTimeMillis();
                }
                count(2);
                break;
            default:
                break;
        }
    }
}
