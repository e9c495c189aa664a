package org.rmqts.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.rmqts.golden.GoldenGenerator;

/**
 * The committed golden vectors in src/codec/fixtures are exactly what the official 4.7.1 classes produce today
 * (regenerates into target/golden-check and compares byte by byte). No servers involved.
 */
class GoldenVectorsTest {
    private static final List<String> GENERATED_DIRS = Arrays.asList("frames", "records", "batches", "bodies");

    @Test
    void committedFixturesMatchTheOfficialClasses() throws Exception {
        Path committed = Paths.get(System.getProperty("compat.goldenDir", "../src/codec/fixtures"))
            .toAbsolutePath().normalize();
        Path fresh = Servers.buildDir().resolve("golden-check");
        Servers.deleteRecursively(fresh);
        Files.createDirectories(fresh);
        GoldenGenerator.main(new String[] {fresh.toString()});

        List<String> freshFiles = list(fresh);
        List<String> committedFiles = list(committed);
        assertEquals(freshFiles, committedFiles,
            "fixture file set differs from a fresh generation; run compat-tests/generate-golden.sh");
        List<String> differ = new ArrayList<>();
        for (String f : freshFiles) {
            if (!Arrays.equals(Files.readAllBytes(fresh.resolve(f)), Files.readAllBytes(committed.resolve(f)))) {
                differ.add(f);
            }
        }
        assertTrue(differ.isEmpty(), "fixtures differ from a fresh generation (run compat-tests/generate-golden.sh): "
            + differ);
        assertTrue(freshFiles.size() > 60, "a reasonable number of fixture files: " + freshFiles.size());
    }

    private static List<String> list(Path root) throws Exception {
        List<String> out = new ArrayList<>();
        out.add("manifest.json");
        for (String d : GENERATED_DIRS) {
            Path dir = root.resolve(d);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    out.addAll(s.map(p -> d + "/" + p.getFileName()).collect(Collectors.toList()));
                }
            }
        }
        out.sort(null);
        return out;
    }
}
