package org.semanticranking.personalization.model;

import java.util.List;

/**
 * L2-regularised logistic regression on standardised features, fitted by Newton's method (iteratively
 * reweighted least squares). With the handful of features personalization has, each Newton step is a
 * tiny linear solve, and the fit converges in a few passes over the examples, deterministically.
 */
public final class LogisticRegression {

    private LogisticRegression() {}

    /** A fitted model: {@code p = sigmoid(bias + sum(weights[i] * (x[i] - means[i]) / stds[i]))}. */
    public record Fit(double[] means, double[] stds, double[] weights, double bias, int iterations) {

        public double logit(double[] x) {
            double z = bias;
            for (int i = 0; i < weights.length; i++) {
                z += weights[i] * (x[i] - means[i]) / stds[i];
            }
            return z;
        }

        public double probability(double[] x) {
            return sigmoid(logit(x));
        }
    }

    public static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /**
     * @param x      examples (rows of the same length)
     * @param y      labels, 0 or 1
     * @param lambda the L2 penalty on the (standardised) weights, not on the bias
     */
    public static Fit fit(List<double[]> x, List<Integer> y, double lambda, int maxIterations) {
        if (x.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        int d = x.get(0).length;
        int n = x.size();
        double[] means = new double[d];
        double[] stds = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                means[j] += row[j] / n;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                stds[j] += (row[j] - means[j]) * (row[j] - means[j]) / n;
            }
        }
        for (int j = 0; j < d; j++) {
            stds[j] = stds[j] > 1e-12 ? Math.sqrt(stds[j]) : 1; // a constant feature keeps weight 0 through the penalty
        }
        // parameters: [bias, w_1..w_d]
        double[] beta = new double[d + 1];
        double[] row = new double[d + 1];
        int iteration = 0;
        for (; iteration < maxIterations; iteration++) {
            double[] gradient = new double[d + 1];
            double[][] hessian = new double[d + 1][d + 1];
            for (int i = 0; i < n; i++) {
                row[0] = 1;
                for (int j = 0; j < d; j++) {
                    row[j + 1] = (x.get(i)[j] - means[j]) / stds[j];
                }
                double z = 0;
                for (int j = 0; j <= d; j++) {
                    z += beta[j] * row[j];
                }
                double p = sigmoid(z);
                double r = p - y.get(i);
                double w = Math.max(p * (1 - p), 1e-10);
                for (int a = 0; a <= d; a++) {
                    gradient[a] += r * row[a];
                    for (int b = 0; b <= a; b++) {
                        hessian[a][b] += w * row[a] * row[b];
                    }
                }
            }
            for (int a = 0; a <= d; a++) {
                for (int b = 0; b < a; b++) {
                    hessian[b][a] = hessian[a][b];
                }
            }
            for (int j = 1; j <= d; j++) {
                gradient[j] += lambda * beta[j];
                hessian[j][j] += lambda;
            }
            double[] step = solve(hessian, gradient);
            double change = 0;
            for (int j = 0; j <= d; j++) {
                beta[j] -= step[j];
                change = Math.max(change, Math.abs(step[j]));
            }
            if (change < 1e-8) {
                iteration++;
                break;
            }
        }
        double[] weights = new double[d];
        System.arraycopy(beta, 1, weights, 0, d);
        return new Fit(means, stds, weights, beta[0], iteration);
    }

    /** Gaussian elimination with partial pivoting; the matrix is symmetric positive definite here. */
    public static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = new double[n + 1];
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            double p = m[col][col];
            if (Math.abs(p) < 1e-12) {
                continue; // singular direction: leave it unchanged
            }
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = m[r][col] / p;
                    for (int c = col; c <= n; c++) {
                        m[r][c] -= f * m[col][c];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.abs(m[i][i]) < 1e-12 ? 0 : m[i][n] / m[i][i];
        }
        return x;
    }
}
