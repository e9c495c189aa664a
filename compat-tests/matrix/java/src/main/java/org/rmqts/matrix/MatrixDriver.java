package org.rmqts.matrix;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java client matrix driver (compat-tests/matrix/README.md): runs the scenarios named by --scenarios
 * concurrently (at most -Dmatrix.parallel at once), each within 60 s, and prints one MATRIX line for each.
 */
public final class MatrixDriver {
    static final long SCENARIO_TIMEOUT_MS = 60_000;
    static final long RUN_BUDGET_MS = 220_000;
    static final int DEFAULT_PARALLEL = 15;
    private static final long WATCH_INTERVAL_MS = 200;

    /** One row of the matrix. Clients made through the context are shut down by the runner afterwards. */
    @FunctionalInterface
    interface Scenario {
        Outcome run(ScenarioContext ctx) throws Exception;
    }

    private MatrixDriver() {
    }

    /** The scenario ids of compat-tests/matrix/scenarios.json and the code of each. */
    static Map<String, Scenario> scenarios() {
        Map<String, Scenario> all = new LinkedHashMap<>();
        all.put("send_sync", SendScenarios::sendSync);
        all.put("send_async", SendScenarios::sendAsync);
        all.put("send_oneway", SendScenarios::sendOneway);
        all.put("push_clustering", ConsumeScenarios::pushClustering);
        all.put("push_broadcasting", ConsumeScenarios::pushBroadcasting);
        all.put("filter_tag", FilterScenarios::filterTag);
        all.put("filter_sql92", FilterScenarios::filterSql92);
        all.put("order", OrderScenario::order);
        all.put("delay", DelayRetryScenarios::delay);
        all.put("retry_dlq", DelayRetryScenarios::retryDlq);
        all.put("transaction", TransactionScenario::transaction);
        all.put("batch", SendScenarios::batch);
        all.put("pull_offsets", PullOffsetsScenario::pullOffsets);
        all.put("query_key", QueryAdminScenarios::queryKey);
        all.put("admin_create_topic", QueryAdminScenarios::adminCreateTopic);
        return all;
    }

    public static void main(String[] argv) throws InterruptedException {
        DriverArgs args = DriverArgs.parse(argv);
        PrintStream out = System.out;
        // client libraries may print to stdout; only our MATRIX lines go there
        System.setOut(System.err);
        int parallel = Math.max(1, Integer.getInteger("matrix.parallel", DEFAULT_PARALLEL));
        runAll(args, scenarios(), parallel, out);
        out.flush();
        System.exit(0);
    }

    static void runAll(DriverArgs args, Map<String, Scenario> scenarios, int parallel, PrintStream out)
        throws InterruptedException {
        CountDownLatch reportedAll = new CountDownLatch(args.scenarios.size());
        List<ScenarioRun> runs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, args.scenarios.size()),
            daemonThreads());
        for (String id : args.scenarios) {
            ScenarioRun run = new ScenarioRun(id, scenarios.get(id), args, reportedAll, out);
            runs.add(run);
            pool.execute(run);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_BUDGET_MS);
        while (!reportedAll.await(WATCH_INTERVAL_MS, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
            runs.forEach(run -> run.checkTimeout(SCENARIO_TIMEOUT_MS));
        }
        runs.forEach(ScenarioRun::abandon);
        pool.shutdownNow();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "scenario-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
