package org.semanticranking.ranking.model;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.xcontent.XContentType;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains LambdaMART trees with XGBoost ({@code rank:ndcg}, one group per request) and reads the booster back as a
 * {@link TreeEnsemble} from the library's own JSON dump, which is what serving evaluates. The grades are the labels:
 * XGBoost's exponential gain ({@code 2^grade - 1}, as the metrics use) takes integer grades up to 31. Blocking, CPU
 * bound: the jobs pool only.
 */
public final class XGBoostTrainer {

    /** XGBoost's exponential NDCG gain overflows above this grade. */
    public static final int MAX_GRADE = 31;

    private XGBoostTrainer() {}

    public record Trained(TreeEnsemble model, Map<String, Double> importance) {}

    public static Trained train(
            List<TrainingSet.Group> groups,
            int featureCount,
            List<String> names,
            TreeParams params,
            int seed,
            int threads,
            Runnable checkCancelled) {
        Booster booster = booster(groups, featureCount, params, seed, threads, checkCancelled);
        try {
            return read(booster, names, featureCount);
        } finally {
            booster.dispose();
        }
    }

    /**
     * The library's booster for the groups, grown one tree at a time so that a cancelled training stops within a tree
     * ({@code checkCancelled} throws); the caller disposes of it.
     */
    static Booster booster(
            List<TrainingSet.Group> groups,
            int featureCount,
            TreeParams params,
            int seed,
            int threads,
            Runnable checkCancelled) {
        long rows = groups.stream().mapToLong(TrainingSet.Group::size).sum();
        if (rows * featureCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("[_train] " + rows + " candidates of " + featureCount
                    + " features are more than one training matrix holds; use fewer requests or a smaller window");
        }
        float[] data = new float[(int) (rows * featureCount)];
        float[] labels = new float[(int) rows];
        int[] groupSizes = new int[groups.size()];
        float[] weights = new float[groups.size()];
        boolean weighted = false;
        int at = 0, g = 0;
        for (TrainingSet.Group group : groups) {
            weights[g] = group.weight();
            weighted |= group.weight() != 1f;
            System.arraycopy(group.features(), 0, data, at * featureCount, group.features().length);
            for (int i = 0; i < group.size(); i++) {
                labels[at + i] = Math.min(group.labels()[i], MAX_GRADE);
            }
            groupSizes[g++] = group.size();
            at += group.size();
        }
        DMatrix matrix = null;
        try {
            matrix = new DMatrix(data, (int) rows, featureCount, Float.NaN);
            matrix.setLabel(labels);
            matrix.setGroup(groupSizes);
            if (weighted) {
                // for ranking objectives XGBoost's weights are per group: an impression's inverse propensity
                matrix.setWeight(weights);
            }
            // what XGBoost.train does, with a check between trees: no trees yet, then one update per tree
            Booster booster = XGBoost.train(matrix, params.xgboost(seed, threads), 0, Map.of(), null, null);
            try {
                for (int tree = 0; tree < params.trees(); tree++) {
                    checkCancelled.run();
                    booster.update(matrix, tree);
                }
            } catch (RuntimeException | XGBoostError e) {
                booster.dispose();
                throw e;
            }
            return booster;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost failed to train: " + e.getMessage(), e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }

    /** The booster as the trees serving evaluates, with each feature's total gain. */
    static Trained read(Booster booster, List<String> names, int featureCount) {
        String[] fNames = new String[featureCount];
        for (int i = 0; i < featureCount; i++) {
            fNames[i] = "f" + i;
        }
        try {
            String[] dump = booster.getModelDump(fNames, true, "json");
            double baseScore = baseScore(new String(booster.toByteArray("json"), StandardCharsets.UTF_8));
            TreeEnsemble model = TreeEnsemble.fromDump(dump, baseScore, featureCount);
            Map<String, Double> byIndex = booster.getScore(fNames, "total_gain");
            Map<String, Double> importance = new LinkedHashMap<>();
            for (int i = 0; i < featureCount; i++) {
                importance.put(names.get(i), byIndex.getOrDefault("f" + i, 0.0));
            }
            return new Trained(model, importance);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost failed to read its model: " + e.getMessage(), e);
        }
    }

    /** The margin every prediction starts from, from the model's JSON ({@code learner.learner_model_param.base_score}). */
    @SuppressWarnings("unchecked")
    static double baseScore(String modelJson) {
        Map<String, Object> model = XContentHelper.convertToMap(XContentType.JSON.xContent(), modelJson, false);
        Map<String, Object> learner = (Map<String, Object>) model.get("learner");
        Map<String, Object> param = (Map<String, Object>) learner.get("learner_model_param");
        String value = param.get("base_score").toString().replace("[", "").replace("]", "");
        return Double.parseDouble(value.split(",")[0].trim());
    }
}
