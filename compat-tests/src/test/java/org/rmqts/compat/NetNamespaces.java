package org.rmqts.compat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces joined by a veth pair, made by the test and removed by {@link #close} (and by a shutdown
 * hook if the JVM goes first): the servers live in {@code A} ({@link #ADDRESS_A}), the client in {@code B}. Faults
 * apply to the link in both directions: {@code tc netem} on both veth ends when the kernel has sch_netem, otherwise
 * the same faults built from netfilter ({@code iptables} statistic/DROP rules in {@code A}, and
 * {@code netfaults/nfqueue-delay.py} holding packets from an NFQUEUE for delay, jitter and reordering).
 * Needs root ({@code ip netns}); without it {@link #create} fails with the reason, it never skips.
 */
public final class NetNamespaces implements AutoCloseable {
    static final String ADDRESS_A = "10.213.7.1";
    static final String ADDRESS_B = "10.213.7.2";
    private static final String PREFIX = "rmqts-nf-";

    final String nsA;
    final String nsB;
    private final String vethA;
    private final String vethB;
    private boolean netem;
    private final Path work;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final Thread hook;
    private Process delayer;

    private NetNamespaces(String tag, Path work) {
        this.nsA = PREFIX + tag + "-a";
        this.nsB = PREFIX + tag + "-b";
        this.vethA = "nfa" + tag;
        this.vethB = "nfb" + tag;
        this.work = work;
        this.hook = new Thread(this::removeQuietly, "netns-cleanup");
    }

    /** Creates the namespaces and the link; any failure (not root, no veth) is an AssertionError naming the step. */
    static NetNamespaces create(Path work) throws IOException {
        removeStale();
        String tag = Long.toString(ProcessHandle.current().pid());
        NetNamespaces n = new NetNamespaces(tag, work);
        Runtime.getRuntime().addShutdownHook(n.hook);
        try {
            n.must("ip", "netns", "add", n.nsA);
            n.must("ip", "netns", "add", n.nsB);
            n.must("ip", "link", "add", n.vethA, "type", "veth", "peer", "name", n.vethB);
            n.must("ip", "link", "set", n.vethA, "netns", n.nsA);
            n.must("ip", "link", "set", n.vethB, "netns", n.nsB);
            n.must("ip", "-n", n.nsA, "addr", "add", ADDRESS_A + "/24", "dev", n.vethA);
            n.must("ip", "-n", n.nsB, "addr", "add", ADDRESS_B + "/24", "dev", n.vethB);
            for (String[] up : new String[][] {{n.nsA, n.vethA}, {n.nsB, n.vethB}, {n.nsA, "lo"}, {n.nsB, "lo"}}) {
                n.must("ip", "-n", up[0], "link", "set", up[1], "up");
            }
            n.netem = run(n.inA("tc", "qdisc", "add", "dev", n.vethA, "root", "netem", "delay", "1ms")).code == 0;
            if (n.netem) {
                n.must(n.inA("tc", "qdisc", "del", "dev", n.vethA, "root"));
            }
            return n;
        } catch (IOException | RuntimeException | Error e) {
            n.close();
            throw e;
        }
    }

    /** Which fault mechanism is in use (for the report). */
    String backend() {
        return netem ? "tc netem" : "netfilter (kernel without sch_netem: iptables statistic/DROP + NFQUEUE delayer)";
    }

    List<String> inA(String... cmd) {
        return in(nsA, cmd);
    }

    List<String> inB(String... cmd) {
        return in(nsB, cmd);
    }

    private static List<String> in(String ns, String... cmd) {
        List<String> all = new ArrayList<>(Arrays.asList("ip", "netns", "exec", ns));
        all.addAll(Arrays.asList(cmd));
        return all;
    }

    /** Starts a process (already wrapped by {@link #inA}/{@link #inB}); it is killed by {@link #close}. */
    Process start(List<String> cmd, java.util.Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Files.write(log, ("# " + String.join(" ", cmd) + "\n").getBytes(StandardCharsets.UTF_8));
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /** As {@link #start}, with stdin and stdout left as pipes (the caller reads the output). */
    Process startPiped(List<String> cmd, Path log) throws IOException {
        Files.write(log, ("# " + String.join(" ", cmd) + "\n").getBytes(StandardCharsets.UTF_8));
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    // ------------------------------------------------------------------------------------------- faults

    /** No fault: the link as created. */
    void heal() throws IOException {
        if (netem) {
            for (String[] end : ends()) {
                run(in(end[0], "tc", "qdisc", "del", "dev", end[1], "root"));
            }
        } else {
            must(inA("iptables", "-F", "INPUT"));
            must(inA("iptables", "-F", "OUTPUT"));
            stopDelayer();
        }
    }

    /** Every packet waits {@code delayMs} ± {@code jitterMs} (uniform), each way. */
    void delay(int delayMs, int jitterMs) throws IOException {
        heal();
        if (netem) {
            netem("delay", delayMs + "ms", jitterMs + "ms");
        } else {
            nfqueueDelay(delayMs, jitterMs, 0);
        }
    }

    /** {@code percent} of the packets are dropped, each way. */
    void loss(double percent) throws IOException {
        heal();
        if (netem) {
            netem("loss", percent + "%");
        } else {
            for (String[] chain : chains()) {
                must(inA("iptables", "-A", chain[0], chain[1], vethA, "-m", "statistic", "--mode", "random",
                    "--probability", Double.toString(percent / 100), "-j", "DROP"));
            }
        }
    }

    /** {@code immediatePercent} of the packets go at once, the others after {@code delayMs}: later ones overtake. */
    void reorder(int delayMs, int immediatePercent) throws IOException {
        heal();
        if (netem) {
            netem("delay", delayMs + "ms", "reorder", immediatePercent + "%", "50%");
        } else {
            nfqueueDelay(delayMs, 0, immediatePercent);
        }
    }

    /** The link is cut: every packet is dropped, each way (nothing tells either end). */
    void cut() throws IOException {
        heal();
        if (netem) {
            netem("loss", "100%");
        } else {
            for (String[] chain : chains()) {
                must(inA("iptables", "-A", chain[0], chain[1], vethA, "-j", "DROP"));
            }
        }
    }

    private String[][] ends() {
        return new String[][] {{nsA, vethA}, {nsB, vethB}};
    }

    private static String[][] chains() {
        return new String[][] {{"OUTPUT", "-o"}, {"INPUT", "-i"}};
    }

    private void netem(String... args) throws IOException {
        for (String[] end : ends()) {
            List<String> cmd = new ArrayList<>(Arrays.asList("tc", "qdisc", "replace", "dev", end[1], "root", "netem"));
            cmd.addAll(Arrays.asList(args));
            must(in(end[0], cmd.toArray(new String[0])));
        }
    }

    private void nfqueueDelay(int delayMs, int jitterMs, int immediatePercent) throws IOException {
        Path script = Servers.repoRoot().resolve("compat-tests").resolve("netfaults").resolve("nfqueue-delay.py");
        Path log = work.resolve("nfqueue-delay.out");
        ProcessBuilder pb = new ProcessBuilder(inA("python3", script.toString(), "0", Integer.toString(delayMs),
            Integer.toString(jitterMs), Integer.toString(immediatePercent))).redirectErrorStream(true);
        delayer = pb.start();
        processes.add(delayer);
        BufferedReader r = new BufferedReader(new InputStreamReader(delayer.getInputStream(), StandardCharsets.UTF_8));
        String first = r.readLine();
        if (first == null || !first.equals("NFQUEUE READY")) {
            throw new AssertionError("nfqueue-delay.py did not bind NFQUEUE 0 in " + nsA + ": " + first);
        }
        Thread drain = new Thread(() -> {
            try {
                for (String line; (line = r.readLine()) != null; ) {
                    Files.write(log, (line + "\n").getBytes(StandardCharsets.UTF_8),
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
            } catch (IOException ignored) {
                // the delayer went away
            }
        }, "nfqueue-delay-out");
        drain.setDaemon(true);
        drain.start();
        for (String[] chain : chains()) {
            must(inA("iptables", "-A", chain[0], chain[1], vethA, "-j", "NFQUEUE", "--queue-num", "0", "--queue-bypass"));
        }
    }

    private void stopDelayer() {
        if (delayer != null) {
            kill(delayer);
            processes.remove(delayer);
            delayer = null;
        }
    }

    // ------------------------------------------------------------------------------------------- cleanup

    /** Kills every process started here and in the namespaces, then removes both (the veth pair goes with them). */
    @Override
    public void close() {
        removeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }

    private void removeQuietly() {
        for (Process p : processes) {
            kill(p);
        }
        processes.clear();
        for (String ns : new String[] {nsA, nsB}) {
            deleteNamespace(ns);
        }
    }

    private static void deleteNamespace(String ns) {
        try {
            Result pids = run(Arrays.asList("ip", "netns", "pids", ns));
            for (String pid : pids.output.trim().split("\\s+")) {
                if (!pid.isEmpty()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            run(Arrays.asList("ip", "netns", "del", ns));
        } catch (IOException | RuntimeException ignored) {
            // best effort: nothing else to do
        }
    }

    /** Namespaces left by a run whose JVM was SIGKILLed (its pid is in the name). */
    private static void removeStale() throws IOException {
        for (String line : run(Arrays.asList("ip", "netns", "list")).output.split("\n")) {
            String ns = line.trim().split("\\s+")[0];
            if (!ns.startsWith(PREFIX)) {
                continue;
            }
            String pid = ns.substring(PREFIX.length()).replaceAll("-[ab]$", "");
            if (pid.matches("\\d+") && !ProcessHandle.of(Long.parseLong(pid)).isPresent()) {
                deleteNamespace(ns);
            }
        }
    }

    private static void kill(Process p) {
        try {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void must(String... cmd) throws IOException {
        must(Arrays.asList(cmd));
    }

    private void must(List<String> cmd) throws IOException {
        Result r = run(cmd);
        if (r.code != 0) {
            throw new AssertionError("`" + String.join(" ", cmd) + "` failed (exit " + r.code + "): " + r.output.trim()
                + "\nThe network fault test needs root and a kernel with network namespaces, veth and iptables.");
        }
    }

    static final class Result {
        final int code;
        final String output;

        Result(int code, String output) {
            this.code = code;
            this.output = output;
        }
    }

    static Result run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
