package org.rmqts.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.alibaba.fastjson.JSON;
import com.alibaba.fastjson.JSONObject;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * One column of the client matrix: its driver is prepared (prepare.sh), its topics created, and it is run
 * (run.sh) against the servers; the {@code MATRIX {json}} lines it prints become the column's cells.
 */
final class MatrixColumn {
    static final long PREPARE_LIMIT_MS = 20 * 60_000;
    static final long RUN_LIMIT_MS = 240_000;
    static final int DETAIL_CHARS_MAX = 300;
    static final long DLQ_WAIT_MS = 30_000;

    /** One cell: pass, fail or unsupported, with what the driver (or the harness) saw. */
    record Cell(String result, String detail, long ms) {
    }

    final String id;
    final String title;
    final String dir;
    final List<String> args;
    /** Why this column cannot run on this machine (columns.json "blocked"), or null. */
    final String blocked;

    long prepareMs;
    long runMs;
    String prepared = "";
    /** Why the column produced no cells (prepare or run failed), or null. */
    String broken;
    final Map<String, Cell> cells = new LinkedHashMap<>();

    MatrixColumn(JSONObject json) {
        this.id = json.getString("id");
        this.title = json.getString("title");
        this.dir = json.getString("dir");
        this.args = json.getJSONArray("args") == null ? List.of() : json.getJSONArray("args").toJavaList(String.class);
        this.blocked = json.getString("blocked");
    }

    static List<MatrixColumn> all() {
        List<MatrixColumn> columns = new ArrayList<>();
        for (Object o : ClientMatrix.readArray(ClientMatrix.matrixDir().resolve("columns.json"))) {
            columns.add(new MatrixColumn((JSONObject) o));
        }
        return columns;
    }

    /**
     * Prepares and runs the driver; never throws (a broken column records why in {@link #broken}). Scenarios that
     * failed or printed nothing run once more on fresh topics (the machine is shared; a client may crash), and the
     * cell says so: a retried pass is still named in MATRIX.md.
     */
    void run(Servers servers, DefaultMQAdminExt admin, List<String> scenarios) {
        if (blocked != null) {
            return;
        }
        Path logs = Servers.buildDir().resolve("matrix-logs").resolve(Servers.target().name().toLowerCase());
        try {
            Files.createDirectories(logs);
            long started = System.currentTimeMillis();
            Path prepareLog = logs.resolve(id + "-prepare.log");
            int prepareExit = exec(script("prepare.sh", args), prepareLog, PREPARE_LIMIT_MS);
            prepareMs = System.currentTimeMillis() - started;
            prepared = lastLineStarting(prepareLog, "PREPARED ");
            if (prepareExit != 0) {
                broken = "prepare.sh exit " + prepareExit + ": " + tail(prepareLog);
                return;
            }
            String firstTail = runOnce(servers, admin, scenarios, logs.resolve(id + "-run.log"));
            List<String> again = scenarios.stream()
                .filter(s -> !cells.containsKey(s) || cells.get(s).result().equals("fail")).toList();
            if (!again.isEmpty()) {
                Map<String, Cell> first = new LinkedHashMap<>(cells);
                again.forEach(cells::remove);
                runOnce(servers, admin, again, logs.resolve(id + "-run-2.log"));
                for (String s : again) {
                    Cell was = first.get(s);
                    Cell now = cells.get(s);
                    String firstSaw = was == null ? "no result (" + firstTail + ")" : was.detail();
                    if (now != null) {
                        cells.put(s, new Cell(now.result(), shorten(now.detail() + " [2nd run; 1st: " + firstSaw + "]"), now.ms()));
                    }
                }
            }
            if (cells.isEmpty()) {
                broken = "run.sh gave no MATRIX line: " + firstTail;
            }
        } catch (Exception e) {
            broken = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** One driver run on fresh topics; its cells go into {@link #cells}. Returns the tail of its log. */
    private String runOnce(Servers servers, DefaultMQAdminExt admin, List<String> scenarios, Path runLog) throws Exception {
        String prefix = ("mx_" + id + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36))
            .replaceAll("[^A-Za-z0-9_]", "_");
        ClientMatrix.createTopics(admin, servers.brokerAddr(), prefix);
        for (String scenario : ClientMatrix.scenarioIds()) {
            Compat.awaitRoute(servers, prefix + "_" + scenario, 30_000);
        }
        List<String> runArgs = new ArrayList<>(args);
        runArgs.addAll(List.of("--namesrv", servers.nsAddr(), "--broker", servers.brokerAddr(),
            "--prefix", prefix, "--scenarios", String.join(",", scenarios)));
        long started = System.currentTimeMillis();
        int exit = exec(script("run.sh", runArgs), runLog, RUN_LIMIT_MS);
        runMs += System.currentTimeMillis() - started;
        readCells(runLog);
        if (scenarios.contains("retry_dlq") && cells.containsKey("retry_dlq") && cells.get("retry_dlq").result().equals("pass")) {
            checkDlq(admin, prefix);
        }
        return "exit " + exit + ": " + tail(runLog);
    }

    private List<String> script(String name, List<String> scriptArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(ClientMatrix.matrixDir().resolve(dir).resolve(name).toString());
        cmd.addAll(scriptArgs);
        return cmd;
    }

    /** Runs {@code cmd} with stdout and stderr to {@code log}; kills it (and its children) after the limit. */
    static int exec(List<String> cmd, Path log, long limitMs) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.directory(ClientMatrix.matrixDir().toFile());
        Process p = pb.start();
        if (!p.waitFor(limitMs, TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return p.exitValue();
    }

    private void readCells(Path runLog) throws IOException {
        for (String line : lines(runLog)) {
            if (!line.startsWith("MATRIX ")) {
                continue;
            }
            try {
                JSONObject o = JSON.parseObject(line.substring("MATRIX ".length()));
                String result = o.getString("result");
                if (!List.of("pass", "fail", "unsupported").contains(result)) {
                    result = "fail";
                }
                cells.put(o.getString("scenario"), new Cell(result, shorten(o.getString("detail")), o.getLongValue("ms")));
            } catch (RuntimeException e) {
                // a garbled line is the driver's failure; the scenario then has no cell
            }
        }
    }

    /** The harness half of retry_dlq: the message must sit in %DLQ%PREFIX_retry_dlq_cg. */
    private void checkDlq(DefaultMQAdminExt admin, String prefix) {
        String dlq = "%DLQ%" + prefix + "_retry_dlq_cg";
        long messages = 0;
        String seen = "no route";
        // the last send-back goes through the delay queue (level 3 + reconsumeTimes) before the DLQ
        long deadline = System.currentTimeMillis() + DLQ_WAIT_MS;
        while (messages < 1 && System.currentTimeMillis() < deadline) {
            try {
                messages = admin.examineTopicStats(dlq).getOffsetTable().values().stream()
                    .mapToLong(stats -> stats.getMaxOffset() - stats.getMinOffset()).sum();
                seen = messages + " message(s)";
            } catch (Exception e) {
                seen = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (messages < 1) {
                Servers.sleep(500);
            }
        }
        if (messages < 1) {
            Cell old = cells.get("retry_dlq");
            cells.put("retry_dlq", new Cell("fail", shorten(old.detail() + "; but " + dlq + ": " + seen), old.ms()));
        }
    }

    static String shorten(String text) {
        String one = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return one.length() <= DETAIL_CHARS_MAX ? one : one.substring(0, DETAIL_CHARS_MAX - 1) + "…";
    }

    private static String lastLineStarting(Path log, String marker) throws IOException {
        String found = "";
        for (String line : lines(log)) {
            if (line.startsWith(marker)) {
                found = line.substring(marker.length()).trim();
            }
        }
        return found;
    }

    /** The log's lines; bytes that are not UTF-8 become U+FFFD instead of failing the read. */
    private static List<String> lines(Path log) throws IOException {
        return List.of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\r?\n"));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = lines(log);
        return shorten(String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
    }
}
