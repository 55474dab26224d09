package org.semanticranking.ranking.training;

import org.semanticranking.evaluation.JudgedRequest;
import org.semanticranking.judgments.ClickModel;
import org.semanticranking.judgments.JudgmentOptions;
import org.semanticranking.judgments.Judgments;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A training from logged impressions ({@code "impressions_from": {"events": {...}}} in {@code _train}): one request per
 * impression with a click, its params the logged query ({@code query_param}) and shopper ({@code user_param}), its
 * ratings the products clicked (1), carted (2) or bought (3), its weight the inverse of the examination propensity of
 * the clicked slots (estimated from the same events, {@code pbm}), at least {@code propensity_floor}; its candidates
 * the first stage's whole window ({@code candidates}: {@code window}) or the hits the impression showed ({@code shown}).
 *
 * @param index            the events index; {@code null} for the cluster's interactions index
 * @param maxImpressions   at most this many impressions with a click are trained on, the users read in id order
 * @param slots            the slots whose propensities are estimated; a click below them weighs as the last one
 * @param minImpressions   the propensity estimate's minimum impressions of a (query, product) pair
 * @param propensityFloor  propensities are clipped to at least this: a weight is at most its inverse
 * @param queries          only the impressions of these logged queries (normalised, {@link Judgments#normalize}) are
 *                         trained on; {@code null} for every query. The others still count in the propensities and in
 *                         the clicks that {@code clicks} features read: a training on some queries, held out from the
 *                         rest to measure it there, sees the log the served searches see
 */
public record ImpressionOptions(
        String index,
        String queryParam,
        String userParam,
        int maxImpressions,
        int slots,
        int minImpressions,
        double propensityFloor,
        int maxEventsPerUser,
        int usersPerBatch,
        Candidates candidates,
        Set<String> queries) {

    /** Whether the impressions of this logged query are trained on. */
    public boolean trainsOn(String query) {
        return queries == null || queries.contains(Judgments.normalize(query));
    }

    /**
     * Which of an impression's first-stage hits are its candidates. {@code window} is the default: on the simulated
     * shoppers it lifted the hybrid in every (kind of taste, click model) cell of two runs, where {@code shown} lifted
     * more under position-based clicks but, under cascade clicks, let LambdaMART (the cross-validation's choice there)
     * promote products from deep in the window past relevant ones and lose to the hybrid (benchmarks/README.md,
     * "Personal rankers on simulated shoppers").
     */
    public enum Candidates {
        /** Every hit of the window, those never shown as 0s: the ranker learns what the depth of the window costs. */
        WINDOW,
        /**
         * The products the impression showed: the only ones whose clicks say anything. A hit the shopper was never
         * shown has no click because nobody looked; but a ranker that never saw the deep hits cannot tell how poor
         * they are.
         */
        SHOWN;

        static Candidates parse(String api, Object value) {
            for (Candidates c : values()) {
                if (c.name().toLowerCase(java.util.Locale.ROOT).equals(value)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("[" + api + "] [" + FIELD + ".events.candidates] must be [window] "
                    + "(every hit of the first stage's window, the default) or [shown] (the products each impression "
                    + "showed) but was [" + value + "]");
        }
    }

    public static final String FIELD = "impressions_from";
    static final Set<String> KEYS = Set.of(
            "index",
            "query_param",
            "user_param",
            "max_impressions",
            "slots",
            "min_impressions",
            "propensity_floor",
            "max_events_per_user",
            "users_per_batch",
            "candidates",
            "queries");
    /** As many queries as a {@code terms} query takes by default. */
    static final int MAX_QUERIES = 65_536;

    static ImpressionOptions parse(String api, Object value) {
        if (value instanceof Map<?, ?> == false
                || ((Map<?, ?>) value).size() != 1
                || ((Map<?, ?>) value).get("events") instanceof Map<?, ?> == false) {
            throw new IllegalArgumentException("[" + api + "] [" + FIELD + "] must be {\"events\": {...}}: where the "
                    + "impressions and clicks to train on are logged");
        }
        Map<?, ?> events = (Map<?, ?>) ((Map<?, ?>) value).get("events");
        for (Object key : events.keySet()) {
            if (KEYS.contains(key) == false) {
                throw new IllegalArgumentException("[" + api + "] unknown parameter [" + key + "] of [" + FIELD
                        + ".events]; expected some of " + new TreeSet<>(KEYS));
            }
        }
        Object index = events.get("index");
        if (index != null && (index instanceof String == false || ((String) index).isBlank())) {
            throw new IllegalArgumentException("[" + api + "] [" + FIELD + ".events.index] must be an index name");
        }
        String queryParam = string(api, events, "query_param", "query");
        String userParam = string(api, events, "user_param", "user_id");
        if (queryParam.equals(userParam)) {
            throw new IllegalArgumentException(
                    "[" + api + "] [" + FIELD + ".events] [query_param] and [user_param] must differ");
        }
        Object floor = events.get("propensity_floor") == null ? 0.05 : events.get("propensity_floor");
        if (floor instanceof Number == false
                || ((Number) floor).doubleValue() < 0.001
                || ((Number) floor).doubleValue() > 1) {
            throw new IllegalArgumentException("[" + api + "] [" + FIELD
                    + ".events.propensity_floor] must be a number between 0.001 and 1 but was [" + floor + "]");
        }
        Candidates candidates =
                Candidates.parse(api, events.get("candidates") == null ? "window" : events.get("candidates"));
        return new ImpressionOptions(
                (String) index,
                queryParam,
                userParam,
                integer(api, events, "max_impressions", 20_000, 1, 1_000_000),
                integer(api, events, "slots", 10, 2, JudgmentOptions.MAX_SLOTS),
                integer(api, events, "min_impressions", 10, 1, 1_000_000),
                ((Number) floor).doubleValue(),
                integer(api, events, "max_events_per_user", 10_000, 1, 1_000_000),
                integer(api, events, "users_per_batch", 500, 1, 10_000),
                candidates,
                queries(api, events.get("queries")));
    }

    private static Set<String> queries(String api, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> == false
                || ((List<?>) value).isEmpty()
                || ((List<?>) value).size() > MAX_QUERIES) {
            throw new IllegalArgumentException("[" + api + "] [" + FIELD + ".events.queries] must be a list of 1 to "
                    + MAX_QUERIES + " logged queries but was [" + value + "]");
        }
        Set<String> queries = new HashSet<>();
        for (Object q : (List<?>) value) {
            if (q instanceof String == false || Judgments.normalize((String) q).isEmpty()) {
                throw new IllegalArgumentException(
                        "[" + api + "] [" + FIELD + ".events.queries] must hold query texts " + "but held [" + q + "]");
            }
            queries.add(Judgments.normalize((String) q));
        }
        return Set.copyOf(queries);
    }

    /** A request as an impression gives one: to check the template and the features before anything runs. */
    public JudgedRequest sampleRequest() {
        return new JudgedRequest(FIELD, Map.of(queryParam, "query", userParam, "user"), Map.of());
    }

    ImpressionOptions orIndex(String defaultIndex) {
        return index != null
                ? this
                : new ImpressionOptions(
                        defaultIndex,
                        queryParam,
                        userParam,
                        maxImpressions,
                        slots,
                        minImpressions,
                        propensityFloor,
                        maxEventsPerUser,
                        usersPerBatch,
                        candidates,
                        queries);
    }

    /** The position-based model the propensities are estimated with, over the same events. */
    public JudgmentOptions propensityModel() {
        return new JudgmentOptions(index, ClickModel.PBM, minImpressions, slots, 3, 1000, 1e-6, queryParam);
    }

    private static String string(String api, Map<?, ?> events, String key, String defaultValue) {
        Object v = events.get(key) == null ? defaultValue : events.get(key);
        if (v instanceof String s && s.isBlank() == false) {
            return s;
        }
        throw new IllegalArgumentException("[" + api + "] [" + FIELD + ".events." + key + "] must be a param name");
    }

    private static int integer(String api, Map<?, ?> events, String key, int defaultValue, int min, int max) {
        Object v = events.get(key) == null ? defaultValue : events.get(key);
        if (v instanceof Integer i && i >= min && i <= max) {
            return i;
        }
        throw new IllegalArgumentException("[" + api + "] [" + FIELD + ".events." + key + "] must be an integer "
                + "between " + min + " and " + max + " but was [" + v + "]");
    }
}
