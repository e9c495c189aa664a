package org.rmqts.compat;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of this module (e.g. the seed examples) in a separate JVM and captures its stdout lines. */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread t = new Thread(this::pump, "pump-jvm-" + process.pid());
        t.setDaemon(true);
        t.start();
    }

    /** Starts {@code mainClass} with the test classpath; client logs and user.home are redirected into {@code work}. */
    public static ChildJvm start(String mainClass, Path work, Path log) throws IOException {
        Files.createDirectories(work);
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        // the 4.7.1 client's Netty 4.0.42 fails in PlatformDependent0.<clinit> on JDK 17 without this
        cmd.add("--add-opens");
        cmd.add("java.base/java.nio=ALL-UNNAMED");
        cmd.add("-Dfile.encoding=UTF-8");
        cmd.add("-Duser.home=" + work);
        cmd.add("-Drocketmq.client.logRoot=" + work.resolve("logs"));
        cmd.add("-cp");
        cmd.add(Servers.buildDir().resolve("test-classes") + java.io.File.pathSeparator + Servers.serverClasspath());
        cmd.add(mainClass);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
        Files.write(log, ("# " + String.join(" ", cmd) + "\n").getBytes(StandardCharsets.UTF_8));
        return new ChildJvm(pb.start(), log);
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
             OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = r.readLine()) != null) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
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

    public String tail(int n) {
        List<String> l = lines();
        return String.join("\n", l.subList(Math.max(0, l.size() - n), l.size()));
    }

    public Path log() {
        return log;
    }

    /** Waits for the process to exit; returns its exit code, or null if it is still running after the timeout. */
    public Integer waitFor(long timeoutMs) throws InterruptedException {
        if (process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            Thread.sleep(200); // let the pump drain
            return process.exitValue();
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
