package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.alibaba.fastjson.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client matrix (compat-tests/matrix/README.md): every column's driver runs every scenario against the servers
 * (two columns at a time), and each cell is a test. A cell the Java 4.7.1 oracle passed (expected.json) must pass; a
 * cell the client cannot do must stay unsupported; a cell of a column the oracle has not seen yet must not fail.
 * Cells the oracle fails too are reported in MATRIX.md only, unless beyond.json says ours must pass them. Options: {@code -Dmatrix.columns=id,id} runs some
 * columns; {@code -Dmatrix.record=true} with {@code -Dcompat.target=java} records the oracle into expected.json.
 */
class ClientMatrixTest {
    static final int PARALLEL_COLUMNS = 2;
    static final long COLUMN_WAIT_MS = MatrixColumn.PREPARE_LIMIT_MS + MatrixColumn.RUN_LIMIT_MS + 120_000;

    @RegisterExtension
    static final CompatFixture fx = withMatrixConf(CompatFixture.create().withAdmin());

    static final List<MatrixColumn> COLUMNS = new ArrayList<>();
    static final Map<String, Future<MatrixColumn>> RUNS = new LinkedHashMap<>();
    static ExecutorService pool;

    static CompatFixture withMatrixConf(CompatFixture fixture) {
        ClientMatrix.brokerConf().forEach(fixture::brokerConf);
        return fixture;
    }

    @TestFactory
    Stream<DynamicNode> clientMatrix() {
        List<String> scenarios = ClientMatrix.scenarioIds();
        Map<String, Map<String, String>> expected = MatrixReport.readExpected();
        Map<String, Map<String, String>> beyond = MatrixReport.readCells("beyond.json");
        String only = System.getProperty("matrix.columns", "").trim();
        for (MatrixColumn column : MatrixColumn.all()) {
            if (only.isEmpty() || List.of(only.split(",")).contains(column.id)) {
                COLUMNS.add(column);
            }
        }
        pool = Executors.newFixedThreadPool(PARALLEL_COLUMNS);
        for (MatrixColumn column : COLUMNS) {
            RUNS.put(column.id, pool.submit(() -> {
                column.run(fx.servers(), fx.admin(), scenarios);
                return column;
            }));
        }
        return COLUMNS.stream().filter(c -> c.blocked == null)
            .map(c -> DynamicContainer.dynamicContainer(c.title,
                cellTests(c, scenarios, expected.get(c.id), beyond.getOrDefault(c.id, Map.of()))));
    }

    /**
     * The tests of one column. {@code beyondJava} names cells the oracle fails that ours must pass (beyond.json: the
     * issue asks for more than Java 4.7.1 does, e.g. codes only 5.x brokers serve).
     */
    private Stream<DynamicNode> cellTests(MatrixColumn column, List<String> scenarios, Map<String, String> oracle,
            Map<String, String> beyondJava) {
        List<DynamicNode> tests = new ArrayList<>();
        for (String scenario : scenarios) {
            String want = beyondJava.containsKey(scenario) ? "pass" : oracle == null ? null : oracle.get(scenario);
            if ("fail".equals(want)) {
                continue; // the oracle fails it too: reported, not asserted
            }
            tests.add(DynamicTest.dynamicTest(scenario, () -> {
                MatrixColumn done = RUNS.get(column.id).get(COLUMN_WAIT_MS, TimeUnit.MILLISECONDS);
                assertNull(done.broken, column.id + " produced no results");
                MatrixColumn.Cell cell = done.cells.get(scenario);
                assertNotNull(cell, column.id + " printed no MATRIX line for " + scenario);
                if (want == null) {
                    assertNotEquals("fail", cell.result(), column.id + " " + scenario + ": " + cell.detail());
                } else {
                    assertEquals(want, cell.result(), column.id + " " + scenario + ": " + cell.detail());
                }
            }));
        }
        return tests.stream();
    }

    @AfterAll
    static void writeReport() throws Exception {
        if (pool == null) {
            return;
        }
        pool.shutdown();
        if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
            pool.shutdownNow();
            return;
        }
        List<String> scenarios = ClientMatrix.scenarioIds();
        Map<String, String> titles = new LinkedHashMap<>();
        for (Object o : ClientMatrix.readArray(ClientMatrix.matrixDir().resolve("scenarios.json"))) {
            titles.put(((JSONObject) o).getString("id"), ((JSONObject) o).getString("title"));
        }
        boolean java = Servers.isJava();
        String md = MatrixReport.markdown(COLUMNS, scenarios, titles, MatrixReport.readExpected(),
            java ? "the Java 4.7.1 NameServer and broker (the oracle)" : "our NameServer and broker");
        boolean whole = COLUMNS.size() == MatrixColumn.all().size();
        Path out = !java && whole ? ClientMatrix.matrixDir().getParent().resolve("MATRIX.md")
            : Servers.buildDir().resolve(java ? "MATRIX-java.md" : "MATRIX-partial.md");
        Files.write(out, md.getBytes(StandardCharsets.UTF_8));
        if (java && Boolean.getBoolean("matrix.record")) {
            MatrixReport.writeExpected(COLUMNS, scenarios);
        }
    }
}
