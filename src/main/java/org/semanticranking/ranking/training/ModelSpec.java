package org.semanticranking.ranking.training;

import org.semanticranking.ranking.model.TreeParams;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code model} of a training: {@code {"type": "lambdamart", "trees": 200, "max_depth": 6, "learning_rate": 0.05,
 * "min_child_weight": 1, "subsample": 0.8, "colsample": 0.8}} (gradient-boosted trees, trained by XGBoost) or {@code
 * {"type": "linear"}} (pairwise logistic on standardised features: simple and explainable).
 */
public record ModelSpec(String type, TreeParams trees) {

    public static final String LAMBDAMART = "lambdamart";
    public static final String LINEAR = "linear";
    public static final ModelSpec DEFAULT = new ModelSpec(LAMBDAMART, TreeParams.DEFAULTS);

    private static final Set<String> TREE_KEYS =
            Set.of("type", "trees", "max_depth", "learning_rate", "min_child_weight", "subsample", "colsample");

    public static ModelSpec parse(Object value) {
        if (value == null) {
            return DEFAULT;
        }
        if (value instanceof Map<?, ?> == false) {
            throw new IllegalArgumentException("[_train] [model] must be an object such as {\"type\": \"lambdamart\"}");
        }
        Map<?, ?> map = (Map<?, ?>) value;
        Object type = map.get("type");
        if (LINEAR.equals(type)) {
            for (Object key : map.keySet()) {
                if ("type".equals(key) == false) {
                    throw new IllegalArgumentException("[_train] [model] of type [linear] has no option [" + key + "]");
                }
            }
            return new ModelSpec(LINEAR, null);
        }
        if (LAMBDAMART.equals(type) == false) {
            throw new IllegalArgumentException(
                    "[_train] [model] [type] must be [lambdamart] or [linear] but was [" + type + "]");
        }
        for (Object key : map.keySet()) {
            if (TREE_KEYS.contains(key) == false) {
                throw new IllegalArgumentException("[_train] [model] of type [lambdamart] has no option [" + key
                        + "]; its options are " + new java.util.TreeSet<>(TREE_KEYS));
            }
        }
        TreeParams d = TreeParams.DEFAULTS;
        return new ModelSpec(
                LAMBDAMART,
                new TreeParams(
                        integer(map, "trees", d.trees()),
                        integer(map, "max_depth", d.maxDepth()),
                        number(map, "learning_rate", d.learningRate()),
                        number(map, "min_child_weight", d.minChildWeight()),
                        number(map, "subsample", d.subsample()),
                        number(map, "colsample", d.colsample())));
    }

    private static int integer(Map<?, ?> map, String key, int defaultValue) {
        Object v = map.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Integer i) {
            return i;
        }
        throw new IllegalArgumentException("[_train] [model] [" + key + "] must be an integer but was [" + v + "]");
    }

    private static double number(Map<?, ?> map, String key, double defaultValue) {
        Object v = map.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("[_train] [model] [" + key + "] must be a number but was [" + v + "]");
    }

    /** As the response and the stored ranker show it. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        if (trees != null) {
            m.put("trees", trees.trees());
            m.put("max_depth", trees.maxDepth());
            m.put("learning_rate", trees.learningRate());
            m.put("min_child_weight", trees.minChildWeight());
            m.put("subsample", trees.subsample());
            m.put("colsample", trees.colsample());
        }
        return m;
    }

    @Override
    public String toString() {
        return type.toLowerCase(Locale.ROOT);
    }
}
