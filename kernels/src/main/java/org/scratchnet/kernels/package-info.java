/**
 * SIMD kernels for dense neural networks on the JDK Vector API: matrix multiply, bias, ReLU, softmax and
 * cross-entropy, argmax, element-wise operations and optimiser updates, over flat row-major {@code float[]} arrays
 * with offsets and leading dimensions, in BLAS argument order.
 *
 * <p>{@link org.scratchnet.kernels.Kernels} is the entry point: it checks the arguments and runs the Vector API
 * implementation or its scalar twin, chosen once per JVM. {@link org.scratchnet.kernels.Transpose} says how a gemm
 * operand is used, {@link org.scratchnet.kernels.Backend} which implementation runs,
 * {@link org.scratchnet.kernels.Parallel} is the kernels' thread pool and {@link org.scratchnet.kernels.FmaPeak} the
 * machine's measured FMA peak. The class comment of {@code Kernels} says which JVM flag the vector kernels need, what
 * happens without it, and the thread-safety rules. {@link org.scratchnet.kernels.KernelImplementation} is internal, not
 * API: the interface of the two implementations, which the project's benchmarks call without the facade's checks.
 */
package org.scratchnet.kernels;
