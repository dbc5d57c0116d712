package org.scratchnet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.scratchnet.kernels.Kernels;

/** Where a result came from: scratchnet version and git commit, JDK, CPU, kernel backend. */
final class Provenance {

    private Provenance() {
    }

    /**
     * What every results file records, in this order: version, git_commit, jdk, cpu, backend. A fresh, mutable map:
     * callers add their own keys (date, dataset, data checksums) after these.
     */
    static Map<String, Object> common() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("version", version());
        p.put("git_commit", gitCommit());
        p.put("jdk", jdk());
        p.put("cpu", cpu());
        p.put("backend", backend());
        return p;
    }

    /** The version from the build ({@code scratchnet.properties}, filtered by Maven), or "dev". */
    static String version() {
        String v = buildProperty(BUILD.getProperty("version"));
        return v == null ? "dev" : v;
    }

    /**
     * The git commit this code was built from, as the build recorded it in {@code scratchnet.properties}
     * ({@code git rev-parse --short=12 HEAD} at build time, with "-dirty" when tracked files differed from it), or null
     * when the build ran without git or outside a repository. Nothing runs at run time, so the answer is the same
     * wherever the jar is copied and whatever the current directory is.
     */
    static String gitCommit() {
        return gitCommit(BUILD);
    }

    /** {@link #gitCommit()} from the given build properties ({@code git_commit}, {@code git_dirty}). */
    static String gitCommit(Properties build) {
        String commit = buildProperty(build.getProperty("git_commit"));
        if (commit == null) {
            return null;
        }
        return "true".equals(buildProperty(build.getProperty("git_dirty"))) ? commit + "-dirty" : commit;
    }

    /** The build's properties, read once; empty when the resource is missing. */
    private static final Properties BUILD = loadBuildProperties();

    private static Properties loadBuildProperties() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("/scratchnet.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no build properties is not an error: version "dev", commit unknown
        }
        return p;
    }

    /** A filtered value, or null when blank or left unfiltered (a {@code ${...}} placeholder: the build lacked it). */
    private static String buildProperty(String value) {
        return value == null || value.isBlank() || value.contains("${") ? null : value.trim();
    }

    /** e.g. {@code 17.0.15+6-Debian-1deb12u1 (Debian)}. */
    static String jdk() {
        return Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")";
    }

    /** The CPU's model name and the processors, e.g. {@code Intel(R) Xeon(R) Processor, 2 processors}. */
    static String cpu() {
        int n = Runtime.getRuntime().availableProcessors();
        return cpuModel() + ", " + n + (n == 1 ? " processor" : " processors");
    }

    /** The CPU's model name from /proc/cpuinfo where there is one, else the OS architecture. */
    static String cpuModel() {
        String model = System.getProperty("os.arch");
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try {
                for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // keep the architecture
            }
        }
        return model;
    }

    /** The kernels' self-description, e.g. {@code vector (S_512_BIT, 16 lanes), 2 threads}. */
    static String backend() {
        return Kernels.describe();
    }

    /**
     * The kernels and how runs used them, e.g. {@code vector (S_512_BIT, 16 lanes), 2 jobs of 1 thread}: the
     * kernels' self-description with its thread count replaced by the jobs and threads per job.
     */
    static String backend(int jobs, int threadsPerJob) {
        String kernels = Kernels.describe();
        int threads = kernels.lastIndexOf(", ");
        return (threads < 0 ? kernels : kernels.substring(0, threads)) + ", " + jobs + (jobs == 1 ? " job" : " jobs")
                + " of " + threadsPerJob + (threadsPerJob == 1 ? " thread" : " threads");
    }

    /** The JVM's maximum heap, for humans. */
    static String maxHeap() {
        long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
        return max <= 0 ? "unbounded" : String.format(java.util.Locale.ROOT, "%.1f GiB", max / (1024.0 * 1024 * 1024));
    }
}
