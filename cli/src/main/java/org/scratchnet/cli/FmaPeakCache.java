package org.scratchnet.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.scratchnet.io.AtomicFile;
import org.scratchnet.kernels.FmaPeak;
import org.scratchnet.mnist.DatasetFetcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine's FMA peak ({@link FmaPeak}) for "% of peak": {@code scratchnet info --peak} measures it for a few
 * seconds and stores it in {@code fma-peak.tsv} in the scratchnet cache directory ({@code $SCRATCHNET_DATA} or
 * {@code ~/.cache/scratchnet}; the system property {@value #FILE_PROPERTY} names another file), one line per CPU
 * model, JDK version, loop (vector species or scalar) and thread count. {@code train} and {@code reproduce} read it;
 * where it holds no line for their setting they measure briefly ({@link #BRIEF}) once per JVM, say so on stderr, and do
 * not store that rougher figure.
 */
final class FmaPeakCache {

    /** System property naming the cache file instead of the default (tests use it). */
    static final String FILE_PROPERTY = "scratchnet.peak.file";
    /** How long {@code info --peak} measures each thread count. */
    static final Duration THOROUGH = Duration.ofSeconds(2);
    /** How long a run measures when the cache has no figure. */
    static final Duration BRIEF = Duration.ofMillis(400);

    private static final Logger LOG = LoggerFactory.getLogger(FmaPeakCache.class);
    private static final String HEADER = "# scratchnet FMA peak, written by 'scratchnet info --peak': "
            + "cpu<TAB>jdk<TAB>loop<TAB>threads<TAB>gflops<TAB>date";
    /** Brief measurements of this JVM, by thread count. */
    private static final Map<Integer, Peak> MEASURED_HERE = new ConcurrentHashMap<>();

    /**
     * A peak figure.
     *
     * @param threads threads it was measured on
     * @param gflops  GFLOPS, all those threads together
     * @param source  where it comes from, e.g. {@code cached 2026-11-30} or {@code measured now for 0.4 s}
     */
    record Peak(int threads, double gflops, String source) {

        /** {@code gflops} as a percentage of this peak. */
        double percent(double gflops) {
            return 100 * gflops / this.gflops;
        }

        /** e.g. {@code 476.2 GFLOPS on 2 threads, cached 2026-11-30}. */
        String describe() {
            return String.format(Locale.ROOT, "%.1f GFLOPS on %d %s, %s", gflops, threads,
                    threads == 1 ? "thread" : "threads", source);
        }
    }

    private FmaPeakCache() {
    }

    /** The cache file: the system property's path, else {@code fma-peak.tsv} in the scratchnet cache directory. */
    static Path file() {
        String forced = System.getProperty(FILE_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return Path.of(forced);
        }
        // beside the data sets' directories: $SCRATCHNET_DATA/fma-peak.tsv or ~/.cache/scratchnet/fma-peak.tsv
        return DatasetFetcher.defaultCacheDir("mnist").resolveSibling("fma-peak.tsv");
    }

    /** The cached peak for this machine, JDK and loop on {@code threads} threads, if there is one. */
    static Optional<Peak> cached(int threads) {
        for (String[] f : lines()) {
            if (sameKey(f, threads)) {
                try {
                    return Optional.of(new Peak(threads, Double.parseDouble(f[4]), "cached " + f[5]));
                } catch (NumberFormatException e) {
                    return Optional.empty(); // a damaged line: measure again
                }
            }
        }
        return Optional.empty();
    }

    /** Measures for {@link #THOROUGH} on {@code threads} threads and stores the figure in the cache. */
    static Peak measureAndStore(int threads) throws IOException {
        double gflops = FmaPeak.measure(threads, THOROUGH);
        store(threads, gflops);
        return new Peak(threads, gflops, String.format(Locale.ROOT, "measured now for %.0f s",
                THOROUGH.toMillis() / 1000.0));
    }

    /**
     * The peak on {@code threads} threads: the cached figure, else one measured now for {@link #BRIEF} (once per JVM;
     * one line on stderr says so and how to cache a longer measurement).
     */
    static Peak peak(int threads) {
        Optional<Peak> c = cached(threads);
        if (c.isPresent()) {
            return c.get();
        }
        return MEASURED_HERE.computeIfAbsent(threads, t -> {
            Peak p = new Peak(t, FmaPeak.measure(t, BRIEF), String.format(Locale.ROOT, "measured now for %.1f s",
                    BRIEF.toMillis() / 1000.0));
            LOG.info("FMA peak: {} ('scratchnet info --peak' measures it for longer and caches it)", p.describe());
            return p;
        });
    }

    private static void store(int threads, double gflops) throws IOException {
        List<String> keep = new ArrayList<>();
        keep.add(HEADER);
        for (String[] f : lines()) {
            if (!sameKey(f, threads)) {
                keep.add(String.join("\t", f));
            }
        }
        List<String> line = new ArrayList<>(key(threads));
        line.add(String.format(Locale.ROOT, "%.1f", gflops));
        line.add(LocalDate.now().toString());
        keep.add(String.join("\t", line));
        Path dir = file().toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        AtomicFile.writeString(file(), String.join("\n", keep) + "\n");
    }

    /** The cache's lines of six tab-separated fields; none when there is no file or it cannot be read. */
    private static List<String[]> lines() {
        List<String[]> lines = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file(), StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", -1);
                if (!line.startsWith("#") && f.length == 6) {
                    lines.add(f);
                }
            }
        } catch (NoSuchFileException e) {
            // not measured yet
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot read the FMA peak cache {}: {}", file(), e.toString());
        }
        return lines;
    }

    /** The first four fields of this machine's line for {@code threads}: CPU model, JDK version, loop, threads. */
    private static List<String> key(int threads) {
        return List.of(clean(Provenance.cpuModel()), clean(Runtime.version().toString()), FmaPeak.describe(),
                Integer.toString(threads));
    }

    private static boolean sameKey(String[] fields, int threads) {
        return List.of(fields).subList(0, 4).equals(key(threads));
    }

    private static String clean(String field) {
        return field.replace('\t', ' ').replace('\n', ' ');
    }
}
