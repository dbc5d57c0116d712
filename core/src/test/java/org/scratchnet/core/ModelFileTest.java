package org.scratchnet.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchnet.io.SpecialFiles;

class ModelFileTest {

    @TempDir
    Path dir;

    private static final TrainingConfig CFG = TrainingConfig.builder().epochs(3).batchSize(16).learningRate(0.2)
            .optimizer(new Optimizer.Momentum(MomentumStyle.EMA, 0.9)).validationFraction(0.2).patience(2).seed(42)
            .build();

    private static Network trained() {
        Network net = Network.create(new NetworkConfig(new int[] {6, 9, 5, 3}, Init.XAVIER), 42);
        new Trainer(net, CFG).train(TestData.blobs(100, 6, 3, 0.5, 1), null, null);
        return net;
    }

    /** Rewrites the trailing CRC32C after a deliberate edit, so that the check behind the checksum is exercised. */
    private static byte[] resealed(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
        return b;
    }

    private static String failure(byte[] bytes) {
        return assertThrows(ModelFormatException.class, () -> ModelFile.fromBytes(bytes, "m.snet")).getMessage();
    }

    @Test
    void saveLoadRoundTrip() throws IOException {
        Network net = trained();
        Path file = dir.resolve("model.snet");
        ModelFile.save(file, net, CFG);
        ModelFile.Model m = ModelFile.load(file);
        assertEquals(net.config(), m.network().config());
        assertArrayEquals(net.parameters(), m.network().parameters());
        assertEquals(CFG, m.trainingConfig());
        ArrayBatchSource data = TestData.blobs(50, 6, 3, 0.5, 2);
        assertArrayEquals(net.predict(data), m.network().predict(data));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
        // overwrite in place, and a model without configuration
        ModelFile.save(file, net, null);
        assertNull(ModelFile.load(file).trainingConfig());
    }

    @Test
    void savedFilesAreOrdinaryFilesReadableByOthers() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "not a POSIX file system");
        Path file = dir.resolve("model.snet");
        ModelFile.save(file, trained(), CFG);
        // temporary files are created rw-------; the model file must not keep that mode
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void sizeIsHeaderPlusParametersPlusSmallMetadata() {
        Network net = trained();
        byte[] b = ModelFile.toBytes(net, null);
        // 20 header + 4 count + 4·4 sizes + 3 activations + 1 init + 4 config length + 4 + 4·P + 4 CRC
        assertEquals(20 + 4 + 16 + 3 + 1 + 4 + 4 + 4 * net.parameters().length + 4, b.length);
        assertEquals("SCRNTMDL", new String(b, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(1, ByteBuffer.wrap(b).getInt(8));
    }

    @Test
    void refusesToSaveNanWeights() {
        Network net = Network.create(NetworkConfig.of(2, 2), 1);
        net.parameters()[1] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> ModelFile.save(dir.resolve("x"), net, null));
        assertTrue(Files.notExists(dir.resolve("x")));
    }

    @Test
    void truncatedFilesAreReportedAsTruncated() {
        byte[] b = ModelFile.toBytes(trained(), CFG);
        for (int len : new int[] {0, 1, 7, 8, 23}) {
            assertTrue(failure(Arrays.copyOf(b, len)).contains("expected at least 24"), "length " + len);
        }
        for (int len : new int[] {24, 100, b.length / 2, b.length - 1}) {
            String msg = failure(Arrays.copyOf(b, len));
            assertTrue(
                    msg.startsWith("m.snet: truncated file: the header announces " + b.length + " bytes, the file has "
                            + len),
                    msg);
        }
        String msg = failure(Arrays.copyOf(b, b.length + 3));
        assertTrue(msg.contains("corrupt file") && msg.contains("the file has " + (b.length + 3)), msg);
    }

    @Test
    void everyFlippedByteIsCaught() {
        byte[] b = ModelFile.toBytes(Network.create(NetworkConfig.of(3, 2), 5), CFG);
        for (int i = 0; i < b.length; i++) {
            byte[] c = b.clone();
            c[i] ^= 0x10;
            int at = i;
            assertThrows(ModelFormatException.class, () -> ModelFile.fromBytes(c, "m"), "flip at byte " + at);
        }
        byte[] c = b.clone();
        c[60] ^= 1;
        assertTrue(failure(c).contains("checksum mismatch"), failure(c));
    }

    @Test
    void foreignFiles() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 1, 0,
                0, 0, 1, 0, 8, 6, 0, 0};
        String msg = failure(png);
        assertTrue(msg.startsWith("m.snet: not a scratchnet model file: expected magic \"SCRNTMDL\""), msg);
        assertTrue(msg.contains("\\x89PNG"), msg);
        msg = failure("hello, this is just some text file\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(msg.contains("not a scratchnet model file"), msg);
    }

    @Test
    void futureAndInvalidVersions() {
        byte[] b = ModelFile.toBytes(trained(), CFG);
        ByteBuffer.wrap(b).putInt(8, 2);
        String msg = failure(resealed(b));
        assertTrue(msg.contains("format version 2 is newer than this scratchnet reads (1)"), msg);
        ByteBuffer.wrap(b).putInt(8, 0);
        assertTrue(failure(resealed(b)).contains("invalid format version 0"));
    }

    @Test
    void inconsistentContentsBehindAValidChecksum() {
        Network net = Network.create(NetworkConfig.of(3, 4, 2), 5);
        byte[] b = ModelFile.toBytes(net, null);
        // body: 20 count, 24 sizes (3 ints), 36 activations (2), 38 init, 39 config length, 43 parameter count
        byte[] c = b.clone();
        c[36] = 1;
        assertTrue(failure(resealed(c)).contains("unsupported activation code 1 for layer 1, expected 0 (ReLU)"));
        c = b.clone();
        c[38] = 7;
        assertTrue(failure(resealed(c)).contains("unknown init code 7"));
        c = b.clone();
        ByteBuffer.wrap(c).putInt(24, 0);
        assertTrue(failure(resealed(c)).contains("layer sizes must be >= 1"));
        c = b.clone();
        ByteBuffer.wrap(c).putInt(20, 100_000);
        assertTrue(failure(resealed(c)).contains("100000 layer sizes"));
        c = b.clone();
        ByteBuffer.wrap(c).putInt(43, 5);
        assertTrue(failure(resealed(c)).contains("5 parameters, the network needs 26"), failure(resealed(c)));
        c = b.clone();
        ByteBuffer.wrap(c).putFloat(47, Float.NaN);
        assertTrue(failure(resealed(c)).contains("NaN or infinity"));
        c = b.clone();
        ByteBuffer.wrap(c).putInt(39, 1_000_000);
        assertTrue(failure(resealed(c)).contains("training configuration of 1000000 bytes"));
    }

    @Test
    void badTrainingConfigurationText() {
        Network net = Network.create(NetworkConfig.of(2, 2), 5);
        byte[] b = ModelFile.toBytes(net, TrainingConfig.builder().epochs(7).build());
        // body of a 2-2 network: 20 count, 24 sizes, 32 activation, 33 init, 34 config length, 38 config text
        String text = new String(b, 38, ByteBuffer.wrap(b).getInt(34), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("epochs=7\n"), text);
        b[38 + "epochs=".length()] = 'x';
        String msg = failure(resealed(b));
        assertTrue(msg.contains("corrupt training configuration"), msg);
    }

    /**
     * Seeded random damage behind a valid frame: bytes overwritten, inserted, deleted; the length field and the
     * checksum are then made consistent so that the field checks, not the checksum, must catch it. Every outcome is
     * either a successful parse or a {@link ModelFormatException}; nothing else may escape.
     */
    @Test
    void randomDamageOnlyEverGivesModelFormatException() {
        Trainer t = new Trainer(Network.create(NetworkConfig.of(3, 4, 2), 1), CFG);
        t.train(TestData.blobs(30, 3, 2, 0.5, 1), null, null);
        byte[][] originals = {ModelFile.toBytes(t.network(), CFG), ModelFile.toBytes(t.checkpoint())};
        java.util.Random r = new java.util.Random(2024);
        int parsed = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] b = originals[trial % 2].clone();
            int edits = 1 + r.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int pos = ModelFile.HEADER + r.nextInt(b.length - ModelFile.HEADER - 4);
                switch (r.nextInt(4)) {
                    case 0 -> b[pos] = (byte) r.nextInt(256);
                    case 1 ->
                        ByteBuffer.wrap(b).putInt(Math.min(pos, b.length - 8), r.nextInt(5) == 0 ? -1 : r.nextInt());
                    case 2 -> {
                        byte[] c = new byte[b.length + 1];
                        System.arraycopy(b, 0, c, 0, pos);
                        c[pos] = (byte) r.nextInt(256);
                        System.arraycopy(b, pos, c, pos + 1, b.length - pos);
                        b = c;
                    }
                    default -> {
                        byte[] c = new byte[b.length - 1];
                        System.arraycopy(b, 0, c, 0, pos);
                        System.arraycopy(b, pos + 1, c, pos, b.length - pos - 1);
                        b = c;
                    }
                }
            }
            ByteBuffer.wrap(b).putLong(12, b.length - ModelFile.HEADER - 4);
            byte[] damaged = resealed(b);
            try {
                ModelFile.fromBytes(damaged, "fuzz");
                ModelFile.checkpointFromBytes(damaged, "fuzz");
                parsed++;
            } catch (ModelFormatException expected) {
                assertTrue(expected.getMessage().startsWith("fuzz: "), expected.getMessage());
            } catch (RuntimeException e) {
                throw new AssertionError("trial " + trial + " escaped as " + e, e);
            }
        }
        assertTrue(parsed < 3000, "some damage must be detected");
    }

    @Test
    void checkpointRoundTripAndKinds() throws IOException {
        Trainer t = new Trainer(Network.create(NetworkConfig.of(6, 5, 3), 42), CFG);
        t.train(TestData.blobs(100, 6, 3, 0.5, 1), null, new TrainingListener() {
            public void onEpoch(EpochStats s) {
                t.requestStop();
            }
        });
        Checkpoint cp = t.checkpoint();
        Path file = dir.resolve("run.ckpt");
        ModelFile.saveCheckpoint(file, cp);
        Checkpoint back = ModelFile.loadCheckpoint(file);
        assertEquals(1, back.epochsCompleted());
        assertEquals(100, back.trainSize());
        assertEquals(cp.history(), back.history());
        assertEquals(CFG, back.trainingConfig());
        assertArrayEquals(cp.parameters, back.parameters);
        assertArrayEquals(cp.optimizer.first, back.optimizer.first);
        assertEquals(cp.optimizer.step, back.optimizer.step);
        assertEquals(cp.shuffleState, back.shuffleState);
        assertEquals(cp.dropoutState, back.dropoutState);
        assertArrayEquals(cp.bestParameters, back.bestParameters);
        assertEquals(cp.bestAccuracy, back.bestAccuracy);
        assertArrayEquals(ModelFile.toBytes(cp), Files.readAllBytes(file));
        // a checkpoint also loads as a model; a model does not load as a checkpoint
        assertArrayEquals(cp.parameters, ModelFile.load(file).network().parameters());
        Path model = dir.resolve("m.snet");
        ModelFile.save(model, cp.network(), CFG);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.loadCheckpoint(model));
        assertTrue(e.getMessage().contains("is a model file, expected a checkpoint"), e.getMessage());
        // truncation of a checkpoint
        byte[] b = ModelFile.toBytes(cp);
        assertThrows(ModelFormatException.class,
                () -> ModelFile.checkpointFromBytes(Arrays.copyOf(b, b.length - 10), "c"));
    }

    // ------------------------------------------------------------------------------------------------ bounded reads

    /** A sparse file: these bytes at the start, then nothing (zeros, taking no disk) up to {@code length}. */
    private Path sparse(String name, byte[] start, long length) throws IOException {
        Path p = dir.resolve(name);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(start));
            ch.write(ByteBuffer.wrap(new byte[1]), length - 1);
        }
        return p;
    }

    @Test
    void aFifoOrADeviceIsRefusedWithoutReadingIt() throws IOException {
        Path fifo = dir.resolve("model.fifo");
        Path zero = dir.resolve("zero");
        assumeTrue(SpecialFiles.fifo(fifo), "mkfifo is not available");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(fifo));
            assertEquals(fifo + ": expected a model file, found a FIFO", e.getMessage());
            e = assertThrows(ModelFormatException.class, () -> ModelFile.loadCheckpoint(fifo));
            assertEquals(fifo + ": expected a model file, found a FIFO", e.getMessage());
            if (SpecialFiles.zeroDevice(zero)) {
                e = assertThrows(ModelFormatException.class, () -> ModelFile.load(zero));
                assertEquals(zero + ": expected a model file, found a character device", e.getMessage());
            }
        });
    }

    @Test
    void aLargeForeignFileIsRefusedByItsHeaderAlone() throws IOException {
        // 3 GiB (sparse): reading it whole would need a 3 GiB array, which Java cannot make
        Path junk = sparse("junk.bin", "GIF89a..".getBytes(StandardCharsets.US_ASCII), 3L << 30);
        // the header's message, not an OutOfMemoryError or a read of 3 GiB; the time limit only guards the build
        String msg = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> assertThrows(ModelFormatException.class, () -> ModelFile.load(junk)).getMessage());
        assertTrue(msg.startsWith(junk + ": not a scratchnet model file: expected magic"), msg);
    }

    /** A sparse model file of the 784-1000000-10 network: a valid header and sizes, zeros after them (3.2 GB). */
    private Path bigModelFile() throws IOException {
        NetworkConfig big = NetworkConfig.of(784, 1_000_000, 10); // 795,000,010 parameters
        long length = ModelFile.modelFileSize(big, 0);
        assertEquals(20 + 4 + 12 + 2 + 1 + 4 + 4 + 4L * 795_000_010 + 4, length);
        ByteBuffer head = ByteBuffer.allocate(36);
        head.put(ModelFile.MODEL_MAGIC).putInt(1).putLong(length - 24).putInt(3).putInt(784).putInt(1_000_000)
                .putInt(10);
        return sparse("big.snet", head.array(), length);
    }

    @Test
    void aNetworkTooLargeForTheHeapIsRefusedUpFrontWithWhatToDo() throws IOException {
        // the sizes fit the file, so the network is really that large: with a 1 GiB heap it cannot be held, and
        // the reader says so before it reads 3.2 GB (reading the file whole once failed: no array is that long)
        Path file = bigModelFile();
        long saved = ModelFile.maxHeap;
        ModelFile.maxHeap = 1L << 30;
        try {
            String msg = assertThrows(ModelFormatException.class, () -> ModelFile.load(file)).getMessage();
            assertEquals(file + ": the network has 795,000,010 parameters, 3.0 GiB of floats, more than this JVM's "
                    + "heap of at most 1.0 GiB (give it more, e.g. JAVA_OPTS=-Xmx7g)", msg);
        } finally {
            ModelFile.maxHeap = saved;
        }
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "scratchnet.bigTests", matches = "true")
    void aFileLargerThanTwoGibibytesIsStreamed() throws IOException {
        // with enough heap the reader goes on to the checksum pass, which streams all 3.2 GB (10 s here)
        Path file = bigModelFile();
        String msg = assertThrows(ModelFormatException.class, () -> ModelFile.load(file)).getMessage();
        assertTrue(msg.startsWith(file + ": corrupt file: checksum mismatch"), msg);
    }

    @Test
    void parametersAreWrittenAndReadInChunks() throws IOException {
        // 1 + 2 chunks and a tail: 300 x 300 + 300 + 300 x 7 + 7 = 92,407 parameters
        Network net = Network.create(NetworkConfig.of(300, 300, 7), 9);
        assertTrue(net.parameters().length > ModelFile.CHUNK_FLOATS
                && net.parameters().length % ModelFile.CHUNK_FLOATS != 0);
        Path file = dir.resolve("chunks.snet");
        ModelFile.save(file, net, CFG);
        assertEquals(ModelFile.modelFileSize(net.config(), ModelFile.toBytes(net, CFG).length
                - (int) ModelFile.modelFileSize(net.config(), 0)), Files.size(file));
        assertArrayEquals(ModelFile.toBytes(net, CFG), Files.readAllBytes(file));
        assertArrayEquals(net.parameters(), ModelFile.load(file).network().parameters());
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "scratchnet.bigTests", matches = "true")
    void aNetworkOfMoreThan537MillionParametersSavesAndLoads() throws IOException {
        // the size at which 4 x parameters overflowed an int; needs about 6 GiB of heap and 2.2 GB of disk
        Network net = Network.of(NetworkConfig.of(784, 700_000, 10), new float[784 * 700_000 + 700_000 + 7_000_010]);
        net.parameters()[net.parameters().length - 1] = 3.5f;
        Path file = dir.resolve("huge.snet");
        ModelFile.save(file, net, null);
        assertEquals(ModelFile.modelFileSize(net.config(), 0), Files.size(file));
        net = null;
        float[] back = ModelFile.load(file).network().parameters();
        assertEquals(3.5f, back[back.length - 1]);
    }

    // ------------------------------------------------------------------------------------------------ checkpoints

    private static Checkpoint stoppedAfterOneEpoch(TrainingConfig cfg) {
        Trainer t = new Trainer(Network.create(NetworkConfig.of(6, 5, 3), 42), cfg);
        t.train(TestData.blobs(100, 6, 3, 0.5, 1), null, new TrainingListener() {
            public void onEpoch(EpochStats s) {
                t.requestStop();
            }
        });
        return t.checkpoint();
    }

    /** The same checkpoint with other optimiser state. */
    private static Checkpoint withState(Checkpoint cp, float[] first, float[] second, long step) {
        return new Checkpoint(cp.networkConfig, cp.trainingConfig, cp.epochsCompleted, cp.trainSize, cp.parameters,
                new OptimizerState(first, second, step), cp.shuffleState, cp.dropoutState, cp.bestEpoch,
                cp.bestAccuracy, cp.epochsSinceBest, cp.bestParameters, cp.history);
    }

    @Test
    void aCheckpointWithNonFiniteOrNegativeOptimiserStateIsRefusedAtLoad() throws IOException {
        Checkpoint adam = stoppedAfterOneEpoch(CFG.toBuilder().optimizer(new Optimizer.Adam(0.9, 0.999, 1e-8)).build());
        float[] m = adam.optimizer.first.clone();
        float[] v = adam.optimizer.second.clone();
        assertEquals(adam.epochsCompleted(), ModelFile.checkpointFromBytes(ModelFile.toBytes(adam), "c")
                .epochsCompleted());

        float[] badM = m.clone();
        badM[3] = Float.POSITIVE_INFINITY;
        String msg = assertThrows(ModelFormatException.class, () -> ModelFile.checkpointFromBytes(
                ModelFile.toBytes(withState(adam, badM, v, 5)), "c")).getMessage();
        assertEquals("c: corrupt checkpoint: the Adam first moment contains NaN or infinity", msg);
        float[] negativeV = v.clone();
        negativeV[7] = -0.25f;
        msg = assertThrows(ModelFormatException.class, () -> ModelFile.checkpointFromBytes(
                ModelFile.toBytes(withState(adam, m, negativeV, 5)), "c")).getMessage();
        assertEquals("c: corrupt checkpoint: the Adam second moment holds -0.25 at 7, expected finite values >= 0",
                msg);
        float[] nanV = v.clone();
        nanV[0] = Float.NaN;
        assertThrows(ModelFormatException.class, () -> ModelFile.checkpointFromBytes(
                ModelFile.toBytes(withState(adam, m, nanV, 5)), "c"));
        msg = assertThrows(ModelFormatException.class, () -> ModelFile.checkpointFromBytes(
                ModelFile.toBytes(withState(adam, m, v, -1)), "c")).getMessage();
        assertEquals("c: corrupt checkpoint: optimiser step -1, expected >= 0", msg);

        Checkpoint momentum = stoppedAfterOneEpoch(CFG);
        float[] velocity = momentum.optimizer.first.clone();
        velocity[0] = Float.NaN;
        msg = assertThrows(ModelFormatException.class, () -> ModelFile.checkpointFromBytes(
                ModelFile.toBytes(withState(momentum, velocity, new float[0], 1)), "c")).getMessage();
        assertEquals("c: corrupt checkpoint: the optimiser velocity contains NaN or infinity", msg);
    }

    @Test
    void aCheckpointRecordsItsTrainingDataAndVersionOneCheckpointsStillLoad() throws IOException {
        Checkpoint cp = stoppedAfterOneEpoch(CFG).withTrainingData("train-images sha256 ab12\ntrain-labels cd34");
        Path file = dir.resolve("data.ckpt");
        ModelFile.saveCheckpoint(file, cp);
        assertEquals(2, ByteBuffer.wrap(Files.readAllBytes(file)).getInt(8));
        Checkpoint back = ModelFile.loadCheckpoint(file);
        assertEquals("train-images sha256 ab12\ntrain-labels cd34", back.trainingData());
        assertEquals("", stoppedAfterOneEpoch(CFG).trainingData());

        // the version 1 layout: no training-data record at the end
        byte[] v2 = ModelFile.toBytes(stoppedAfterOneEpoch(CFG));
        byte[] v1 = Arrays.copyOf(v2, v2.length - 4); // drop the empty record's int32 length (0), keep room for CRC
        ByteBuffer.wrap(v1).putInt(8, 1).putLong(12, v1.length - ModelFile.HEADER - 4);
        Checkpoint old = ModelFile.checkpointFromBytes(resealed(v1), "old.ckpt");
        assertEquals("", old.trainingData());
        assertEquals(1, old.epochsCompleted());
        // and models are still written as version 1, which older readers accept
        assertEquals(1, ByteBuffer.wrap(ModelFile.toBytes(cp.network(), CFG)).getInt(8));
    }

    @Test
    void textFromAFileIsShownWithControlCharactersEscaped() {
        Network net = Network.create(NetworkConfig.of(2, 2), 5);
        byte[] b = ModelFile.toBytes(net, TrainingConfig.builder().epochs(7).build());
        // body of a 2-2 network: 34 config length, 38 config text "epochs=7\n..."; an escape sequence in a line
        b[38] = 0x1b;
        b[39] = '[';
        b[40] = '2';
        b[41] = 'J';
        b[42] = '\r';
        b[43] = 'x';
        b[44] = 'y';
        String msg = failure(resealed(b));
        assertTrue(msg.contains("\\x1b[2J\\x0dxy"), msg);
        for (char c : msg.toCharArray()) {
            assertTrue(c >= 0x20 && c != 0x7f, "a control character in: " + msg);
        }
        byte[] c = ModelFile.toBytes(net, TrainingConfig.builder().epochs(7).build());
        byte[] bad = "epochs=\u001b]0;x\u0007".getBytes(StandardCharsets.UTF_8); // a value that does not parse
        System.arraycopy(bad, 0, c, 38, bad.length);
        String msg2 = failure(resealed(c));
        assertTrue(msg2.contains("corrupt training configuration: ") && msg2.contains("\\x1b]0;x\\x07"), msg2);
        for (char ch : msg2.toCharArray()) {
            assertTrue(ch >= 0x20 && ch != 0x7f, "a control character in: " + msg2);
        }
    }

    // ------------------------------------------------------------------------------------------------ older files

    private static byte[] firstFormat(String name) throws IOException {
        try (InputStream in = ModelFileTest.class.getResourceAsStream("first-formats/" + name)) {
            assertTrue(in != null, name + " missing from the test resources");
            return in.readAllBytes();
        }
    }

    private static String configText(byte[] file, int layers) {
        // header 20, layer count 4, sizes 4 each, one activation byte per dense layer, init 1, then int32 length
        int at = 20 + 4 + 4 * layers + (layers - 1) + 1;
        return new String(file, at + 4, ByteBuffer.wrap(file).getInt(at), StandardCharsets.UTF_8);
    }

    /**
     * Files written by scratchnet before optimisers and schedules became types (the test resources in first-formats/,
     * made with commit 6055bf8 on a 4-3-2 network): their configuration text carries every rule's keys, whichever rule
     * was chosen, and loads as the typed rule that was chosen; the checkpoints resume.
     */
    @Test
    void filesWrittenBeforeOptimisersBecameTypesStillLoad() throws IOException {
        byte[] model = firstFormat("format1-classical-cosine-model.bin");
        assertEquals(1, ByteBuffer.wrap(model).getInt(8));
        assertTrue(configText(model, 3).contains("adamBeta1=0.9\n"), configText(model, 3));
        ModelFile.Model m = ModelFile.fromBytes(model, "old.snet");
        assertEquals("4-3-2", m.network().config().describe());
        assertEquals(TrainingConfig.builder().epochs(6).batchSize(10).learningRate(0.2).seed(5)
                .optimizer(new Optimizer.Momentum(MomentumStyle.CLASSICAL, 0.8)).schedule(new Schedule.Cosine(0.01))
                .dropout(0.1).weightDecay(1e-4).build(), m.trainingConfig());

        byte[] adam = firstFormat("format2-adam-step-checkpoint.bin");
        assertEquals(2, ByteBuffer.wrap(adam).getInt(8));
        Checkpoint cp = ModelFile.checkpointFromBytes(adam, "adam.ckpt");
        TrainingConfig adamConfig = TrainingConfig.builder().epochs(4).batchSize(10).learningRate(0.01).seed(7)
                .optimizer(new Optimizer.Adam(0.8, 0.99, 1e-7)).schedule(new Schedule.Step(3, 0.5))
                .validationFraction(0.25).patience(2).build();
        assertEquals(adamConfig, cp.trainingConfig());
        assertEquals(1, cp.epochsCompleted());
        assertEquals("train-images 00aa\ntrain-labels 11bb", cp.trainingData());
        assertEquals(23, cp.optimizer.first.length);
        assertEquals(23, cp.optimizer.second.length);
        assertTrue(cp.optimizer.step > 0);
        TrainingResult resumed = Trainer.resume(cp).train(TestData.blobs(60, 4, 2, 0.5, 9), null, null);
        assertTrue(resumed.history().size() > 1, "trained on after epoch 1"); // up to 4, or stopped early (patience 2)
        assertTrue(resumed.network().isFinite());

        byte[] sgd = firstFormat("format1-sgd-checkpoint.bin");
        assertEquals(1, ByteBuffer.wrap(sgd).getInt(8));
        assertTrue(configText(sgd, 3).contains("optimizer=SGD\nmomentumStyle=EMA\nmomentum=0.9\n"),
                configText(sgd, 3));
        Checkpoint plain = ModelFile.checkpointFromBytes(sgd, "sgd.ckpt");
        assertEquals(TrainingConfig.builder().epochs(3).batchSize(20).learningRate(0.3).seed(9).build(),
                plain.trainingConfig());
        assertEquals(new Optimizer.Sgd(), plain.trainingConfig().optimizer());
        assertEquals(0, plain.optimizer.first.length);
        assertEquals("", plain.trainingData());
        assertEquals(3, Trainer.resume(plain).train(TestData.blobs(60, 4, 2, 0.5, 9), null, null).history().size());

        // written again, they carry only the chosen rule's keys, all of them keys the first format had
        String again = configText(ModelFile.toBytes(cp), 3);
        assertEquals("epochs=4\nbatchSize=10\nlearningRate=0.01\noptimizer=ADAM\nadamBeta1=0.8\nadamBeta2=0.99\n"
                + "adamEpsilon=1.0E-7\nweightDecay=0.0\ndropout=0.0\nschedule=STEP\nstepEvery=3\nstepGamma=0.5\n"
                + "seed=7\nvalidationFraction=0.25\npatience=2\n", again);
        assertFalse(configText(ModelFile.toBytes(plain), 3).contains("momentum"));
    }
}
