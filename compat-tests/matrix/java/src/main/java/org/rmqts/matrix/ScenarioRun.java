package org.rmqts.matrix;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** One scenario on a pool thread: reports exactly one MATRIX line, from the scenario or from its timeout. */
final class ScenarioRun implements Runnable {
    private static final long NOT_STARTED = -1;

    private final String id;
    private final MatrixDriver.Scenario scenario;
    private final DriverArgs args;
    private final CountDownLatch reportedAll;
    private final PrintStream out;
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile long startNanos = NOT_STARTED;
    private volatile Thread thread;

    ScenarioRun(String id, MatrixDriver.Scenario scenario, DriverArgs args, CountDownLatch reportedAll, PrintStream out) {
        this.id = id;
        this.scenario = scenario;
        this.args = args;
        this.reportedAll = reportedAll;
        this.out = out;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        startNanos = System.nanoTime();
        Outcome outcome;
        try (ScenarioContext ctx = new ScenarioContext(id, args)) {
            outcome = scenario == null ? Outcome.fail("unknown scenario " + id) : scenario.run(ctx);
        } catch (InterruptedException e) {
            outcome = Outcome.fail("interrupted");
        } catch (NoClassDefFoundError e) {
            outcome = Outcome.unsupported("client " + args.clientVersion + " lacks " + e.getMessage());
        } catch (Throwable t) {
            outcome = Outcome.failed(t);
        }
        report(outcome);
        thread = null;
    }

    /** Reports a timeout and interrupts the scenario once it has run longer than timeoutMs. */
    void checkTimeout(long timeoutMs) {
        long started = startNanos;
        if (started == NOT_STARTED || reported.get() || elapsedMs() <= timeoutMs) {
            return;
        }
        if (report(Outcome.fail("timeout after " + timeoutMs / 1000 + " s"))) {
            Thread running = thread;
            if (running != null) {
                running.interrupt();
            }
        }
    }

    /** Reports a failure if nothing was reported yet (the driver's whole budget ran out). */
    void abandon() {
        report(Outcome.fail(startNanos == NOT_STARTED ? "not started: driver time budget exhausted"
            : "driver time budget exhausted"));
    }

    private boolean report(Outcome outcome) {
        if (!reported.compareAndSet(false, true)) {
            return false;
        }
        String line = outcome.toLine(id, startNanos == NOT_STARTED ? 0 : elapsedMs());
        synchronized (out) {
            out.println(line);
            out.flush();
        }
        reportedAll.countDown();
        return true;
    }

    private long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000L;
    }
}
