package org.scratchnet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scratchnet.mnist.DatasetFetcher;
import org.scratchnet.mnist.DatasetFiles;
import org.scratchnet.mnist.Sha256;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code scratchnet fetch}: brings MNIST or Fashion-MNIST into the cache, verified, and says where it is. With
 * {@code --data-dir}, fetches nothing and writes nothing: lists the four files there and says whether each is the
 * published data set's.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fetch a data set (verified by SHA-256) into the cache and print where its four files are.",
                "With --data-dir: only list the files there and whether each matches the published data set."})
final class FetchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws IOException {
        DatasetFiles files = data.files();
        List<String> published = data.dataDir == null ? null : DatasetFetcher.publishedSha256(data.dataset.name());
        PrintWriter out = spec.commandLine().getOut();
        out.println(data.dataset.name() + ": " + files.trainImages().toAbsolutePath().getParent());
        for (int i = 0; i < 4; i++) {
            Path f = files.all().get(i);
            String check = "";
            if (published != null) {
                check = published.get(i).equals(Sha256.ofContent(f)) ? "  SHA-256 verified"
                        : "  not the published " + data.dataset.name() + " (SHA-256 differs)";
            }
            out.printf(Locale.ROOT, "  %-28s %,12d bytes%s%n", f.getFileName(), Files.size(f), check);
        }
        out.flush();
        return 0;
    }
}
