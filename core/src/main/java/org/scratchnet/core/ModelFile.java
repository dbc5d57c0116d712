package org.scratchnet.core;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.scratchnet.io.AtomicFile;
import org.scratchnet.io.RegularFile;

/**
 * The scratchnet model and checkpoint file format. All numbers big-endian.
 * <pre>
 * offset   size   field
 * 0        8      magic: ASCII "SCRNTMDL" (model) or "SCRNTCKP" (checkpoint)
 * 8        4      format version, int32: models 1, checkpoints 1 or 2
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
 *                  ({@link TrainingConfig#toMap}); T = 0 when the model carries none; T ≤ 1 MiB
 *   int32 P, then P × float32: the parameters, layer by layer, W (n_in × n_out row-major) then b
 * checkpoint only, after that:
 *   int32 epochs completed; int32 training-set size (−1 unknown)
 *   int64 shuffle generator state; int64 dropout generator state
 *   int64 optimiser step; int32 n, n × float32 velocity or Adam m; int32 n, n × float32 Adam v
 *   int32 best epoch; float64 best validation accuracy; int32 epochs since best
 *   int32 n, n × float32 best weights (n = 0: none)
 *   int32 H, then H × (int32 epoch, 7 × float64: train loss, train accuracy, test accuracy, validation accuracy,
 *                      learning rate, seconds, images per second)
 * checkpoint version 2 only, after that:
 *   int32 L, then L bytes of UTF-8: what the run was trained on ({@link Checkpoint#trainingData()}); L ≤ 4096
 * </pre>
 * Checkpoint version 2 added the last field; models did not change and are still written as version 1, so that
 * older scratchnet versions read them.
 *
 * <p>Writing streams the body in chunks through {@link AtomicFile} (a temporary file, forced to disk, renamed into
 * place, the directory forced), so a crash never leaves a half-written model under the real name, and a network of
 * any size the configuration accepts ({@link NetworkConfig#MAX_PARAMETERS}) can be saved: no buffer of the whole file
 * is built. Reading opens regular files only (a FIFO or a device is refused), reads the 20-byte header first and
 * checks, in order: magic, version, declared length against the file's length, then whether the network fits the
 * JVM's heap, then the checksum (a pass over the file), then every field while the floats are read in chunks (sizes,
 * activations, parameter count, finite parameters, configuration values; for checkpoints the optimiser state: finite,
 * Adam's second moment not negative, counters in range). Any failure is a {@link ModelFormatException} with one line
 * naming the file and the problem; text from the file is shown with control characters escaped.
 */
public final class ModelFile {

    /** The version of model files, written and the newest read. */
    public static final int FORMAT_VERSION = 1;
    /** The version of checkpoint files, written and the newest read (2 adds the training-data record). */
    public static final int CHECKPOINT_VERSION = 2;

    static final byte[] MODEL_MAGIC = "SCRNTMDL".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CHECKPOINT_MAGIC = "SCRNTCKP".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER = 20;
    private static final int MAX_SIZES = 4096;
    private static final int MAX_CONFIG_TEXT = 1 << 20;
    private static final int MAX_TRAINING_DATA_TEXT = 4096;
    private static final int HISTORY_ENTRY = 4 + 7 * 8;
    /**
     * Floats per chunk when reading or writing parameter arrays, 256 KiB
     * (docs/decisions/0023-bounded-reads-and-transfers.md).
     */
    static final int CHUNK_FLOATS = 1 << 16;

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
        Body body = modelBody(network.config(), cfg, network.parameters());
        AtomicFile.write(path, out -> writeFrame(out, MODEL_MAGIC, FORMAT_VERSION, body));
    }

    /**
     * Loads a model file, or the current network of a checkpoint file.
     *
     * @throws ModelFormatException if the file is not a valid scratchnet model or checkpoint
     * @throws IOException          if it cannot be read (missing: {@link java.nio.file.NoSuchFileException})
     */
    public static Model load(Path path) throws IOException {
        try (FileChannel ch = open(path)) {
            return (Model) parse(new ChannelBytes(ch), path.toString(), false);
        }
    }

    /** The bytes of a model file for {@code network} and {@code cfg} (which may be null). */
    public static byte[] toBytes(Network network, TrainingConfig cfg) {
        return inMemory(MODEL_MAGIC, FORMAT_VERSION, modelBody(network.config(), cfg, network.parameters()));
    }

    /**
     * Parses the bytes of a model (or checkpoint) file; {@code name} is used in error messages.
     *
     * @throws ModelFormatException if they are not a valid scratchnet model or checkpoint
     */
    public static Model fromBytes(byte[] bytes, String name) throws ModelFormatException {
        return (Model) parseBytes(bytes, name, false);
    }

    // ------------------------------------------------------------------------------------------------ checkpoints

    /** Saves a checkpoint atomically. */
    public static void saveCheckpoint(Path path, Checkpoint checkpoint) throws IOException {
        Body body = checkpointBody(checkpoint);
        AtomicFile.write(path, out -> writeFrame(out, CHECKPOINT_MAGIC, CHECKPOINT_VERSION, body));
    }

    /**
     * Loads a checkpoint file.
     *
     * @throws ModelFormatException if it is not a valid scratchnet checkpoint (a model file is rejected: it has no
     *                              optimiser or generator state to resume from)
     */
    public static Checkpoint loadCheckpoint(Path path) throws IOException {
        try (FileChannel ch = open(path)) {
            return (Checkpoint) parse(new ChannelBytes(ch), path.toString(), true);
        }
    }

    /** The bytes of a checkpoint file. */
    public static byte[] toBytes(Checkpoint cp) {
        return inMemory(CHECKPOINT_MAGIC, CHECKPOINT_VERSION, checkpointBody(cp));
    }

    /** Parses the bytes of a checkpoint file; {@code name} is used in error messages. */
    public static Checkpoint checkpointFromBytes(byte[] bytes, String name) throws ModelFormatException {
        return (Checkpoint) parseBytes(bytes, name, true);
    }

    /**
     * The length in bytes of the model file of a network of this shape with a configuration text of
     * {@code configTextBytes} bytes: what {@link #save} writes, computed without the network. A long, so that any
     * network {@link NetworkConfig} accepts has its size.
     */
    public static long modelFileSize(NetworkConfig net, int configTextBytes) {
        int s = net.sizes().length;
        return HEADER + 4L + 4L * s + (s - 1) + 1 + 4 + configTextBytes + 4 + 4L * net.parameterCount() + 4;
    }

    // ------------------------------------------------------------------------------------------------ writing

    /**
     * A body in pieces: runs of bytes (the small fields) and float arrays (written in chunks of
     * {@link #CHUNK_FLOATS}), so that its length is known before anything is written and no piece is copied whole.
     */
    private static final class Body {
        private final List<Object> parts = new ArrayList<>();
        private ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private DataOutputStream out = new DataOutputStream(pending);

        DataOutputStream fields() {
            return out;
        }

        /** The count as int32, then the floats. */
        void floats(float[] a) {
            try {
                out.writeInt(a.length);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("writing to memory cannot fail", e);
            }
            parts.add(pending.toByteArray());
            parts.add(a);
            pending = new ByteArrayOutputStream();
            out = new DataOutputStream(pending);
        }

        private List<Object> all() {
            List<Object> all = new ArrayList<>(parts);
            all.add(pending.toByteArray());
            return all;
        }

        long length() {
            long n = 0;
            for (Object p : all()) {
                n += p instanceof byte[] b ? b.length : 4L * ((float[]) p).length;
            }
            return n;
        }

        void writeTo(OutputStream sink) throws IOException {
            ByteBuffer chunk = null;
            for (Object p : all()) {
                if (p instanceof byte[] b) {
                    sink.write(b);
                    continue;
                }
                float[] a = (float[]) p;
                if (chunk == null) {
                    chunk = ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.BIG_ENDIAN);
                }
                for (int off = 0; off < a.length; off += CHUNK_FLOATS) {
                    int n = Math.min(CHUNK_FLOATS, a.length - off);
                    chunk.clear();
                    chunk.asFloatBuffer().put(a, off, n);
                    sink.write(chunk.array(), 0, 4 * n);
                }
            }
        }
    }

    /** Header, body, and the CRC32C of both. */
    private static void writeFrame(OutputStream sink, byte[] magic, int version, Body body) throws IOException {
        CRC32C crc = new CRC32C();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(sink, crc));
        out.write(magic);
        out.writeInt(version);
        out.writeLong(body.length());
        body.writeTo(out);
        out.flush();
        new DataOutputStream(sink).writeInt((int) crc.getValue());
        sink.flush();
    }

    private static byte[] inMemory(byte[] magic, int version, Body body) {
        long total = HEADER + body.length() + 4;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a file of " + total + " bytes does not fit in a byte array; save it to "
                    + "a file instead");
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream((int) total);
        try {
            writeFrame(all, magic, version, body);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return all.toByteArray();
    }

    private static Body modelBody(NetworkConfig net, TrainingConfig cfg, float[] params) {
        Body body = new Body();
        try {
            writeModelFields(body.fields(), net, cfg);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        body.floats(params);
        return body;
    }

    private static void writeModelFields(DataOutputStream out, NetworkConfig net, TrainingConfig cfg)
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
    }

    private static Body checkpointBody(Checkpoint cp) {
        Body body = new Body();
        try {
            writeModelFields(body.fields(), cp.networkConfig, cp.trainingConfig);
            body.floats(cp.parameters);
            DataOutputStream out = body.fields();
            out.writeInt(cp.epochsCompleted);
            out.writeInt(cp.trainSize);
            out.writeLong(cp.shuffleState);
            out.writeLong(cp.dropoutState);
            out.writeLong(cp.optimizer.step);
            body.floats(cp.optimizer.first);
            body.floats(cp.optimizer.second);
            out = body.fields();
            out.writeInt(cp.bestEpoch);
            out.writeDouble(cp.bestAccuracy);
            out.writeInt(cp.epochsSinceBest);
            body.floats(cp.bestParameters == null ? new float[0] : cp.bestParameters);
            out = body.fields();
            out.writeInt(cp.history.size());
            for (EpochStats s : cp.history) {
                out.writeInt(s.epoch());
                out.writeDouble(s.trainLoss());
                out.writeDouble(s.trainAccuracy());
                out.writeDouble(s.testAccuracy());
                out.writeDouble(s.validationAccuracy());
                out.writeDouble(s.learningRate());
                out.writeDouble(s.seconds());
                out.writeDouble(s.imagesPerSecond());
            }
            byte[] data = cp.trainingData().getBytes(StandardCharsets.UTF_8);
            out.writeInt(data.length);
            out.write(data);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return body;
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** Random access to a file's bytes: a file channel, or an array. */
    private interface Bytes {
        long size() throws IOException;

        /** Reads into {@code dst} from {@code position} until it is full or the end is reached. */
        void read(ByteBuffer dst, long position) throws IOException;
    }

    private record ChannelBytes(FileChannel channel) implements Bytes {
        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void read(ByteBuffer dst, long position) throws IOException {
            long p = position;
            while (dst.hasRemaining()) {
                int n = channel.read(dst, p);
                if (n < 0) {
                    return;
                }
                p += n;
            }
        }
    }

    private record ArrayBytes(byte[] bytes) implements Bytes {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public void read(ByteBuffer dst, long position) {
            int n = (int) Math.min(dst.remaining(), Math.max(0, bytes.length - position));
            dst.put(bytes, (int) position, n);
        }
    }

    private static FileChannel open(Path path) throws IOException {
        try {
            RegularFile.requireRegular(path, "a model file");
        } catch (RegularFile.NotRegularFileException e) {
            throw new ModelFormatException(e.getMessage());
        }
        return RegularFile.open(path);
    }

    private static Object parseBytes(byte[] bytes, String name, boolean checkpointWanted)
            throws ModelFormatException {
        try {
            return parse(new ArrayBytes(bytes), name, checkpointWanted);
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
    }

    /**
     * Checks the frame, then parses the body: a {@link Model}, or a {@link Checkpoint} when
     * {@code checkpointWanted}.
     */
    private static Object parse(Bytes b, String name, boolean checkpointWanted) throws IOException {
        long size = b.size();
        if (size < HEADER + 4) {
            throw new ModelFormatException(name + ": not a scratchnet model file: " + size
                    + " bytes, expected at least " + (HEADER + 4));
        }
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.BIG_ENDIAN);
        b.read(h, 0);
        byte[] head = h.array();
        boolean model = startsWith(head, MODEL_MAGIC);
        boolean checkpoint = startsWith(head, CHECKPOINT_MAGIC);
        if (!model && !checkpoint) {
            throw new ModelFormatException(name + ": not a scratchnet model file: expected magic \"SCRNTMDL\" or "
                    + "\"SCRNTCKP\", found " + printable(head));
        }
        int version = h.getInt(8);
        int newest = checkpoint ? CHECKPOINT_VERSION : FORMAT_VERSION;
        if (version > newest) {
            throw new ModelFormatException(name + ": format version " + version + " is newer than this scratchnet "
                    + "reads (" + newest + "); use a newer scratchnet");
        }
        if (version < 1) {
            throw new ModelFormatException(name + ": invalid format version " + version + ", expected 1.." + newest);
        }
        long bodyLength = h.getLong(12);
        long expected = HEADER + bodyLength + 4;
        if (bodyLength < 0 || expected != size) {
            throw new ModelFormatException(name + (bodyLength >= 0 && expected > size ? ": truncated file: "
                    : ": corrupt file: ") + "the header announces " + expected + " bytes, the file has " + size);
        }
        if (checkpointWanted && !checkpoint) {
            checkChecksum(b, size, name);
            throw new ModelFormatException(name + ": is a model file, expected a checkpoint (models carry no "
                    + "optimiser or generator state to resume from)");
        }
        checkFitsInMemory(b, bodyLength, name);
        checkChecksum(b, size, name);
        BodyReader r = new BodyReader(b, bodyLength, name);
        try {
            Model m = readModelBody(r, name);
            Object result = m;
            if (checkpoint) {
                Checkpoint cp = readCheckpointTail(r, name, m, version);
                result = checkpointWanted ? cp : m;
            }
            if (r.remaining() > 0) {
                throw new ModelFormatException(name + ": corrupt file: " + r.remaining()
                        + " unexpected bytes after the last field");
            }
            return result;
        } catch (EOFException e) {
            throw new ModelFormatException(name + ": corrupt file, a field runs past the end of the body");
        }
    }

    private static void checkChecksum(Bytes b, long size, String name) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(size, 1 << 20));
        for (long pos = 0; pos < size - 4;) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), size - 4 - pos));
            b.read(buf, pos);
            buf.flip();
            if (!buf.hasRemaining()) {
                throw new ModelFormatException(name + ": truncated file: it became shorter while being read");
            }
            pos += buf.remaining();
            crc.update(buf);
        }
        ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN);
        b.read(tail, size - 4);
        int stored = tail.getInt(0);
        if (stored != (int) crc.getValue()) {
            throw new ModelFormatException(name + String.format(": corrupt file: checksum mismatch (stored %08x, "
                    + "computed %08x)", stored, (int) crc.getValue()));
        }
    }

    /**
     * Before the pass over the file: whether the network its header and sizes declare could be held at all. Only
     * when the file is long enough to hold those parameters (a shorter one is corrupt, which the checksum or the
     * field checks then say) and they need more than the JVM's maximum heap.
     */
    private static void checkFitsInMemory(Bytes b, long bodyLength, String name)
            throws IOException {
        ByteBuffer start = ByteBuffer.allocate((int) Math.min(bodyLength, 4 + 4L * MAX_SIZES))
                .order(ByteOrder.BIG_ENDIAN);
        b.read(start, HEADER);
        if (start.capacity() < 4) {
            return;
        }
        int count = start.getInt(0);
        if (count < 2 || count > MAX_SIZES || 4 + 4L * count > start.capacity()) {
            return; // the field checks will say what is wrong
        }
        long params = 0;
        for (int i = 1; i < count; i++) {
            long in = start.getInt(4 * i);
            long out = start.getInt(4 * (i + 1));
            if (in < 1 || out < 1) {
                return;
            }
            params += in * out + out;
        }
        long bytes = 4 * params;
        long max = maxHeap;
        if (bytes <= bodyLength && bytes > max) {
            throw new ModelFormatException(String.format(Locale.ROOT, "%s: the network has %,d parameters, %.1f GiB "
                    + "of floats, more than this JVM's heap of at most %.1f GiB (give it more, e.g. "
                    + "JAVA_OPTS=-Xmx%dg)", name, params, bytes / GIB, max / GIB,
                    (long) Math.ceil(2 * bytes / GIB) + 1));
        }
    }

    private static final double GIB = 1024.0 * 1024 * 1024;

    /** The heap limit {@link #checkFitsInMemory} compares with; tests lower it to exercise the refusal. */
    static long maxHeap = Runtime.getRuntime().maxMemory();

    /** The body, read in order with its remaining length tracked; running past the end is an {@link EOFException}. */
    private static final class BodyReader {
        private final DataInputStream in;
        private final String name;
        private long remaining;

        BodyReader(Bytes b, long length, String name) {
            this.in = new DataInputStream(new BytesInputStream(b, HEADER, HEADER + length));
            this.remaining = length;
            this.name = name;
        }

        long remaining() {
            return remaining;
        }

        private void take(long n) throws EOFException {
            if (n > remaining) {
                throw new EOFException();
            }
            remaining -= n;
        }

        int getInt() throws IOException {
            take(4);
            return in.readInt();
        }

        long getLong() throws IOException {
            take(8);
            return in.readLong();
        }

        double getDouble() throws IOException {
            take(8);
            return in.readDouble();
        }

        byte get() throws IOException {
            take(1);
            return in.readByte();
        }

        byte[] bytes(int n) throws IOException {
            take(n);
            byte[] b = new byte[n];
            in.readFully(b);
            return b;
        }

        /** {@code n} floats, after checking that the body holds them. */
        float[] floats(int n, String what) throws IOException {
            if ((long) n * 4 > remaining) {
                throw new ModelFormatException(name + ": corrupt file: " + what + " need " + (long) n * 4
                        + " bytes, " + remaining + " left");
            }
            take(4L * n);
            float[] a = new float[n];
            byte[] chunk = new byte[4 * Math.min(n, CHUNK_FLOATS)];
            ByteBuffer view = ByteBuffer.wrap(chunk).order(ByteOrder.BIG_ENDIAN);
            for (int off = 0; off < n; off += CHUNK_FLOATS) {
                int k = Math.min(CHUNK_FLOATS, n - off);
                in.readFully(chunk, 0, 4 * k);
                view.clear();
                view.asFloatBuffer().get(a, off, k);
            }
            return a;
        }
    }

    /** An input stream over {@code [from, to)} of a {@link Bytes}, buffered. */
    private static final class BytesInputStream extends InputStream {
        private final Bytes bytes;
        private final long end;
        private long position;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);

        BytesInputStream(Bytes bytes, long from, long to) {
            this.bytes = bytes;
            this.position = from;
            this.end = to;
            buf.limit(0);
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return buf.get() & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            return n;
        }

        private boolean fill() throws IOException {
            if (buf.hasRemaining()) {
                return true;
            }
            if (position >= end) {
                return false;
            }
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), end - position));
            bytes.read(buf, position);
            buf.flip();
            position += buf.remaining();
            return buf.hasRemaining();
        }
    }

    private static Model readModelBody(BodyReader in, String name) throws IOException {
        int count = in.getInt();
        if (count < 2 || count > MAX_SIZES) {
            throw new ModelFormatException(
                    name + ": corrupt file: " + count + " layer sizes, expected 2.." + MAX_SIZES);
        }
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = in.getInt();
        }
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
        NetworkConfig probe;
        try {
            probe = new NetworkConfig(sizes, init == 0 ? Init.HE : Init.XAVIER);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(name + ": corrupt file: " + e.getMessage());
        }
        int textLength = in.getInt();
        if (textLength < 0 || textLength > in.remaining() || textLength > MAX_CONFIG_TEXT) {
            throw new ModelFormatException(name + ": corrupt file: training configuration of " + textLength
                    + " bytes, " + in.remaining() + " left");
        }
        TrainingConfig cfg = null;
        if (textLength > 0) {
            byte[] text = in.bytes(textLength);
            Map<String, String> map = new LinkedHashMap<>();
            for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw new ModelFormatException(name + ": corrupt training configuration line \""
                            + printable(line) + "\", expected key=value");
                }
                map.put(line.substring(0, eq), line.substring(eq + 1));
            }
            try {
                cfg = TrainingConfig.fromMap(map);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(name + ": corrupt training configuration: " + printable(e.getMessage()));
            }
        }
        float[] params = readFloats(in, name, "parameters", probe.parameterCount());
        if (!Network.allFinite(params)) {
            throw new ModelFormatException(name + ": corrupt file: the weights contain NaN or infinity");
        }
        return new Model(Network.of(probe, params), cfg);
    }

    private static Checkpoint readCheckpointTail(BodyReader in, String name, Model m, int version)
            throws IOException {
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
        if (step < 0) {
            throw new ModelFormatException(name + ": corrupt checkpoint: optimiser step " + step + ", expected >= 0");
        }
        int arrays = cfg.optimizer().stateArrays();
        String firstName = arrays == 2 ? "Adam first moment" : "optimiser velocity";
        float[] first = readFloats(in, name, "optimiser velocity", arrays >= 1 ? params : 0);
        float[] second = readFloats(in, name, "Adam second moment", arrays >= 2 ? params : 0);
        if (!Network.allFinite(first)) {
            throw new ModelFormatException(name + ": corrupt checkpoint: the " + firstName
                    + " contains NaN or infinity");
        }
        for (int i = 0; i < second.length; i++) {
            if (!(second[i] >= 0) || second[i] == Float.POSITIVE_INFINITY) {
                throw new ModelFormatException(name + ": corrupt checkpoint: the Adam second moment holds " + second[i]
                        + " at " + i + ", expected finite values >= 0");
            }
        }
        int bestEpoch = in.getInt();
        double bestAccuracy = in.getDouble();
        int sinceBest = in.getInt();
        if (bestEpoch < 0 || bestEpoch > epochs || sinceBest < 0 || sinceBest > epochs
                || !(bestAccuracy == Double.NEGATIVE_INFINITY || bestAccuracy >= 0 && bestAccuracy <= 1)) {
            throw new ModelFormatException(name + ": corrupt checkpoint: best epoch " + bestEpoch + " with accuracy "
                    + bestAccuracy + ", " + sinceBest + " epochs since, of " + epochs + " completed");
        }
        int bestLength = in.getInt();
        if (bestLength != 0 && bestLength != params) {
            throw new ModelFormatException(
                    name + ": corrupt checkpoint: " + bestLength + " best weights, expected 0 or "
                            + params);
        }
        float[] best = in.floats(bestLength, "best weights");
        if (!Network.allFinite(best)) {
            throw new ModelFormatException(name + ": corrupt checkpoint: the best weights contain NaN or infinity");
        }
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
        String trainingData = "";
        if (version >= 2) {
            int length = in.getInt();
            if (length < 0 || length > MAX_TRAINING_DATA_TEXT || length > in.remaining()) {
                throw new ModelFormatException(name + ": corrupt checkpoint: a training-data record of " + length
                        + " bytes, " + in.remaining() + " left");
            }
            trainingData = new String(in.bytes(length), StandardCharsets.UTF_8);
        }
        return new Checkpoint(m.network().config(), cfg, epochs, trainSize, m.network().parameters().clone(),
                new OptimizerState(first, second, step), shuffle, dropout, bestEpoch, bestAccuracy, sinceBest,
                bestLength == 0 ? null : best, history, trainingData);
    }

    private static float[] readFloats(BodyReader in, String name, String what, int expected) throws IOException {
        int n = in.getInt();
        if (n != expected) {
            throw new ModelFormatException(name + ": corrupt file: " + n + " " + what + ", the network needs "
                    + expected);
        }
        return in.floats(n, what);
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

    /**
     * Text from a file made safe to print on a terminal: control characters (an escape sequence could rewrite the
     * screen) and other invisible formatting characters become {@code \xNN} or {@code \\uNNNN}; at most 200 characters.
     */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 200; i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            if (c < 0x20 || c == 0x7f || type == Character.CONTROL || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.SURROGATE || type == Character.UNASSIGNED) {
                sb.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.length() >= 200 && s.length() > 200 ? sb + "..." : sb.toString();
    }
}
