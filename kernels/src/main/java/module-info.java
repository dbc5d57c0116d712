/**
 * SIMD kernels for dense neural networks on the JDK Vector API, each with a scalar twin: see
 * {@link org.scratchnet.kernels.Kernels}.
 *
 * <p>On the module path this module brings {@code jdk.incubator.vector} into the module graph itself, so no
 * {@code --add-modules} flag is needed; the JVM prints its one-line incubator warning. On the class path the module
 * declaration is ignored: run java with {@code --add-modules jdk.incubator.vector} for the vector kernels, otherwise
 * the scalar twins run after one logged warning.
 *
 * <p>It also exports {@link org.scratchnet.io}, the atomic file writer and regular-file opener that the other
 * scratchnet modules share; it needs nothing but {@code java.base}.
 */
module org.scratchnet.kernels {
    requires jdk.incubator.vector;

    exports org.scratchnet.kernels;
    // the one atomic file writer and regular-file opener that core, mnist and cli share: this is the module they all
    // depend on (docs/decisions/0020-one-file-writer-in-kernels.md)
    exports org.scratchnet.io;
}
