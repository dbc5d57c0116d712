package org.scratchnet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scratchnet.kernels.Kernels;

/**
 * Finite-difference checks: the float gradients of the layers, the loss and whole networks against central differences
 * of a double-precision reference, (f(p + h) − f(p − h)) / 2h with h = 1e-6.
 */
class GradientCheckTest {

    private static final double H = 1e-6;

    private static void assertClose(double numeric, double analytic, String what) {
        double tol = 1e-4 + 2e-3 * Math.abs(numeric);
        assertEquals(numeric, analytic, tol, what);
    }

    private static float[] randomFloats(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (scale * r.nextGaussian());
        }
        return a;
    }

    // ------------------------------------------------------------------------------------------------ the loss

    /** Mean cross-entropy of softmax(Z) in double. */
    private static double ceLoss(double[] z, int m, int n, int[] y) {
        double total = 0;
        for (int i = 0; i < m; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, z[i * n + j]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(z[i * n + j] - max);
            }
            total += -(z[i * n + y[i]] - max - Math.log(sum));
        }
        return total / m;
    }

    @Test
    void softmaxCrossEntropyGradient() {
        Random r = new Random(11);
        int m = 6;
        int n = 5;
        float[] z = randomFloats(r, m * n, 2);
        int[] y = new int[m];
        for (int i = 0; i < m; i++) {
            y[i] = r.nextInt(n);
        }
        float[] g = new float[m * n];
        double sum = Kernels.softmaxCrossEntropy(m, n, z, 0, n, y, 0, 1f / m, g, 0, n);
        double[] zd = new double[m * n];
        for (int i = 0; i < zd.length; i++) {
            zd[i] = z[i];
        }
        assertEquals(ceLoss(zd, m, n, y), sum / m, 1e-5, "loss value");
        for (int i = 0; i < zd.length; i++) {
            double keep = zd[i];
            zd[i] = keep + H;
            double up = ceLoss(zd, m, n, y);
            zd[i] = keep - H;
            double down = ceLoss(zd, m, n, y);
            zd[i] = keep;
            assertClose((up - down) / (2 * H), g[i], "dL/dz[" + i + "]");
        }
    }

    // ------------------------------------------------------------------------------------------------ one dense layer

    /** f = Σ R ⊙ act(X·W + b) in double, act = ReLU or identity. */
    private static double denseProbe(double[] x, double[] w, double[] b, double[] rr, int m, int nIn, int nOut,
                                     boolean relu) {
        double f = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < nOut; j++) {
                double z = b[j];
                for (int k = 0; k < nIn; k++) {
                    z += x[i * nIn + k] * w[k * nOut + j];
                }
                f += rr[i * nOut + j] * (relu ? Math.max(0, z) : z);
            }
        }
        return f;
    }

    private static double[] toDouble(float[] a, int off, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[off + i];
        }
        return d;
    }

    @Test
    void denseLayerGradientsForWeightsBiasAndInput() {
        for (boolean relu : new boolean[] {false, true}) {
            Random r = new Random(relu ? 5 : 4);
            int m = 4;
            int nIn = 6;
            int nOut = 5;
            float[] x = randomFloats(r, m * nIn, 1);
            float[] params = randomFloats(r, nIn * nOut + nOut, 0.5);
            float[] dOut = randomFloats(r, m * nOut, 1);
            int bOff = nIn * nOut;
            float[] out = new float[m * nOut];
            Dense.forward(0, m, nIn, nOut, x, params, 0, bOff, out, relu);
            float[] dz = dOut.clone();
            if (relu) {
                Kernels.reluBackward(m * nOut, out, 0, dz, 0, dz, 0);
            }
            float[] grads = new float[params.length];
            float[] dx = new float[m * nIn];
            Dense.weightGradient(m, 0, nIn, nIn, nOut, x, dz, grads, 0);
            Dense.biasGradient(m, nOut, dz, grads, bOff);
            float[] wt = new float[nIn * nOut];
            for (int i = 0; i < nIn; i++) {
                for (int j = 0; j < nOut; j++) {
                    wt[j * nIn + i] = params[i * nOut + j];
                }
            }
            Dense.inputGradient(0, m, nIn, nOut, dz, wt, dx);

            double[] xd = toDouble(x, 0, x.length);
            double[] wd = toDouble(params, 0, bOff);
            double[] bd = toDouble(params, bOff, nOut);
            double[] rd = toDouble(dOut, 0, dOut.length);
            for (double[] v : new double[][] {wd, bd, xd}) {
                for (int i = 0; i < v.length; i++) {
                    double keep = v[i];
                    v[i] = keep + H;
                    double up = denseProbe(xd, wd, bd, rd, m, nIn, nOut, relu);
                    v[i] = keep - H;
                    double down = denseProbe(xd, wd, bd, rd, m, nIn, nOut, relu);
                    v[i] = keep;
                    double numeric = (up - down) / (2 * H);
                    double analytic = v == wd ? grads[i] : v == bd ? grads[bOff + i] : dx[i];
                    String name = v == wd ? "dW" : v == bd ? "db" : "dX";
                    assertClose(numeric, analytic, (relu ? "relu " : "linear ") + name + "[" + i + "]");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ whole network

    /** Mean loss of the network with parameters p on x, y in double; masks (may be null) multiply hidden outputs. */
    private static double networkLoss(Network shape, double[] p, float[] x, int[] y, int m, float[][] masks) {
        NetworkConfig cfg = shape.config();
        double[] a = toDouble(x, 0, m * cfg.inputs());
        for (int l = 1; l <= cfg.layers(); l++) {
            int nIn = cfg.size(l - 1);
            int nOut = cfg.size(l);
            int w = shape.weightOffset(l);
            int b = shape.biasOffset(l);
            double[] z = new double[m * nOut];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < nOut; j++) {
                    double s = p[b + j];
                    for (int k = 0; k < nIn; k++) {
                        s += a[i * nIn + k] * p[w + k * nOut + j];
                    }
                    if (l < cfg.layers()) {
                        s = Math.max(0, s);
                        if (masks != null) {
                            s *= masks[l][i * nOut + j];
                        }
                    }
                    z[i * nOut + j] = s;
                }
            }
            a = z;
        }
        return ceLoss(a, m, cfg.outputs(), y);
    }

    private static void checkNetwork(int[] sizes, double dropout, long seed) {
        NetworkConfig cfg = new NetworkConfig(sizes, Init.HE);
        Network net = Network.create(cfg, seed);
        Random r = new Random(seed);
        int m = 5;
        float[] x = randomFloats(r, m * cfg.inputs(), 1);
        int[] y = new int[m];
        for (int i = 0; i < m; i++) {
            y[i] = r.nextInt(cfg.outputs());
        }
        TrainingStep step = new TrainingStep(net, m, dropout > 0);
        Workspace ws = step.ws;
        float keep = (float) (1 - dropout);
        double loss = step.forwardBackward(new ArrayBatchSource(x, y, cfg.inputs(), cfg.outputs()),
                Network.identity(m), 0, m, seed, keep);
        step.update(null, 0f);
        float[][] masks = dropout > 0 ? ws.mask : null;
        double[] p = toDouble(net.parameters(), 0, net.parameters().length);
        assertEquals(networkLoss(net, p, x, y, m, masks), loss / m, 1e-4, "loss of the forward pass");
        int checked = 0;
        for (int i = 0; i < p.length; i++) {
            double keepP = p[i];
            p[i] = keepP + H;
            double up = networkLoss(net, p, x, y, m, masks);
            p[i] = keepP - H;
            double down = networkLoss(net, p, x, y, m, masks);
            p[i] = keepP;
            assertClose((up - down) / (2 * H), ws.paramGrads[i], cfg.describe() + " parameter " + i);
            if (ws.paramGrads[i] != 0) {
                checked++;
            }
        }
        assertTrue(checked > p.length / 3, "most gradients should be non-zero, only " + checked + " of " + p.length);
    }

    @Test
    void softmaxOnlyNetwork() {
        checkNetwork(new int[] {6, 4}, 0, 1);
    }

    @Test
    void deepReluNetwork() {
        checkNetwork(new int[] {7, 6, 5, 4}, 0, 2);
    }

    @Test
    void deepReluNetworkWithDropoutMasks() {
        checkNetwork(new int[] {7, 8, 6, 3}, 0.3, 3);
    }
}
