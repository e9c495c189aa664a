package org.rmqts.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.alibaba.fastjson.JSON;
import com.alibaba.fastjson.JSONObject;

/** Writes the matrix as Markdown (rows = scenarios, columns = clients) and the oracle's results as JSON. */
final class MatrixReport {
    private MatrixReport() {
    }

    /** expected.json: column id → scenario id → the Java 4.7.1 oracle's result. */
    static Map<String, Map<String, String>> readExpected() {
        return readCells("expected.json");
    }

    /** A matrix file of column id → scenario id → text (expected.json, beyond.json); empty when missing. */
    static Map<String, Map<String, String>> readCells(String name) {
        Path file = ClientMatrix.matrixDir().resolve(name);
        Map<String, Map<String, String>> expected = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return expected;
        }
        try {
            JSONObject json = JSON.parseObject(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            for (String column : json.keySet()) {
                Map<String, String> cells = new LinkedHashMap<>();
                JSONObject o = json.getJSONObject(column);
                for (String scenario : o.keySet()) {
                    cells.put(scenario, o.getString(scenario));
                }
                expected.put(column, cells);
            }
            return expected;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    /** Replaces the recorded oracle results of the columns that ran (others are kept), in row and column order. */
    static void writeExpected(List<MatrixColumn> columns, List<String> scenarios) throws IOException {
        Map<String, Map<String, String>> expected = readExpected();
        for (MatrixColumn column : columns) {
            if (column.blocked != null || column.broken != null) {
                continue;
            }
            Map<String, String> cells = new LinkedHashMap<>();
            column.cells.forEach((scenario, cell) -> cells.put(scenario, cell.result()));
            expected.put(column.id, cells);
        }
        List<String> order = new ArrayList<>();
        MatrixColumn.all().forEach(c -> order.add(c.id));
        expected.keySet().stream().filter(id -> !order.contains(id)).forEach(order::add);
        StringBuilder json = new StringBuilder("{\n");
        String columnSep = "";
        for (String id : order) {
            Map<String, String> cells = expected.get(id);
            if (cells == null) {
                continue;
            }
            json.append(columnSep).append("  ").append(JSON.toJSONString(id)).append(": {");
            String cellSep = "\n";
            for (String scenario : scenarios) {
                if (cells.containsKey(scenario)) {
                    json.append(cellSep).append("    ").append(JSON.toJSONString(scenario)).append(": ")
                        .append(JSON.toJSONString(cells.get(scenario)));
                    cellSep = ",\n";
                }
            }
            json.append("\n  }");
            columnSep = ",\n";
        }
        json.append("\n}\n");
        Files.write(ClientMatrix.matrixDir().resolve("expected.json"), json.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String markdown(List<MatrixColumn> columns, List<String> scenarios, Map<String, String> titles,
            Map<String, Map<String, String>> expected, String servers) {
        StringBuilder out = new StringBuilder();
        List<String> notes = new ArrayList<>();
        out.append("# Client compatibility matrix\n\n");
        out.append("Written by `ClientMatrixTest` (`npm test`) on ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
            .append(" against ").append(servers).append(". Scenarios and drivers: `compat-tests/matrix/README.md`.\n");
        out.append("✓ passed · ✗ failed · — the client has no API for it · ? no result. A scenario that failed runs once more; ")
            .append("a pass on that second run is noted. ")
            .append("The oracle (Java 4.7.1 servers, `expected.json`) is named where it differs.\n\n");
        out.append("| scenario |");
        columns.forEach(c -> out.append(' ').append(c.title).append(" |"));
        out.append("\n|---|");
        columns.forEach(c -> out.append(":---:|"));
        out.append('\n');
        for (String scenario : scenarios) {
            out.append("| ").append(titles.getOrDefault(scenario, scenario)).append(" |");
            for (MatrixColumn column : columns) {
                out.append(' ').append(cellText(column, scenario, expected, notes)).append(" |");
            }
            out.append('\n');
        }
        out.append("\n| column | driver | prepare | run |\n|---|---|---:|---:|\n");
        for (MatrixColumn column : columns) {
            out.append("| ").append(column.title).append(" | ")
                .append(column.blocked != null ? "not runnable here: " + column.blocked
                    : column.broken != null ? "broken: " + column.broken : column.prepared)
                .append(" | ").append(seconds(column.prepareMs)).append(" | ").append(seconds(column.runMs)).append(" |\n");
        }
        if (!notes.isEmpty()) {
            out.append("\nNotes:\n\n");
            for (int i = 0; i < notes.size(); i++) {
                out.append(i + 1).append(". ").append(notes.get(i)).append('\n');
            }
        }
        return out.toString();
    }

    private static String cellText(MatrixColumn column, String scenario, Map<String, Map<String, String>> expected,
            List<String> notes) {
        if (column.blocked != null || column.broken != null) {
            return "?";
        }
        MatrixColumn.Cell cell = column.cells.get(scenario);
        String oracle = expected.getOrDefault(column.id, Map.of()).get(scenario);
        String mark = cell == null ? "?" : cell.result().equals("pass") ? "✓" : cell.result().equals("fail") ? "✗" : "—";
        String result = cell == null ? "none" : cell.result();
        boolean differs = oracle != null && !oracle.equals(result);
        if (cell != null && cell.result().equals("pass") && !differs && !cell.detail().contains("[2nd run")) {
            return mark;
        }
        String detail = cell == null ? "no MATRIX line from the driver" : cell.detail();
        notes.add(column.title + ", " + scenario + ": " + detail + (differs ? " (Java 4.7.1 oracle: " + oracle + ")" : ""));
        return mark + " [" + notes.size() + "]";
    }

    private static String seconds(long ms) {
        return ms == 0 ? "" : String.format("%.0f s", ms / 1000.0);
    }
}
