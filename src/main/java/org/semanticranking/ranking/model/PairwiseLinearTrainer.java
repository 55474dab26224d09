package org.semanticranking.ranking.model;

import org.semanticranking.personalization.model.LogisticRegression;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The {@code linear} ranker: pairwise logistic regression (RankNet with a linear scorer) on standardised features. For
 * each request, pairs of candidates with different grades (at most {@link #PAIRS_PER_REQUEST}, drawn with the seed)
 * ask that the better one score higher: {@code P(a above b) = sigmoid(w . (z_a - z_b))}, with an L2 penalty, fitted by
 * Newton's method; each pair counts its request's weight. Deterministic for a seed.
 */
public final class PairwiseLinearTrainer {

    static final int PAIRS_PER_REQUEST = 200;
    static final double LAMBDA = 1.0;
    static final int MAX_ITERATIONS = 50;

    private PairwiseLinearTrainer() {}

    public record Trained(LinearModel model, Map<String, Double> importance) {}

    public static Trained train(List<TrainingSet.Group> groups, int featureCount, List<String> names, int seed) {
        double[] means = new double[featureCount];
        double[] stds = new double[featureCount];
        long n = 0;
        for (TrainingSet.Group g : groups) {
            for (int i = 0; i < g.size(); i++) {
                for (int f = 0; f < featureCount; f++) {
                    means[f] += g.features()[i * featureCount + f];
                }
            }
            n += g.size();
        }
        if (n == 0) {
            throw new IllegalArgumentException("[_train] no candidates to train on");
        }
        for (int f = 0; f < featureCount; f++) {
            means[f] /= n;
        }
        for (TrainingSet.Group g : groups) {
            for (int i = 0; i < g.size(); i++) {
                for (int f = 0; f < featureCount; f++) {
                    double d = g.features()[i * featureCount + f] - means[f];
                    stds[f] += d * d;
                }
            }
        }
        for (int f = 0; f < featureCount; f++) {
            stds[f] = Math.sqrt(stds[f] / n);
            stds[f] = stds[f] > 1e-12 ? stds[f] : 1; // a constant feature keeps weight 0 through the penalty
        }
        List<int[]> pairs = pairs(groups, seed);
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException(
                    "[_train] no request has two candidates of different grades: there is nothing to learn from");
        }
        double[] w = new double[featureCount];
        double[] d = new double[featureCount];
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] gradient = new double[featureCount];
            double[][] hessian = new double[featureCount][featureCount];
            for (int[] pair : pairs) {
                TrainingSet.Group g = groups.get(pair[0]);
                int a = pair[1] * featureCount, b = pair[2] * featureCount;
                double z = 0;
                for (int f = 0; f < featureCount; f++) {
                    d[f] = (g.features()[a + f] - g.features()[b + f]) / stds[f];
                    z += w[f] * d[f];
                }
                double p = LogisticRegression.sigmoid(z);
                double weight = g.weight();
                double r = (p - 1) * weight; // the better one should win: label 1
                double h = Math.max(p * (1 - p), 1e-10) * weight;
                for (int f = 0; f < featureCount; f++) {
                    gradient[f] += r * d[f];
                    for (int k = 0; k <= f; k++) {
                        hessian[f][k] += h * d[f] * d[k];
                    }
                }
            }
            for (int f = 0; f < featureCount; f++) {
                for (int k = 0; k < f; k++) {
                    hessian[k][f] = hessian[f][k];
                }
                gradient[f] += LAMBDA * w[f];
                hessian[f][f] += LAMBDA;
            }
            double[] step = LogisticRegression.solve(hessian, gradient);
            double change = 0;
            for (int f = 0; f < featureCount; f++) {
                w[f] -= step[f];
                change = Math.max(change, Math.abs(step[f]));
            }
            if (change < 1e-7) {
                break;
            }
        }
        Map<String, Double> importance = new LinkedHashMap<>();
        for (int f = 0; f < featureCount; f++) {
            importance.put(names.get(f), Math.abs(w[f]));
        }
        return new Trained(new LinearModel(means, stds, w), importance);
    }

    /** {group, better, worse} for each pair drawn. */
    static List<int[]> pairs(List<TrainingSet.Group> groups, int seed) {
        List<int[]> pairs = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            TrainingSet.Group g = groups.get(gi);
            List<int[]> all = new ArrayList<>();
            for (int i = 0; i < g.size(); i++) {
                for (int j = 0; j < g.size(); j++) {
                    if (g.labels()[i] > g.labels()[j]) {
                        all.add(new int[] {gi, i, j});
                    }
                }
            }
            if (all.size() > PAIRS_PER_REQUEST) {
                java.util.Collections.shuffle(
                        all, new Random(seed * 31L + g.requestId().hashCode()));
                all = all.subList(0, PAIRS_PER_REQUEST);
            }
            pairs.addAll(all);
        }
        return pairs;
    }
}
