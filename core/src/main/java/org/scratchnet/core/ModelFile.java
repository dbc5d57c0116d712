package org.scratchnet.core;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The scratchnet model and checkpoint file format, version {@value #FORMAT_VERSION}. All numbers big-endian.
 * <pre>
 * offset   size   field
 * 0        8      magic: ASCII "SCRNTMDL" (model) or "SCRNTCKP" (checkpoint)
 * 8        4      format version, int32 (1)
 * 12       8      body length B, int64
 * 20       B      body
 * 20+B     4      CRC32C of bytes [0, 20+B), as an unsigned int32
 *
 * body, both kinds:
 *   int32          S, number of layer sizes (2..4096)
 *   int32 × S      layer sizes, input first
 *   uint8 × (S−1)  activation of each dense layer: 0 ReLU, 1 softmax (must be ReLU…ReLU, softmax)
 *   uint8          init: 0 He, 1 Xavier
 *   int32 T, then T bytes of UTF-8: the training configuration as "key=value" lines
 *                  ({@link TrainingConfig#toMap}); T = 0 when the model carries none
 *   int32 P, then P × float32: the parameters, layer by layer, W (n_in × n_out row-major) then b
 * checkpoint only, after that:
 *   int32 epochs completed; int32 training-set size (−1 unknown)
 *   int64 shuffle generator state; int64 dropout generator state
 *   int64 optimiser step; int32 n, n × float32 velocity or Adam m; int32 n, n × float32 Adam v
 *   int32 best epoch; float64 best validation accuracy; int32 epochs since best
 *   int32 n, n × float32 best weights (n = 0: none)
 *   int32 H, then H × (int32 epoch, 7 × float64: train loss, train accuracy, test accuracy, validation accuracy,
 *                      learning rate, seconds, images per second)
 * </pre>
 * Files are written to a temporary file in the target's directory, forced to disk and renamed into place (atomically
 * where the file system can), so a crash never leaves a half-written model under the real name. Loading reads the
 * whole file and checks, in order: length, magic, version, declared length against actual length, checksum, then
 * every field (sizes, activations, parameter count, finite parameters, configuration values). Any failure is a
 * {@link ModelFormatException} with one line naming the file and the problem.
 */
public final class ModelFile {

    /** The version this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    static final byte[] MODEL_MAGIC = "SCRNTMDL".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CHECKPOINT_MAGIC = "SCRNTCKP".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER = 20;
    private static final int MAX_SIZES = 4096;
    private static final int HISTORY_ENTRY = 4 + 7 * 8;

    private ModelFile() {
    }

    /**
     * What a model file holds.
     *
     * @param network        the network with its weights
     * @param trainingConfig the configuration it was trained with, or null if it was saved without one
     */
    public record Model(Network network, TrainingConfig trainingConfig) {
    }

    // ------------------------------------------------------------------------------------------------ models

    /** Saves {@code network} and (if not null) the configuration that trained it, atomically. */
    public static void save(Path path, Network network, TrainingConfig cfg) throws IOException {
        if (!network.isFinite()) {
            throw new IllegalArgumentException("refusing to save a network with NaN or infinite weights to " + path);
        }
        writeAtomically(path, toBytes(network, cfg));
    }

    /**
     * Loads a model file, or the current network of a checkpoint file.
     *
     * @throws ModelFormatException if the file is not a valid scratchnet model or checkpoint
     */
    public static Model load(Path path) throws IOException {
        return fromBytes(Files.readAllBytes(path), path.toString());
    }

    /** The bytes of a model file for {@code network} and {@code cfg} (which may be null). */
    public static byte[] toBytes(Network network, TrainingConfig cfg) {
        return frame(MODEL_MAGIC, body -> writeModelBody(body, network.config(), cfg, network.parameters()));
    }

    /**
     * Parses the bytes of a model (or checkpoint) file; {@code name} is used in error messages.
     *
     * @throws ModelFormatException if they are not a valid scratchnet model or checkpoint
     */
    public static Model fromBytes(byte[] bytes, String name) throws ModelFormatException {
        boolean checkpoint = checkFrame(bytes, name);
        ByteBuffer in = body(bytes);
        try {
            Model m = readModelBody(in, name);
            if (checkpoint) {
                readCheckpointTail(in, name, m);
            }
            expectEnd(in, name);
            return m;
        } catch (BufferUnderflowException e) {
            throw new ModelFormatException(name + ": corrupt file, a field runs past the end of the body");
        }
    }

    // ------------------------------------------------------------------------------------------------ checkpoints

    /** Saves a checkpoint atomically. */
    public static void saveCheckpoint(Path path, Checkpoint checkpoint) throws IOException {
        writeAtomically(path, toBytes(checkpoint));
    }

    /**
     * Loads a checkpoint file.
     *
     * @throws ModelFormatException if it is not a valid scratchnet checkpoint (a model file is rejected: it has no
     *                              optimiser or generator state to resume from)
     */
    public static Checkpoint loadCheckpoint(Path path) throws IOException {
        return checkpointFromBytes(Files.readAllBytes(path), path.toString());
    }

    /** The bytes of a checkpoint file. */
    public static byte[] toBytes(Checkpoint cp) {
        return frame(CHECKPOINT_MAGIC, body -> {
            writeModelBody(body, cp.networkConfig, cp.trainingConfig, cp.parameters);
            body.writeInt(cp.epochsCompleted);
            body.writeInt(cp.trainSize);
            body.writeLong(cp.shuffleState);
            body.writeLong(cp.dropoutState);
            body.writeLong(cp.optimizer.step);
            writeFloats(body, cp.optimizer.first);
            writeFloats(body, cp.optimizer.second);
            body.writeInt(cp.bestEpoch);
            body.writeDouble(cp.bestAccuracy);
            body.writeInt(cp.epochsSinceBest);
            writeFloats(body, cp.bestParameters == null ? new float[0] : cp.bestParameters);
            body.writeInt(cp.history.size());
            for (EpochStats s : cp.history) {
                body.writeInt(s.epoch());
                body.writeDouble(s.trainLoss());
                body.writeDouble(s.trainAccuracy());
                body.writeDouble(s.testAccuracy());
                body.writeDouble(s.validationAccuracy());
                body.writeDouble(s.learningRate());
                body.writeDouble(s.seconds());
                body.writeDouble(s.imagesPerSecond());
            }
        });
    }

    /** Parses the bytes of a checkpoint file; {@code name} is used in error messages. */
    public static Checkpoint checkpointFromBytes(byte[] bytes, String name) throws ModelFormatException {
        boolean checkpoint = checkFrame(bytes, name);
        if (!checkpoint) {
            throw new ModelFormatException(name + ": is a model file, expected a checkpoint (models carry no "
                    + "optimiser or generator state to resume from)");
        }
        ByteBuffer in = body(bytes);
        try {
            Model m = readModelBody(in, name);
            Checkpoint cp = readCheckpointTail(in, name, m);
            expectEnd(in, name);
            return cp;
        } catch (BufferUnderflowException e) {
            throw new ModelFormatException(name + ": corrupt file, a field runs past the end of the body");
        }
    }

    // ------------------------------------------------------------------------------------------------ writing

    private interface BodyWriter {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] frame(byte[] magic, BodyWriter writer) {
        try {
            ByteArrayOutputStream bodyBytes = new ByteArrayOutputStream();
            DataOutputStream body = new DataOutputStream(bodyBytes);
            writer.write(body);
            body.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream(HEADER + bodyBytes.size() + 4);
            DataOutputStream out = new DataOutputStream(all);
            out.write(magic);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(bodyBytes.size());
            bodyBytes.writeTo(out);
            out.flush();
            CRC32C crc = new CRC32C();
            byte[] bytes = all.toByteArray();
            crc.update(bytes, 0, bytes.length);
            out.writeInt((int) crc.getValue());
            out.flush();
            return all.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
    }

    private static void writeModelBody(DataOutputStream out, NetworkConfig net, TrainingConfig cfg, float[] params)
            throws IOException {
        out.writeInt(net.sizes().length);
        for (int s : net.sizes()) {
            out.writeInt(s);
        }
        for (int l = 1; l <= net.layers(); l++) {
            out.writeByte(net.activation(l) == Activation.RELU ? 0 : 1);
        }
        out.writeByte(net.init() == Init.HE ? 0 : 1);
        if (cfg == null) {
            out.writeInt(0);
        } else {
            StringBuilder sb = new StringBuilder();
            cfg.toMap().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
            out.writeInt(text.length);
            out.write(text);
        }
        writeFloats(out, params);
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        ByteBuffer buf = ByteBuffer.allocate(a.length * 4).order(ByteOrder.BIG_ENDIAN);
        buf.asFloatBuffer().put(a);
        out.write(buf.array());
    }

    /**
     * Writes {@code bytes} to a hidden temporary file beside {@code path}, forces it to disk and renames it into place.
     * The temporary file is created private (rw-------); it is made an ordinary rw-r--r-- file before the rename where
     * the file system is POSIX, as the mnist module's IdxWriter does.
     */
    static void writeAtomically(Path path, byte[] bytes) throws IOException {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the ACL inherited from the directory already applies
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** Checks length, magic, version, declared length and checksum; returns whether it is a checkpoint. */
    private static boolean checkFrame(byte[] b, String name) throws ModelFormatException {
        if (b.length < HEADER + 4) {
            throw new ModelFormatException(name + ": not a scratchnet model file: " + b.length
                    + " bytes, expected at least " + (HEADER + 4));
        }
        boolean model = startsWith(b, MODEL_MAGIC);
        boolean checkpoint = startsWith(b, CHECKPOINT_MAGIC);
        if (!model && !checkpoint) {
            throw new ModelFormatException(name + ": not a scratchnet model file: expected magic \"SCRNTMDL\" or "
                    + "\"SCRNTCKP\", found " + printable(b));
        }
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        int version = h.getInt(8);
        if (version > FORMAT_VERSION) {
            throw new ModelFormatException(name + ": format version " + version + " is newer than this scratchnet "
                    + "reads (" + FORMAT_VERSION + "); use a newer scratchnet");
        }
        if (version < 1) {
            throw new ModelFormatException(name + ": invalid format version " + version + ", expected 1.."
                    + FORMAT_VERSION);
        }
        long bodyLength = h.getLong(12);
        long expected = HEADER + bodyLength + 4;
        if (bodyLength < 0 || expected != b.length) {
            throw new ModelFormatException(name + (bodyLength >= 0 && expected > b.length ? ": truncated file: " : ": corrupt file: ")
                    + "the header announces " + expected + " bytes, the file has " + b.length);
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        int stored = h.getInt(b.length - 4);
        if (stored != (int) crc.getValue()) {
            throw new ModelFormatException(name + String.format(": corrupt file: checksum mismatch (stored %08x, "
                    + "computed %08x)", stored, (int) crc.getValue()));
        }
        return checkpoint;
    }

    private static ByteBuffer body(byte[] b) {
        return ByteBuffer.wrap(b, HEADER, b.length - HEADER - 4).order(ByteOrder.BIG_ENDIAN).slice();
    }

    private static void expectEnd(ByteBuffer in, String name) throws ModelFormatException {
        if (in.hasRemaining()) {
            throw new ModelFormatException(name + ": corrupt file: " + in.remaining()
                    + " unexpected bytes after the last field");
        }
    }

    private static Model readModelBody(ByteBuffer in, String name) throws ModelFormatException {
        int count = in.getInt();
        if (count < 2 || count > MAX_SIZES) {
            throw new ModelFormatException(name + ": corrupt file: " + count + " layer sizes, expected 2.." + MAX_SIZES);
        }
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = in.getInt();
        }
        NetworkConfig probe;
        for (int l = 1; l < count; l++) {
            int a = in.get();
            int want = l == count - 1 ? 1 : 0;
            if (a != want) {
                throw new ModelFormatException(name + ": unsupported activation code " + a + " for layer " + l
                        + ", expected " + want + " (" + (want == 0 ? "ReLU" : "softmax") + ")");
            }
        }
        int init = in.get();
        if (init != 0 && init != 1) {
            throw new ModelFormatException(name + ": unknown init code " + init + ", expected 0 (He) or 1 (Xavier)");
        }
        try {
            probe = new NetworkConfig(sizes, init == 0 ? Init.HE : Init.XAVIER);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(name + ": corrupt file: " + e.getMessage());
        }
        int textLength = in.getInt();
        if (textLength < 0 || textLength > in.remaining()) {
            throw new ModelFormatException(name + ": corrupt file: training configuration of " + textLength
                    + " bytes, " + in.remaining() + " left");
        }
        TrainingConfig cfg = null;
        if (textLength > 0) {
            byte[] text = new byte[textLength];
            in.get(text);
            Map<String, String> map = new LinkedHashMap<>();
            for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw new ModelFormatException(name + ": corrupt training configuration line \"" + line
                            + "\", expected key=value");
                }
                map.put(line.substring(0, eq), line.substring(eq + 1));
            }
            try {
                cfg = TrainingConfig.fromMap(map);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(name + ": corrupt training configuration: " + e.getMessage());
            }
        }
        float[] params = readFloats(in, name, "parameters", probe.parameterCount());
        if (!Network.allFinite(params)) {
            throw new ModelFormatException(name + ": corrupt file: the weights contain NaN or infinity");
        }
        return new Model(Network.of(probe, params), cfg);
    }

    private static Checkpoint readCheckpointTail(ByteBuffer in, String name, Model m) throws ModelFormatException {
        if (m.trainingConfig() == null) {
            throw new ModelFormatException(name + ": corrupt checkpoint: no training configuration");
        }
        TrainingConfig cfg = m.trainingConfig();
        int params = m.network().config().parameterCount();
        int epochs = in.getInt();
        int trainSize = in.getInt();
        if (epochs < 0 || epochs > cfg.epochs() || trainSize < -1) {
            throw new ModelFormatException(name + ": corrupt checkpoint: " + epochs + " epochs completed of "
                    + cfg.epochs() + ", training set size " + trainSize);
        }
        long shuffle = in.getLong();
        long dropout = in.getLong();
        long step = in.getLong();
        int stateLength = cfg.optimizer() == Optimizer.SGD ? 0 : params;
        float[] first = readFloats(in, name, "optimiser velocity", stateLength);
        float[] second = readFloats(in, name, "Adam second moment", cfg.optimizer() == Optimizer.ADAM ? params : 0);
        int bestEpoch = in.getInt();
        double bestAccuracy = in.getDouble();
        int sinceBest = in.getInt();
        int bestLength = in.getInt();
        if (bestLength != 0 && bestLength != params) {
            throw new ModelFormatException(name + ": corrupt checkpoint: " + bestLength + " best weights, expected 0 or "
                    + params);
        }
        float[] best = readFloatData(in, name, "best weights", bestLength);
        int h = in.getInt();
        if (h != epochs) {
            throw new ModelFormatException(name + ": corrupt checkpoint: " + h + " history entries for " + epochs
                    + " completed epochs");
        }
        if ((long) h * HISTORY_ENTRY > in.remaining()) {
            throw new ModelFormatException(name + ": corrupt checkpoint: " + h + " history entries need "
                    + (long) h * HISTORY_ENTRY + " bytes, " + in.remaining() + " left");
        }
        List<EpochStats> history = new ArrayList<>(h);
        for (int i = 0; i < h; i++) {
            history.add(new EpochStats(in.getInt(), in.getDouble(), in.getDouble(), in.getDouble(), in.getDouble(),
                    in.getDouble(), in.getDouble(), in.getDouble()));
        }
        return new Checkpoint(m.network().config(), cfg, epochs, trainSize, m.network().parameters().clone(),
                new OptimizerState(first, second, step), shuffle, dropout, bestEpoch, bestAccuracy, sinceBest,
                bestLength == 0 ? null : best, history);
    }

    private static float[] readFloats(ByteBuffer in, String name, String what, int expected) throws ModelFormatException {
        int n = in.getInt();
        if (n != expected) {
            throw new ModelFormatException(name + ": corrupt file: " + n + " " + what + ", the network needs "
                    + expected);
        }
        return readFloatData(in, name, what, n);
    }

    private static float[] readFloatData(ByteBuffer in, String name, String what, int n) throws ModelFormatException {
        if ((long) n * 4 > in.remaining()) {
            throw new ModelFormatException(name + ": corrupt file: " + what + " need " + (long) n * 4 + " bytes, "
                    + in.remaining() + " left");
        }
        float[] a = new float[n];
        in.asFloatBuffer().get(a);
        in.position(in.position() + n * 4);
        return a;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < 8; i++) {
            int c = b[i] & 0xff;
            if (c >= 32 && c < 127 && c != '"' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append('"').toString();
    }
}
