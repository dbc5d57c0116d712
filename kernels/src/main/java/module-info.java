/**
 * SIMD kernels for dense neural networks on the JDK Vector API, each with a scalar twin: see
 * {@link org.scratchnet.kernels.Kernels}.
 *
 * <p>On the module path this module brings {@code jdk.incubator.vector} into the module graph itself, so no
 * {@code --add-modules} flag is needed; the JVM prints its one-line incubator warning. On the class path the module
 * declaration is ignored: run java with {@code --add-modules jdk.incubator.vector} for the vector kernels, otherwise the
 * scalar twins run after one logged warning.
 */
module org.scratchnet.kernels {
    requires jdk.incubator.vector;

    exports org.scratchnet.kernels;
}
