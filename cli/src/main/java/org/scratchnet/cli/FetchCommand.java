package org.scratchnet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scratchnet.mnist.DatasetFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scratchnet fetch}: brings MNIST or Fashion-MNIST into the cache, verified, and says where it is. */
@Command(name = "fetch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fetch a data set (verified by SHA-256) and print where its four files are.")
final class FetchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws IOException {
        DatasetFiles files = data.files();
        PrintWriter out = spec.commandLine().getOut();
        out.println(data.dataset.name() + ": " + files.trainImages().toAbsolutePath().getParent());
        for (Path f : files.all()) {
            out.printf(Locale.ROOT, "  %-28s %,12d bytes%n", f.getFileName(), Files.size(f));
        }
        out.flush();
        return 0;
    }
}
