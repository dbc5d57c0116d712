package org.scratchnet.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scratchnet merge DIR... --out DIR}: combines the output directories of the shards of one {@code reproduce} or
 * {@code sweep} run ({@code --shard I/N}) into the files one unsharded run writes, with the same accuracies in the same
 * order. Shards of different commands, grids, seeds, data or code versions are refused, and a missing shard is named.
 * The shards are read and every output checked ({@link Outputs}) before anything is written; the table is printed
 * before the files are written.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Combine the --out directories of a reproduce or sweep run's shards (--shard I/N) into the "
                + "table and files of one unsharded run; the table on stdout.",
                "Example: scratchnet merge shard-1 shard-2 shard-3 --out results"})
final class MergeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(MergeCommand.class);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "1..*",
            description = "The shards' --out directories, each holding the results.json or sweep.json of one shard.")
    List<Path> shards = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Directory for the merged files: results.md, .csv, .json and the momentum figures "
                    + "(reproduce) or sweep.md, .csv, .json (sweep).")
    Path out;

    @Override
    public Integer call() throws IOException {
        for (Path shard : shards) {
            if (shard.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new UserException("--out " + out + " is one of the shards' directories: the merged files would "
                        + "replace that shard's; choose another directory");
            }
        }
        Results merged = Results.merge(shards);
        Outputs.createDirectory(out, "--out");
        Outputs outputs = new Outputs();
        for (String name : merged.fileNames()) {
            outputs.file("--out", out.resolve(name));
        }
        outputs.check();
        List<Path> inputs = new ArrayList<>();
        for (Path shard : shards) {
            inputs.add(Results.fileIn(shard));
        }
        outputs.checkNotAnyOf("a shard's results file", inputs);
        spec.commandLine().getOut().print(merged.markdown()); // the table first: a failed write must not lose it
        spec.commandLine().getOut().flush();
        List<String> written = RunOptions.write(merged, out);
        LOG.info("merged {} shards of {} runs; wrote {} in {}", shards.size(), merged.runs().size(),
                String.join(", ", written), out);
        return 0;
    }
}
