package org.scratchnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchnet.core.ModelFile;
import org.scratchnet.core.Network;
import org.scratchnet.core.NetworkConfig;
import org.scratchnet.core.Trainer;
import org.scratchnet.core.TrainingConfig;
import org.scratchnet.core.TrainingListener;
import org.scratchnet.mnist.DatasetFiles;
import org.scratchnet.io.SpecialFiles;

/** Divergence, checkpoints on other data, models that give no numbers, and the smaller points of the CLI. */
class RobustnessTest {

    @TempDir
    static Path tmp;

    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        data = SyntheticData.write(Files.createDirectory(tmp.resolve("data")), 600, 200, 42);
    }

    @Test
    void aRunStuckAtTheClampFailsAndLeavesAnExistingModelAlone() throws IOException {
        Path model = tmp.resolve("good.snet");
        Cli.Result good = Cli.run("train", "--data-dir", data.toString(), "--layers", "16", "--epochs", "2",
                "--lr", "0.1", "--save", model.toString());
        assertEquals(0, good.code(), good::toString);
        byte[] before = Files.readAllBytes(model);
        Cli.Result r = Cli.run("train", "--data-dir", data.toString(), "--layers", "16", "--epochs", "3", "--lr",
                "1000", "--save", model.toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.errLines()[0].startsWith("scratchnet: training diverged: the mean loss "), r::toString);
        assertTrue(r.errLines()[0].contains(" sits at the clamp "), r::toString);
        assertTrue(r.errLines()[0].contains("try a smaller --lr than 1000.0; " + model + " was not written"),
                r::toString);
        assertArrayEquals(before, Files.readAllBytes(model), "the good model is still there");
    }

    @Test
    void resumeRefusesOtherDataOfTheSameSize() throws IOException {
        Path other = SyntheticData.write(Files.createDirectory(tmp.resolve("other")), 600, 200, 43);
        DatasetFiles files = DatasetFiles.inDirectory(data);
        Trainer trainer = new Trainer(Network.create(NetworkConfig.of(784, 4, 10), 1),
                TrainingConfig.builder().epochs(3).build());
        trainer.train(new DatasetBatchSource(files.loadTrain()), null, new TrainingListener() {
            @Override
            public void onEpoch(org.scratchnet.core.EpochStats stats) {
                trainer.requestStop();
            }
        });
        Path ckpt = tmp.resolve("recorded.ckpt");
        ModelFile.saveCheckpoint(ckpt, trainer.checkpoint().withTrainingData(DataOptions.trainingData(files)));
        byte[] saved = Files.readAllBytes(ckpt);

        Cli.Result r = Cli.run("train", "--data-dir", other.toString(), "--resume", ckpt.toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.errLines()[0].startsWith("scratchnet: " + ckpt + ": expected the training data this run was "
                + "started on (train-images SHA-256 "), r::toString);
        assertArrayEquals(saved, Files.readAllBytes(ckpt), "the checkpoint is untouched");

        Cli.Result same = Cli.run("train", "--data-dir", data.toString(), "--resume", ckpt.toString());
        assertEquals(0, same.code(), same::toString);
        assertTrue(same.out().contains("epoch 3/3"), same::toString);
    }

    @Test
    void aModelWhoseOutputsAreNotNumbersIsRefused() throws IOException {
        // finite weights, so large that every logit overflows to infinity and softmax gives NaN
        NetworkConfig cfg = NetworkConfig.of(784, 10);
        float[] w = new float[cfg.parameterCount()];
        Arrays.fill(w, 3e38f);
        Path model = tmp.resolve("overflow.snet");
        ModelFile.save(model, Network.of(cfg, w), null);
        Path png = tmp.resolve("seven.png");
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 4; y < 24; y++) {
            img.getRaster().setSample(14, y, 0, 255);
        }
        ImageIO.write(img, "png", png.toFile());
        for (Cli.Result r : new Cli.Result[] {
                Cli.run("predict", "--model", model.toString(), png.toString()),
                Cli.run("eval", "--model", model.toString(), "--data-dir", data.toString())}) {
            assertEquals(1, r.code(), r::toString);
            assertEquals("", r.out(), r::toString);
            assertTrue(r.errLines()[0].startsWith("scratchnet: --model " + model + ": expected a model whose outputs "
                    + "are probabilities, found NaN for "), r::toString);
        }
    }

    @Test
    void imageNotFoundOnlyWhenItIsNotThere() throws IOException {
        Path model = tmp.resolve("tiny.snet");
        ModelFile.save(model, Network.create(NetworkConfig.of(784, 10), 1), null);
        Path dir = Files.createDirectories(tmp.resolve("pictures"));
        Cli.Result d = Cli.run("predict", "--model", model.toString(), dir.toString());
        assertEquals(1, d.code(), d::toString);
        assertEquals("scratchnet: " + dir + ": expected a picture file, found a directory", d.errLines()[0]);
        Path fifo = tmp.resolve("pipe.png");
        if (SpecialFiles.fifo(fifo)) {
            Cli.Result f = Cli.run("predict", "--model", model.toString(), fifo.toString());
            assertEquals("scratchnet: " + fifo + ": expected a picture file, found a FIFO", f.errLines()[0]);
        }
        Cli.Result missing = Cli.run("predict", "--model", model.toString(), tmp.resolve("none.png").toString());
        assertEquals("scratchnet: image not found: " + tmp.resolve("none.png"), missing.errLines()[0]);
        Path blank = tmp.resolve("blank.png");
        ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png", blank.toFile());
        Cli.Result b = Cli.run("predict", "--model", model.toString(), blank.toString());
        assertEquals(1, b.code(), b::toString);
        assertTrue(b.errLines()[0].contains("found a uniform picture"), b::toString);
    }

    @Test
    void everySubcommandPrintsTheVersion() {
        for (String command : new String[] {"train", "eval", "predict", "fetch", "info", "reproduce", "sweep"}) {
            Cli.Result r = Cli.run(command, "--version");
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().startsWith("scratchnet "), () -> command + " --version printed: " + r);
        }
    }

    @Test
    void layersGivenTwiceIsAUsageError() {
        Cli.Result r = Cli.run("train", "--layers", "16", "--layers", "8");
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.errLines()[0].contains("--layers given 2 times: list the hidden layers once, comma-separated, "
                + "e.g. --layers 16,8"), r::toString);
    }

    @Test
    void moreThreadsThanProcessorsWarns() {
        assertNull(KernelOptions.threadsWarning(2, 2));
        assertEquals("--threads 9 is more than the 8 processor(s) this JVM sees: the extra threads only take turns, "
                + "which is slower", KernelOptions.threadsWarning(9, 8));
    }

    @Test
    void theOutOfMemoryAdviceNamesTheHeapInForceAndALargerOne() {
        String six = Main.outOfMemory(6L << 30);
        assertEquals("out of memory: this JVM's heap may grow to 6.0 GiB; give it more with JAVA_OPTS=-Xmx12g (for the "
                + "./scratchnet launcher)", six);
        assertFalse(six.contains("-Xmx4g"), "4g is less than the heap already in force");
        assertTrue(Main.describe(new OutOfMemoryError("Java heap space")).startsWith("out of memory: this JVM's heap "
                + "may grow to "));
    }
}
