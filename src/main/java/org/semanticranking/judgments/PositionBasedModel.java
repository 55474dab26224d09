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

    /** Fits the rows in the first {@code slots} slots; stops when no parameter moves more than {@code tolerance}. */
    public static Fit fit(List<ShownCounts> rows, int slots, int maxIterations, double tolerance) {
        List<ShownCounts> used = new ArrayList<>();
        Map<Shown.Pair, Integer> pairIndex = new HashMap<>();
        List<Shown.Pair> pairs = new ArrayList<>();
        for (ShownCounts row : rows) {
            if (row.slot() <= slots && row.shown() > 0) {
                used.add(row);
                pairIndex.computeIfAbsent(row.pair(), p -> {
                    pairs.add(p);
                    return pairs.size() - 1;
                });
            }
        }
        int[] pairOf = new int[used.size()];
        for (int i = 0; i < used.size(); i++) {
            pairOf[i] = pairIndex.get(used.get(i).pair());
        }
        double[] theta = new double[slots];
        double[] gamma = new double[pairs.size()];
        // started from each slot's click-through rate relative to the top's (exact when rankings are random) and each
        // pair's clicks over that examination: EM converges slowly, and from a flat start the rare slots stay too high
        double[] ctr = Coec.clickThroughRates(used, slots);
        for (int k = 0; k < slots; k++) {
            theta[k] = ctr[0] > 0 && ctr[k] > 0 ? Math.min(1, ctr[k] / ctr[0]) : 0.5;
        }
        double[] clicks = new double[pairs.size()], examinations = new double[pairs.size()];
        for (int i = 0; i < used.size(); i++) {
            clicks[pairOf[i]] += used.get(i).clicked();
            examinations[pairOf[i]] += used.get(i).shown() * theta[used.get(i).slot() - 1];
        }
        for (int p = 0; p < pairs.size(); p++) {
            gamma[p] = examinations[p] > 0 ? Math.max(0.01, Math.min(0.99, clicks[p] / examinations[p])) : 0.5;
        }
        int iteration = 0;
        double moved = Double.POSITIVE_INFINITY;
        while (iteration < maxIterations && moved > tolerance) {
            double[] thetaSum = new double[slots], thetaCount = new double[slots];
            double[] gammaSum = new double[pairs.size()], gammaCount = new double[pairs.size()];
            for (int i = 0; i < used.size(); i++) {
                ShownCounts row = used.get(i);
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
            for (int k = 0; k < slots; k++) {
                double next = thetaCount[k] == 0 ? theta[k] : thetaSum[k] / thetaCount[k];
                moved = Math.max(moved, Math.abs(next - theta[k]));
                theta[k] = next;
            }
            for (int p = 0; p < pairs.size(); p++) {
                double next = gammaSum[p] / gammaCount[p];
                moved = Math.max(moved, Math.abs(next - gamma[p]));
                gamma[p] = next;
            }
            iteration++;
        }
        double top = theta[0] > 0 ? theta[0] : 1;
        double[] propensities = new double[slots];
        for (int k = 0; k < slots; k++) {
            propensities[k] = theta[k] / top;
        }
        Map<Shown.Pair, Double> relevance = new HashMap<>();
        for (int p = 0; p < pairs.size(); p++) {
            relevance.put(pairs.get(p), Math.min(1, gamma[p] * top));
        }
        return new Fit(propensities, relevance, iteration);
    }
}
