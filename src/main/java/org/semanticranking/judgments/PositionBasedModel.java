package org.semanticranking.judgments;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The position-based click model fitted by expectation-maximisation on the logs themselves: a click happens when the
 * shopper examines the slot (probability {@code theta[k]}, the same for every product) and finds the product relevant
 * (probability {@code gamma[q, d]}, the same in every slot). Examination and relevance are told apart only because a
 * pair is shown in several slots across rankings that differ (Wang et al., WSDM 2018, without the regression step).
 *
 * <p>The model fixes them up to a scale: propensities are reported relative to the top slot's ({@code theta[1] = 1}),
 * which is what inverse-propensity weighting needs.
 */
public final class PositionBasedModel {

    /**
     * @param propensities examination of each slot relative to the top one (index 0 is slot 1, always 1)
     * @param relevance    each pair's probability of being clicked when examined, on the scale of slot 1
     * @param iterations   EM rounds run
     */
    public record Fit(double[] propensities, Map<Shown.Pair, Double> relevance, int iterations) {}

    private PositionBasedModel() {}

    /**
     * Fits the rows in the first {@code slots} slots. The propensities come from the pairs shown in two slots or more,
     * the only ones that tell examination from relevance, by {@link InterventionHarvesting}; every pair's relevance is
     * then fitted by EM with the propensities fixed (stopping when none moves more than {@code tolerance}).
     *
     * <p>Why not EM for the propensities too: maximum likelihood with a free relevance per pair is biased upwards for
     * the low slots (a pair's relevance cannot pass 1, so the lucky runs of very relevant products seen low on the page
     * push those slots up; see benchmarks/README.md, "Rankers learned from clicks", for the figures).
     */
    public static Fit fit(List<ShownCounts> rows, int slots, int maxIterations, double tolerance) {
        List<ShownCounts> used = new ArrayList<>();
        Map<Shown.Pair, java.util.Set<Integer>> slotsOf = new HashMap<>();
        for (ShownCounts row : rows) {
            if (row.slot() <= slots && row.shown() > 0) {
                used.add(row);
                slotsOf.computeIfAbsent(row.pair(), p -> new java.util.HashSet<>())
                        .add(row.slot());
            }
        }
        List<ShownCounts> moved =
                used.stream().filter(row -> slotsOf.get(row.pair()).size() > 1).toList();
        double[] theta = initialTheta(used, slots);
        int iterations = 0;
        if (moved.isEmpty() == false) {
            theta = InterventionHarvesting.propensities(moved, slots, theta);
        }
        // without any pair in two slots, nothing tells examination from relevance: both are fitted on every row
        Stage all = new Stage(used, slots, theta);
        iterations += all.run(maxIterations, tolerance, moved.isEmpty());
        double top = all.theta[0] > 0 ? all.theta[0] : 1;
        double[] propensities = new double[slots];
        for (int k = 0; k < slots; k++) {
            propensities[k] = all.theta[k] / top;
        }
        Map<Shown.Pair, Double> relevance = new HashMap<>();
        for (int p = 0; p < all.pairs.size(); p++) {
            relevance.put(all.pairs.get(p), Math.min(1, all.gamma[p] * top));
        }
        return new Fit(propensities, relevance, iterations);
    }

    /** Each slot's click-through rate relative to the top's: exact when rankings are random, a start otherwise. */
    private static double[] initialTheta(List<ShownCounts> rows, int slots) {
        double[] ctr = Coec.clickThroughRates(rows, slots);
        double[] theta = new double[slots];
        for (int k = 0; k < slots; k++) {
            theta[k] = ctr[0] > 0 && ctr[k] > 0 ? Math.min(1, ctr[k] / ctr[0]) : 0.5;
        }
        return theta;
    }

    /** EM over some rows: the pairs' relevance, and the slots' examination unless it is held fixed. */
    private static final class Stage {
        final List<ShownCounts> rows;
        final int[] pairOf;
        final List<Shown.Pair> pairs = new ArrayList<>();
        final double[] theta;
        final double[] gamma;

        Stage(List<ShownCounts> rows, int slots, double[] theta) {
            this.rows = rows;
            this.theta = theta.clone();
            Map<Shown.Pair, Integer> index = new HashMap<>();
            pairOf = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                pairOf[i] = index.computeIfAbsent(rows.get(i).pair(), p -> {
                    pairs.add(p);
                    return pairs.size() - 1;
                });
            }
            // each pair's clicks over its expected examinations (EM converges slowly: a start near the answer)
            gamma = new double[pairs.size()];
            double[] clicks = new double[pairs.size()], examinations = new double[pairs.size()];
            for (int i = 0; i < rows.size(); i++) {
                clicks[pairOf[i]] += rows.get(i).clicked();
                examinations[pairOf[i]] +=
                        rows.get(i).shown() * this.theta[rows.get(i).slot() - 1];
            }
            for (int p = 0; p < pairs.size(); p++) {
                gamma[p] = examinations[p] > 0 ? Math.max(0.01, Math.min(0.99, clicks[p] / examinations[p])) : 0.5;
            }
        }

        /** @return the rounds run */
        int run(int maxIterations, double tolerance, boolean fitTheta) {
            int slots = theta.length;
            int iteration = 0;
            double moved = Double.POSITIVE_INFINITY;
            while (iteration < maxIterations && moved > tolerance) {
                double[] thetaSum = new double[slots], thetaCount = new double[slots];
                double[] gammaSum = new double[pairs.size()], gammaCount = new double[pairs.size()];
                for (int i = 0; i < rows.size(); i++) {
                    ShownCounts row = rows.get(i);
                    int k = row.slot() - 1;
                    int p = pairOf[i];
                    double t = theta[k], g = gamma[p];
                    // a click says examined and relevant; an impression without one is split by the posterior
                    double notClicked = 1 - t * g;
                    long unclicked = row.shown() - row.clicked();
                    double examined = notClicked <= 0 ? 0 : t * (1 - g) / notClicked;
                    double relevant = notClicked <= 0 ? 0 : (1 - t) * g / notClicked;
                    thetaSum[k] += row.clicked() + unclicked * examined;
                    thetaCount[k] += row.shown();
                    gammaSum[p] += row.clicked() + unclicked * relevant;
                    gammaCount[p] += row.shown();
                }
                moved = 0;
                if (fitTheta) {
                    for (int k = 0; k < slots; k++) {
                        double next = thetaCount[k] == 0 ? theta[k] : thetaSum[k] / thetaCount[k];
                        moved = Math.max(moved, Math.abs(next - theta[k]));
                        theta[k] = next;
                    }
                }
                for (int p = 0; p < pairs.size(); p++) {
                    double next = gammaSum[p] / gammaCount[p];
                    moved = Math.max(moved, Math.abs(next - gamma[p]));
                    gamma[p] = next;
                }
                iteration++;
            }
            return iteration;
        }
    }
}
