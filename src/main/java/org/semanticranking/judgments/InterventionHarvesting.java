package org.semanticranking.judgments;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Examination propensities harvested from the logs' own interventions (Agarwal, Zaitsev, Wang, Li, Najork and
 * Joachims, WSDM 2019): a (query, product) pair shown in slot k by one ranking and in slot j by another was clicked in
 * each in proportion to the slot's examination, so over all such pairs the click-through rates in k and in j estimate
 * {@code theta[k] / theta[j]}. Each pair's rates are weighed by the harmonic mean of its two counts (a pair seen
 * twice in one slot and a thousand times in the other says little), and the log ratios of every two slots are solved
 * together by least squares with the top slot at 1, each ratio weighed by the inverse of its variance (few clicks in
 * the low slots make their ratios noisy).
 */
final class InterventionHarvesting {

    private InterventionHarvesting() {}

    /**
     * @param rows     pairs shown in at least two slots
     * @param fallback the propensity of a slot no pair links to any other (index 0 is slot 1); slots linked to one
     *                 another but not to slot 1 keep their own ratios at the geometric mean of their fallbacks
     * @return each slot's examination relative to the top slot's
     */
    static double[] propensities(List<ShownCounts> rows, int slots, double[] fallback) {
        Map<Shown.Pair, long[][]> bySlot = new HashMap<>();
        for (ShownCounts row : rows) {
            long[][] c = bySlot.computeIfAbsent(row.pair(), p -> new long[slots][2]);
            c[row.slot() - 1][0] += row.shown();
            c[row.slot() - 1][1] += row.clicked();
        }
        // rate[k][j]: the weighted click-through in k of the pairs also shown in j; weight[k][j] their weight
        double[][] rate = new double[slots][slots], variance = new double[slots][slots];
        for (long[][] c : bySlot.values()) {
            for (int k = 0; k < slots; k++) {
                for (int j = 0; j < slots; j++) {
                    if (j != k && c[k][0] > 0 && c[j][0] > 0) {
                        double w = (double) c[k][0] * c[j][0] / (c[k][0] + c[j][0]);
                        rate[k][j] += w * c[k][1] / c[k][0];
                        // a binomial rate's variance, p / n, with the clicks standing for p n
                        variance[k][j] += w * w * Math.max(1, c[k][1]) / ((double) c[k][0] * c[k][0]);
                    }
                }
            }
        }
        // log theta[k] - log theta[j] = log(rate[k][j] / rate[j][k]), for every two slots both clicked
        double[][] normal = new double[slots][slots];
        double[] rhs = new double[slots];
        for (int k = 0; k < slots; k++) {
            for (int j = k + 1; j < slots; j++) {
                if (rate[k][j] > 0 && rate[j][k] > 0) {
                    double logRatio = Math.log(rate[k][j] / rate[j][k]);
                    // the delta method: var(log a / b) = var(a) / a^2 + var(b) / b^2
                    double w = 1
                            / (variance[k][j] / (rate[k][j] * rate[k][j]) + variance[j][k] / (rate[j][k] * rate[j][k]));
                    normal[k][k] += w;
                    normal[j][j] += w;
                    normal[k][j] -= w;
                    normal[j][k] -= w;
                    rhs[k] += w * logRatio;
                    rhs[j] -= w * logRatio;
                }
            }
        }
        // a slot the pairs link to slot 1 through no chain of slots (an explored page's last slots, whose products move
        // among them only) has its ratios to its own group's slots but no level: a weak pull of every slot to its
        // fallback fixes each such group's level at the geometric mean of its fallbacks, and leaves alone the slots
        // linked to the top (the pull is a millionth of the strongest link)
        double strongest = 0;
        for (int k = 0; k < slots; k++) {
            strongest = Math.max(strongest, normal[k][k]);
        }
        double pull = strongest > 0 ? 1e-6 * strongest : 1;
        for (int k = 1; k < slots; k++) {
            normal[k][k] += pull;
            rhs[k] += pull * Math.log(Math.max(1e-6, fallback[k]));
        }
        double[] logTheta = solveWithTopFixed(normal, rhs);
        double[] theta = new double[slots];
        for (int k = 0; k < slots; k++) {
            theta[k] = Math.min(1, Math.exp(logTheta[k]));
        }
        return theta;
    }

    /** The least-squares solution with {@code log theta[0] = 0}. */
    private static double[] solveWithTopFixed(double[][] normal, double[] rhs) {
        int n = normal.length - 1;
        double[][] system = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                system[i][j] = normal[i + 1][j + 1];
            }
            system[i][n] = rhs[i + 1];
        }
        // Gauss-Jordan with partial pivoting: at most a hundred slots
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(system[r][col]) > Math.abs(system[pivot][col])) {
                    pivot = r;
                }
            }
            double[] swap = system[col];
            system[col] = system[pivot];
            system[pivot] = swap;
            for (int r = 0; r < n; r++) {
                if (r != col && system[col][col] != 0) {
                    double f = system[r][col] / system[col][col];
                    for (int c = col; c <= n; c++) {
                        system[r][c] -= f * system[col][c];
                    }
                }
            }
        }
        double[] logTheta = new double[n + 1];
        for (int i = 0; i < n; i++) {
            logTheta[i + 1] = system[i][n] / system[i][i];
        }
        return logTheta;
    }
}
