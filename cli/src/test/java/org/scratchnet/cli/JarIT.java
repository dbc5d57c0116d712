package org.scratchnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchnet.core.ModelFile;
import org.scratchnet.core.Network;
import org.scratchnet.core.NetworkConfig;

/**
 * The shaded jar and the launcher script as a user runs them, each command in a fresh JVM (failsafe runs this after
 * {@code package}; the jar's path comes from the system property {@code scratchnet.jar}).
 */
class JarIT {

    private static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";

    @TempDir
    static Path tmp;

    static Path jar;

    @BeforeAll
    static void findJar() {
        jar = Path.of(System.getProperty("scratchnet.jar", "target/scratchnet.jar"));
        assertTrue(Files.isRegularFile(jar), "the shaded jar is missing: " + jar.toAbsolutePath());
    }

    record Run(int code, String out, String err) {
        /** stderr without the JVM's expected incubator line and without blank lines. */
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank() && !l.equals(INCUBATOR_WARNING)).toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static List<String> java(boolean vectorModule, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (vectorModule) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        String peakFile = System.getProperty(FmaPeakCache.FILE_PROPERTY);
        if (peakFile != null) {
            cmd.add("-D" + FmaPeakCache.FILE_PROPERTY + "=" + peakFile); // the tests' own FMA peak cache
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    static Run run(List<String> cmd) throws IOException, InterruptedException {
        return run(new ProcessBuilder(cmd));
    }

    static Run run(ProcessBuilder pb) throws IOException, InterruptedException {
        List<String> cmd = pb.command();
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + cmd);
        return new Run(p.exitValue(), out, err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The jar carries the classes this build compiled, not a stale copy: shading the module jar in place once let an
     * older VectorGemm from the previous shaded jar survive a change to kernels alone.
     */
    @Test
    void jarCarriesTheClassesOfThisBuild() throws IOException {
        int compared = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                if (!name.startsWith("org/scratchnet/") || !name.endsWith(".class")) {
                    continue;
                }
                byte[] inJar = zip.getInputStream(entry).readAllBytes();
                byte[] built;
                try (InputStream in = JarIT.class.getClassLoader().getResourceAsStream(name)) {
                    assertTrue(in != null, name + " is in " + jar + " but not in this build");
                    built = in.readAllBytes();
                }
                assertTrue(Arrays.equals(built, inJar), name + " in " + jar + " differs from the one this build made");
                compared++;
            }
        }
        assertTrue(compared > 50, "expected the classes of all four modules in the jar, found " + compared);
    }

    @Test
    void trainsOneEpochOnTheRealMnist() throws Exception {
        Run r = run(java(true, "train", "--epochs", "1", "--layers", "64"));
        assertEquals(0, r.code(), r::toString);
        List<String> out = r.out().lines().toList();
        assertTrue(out.get(0).startsWith("network 784-64-10"), r::toString);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("epoch 1/1  loss ")), r::toString);
        String acc = out.stream().filter(l -> l.startsWith("test accuracy")).findFirst().orElseThrow();
        assertTrue(Double.parseDouble(acc.replaceAll("[^0-9.]", "")) > 90, acc);
        // stdout carries results only: no log lines there; logs are on stderr, without stack traces
        assertFalse(r.out().contains(" INFO "), r::toString);
        assertTrue(r.err().contains(" INFO "), r::toString);
        assertFalse(r.err().contains("\tat "), r::toString);
    }

    @Test
    void withoutTheModuleFlagRunsScalarWithOneWarning() throws Exception {
        Run r = run(java(false, "info"));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.matches("backend\\s+scalar.*")), r::toString);
        List<String> err = r.errLines();
        assertEquals(1, err.size(), r::toString);
        assertTrue(err.get(0).contains("WARN") && err.get(0).contains("jdk.incubator.vector"), r::toString);
    }

    @Test
    void withTheModuleFlagPicksTheVectorKernels() throws Exception {
        Run r = run(java(true, "info"));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.matches("backend\\s+vector.*")), r::toString);
        assertEquals(List.of(), r.errLines(), r::toString);
        Run scalar = run(java(true, "info", "--kernels", "scalar"));
        assertTrue(scalar.out().lines().anyMatch(l -> l.matches("backend\\s+scalar \\(forced.*")), scalar::toString);
    }

    @Test
    void badInputGivesOneLineAndTheRightExitCode() throws Exception {
        Run usage = run(java(true, "train", "--batch", "0"));
        assertEquals(2, usage.code(), usage::toString);
        assertEquals(1, usage.errLines().size(), usage::toString);

        Run unknown = run(java(true, "train", "--silly"));
        assertEquals(2, unknown.code(), unknown::toString);
        assertEquals(1, unknown.errLines().size(), unknown::toString);

        Path model = tmp.resolve("good.snet");
        ModelFile.save(model, Network.create(NetworkConfig.of(784, 8, 10), 1), null);
        byte[] bytes = Files.readAllBytes(model);
        Path truncated = Files.write(tmp.resolve("truncated.snet"), Arrays.copyOf(bytes, bytes.length / 2));
        Run corrupt = run(java(true, "eval", "--model", truncated.toString()));
        assertEquals(1, corrupt.code(), corrupt::toString);
        assertEquals(1, corrupt.errLines().size(), corrupt::toString);
        assertTrue(corrupt.errLines().get(0).startsWith("scratchnet: ")
                && corrupt.errLines().get(0).contains("truncated.snet"), corrupt::toString);

        Run missing = run(java(true, "predict", "--model", model.toString(), tmp.resolve("no.png").toString()));
        assertEquals(1, missing.code(), missing::toString);
        assertEquals(List.of("scratchnet: image not found: " + tmp.resolve("no.png")), missing.errLines());
    }

    @Test
    void ctrlCWritesACheckpointAndTheResumeCommandWorks() throws Exception {
        Path data = SyntheticData.write(Files.createDirectory(tmp.resolve("data")), 4000, 500, 5);
        Path ckpt = tmp.resolve("run.ckpt");
        // 100 epochs: far more than can run between the first epoch's line and the signal, on any machine
        List<String> cmd = new ArrayList<>(java(true, "train", "--data-dir", data.toString(), "--layers", "32",
                "--epochs", "100", "--batch", "32", "--lr", "0.05", "--checkpoint", ckpt.toString()));
        if (sigintIgnored()) {
            // started in the background of a shell (nohup, `&`), the JVM inherits SIGINT ignored and rightly keeps it
            // so; a terminal's Ctrl-C is what this test is about, so the child gets SIGINT's default back (GNU env)
            cmd.addAll(0, List.of("env", "--default-signal=INT"));
        }
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        StringBuilder out = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("epoch   1/100")) {
                    // Ctrl-C: SIGINT to the JVM
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                }
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String stderr = err.join();
        Run r = new Run(p.exitValue(), out.toString(), stderr);
        assertEquals(130, r.code(), r::toString);
        assertFalse(r.out().contains("epoch 100/100"), r::toString);
        assertTrue(Files.isRegularFile(ckpt), r::toString);
        String hint = r.err().lines().filter(l -> l.startsWith("resume with: ./scratchnet train ")).findFirst()
                .orElseThrow(() -> new AssertionError(r.toString()));
        assertTrue(hint.endsWith("--resume " + ckpt), hint);
        assertTrue(hint.startsWith("resume with: ./scratchnet train --data-dir "), hint);
        assertTrue(hint.contains("--layers 32 --epochs 100"), hint);

        // resumed to two epochs more than were done, not to all 100
        long done = r.out().lines().filter(l -> l.startsWith("epoch ")).count();
        int total = (int) done + 2;
        Run resumed = run(java(true, "train", "--data-dir", data.toString(), "--resume", ckpt.toString(),
                "--epochs", Integer.toString(total)));
        assertEquals(0, resumed.code(), resumed::toString);
        List<String> epochs = resumed.out().lines().filter(l -> l.startsWith("epoch ")).toList();
        assertEquals(2, epochs.size(), resumed::toString);
        assertTrue(epochs.get(1).startsWith("epoch " + total + "/" + total + " "), resumed::toString);
    }

    /** Whether this process ignores SIGINT (Linux: bit 1 of SigIgn in /proc/self/status), which children inherit. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:")).findFirst()
                .map(l -> (Long.parseUnsignedLong(l.substring(7).trim(), 16) & (1L << 1)) != 0).orElse(false);
    }

    @Test
    void jarLeavesOutXChartsPdfAndSvgWriters() throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> vectorWriters = Collections.list(zip.entries()).stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith("org/apache/pdfbox/") || n.startsWith("org/apache/fontbox/")
                            || n.startsWith("de/rototor/") || n.startsWith("de/erichseifert/"))
                    .toList();
            assertEquals(List.of(), vectorWriters);
            assertTrue(zip.getEntry("org/knowm/xchart/BitmapEncoder.class") != null, "XChart's PNG writer is there");
            assertTrue(zip.getEntry("META-INF/LICENSE") != null, "the licence is in the jar");
        }
    }

    @Test
    void aCopyOfTheJarOutsideTheCheckoutKnowsItsGitCommit() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path copy = Files.copy(jar, elsewhere.resolve("scratchnet.jar"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                copy.toString(), "--version");
        Run r = run(new ProcessBuilder(cmd).directory(elsewhere.toFile()));
        assertEquals(0, r.code(), r::toString);
        String commit = Provenance.gitCommit(); // what the build recorded in scratchnet.properties
        String first = r.out().lines().findFirst().orElseThrow();
        assertEquals("scratchnet " + Provenance.version() + (commit == null ? "" : " (git " + commit + ")"), first);
    }

    @Test
    void aLogbackConfigurationOfTheUsersIsRespectedUnlessQuietOrVerbose() throws Exception {
        Path config = Files.writeString(tmp.resolve("my-logback.xml"), """
                <configuration>
                  <appender name="E" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>MINE %level %logger{0}: %msg%n</pattern></encoder>
                  </appender>
                  <root level="DEBUG"><appender-ref ref="E"/></root>
                </configuration>
                """);
        List<String> cmd = new ArrayList<>(java(true, "info"));
        cmd.add(1, "-Dlogback.configurationFile=" + config);
        Run mine = run(cmd);
        assertEquals(0, mine.code(), mine::toString);
        assertTrue(mine.errLines().stream().anyMatch(l -> l.startsWith("MINE DEBUG Kernels: kernels: vector backend")),
                "the user's pattern and the user's DEBUG level, not the bundled INFO: " + mine);

        cmd.add("-q");
        Run quiet = run(cmd);
        assertEquals(0, quiet.code(), quiet::toString);
        assertEquals(List.of(), quiet.errLines(), "-q: warnings and errors only");

        Run bundled = run(java(true, "info"));
        assertTrue(bundled.errLines().stream().noneMatch(l -> l.contains("DEBUG")), bundled::toString);
    }

    @Test
    void quietTrainingPrintsResultsAndNothingElse() throws Exception {
        Path data = SyntheticData.write(Files.createDirectories(tmp.resolve("quiet-data")), 600, 100, 5);
        Run r = run(java(true, "train", "-q", "--data-dir", data.toString(), "--layers", "16", "--epochs", "2",
                "--batch", "32"));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("epoch 2/2"), r::toString);
        assertEquals(List.of(), r.errLines(), r::toString);
        Run normal = run(java(true, "train", "--data-dir", data.toString(), "--layers", "16", "--epochs", "1",
                "--batch", "32"));
        assertTrue(normal.err().contains(" INFO "), "without -q the INFO lines are there: " + normal);
    }

    @Test
    void predictReadsAPictureFromStandardInput() throws Exception {
        Path model = tmp.resolve("stdin.snet");
        ModelFile.save(model, Network.create(NetworkConfig.of(784, 8, 10), 1), null);
        Path png = ConventionsTest.digit(tmp.resolve("stdin-one.png"));
        Run fromFile = run(java(true, "predict", "--model", model.toString(), png.toString()));
        Run fromStdin = run(new ProcessBuilder(java(true, "predict", "--model", model.toString(), "-"))
                .redirectInput(png.toFile()));
        assertEquals(0, fromStdin.code(), fromStdin::toString);
        assertEquals(fromFile.out().replace(png + ": ", "stdin: "), fromStdin.out());
    }

    @Test
    void theLauncherScriptForwardsArgumentsAndKeepsTheExitCode() throws Exception {
        Path script = Path.of("..", "scratchnet").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(script), script.toString());
        Run info = run(List.of("bash", script.toString(), "info"));
        assertEquals(0, info.code(), info::toString);
        assertTrue(info.out().lines().anyMatch(l -> l.matches("backend\\s+vector.*")), info::toString);
        Run bad = run(List.of("bash", script.toString(), "reproduce", "--rows", "9"));
        assertEquals(2, bad.code(), bad::toString);
        assertEquals(1, bad.errLines().size(), bad::toString);
    }

    /**
     * A reproduce split into three shards run as three separate processes, merged by a fourth, gives the table, CSV
     * and JSON accuracies of one unsharded run and both momentum figures; a missing shard is named.
     */
    @Test
    void threeShardProcessesMergeIntoTheUnshardedResults() throws Exception {
        Path data = SyntheticData.write(Files.createDirectory(tmp.resolve("shard-data")), 600, 200, 11);
        String[] plan = {"reproduce", "--data-dir", data.toString(), "--rows", "2,3,4,5", "--seeds", "2", "--epochs",
                "2", "--jobs", "1"};
        List<Process> shards = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path dir = tmp.resolve("shard-" + i);
            dirs.add(dir);
            List<String> cmd = java(true, plan);
            cmd.addAll(List.of("--shard", i + "/3", "--out", dir.toString()));
            shards.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("shard-" + i + ".log").toFile()).start());
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(shards.get(i).waitFor(300, TimeUnit.SECONDS), "shard " + (i + 1) + " timed out");
            assertEquals(0, shards.get(i).exitValue(), Files.readString(tmp.resolve("shard-" + (i + 1) + ".log")));
        }
        Path whole = tmp.resolve("unsharded");
        List<String> unsharded = java(true, plan);
        unsharded.addAll(List.of("--out", whole.toString()));
        Run w = run(unsharded);
        assertEquals(0, w.code(), w::toString);

        Path merged = tmp.resolve("merged");
        Run m = run(java(true, "merge", dirs.get(2).toString(), dirs.get(0).toString(), dirs.get(1).toString(),
                "--out", merged.toString()));
        assertEquals(0, m.code(), m::toString);
        assertEquals(Files.readString(merged.resolve("results.md")), m.out());
        assertEquals(WorkflowTest.withoutLastColumn(w.out()), WorkflowTest.withoutLastColumn(m.out()));
        assertEquals(4, m.out().lines().filter(l -> l.matches("\\| [2-5] \\| 2 \\|.*")).count(), m::toString);
        assertEquals(WorkflowTest.csvWithoutTimings(whole.resolve("results.csv")),
                WorkflowTest.csvWithoutTimings(merged.resolve("results.csv")));
        assertEquals(WorkflowTest.jsonWithoutTimings(whole.resolve("results.json")),
                WorkflowTest.jsonWithoutTimings(merged.resolve("results.json")));
        for (String png : List.of("momentum-comparison.png", "momentum-comparison-batch128.png")) {
            assertTrue(Files.size(merged.resolve(png)) > 0, png);
            assertFalse(Files.exists(dirs.get(0).resolve(png)), "a shard draws no figure: " + png);
        }

        Run missing = run(java(true, "merge", dirs.get(0).toString(), dirs.get(2).toString(), "--out",
                tmp.resolve("incomplete").toString()));
        assertEquals(1, missing.code(), missing::toString);
        assertEquals(1, missing.errLines().size(), missing::toString);
        assertTrue(missing.errLines().get(0).startsWith("scratchnet: shard 2/3 is missing"), missing::toString);
    }
}
