package org.semanticranking.personalization.model;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** How well predicted click probabilities separate clicks from non-clicks. */
public final class BinaryMetrics {

    private BinaryMetrics() {}

    /** Area under the ROC curve (the Mann-Whitney statistic, ties counting one half); NaN without both classes. */
    public static double auc(double[] scores, List<Integer> labels) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double rankSumPositives = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1; // ranks are 1-based, ties share their mean rank
            for (int k = i; k <= j; k++) {
                if (labels.get(order[k]) == 1) {
                    rankSumPositives += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositives - positives * (positives + 1) / 2.0) / (positives * (double) negatives);
    }

    /** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 - 1e-15]. */
    public static double logLoss(double[] probabilities, List<Integer> labels) {
        double sum = 0;
        for (int i = 0; i < probabilities.length; i++) {
            double p = Math.min(1 - 1e-15, Math.max(1e-15, probabilities[i]));
            sum -= labels.get(i) == 1 ? Math.log(p) : Math.log(1 - p);
        }
        return probabilities.length == 0 ? Double.NaN : sum / probabilities.length;
    }
}
