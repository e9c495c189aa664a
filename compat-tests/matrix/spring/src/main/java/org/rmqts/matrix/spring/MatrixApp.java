package org.rmqts.matrix.spring;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot driver of the client matrix (compat-tests/matrix/README.md, "Driver contract"):
 *
 * <pre>MatrixApp --namesrv H:P --broker H:P --prefix PREFIX --scenarios a,b,c</pre>
 *
 * The command line becomes Spring properties ({@code rocketmq.name-server}, {@code matrix.prefix},
 * {@code matrix.scenarios}, {@code matrix.broker}); the listeners and templates of the asked-for scenarios start
 * with the context, then the scenarios run concurrently, each printing one {@code MATRIX {json}} line.
 */
@SpringBootApplication
public class MatrixApp {
    static final long SCENARIO_LIMIT_MS = 60_000;
    static final long SHUTDOWN_LIMIT_MS = 20_000;

    private static final PrintStream OUT = System.out;
    private static final Set<String> PRINTED = ConcurrentHashMap.newKeySet();

    public static void main(String[] args) {
        Map<String, String> options = parseOptions(args);
        List<String> ids = List.of(options.getOrDefault("scenarios", "").split(","));
        startWatchdog(ids, 230_000);
        ConfigurableApplicationContext context = null;
        long t0 = System.currentTimeMillis();
        try {
            context = start(options);
        } catch (Throwable e) {
            for (String id : ids) {
                print(id, Outcome.fail("Spring context did not start: " + describe(e)), 0);
            }
            halt(0);
        }
        long t1 = System.currentTimeMillis();
        runAll(context, ids);
        long t2 = System.currentTimeMillis();
        closeWithin(context, SHUTDOWN_LIMIT_MS);
        System.err.println("matrix-spring: context started in " + (t1 - t0) + " ms, scenarios took " + (t2 - t1)
            + " ms, context closed in " + (System.currentTimeMillis() - t2) + " ms");
        halt(0);
    }

    static Map<String, String> parseOptions(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    static ConfigurableApplicationContext start(Map<String, String> options) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("rocketmq.name-server", options.get("namesrv"));
        properties.put("matrix.broker", options.get("broker"));
        properties.put("matrix.prefix", options.get("prefix"));
        properties.put("matrix.scenarios", options.getOrDefault("scenarios", ""));
        SpringApplication app = new SpringApplication(MatrixApp.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setRegisterShutdownHook(false);
        app.setDefaultProperties(properties);
        return app.run();
    }

    /** Runs every asked-for scenario at once; each gets {@link #SCENARIO_LIMIT_MS}. */
    static void runAll(ConfigurableApplicationContext context, List<String> ids) {
        Map<String, Scenario> byId = new LinkedHashMap<>();
        for (Scenario s : context.getBeansOfType(Scenario.class).values()) {
            byId.put(s.id(), s);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, ids.size()), r -> {
            Thread t = new Thread(r, "matrix-scenario");
            t.setDaemon(true);
            return t;
        });
        long startMs = System.currentTimeMillis();
        List<Future<?>> futures = new ArrayList<>();
        for (String id : ids) {
            Scenario scenario = byId.get(id);
            futures.add(pool.submit(() -> runOne(id, scenario)));
        }
        for (int i = 0; i < ids.size(); i++) {
            long leftMs = startMs + SCENARIO_LIMIT_MS - System.currentTimeMillis();
            try {
                futures.get(i).get(Math.max(1, leftMs), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                print(ids.get(i), Outcome.fail("timeout after 60 s"), SCENARIO_LIMIT_MS);
            } catch (Exception e) {
                print(ids.get(i), Outcome.fail(describe(e)), System.currentTimeMillis() - startMs);
            }
        }
        pool.shutdownNow();
    }

    static void runOne(String id, Scenario scenario) {
        long t0 = System.currentTimeMillis();
        Outcome outcome;
        if (scenario == null) {
            outcome = Outcome.fail("this driver has no scenario " + id);
        } else {
            try {
                outcome = scenario.run();
            } catch (Throwable e) {
                outcome = Outcome.fail(describe(e));
            }
        }
        print(id, outcome, System.currentTimeMillis() - t0);
    }

    /** Prints the scenario's MATRIX line, once (a late result after a timeout line is dropped). */
    static void print(String id, Outcome outcome, long ms) {
        if (!PRINTED.add(id)) {
            return;
        }
        String detail = outcome.detail() == null ? "" : outcome.detail();
        if (detail.length() > 300) {
            detail = detail.substring(0, 297) + "...";
        }
        String line = "MATRIX {\"scenario\":" + json(id) + ",\"result\":" + json(outcome.result())
            + ",\"detail\":" + json(detail) + ",\"ms\":" + ms + "}";
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }

    static String json(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** "Class: message" of the root cause, on one line. */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getName() + ": " + root.getMessage();
        if (root != e) {
            text = e.getClass().getSimpleName() + " caused by " + text;
        }
        return text.replaceAll("\\s+", " ");
    }

    /** Closes the context (consumers persist offsets and unregister) but gives up after {@code limitMs}. */
    static void closeWithin(ConfigurableApplicationContext context, long limitMs) {
        Thread closer = new Thread(context::close, "matrix-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(limitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The whole run stays within the harness's 240 s even if a client thread hangs. */
    static void startWatchdog(List<String> ids, long limitMs) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limitMs);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("matrix-spring: watchdog stops the run after " + limitMs + " ms");
            for (String id : ids) {
                print(id, Outcome.fail("driver stopped by its watchdog after " + limitMs / 1000 + " s"), limitMs);
            }
            halt(0);
        }, "matrix-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    static void halt(int status) {
        OUT.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }
}
