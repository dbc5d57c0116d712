package org.scratchnet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchnet.kernels.TestData.FACADE_TAG;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The backend choice. The build runs the kernels suite expecting the vector backend, then this class and the other
 * facade tests again with {@code -Dscratchnet.kernels=scalar} (kernels/pom.xml); {@code scratchnet.kernels.expected}
 * says which one this run must have picked, and the test fails if another was, so a run never silently tests the
 * wrong path. The fallback without the vector module is checked in a child JVM.
 */
@Tag(FACADE_TAG)
class BackendTest {

    /** The backend this run must have: the surefire property, or what {@code scratchnet.kernels} asks for. */
    private static Backend expected() {
        String expected = System.getProperty("scratchnet.kernels.expected");
        if (expected == null) {
            expected = System.getProperty(Kernels.BACKEND_PROPERTY, "vector");
        }
        return Backend.valueOf(expected.trim().toUpperCase(Locale.ROOT));
    }

    @Test
    void theExpectedBackendWasPicked() {
        assertEquals(expected(), Kernels.backend(),
                "backend picked by this JVM (describe: " + Kernels.describe() + ")");
    }

    @Test
    void describeNamesSpeciesAndLanes() {
        String d = Kernels.describe();
        if (Kernels.backend() == Backend.VECTOR) {
            assertTrue(Kernels.lanes() >= 4, "a vector species of at least 128 bits has at least 4 float lanes");
            assertEquals(TestData.VECTOR.lanes(), Kernels.lanes());
            assertTrue(d.startsWith("vector (S_") && d.contains(Kernels.lanes() + " lanes"), d);
        } else {
            assertEquals(1, Kernels.lanes());
            assertTrue(d.startsWith("scalar"), d);
        }
        assertTrue(d.endsWith(Kernels.threads() + (Kernels.threads() == 1 ? " thread" : " threads")), d);
    }

    @Test
    void gemmTileColumnsIsTheMicroKernelsWidth() {
        if (Kernels.backend() == Backend.VECTOR) {
            assertEquals(VectorGemm.NR, Kernels.gemmTileColumns());
        } else {
            assertEquals(1, Kernels.gemmTileColumns());
        }
    }

    @Test
    void withoutTheVectorModuleAChildJvmRunsScalarAndWarnsOnce() throws Exception {
        Child child = runChild();
        assertTrue(child.out.contains("backend=SCALAR"), "child stdout: " + child.out + "\nstderr: " + child.err);
        assertTrue(child.out.contains("p=0.5"), "the scalar kernels work in the child: " + child.out);
        // the FMA peak probe falls back to its scalar loop: 16 chains of 8 steps of 0.25 sum to 32
        assertTrue(child.out.contains("fma=scalar") && child.out.contains("chains=32.0"), child.out);
        assertEquals(1, count(child.err, "kernels:"), "exactly one warning from the kernels, stderr:\n" + child.err);
        assertTrue(child.err.contains("jdk.incubator.vector is not available"), child.err);
        assertTrue(child.err.contains("WARNING"), "logged at WARNING level: " + child.err);
        assertTrue(
                child.out.contains("vectorImplementation=IllegalStateException: the vector kernels cannot run in this "
                        + "JVM: jdk.incubator.vector is not available"),
                "asking for the vector implementation: " + child.out);
    }

    @Test
    void anUnknownOverrideIsReportedAndIgnored() throws Exception {
        Child child = runChild("--add-modules=jdk.incubator.vector", "-D" + Kernels.BACKEND_PROPERTY + "=fast");
        assertEquals(1, count(child.err, "kernels:"), "one warning, stderr:\n" + child.err);
        assertTrue(child.err.contains("=fast") && child.err.contains("expected scalar or vector"), child.err);
        // the child gets none of this JVM's flags: on any x86-64 or AArch64 machine its preferred species is
        // >= 128 bits
        assertTrue(child.out.contains("backend=VECTOR"), child.out);
        assertTrue(child.out.contains("vectorImplementation=vector (S_"), child.out);
    }

    @Test
    void aSpeciesNarrowerThan128BitsFallsBackToScalarWithOneWarning() throws Exception {
        Child child = runChild("--add-modules=jdk.incubator.vector", "-XX:MaxVectorSize=8");
        assertTrue(child.out.contains("backend=SCALAR") && child.out.contains("p=0.5"), child.out);
        assertEquals(1, count(child.err, "kernels:"), "one warning, stderr:\n" + child.err);
        assertTrue(child.err.contains("64 bits (< 128)"), child.err);
        assertTrue(
                child.out.contains("vectorImplementation=IllegalStateException")
                        && child.out.contains("64 bits (< 128)"),
                "asking for the vector implementation: " + child.out);
    }

    /**
     * The facade runs the implementation of its backend: the chosen implementation describes itself as the facade
     * does, and the internal entry point gives each backend's implementation, refusing null.
     */
    @Test
    void theInternalEntryPointGivesEachBackendsImplementation() {
        for (Backend b : Backend.values()) {
            KernelImplementation impl = KernelImplementation.of(b);
            assertEquals(b, impl.backend());
            assertSame(impl, KernelImplementation.of(b), "one instance per backend");
        }
        KernelImplementation chosen = KernelImplementation.of(Kernels.backend());
        assertTrue(Kernels.describe().startsWith(chosen.describe() + ", "), Kernels.describe());
        assertEquals(chosen.lanes(), Kernels.lanes());
        assertEquals(1, KernelImplementation.of(Backend.SCALAR).lanes());
        assertThrows(IllegalArgumentException.class, () -> KernelImplementation.of(null));
    }

    private record Child(String out, String err) {
    }

    private static Child runChild(String... jvmArgs) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(jvmArgs));
        command.add(BackendProbe.class.getName());
        Path err = Files.createTempFile("backend-probe", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
            assertEquals(0, p.exitValue(), "child exit code, stdout: " + out + "\nstderr: " + Files.readString(err));
            return new Child(out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }
}
