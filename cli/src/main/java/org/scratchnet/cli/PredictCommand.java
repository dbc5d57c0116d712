package org.scratchnet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scratchnet.core.Network;
import org.scratchnet.core.Prediction;
import org.scratchnet.io.RegularFile;
import org.scratchnet.mnist.ImageImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scratchnet predict}: the digit in each picture (PNG, JPEG or PGM, turned into a 28×28 MNIST-style input by
 * the mnist module's {@link ImageImporter}), with the three most probable classes. {@code -} reads one picture from
 * standard input. A picture that cannot be read is reported on stderr ({@code scratchnet: <picture>: <why>}) and the
 * others are still predicted; the exit code is then 1.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict the digit in each image (PNG, JPEG or PGM): the digit and the top 3 with "
                + "probabilities.",
                "'-' reads one image from standard input. An unreadable image is reported on stderr and skipped; "
                        + "the exit code is then 1."})
final class PredictCommand implements Callable<Integer> {

    /** From dark to bright, for --show. */
    private static final String SHADES = " .:-=+*#%@";
    /** The IMAGE that means standard input. */
    static final String STDIN = "-";

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    KernelOptions kernelOptions;

    @Option(names = "--show", description = "Draw the 28x28 input the network sees as text.")
    boolean show;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Pictures of digits; - for standard input.")
    List<String> images;

    @Override
    public Integer call() throws IOException {
        kernelOptions.apply();
        if (images.stream().filter(STDIN::equals).count() > 1) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for IMAGE: standard input (-) can be read only once, found it "
                            + images.stream().filter(STDIN::equals).count() + " times");
        }
        Network net = modelOptions.load().network();
        if (net.config().inputs() != ImageImporter.SIZE * ImageImporter.SIZE) {
            throw new UserException("the model " + net.config().describe() + " expects " + net.config().inputs()
                    + " inputs, a picture gives " + ImageImporter.SIZE * ImageImporter.SIZE);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int k = Math.min(3, net.config().outputs());
        int unreadable = 0;
        for (String image : images) {
            String name = image.equals(STDIN) ? "stdin" : image;
            float[] x;
            try {
                x = read(image);
            } catch (IOException e) {
                String why = Main.describe(e);
                out.flush();
                err.println("scratchnet: " + (why.contains(name) ? why : name + ": " + why));
                err.flush();
                unreadable++;
                continue;
            }
            List<Prediction> top = net.topK(x, 0, k);
            if (!Double.isFinite(top.get(0).probability())) {
                throw new UserException(name + ": the model's outputs for it are " + top.get(0).probability()
                        + ", not probabilities (its weights overflow float arithmetic)");
            }
            StringBuilder sb = new StringBuilder();
            sb.append(name).append(": ").append(top.get(0).label()).append("   top ").append(k).append(':');
            for (Prediction p : top) {
                sb.append(String.format(Locale.ROOT, "  %d %.2f%%", p.label(), 100 * p.probability()));
            }
            out.println(sb);
            if (show) {
                out.print(draw(x, ImageImporter.SIZE));
            }
        }
        out.flush();
        return unreadable == 0 ? 0 : Main.EXIT_FAILURE;
    }

    /** The network input of one IMAGE argument: a file, or standard input for {@code -}. */
    private static float[] read(String image) throws IOException {
        if (image.equals(STDIN)) {
            return ImageImporter.toMnistInput(System.in, "stdin"); // at most the largest picture file, plus a byte
        }
        Path file = Path.of(image);
        String kind = RegularFile.kind(file);
        if (kind.equals("nothing")) { // only then: a FIFO or a link to nothing is there, and is named
            throw new UserIOException("image not found: " + image);
        }
        if (!kind.equals("a regular file")) {
            throw new UserIOException(image + ": expected a picture file, found " + kind);
        }
        if (!Files.isReadable(file)) {
            throw new UserIOException(image + ": expected a readable picture file, found one without read "
                    + "permission");
        }
        return ImageImporter.toMnistInput(file);
    }

    /** An IOException whose message is already the one line a user should read. */
    private static final class UserIOException extends IOException {
        private static final long serialVersionUID = 1L;

        UserIOException(String message) {
            super(message);
        }
    }

    /** The image as text, two characters per pixel so it keeps its proportions, in a frame. */
    static String draw(float[] x, int side) {
        StringBuilder sb = new StringBuilder();
        sb.append('+').append("-".repeat(2 * side)).append("+\n");
        for (int r = 0; r < side; r++) {
            sb.append('|');
            for (int c = 0; c < side; c++) {
                float v = Math.max(0f, Math.min(1f, x[r * side + c]));
                char ch = SHADES.charAt(Math.min(SHADES.length() - 1, (int) (v * SHADES.length())));
                sb.append(ch).append(ch);
            }
            sb.append("|\n");
        }
        sb.append('+').append("-".repeat(2 * side)).append("+\n");
        return sb.toString();
    }
}
