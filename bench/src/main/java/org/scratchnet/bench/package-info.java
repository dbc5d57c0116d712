/**
 * JMH benchmarks: the vector kernels against their scalar twins, the machine's FMA peak as the yardstick, training
 * steps and inference, and gemm against EJML's. Each benchmark checks that the implementations it compares agree
 * before it times anything. Built into {@code bench/target/benchmarks.jar}; BENCHMARKS.md gives the commands.
 */
package org.scratchnet.bench;
