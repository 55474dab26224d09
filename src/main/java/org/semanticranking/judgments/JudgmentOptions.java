package org.semanticranking.judgments;

import java.util.Map;
import java.util.Set;

/**
 * How judgments are computed from an events index, read from the body of {@code _from_events} or from an
 * {@code _evaluate}, {@code _tune} or {@code _train}'s {@code "ratings_from": {"events": {...}}}: the events index, the
 * click model, the pairs kept ({@code min_impressions} in the first {@code slots} slots), the grade scale
 * ({@code max_grade}), the fit's stopping rule, and which request parameter holds the query text
 * ({@code query_param}).
 */
public record JudgmentOptions(
        String eventsIndex,
        ClickModel clickModel,
        int minImpressions,
        int slots,
        int maxGrade,
        int maxIterations,
        double tolerance,
        String queryParam) {

    public static final Set<String> KEYS = Set.of(
            "index",
            "click_model",
            "min_impressions",
            "slots",
            "max_grade",
            "max_iterations",
            "tolerance",
            "query_param");
    public static final int MAX_SLOTS = 100;
    public static final int MAX_GRADE = 10;

    /** These options reading {@code index} when the body named none (the interactions index of the cluster's settings). */
    public JudgmentOptions orIndex(String index) {
        return eventsIndex != null
                ? this
                : new JudgmentOptions(
                        index, clickModel, minImpressions, slots, maxGrade, maxIterations, tolerance, queryParam);
    }

    /**
     * @param defaultIndex the events index for a body that names none; {@code null} to leave it to {@link #orIndex}
     */
    public static JudgmentOptions parse(String api, Map<?, ?> body, String defaultIndex) {
        for (Object key : body.keySet()) {
            if (KEYS.contains(key) == false) {
                throw new IllegalArgumentException("[" + api + "] unknown parameter [" + key + "] of the events' "
                        + "judgments; expected some of " + new java.util.TreeSet<>(KEYS));
            }
        }
        Object index = body.get("index") == null ? defaultIndex : body.get("index");
        if (index != null && (index instanceof String == false || ((String) index).isBlank())) {
            throw new IllegalArgumentException("[" + api + "] [index] must be the name of the events index");
        }
        Object model = body.get("click_model");
        Object tolerance = body.get("tolerance") == null ? 1e-6 : body.get("tolerance");
        if (tolerance instanceof Number == false
                || ((Number) tolerance).doubleValue() <= 0
                || ((Number) tolerance).doubleValue() >= 1) {
            throw new IllegalArgumentException("[" + api
                    + "] [tolerance] must be a number between 0 and 1 (exclusive) but was [" + tolerance + "]");
        }
        Object queryParam = body.get("query_param") == null ? "query" : body.get("query_param");
        if (queryParam instanceof String == false || ((String) queryParam).isBlank()) {
            throw new IllegalArgumentException("[" + api + "] [query_param] must be the name of the requests' "
                    + "parameter that holds the query text");
        }
        return new JudgmentOptions(
                (String) index,
                model == null ? ClickModel.PBM : ClickModel.parse(api, model),
                intOption(api, body, "min_impressions", 10, 1, 1_000_000),
                intOption(api, body, "slots", 10, 1, MAX_SLOTS),
                intOption(api, body, "max_grade", 3, 1, MAX_GRADE),
                intOption(api, body, "max_iterations", 1000, 1, 100_000),
                ((Number) tolerance).doubleValue(),
                (String) queryParam);
    }

    private static int intOption(String api, Map<?, ?> body, String key, int defaultValue, int min, int max) {
        Object v = body.get(key) == null ? defaultValue : body.get(key);
        if (v instanceof Integer i && i >= min && i <= max) {
            return i;
        }
        throw new IllegalArgumentException("[" + api + "] [" + key + "] must be an integer between " + min + " and "
                + max + " but was [" + v + "]");
    }
}
