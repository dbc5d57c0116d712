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
import org.scratchnet.mnist.ImageImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scratchnet predict}: the digit in each picture (PNG, JPEG or PGM, turned into a 28×28 MNIST-style input by
 * the mnist module's {@link ImageImporter}), with the three most probable classes.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predict the digit in each image (PNG, JPEG or PGM): the digit and the top 3 with probabilities.")
final class PredictCommand implements Callable<Integer> {

    /** From dark to bright, for --show. */
    private static final String SHADES = " .:-=+*#%@";

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    KernelOptions kernelOptions;

    @Option(names = "--show", description = "Draw the 28x28 input the network sees as text.")
    boolean show;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Pictures of digits.")
    List<Path> images;

    @Override
    public Integer call() throws IOException {
        kernelOptions.apply();
        for (Path image : images) {
            if (!Files.isRegularFile(image)) {
                throw new UserException("image not found: " + image);
            }
        }
        Network net = modelOptions.load().network();
        if (net.config().inputs() != ImageImporter.SIZE * ImageImporter.SIZE) {
            throw new UserException("the model " + net.config().describe() + " expects " + net.config().inputs()
                    + " inputs, a picture gives " + ImageImporter.SIZE * ImageImporter.SIZE);
        }
        PrintWriter out = spec.commandLine().getOut();
        int k = Math.min(3, net.config().outputs());
        for (Path image : images) {
            float[] x;
            try {
                x = ImageImporter.toMnistInput(image);
            } catch (IOException e) {
                String why = Main.describe(e);
                throw new UserException(why.contains(image.toString()) ? why : image + ": " + why, e);
            }
            List<Prediction> top = net.topK(x, 0, k);
            StringBuilder sb = new StringBuilder();
            sb.append(image).append(": ").append(top.get(0).label()).append("   top ").append(k).append(':');
            for (Prediction p : top) {
                sb.append(String.format(Locale.ROOT, "  %d %.2f%%", p.label(), 100 * p.probability()));
            }
            out.println(sb);
            if (show) {
                out.print(draw(x, ImageImporter.SIZE));
            }
        }
        out.flush();
        return 0;
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
