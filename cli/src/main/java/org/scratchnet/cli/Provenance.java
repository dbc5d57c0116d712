package org.scratchnet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.scratchnet.kernels.Kernels;

/** Where a result came from: scratchnet version and git commit, JDK, CPU, kernel backend, data checksums. */
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
        try (InputStream in = Provenance.class.getResourceAsStream("/scratchnet.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isBlank() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through: no version resource is not an error
        }
        return "dev";
    }

    /**
     * The git commit of the scratchnet repository this code was built in ({@code git rev-parse --short=12 HEAD}, with
     * "-dirty" when tracked files differ), or null when that is unknown: the classes do not sit in a scratchnet
     * checkout (see {@link #sourceRepository}), git is not there, or the checkout is not a git repository of its own.
     * The current directory plays no part, so a run started inside another repository does not record that one's
     * commit. Runs git with a two-second limit per call.
     */
    static String gitCommit() {
        java.security.CodeSource source = Provenance.class.getProtectionDomain().getCodeSource();
        return gitCommit(sourceRepository(source == null ? null : pathOf(source.getLocation())));
    }

    /** {@link #gitCommit()} for the repository at {@code repo}; null when repo is null or not a git top level. */
    static String gitCommit(Path repo) {
        if (repo == null) {
            return null;
        }
        String top = git(repo, "rev-parse", "--show-toplevel");
        try {
            if (top == null || !Path.of(top).toRealPath().equals(repo.toRealPath())) {
                return null; // not a repository, or a directory inside some other repository
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        String head = git(repo, "rev-parse", "--short=12", "HEAD");
        if (head == null) {
            return null;
        }
        String status = git(repo, "status", "--porcelain", "--untracked-files=no");
        return status == null || status.isEmpty() ? head : head + "-dirty";
    }

    /**
     * The scratchnet checkout that holds the given code location, or null. Both {@code <root>/cli/target/scratchnet.jar}
     * and {@code <root>/cli/target/classes} lie two levels below the module, so the root is three names up; it counts
     * only if it holds the {@code scratchnet} launcher or a pom.xml of artifactId scratchnet-parent.
     */
    static Path sourceRepository(Path codeLocation) {
        if (codeLocation == null) {
            return null;
        }
        Path root = codeLocation.toAbsolutePath().normalize();
        for (int up = 0; up < 3 && root != null; up++) {
            root = root.getParent();
        }
        if (root == null) {
            return null;
        }
        if (Files.isRegularFile(root.resolve("scratchnet"))) {
            return root;
        }
        Path pom = root.resolve("pom.xml");
        try {
            if (Files.isRegularFile(pom)
                    && Files.readString(pom, StandardCharsets.UTF_8).contains("<artifactId>scratchnet-parent</artifactId>")) {
                return root;
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: not known to be scratchnet's
        }
        return null;
    }

    private static Path pathOf(java.net.URL location) {
        try {
            return location == null ? null : Path.of(location.toURI());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null; // not a file (e.g. a nested jar URL)
        }
    }

    private static String git(Path dir, String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(2, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
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

    /** SHA-256 of a file, as lower-case hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
