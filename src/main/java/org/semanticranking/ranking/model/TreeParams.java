package org.semanticranking.ranking.model;

import java.util.Map;

/**
 * What {@code {"type": "lambdamart"}} trains with: gradient-boosted trees with the library's ranking objective
 * ({@code rank:ndcg}, LambdaMART). The defaults were chosen on the development sets (benchmarks/README.md).
 */
public record TreeParams(
        int trees, int maxDepth, double learningRate, double minChildWeight, double subsample, double colsample) {

    public static final TreeParams DEFAULTS = new TreeParams(200, 6, 0.05, 1, 0.8, 0.8);

    public TreeParams {
        check("trees", trees, 1, 5000);
        check("max_depth", maxDepth, 1, 16);
        check("learning_rate", learningRate, 1e-4, 1);
        check("min_child_weight", minChildWeight, 0, 1e6);
        check("subsample", subsample, 0.05, 1);
        check("colsample", colsample, 0.05, 1);
    }

    private static void check(String name, double v, double min, double max) {
        if ((v >= min && v <= max) == false) {
            throw new IllegalArgumentException(
                    "[model] [" + name + "] must be between " + min + " and " + max + " but was [" + v + "]");
        }
    }

    /** The library's parameters for a seed and a number of threads. */
    Map<String, Object> xgboost(int seed, int threads) {
        return Map.ofEntries(
                Map.entry("objective", "rank:ndcg"),
                Map.entry("eta", learningRate),
                Map.entry("max_depth", maxDepth),
                Map.entry("min_child_weight", minChildWeight),
                Map.entry("subsample", subsample),
                Map.entry("colsample_bytree", colsample),
                Map.entry("tree_method", "hist"),
                Map.entry("lambdarank_pair_method", "topk"),
                Map.entry("ndcg_exp_gain", true),
                Map.entry("seed", seed),
                Map.entry("nthread", threads),
                Map.entry("verbosity", 0));
    }
}
