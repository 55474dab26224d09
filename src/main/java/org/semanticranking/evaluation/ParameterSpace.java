package org.semanticranking.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code _tune} may change: for each path of the template, a list of values (numbers or strings, e.g.
 * {@code ["min_max", "z_score"]}) or a numeric range ({@code {"min": 0, "max": 2}}, {@code "integer": true} for
 * window sizes and rank constants). A range is searched coarse to fine: a grid of {@code steps} points first,
 * then grids half as wide around the best value so far.
 */
record ParameterSpace(Map<String, Dimension> dimensions) {

    /** One tunable value: its candidates at each refinement level. */
    record Dimension(String path, List<Object> values, double min, double max, boolean integer, int steps) {

        boolean isRange() {
            return values == null;
        }

        /** The candidates to try around {@code current} at refinement {@code level} (0 = the whole range). */
        List<Object> candidates(Object current, int level) {
            if (isRange() == false) {
                return level == 0 ? values : List.of();
            }
            double span = (max - min) / Math.pow(2, level);
            double center = current instanceof Number n ? n.doubleValue() : (min + max) / 2;
            double lo = level == 0 ? min : Math.max(min, center - span / 2);
            double hi = level == 0 ? max : Math.min(max, center + span / 2);
            Set<Object> out = new LinkedHashSet<>();
            for (int i = 0; i < steps; i++) {
                double v = steps == 1 ? lo : lo + (hi - lo) * i / (steps - 1);
                out.add(integer ? (Object) Math.round(v) : (Object) (Math.round(v * 1e6) / 1e6));
            }
            return new ArrayList<>(out);
        }
    }

    static ParameterSpace parse(Object raw, Map<String, Object> template) {
        if ((raw instanceof Map<?, ?>) == false || ((Map<?, ?>) raw).isEmpty()) {
            throw new IllegalArgumentException(
                    "[_tune] requires [params]: an object of template path to a list of values or a {\"min\", \"max\"} range");
        }
        Map<?, ?> map = (Map<?, ?>) raw;
        Map<String, Dimension> dims = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String path = e.getKey().toString();
            Object baseline = TemplatePaths.get(template, path); // the path must exist: its value is the baseline
            if (e.getValue() instanceof List<?> list) {
                if (list.isEmpty()) {
                    throw new IllegalArgumentException("[_tune] parameter [" + path + "] has no values to try");
                }
                for (Object v : list) {
                    if (v instanceof Number == false && v instanceof String == false && v instanceof Boolean == false) {
                        throw new IllegalArgumentException(
                                "[_tune] parameter [" + path + "]: values must be numbers, strings or booleans");
                    }
                }
                dims.put(path, new Dimension(path, List.copyOf(list), 0, 0, false, list.size()));
            } else if (e.getValue() instanceof Map<?, ?> range) {
                if (range.get("min") instanceof Number min
                        && range.get("max") instanceof Number max
                        && Double.isFinite(min.doubleValue())
                        && Double.isFinite(max.doubleValue())
                        && min.doubleValue() <= max.doubleValue()) {
                    if (baseline instanceof Number == false) {
                        throw new IllegalArgumentException("[_tune] parameter [" + path
                                + "] is a range but the template's value there is not a number: " + baseline);
                    }
                    Object steps = range.containsKey("steps") ? range.get("steps") : Integer.valueOf(5);
                    if ((steps instanceof Integer) == false || (Integer) steps < 2 || (Integer) steps > 50) {
                        throw new IllegalArgumentException(
                                "[_tune] parameter [" + path + "]: [steps] must be an integer between 2 and 50");
                    }
                    boolean integer = Boolean.TRUE.equals(range.get("integer"));
                    dims.put(path, new Dimension(path, null, min.doubleValue(), max.doubleValue(), integer, (Integer)
                            steps));
                } else {
                    throw new IllegalArgumentException(
                            "[_tune] parameter [" + path + "]: a range needs finite numbers [min] <= [max]");
                }
            } else {
                throw new IllegalArgumentException(
                        "[_tune] parameter [" + path + "] must be a list of values or a {\"min\", \"max\"} range");
            }
        }
        return new ParameterSpace(dims);
    }

    Map<String, Object> baseline(Map<String, Object> template) {
        Map<String, Object> values = new LinkedHashMap<>();
        dimensions.keySet().forEach(path -> values.put(path, TemplatePaths.get(template, path)));
        return values;
    }
}
