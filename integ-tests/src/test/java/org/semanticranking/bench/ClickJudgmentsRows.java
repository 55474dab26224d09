package org.semanticranking.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.semanticranking.evaluation.Folds;
import org.semanticranking.integ.RealNode;
import org.semanticranking.personalization.events.InteractionEvent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.semanticranking.bench.LearnedRankingBenchmark.Catalogue;
import static org.semanticranking.bench.LearnedRankingBenchmark.FOLDS;
import static org.semanticranking.bench.LearnedRankingBenchmark.Query;
import static org.semanticranking.bench.LearnedRankingBenchmark.Run;
import static org.semanticranking.bench.LearnedRankingBenchmark.SEED;
import static org.semanticranking.bench.LearnedRankingBenchmark.WINDOW;
import static org.semanticranking.bench.LearnedRankingBenchmark.fill;
import static org.semanticranking.bench.LearnedRankingBenchmark.format;
import static org.semanticranking.bench.LearnedRankingBenchmark.json;
import static org.semanticranking.bench.LearnedRankingBenchmark.map;
import static org.semanticranking.bench.LearnedRankingBenchmark.meanOverGain;

/**
 * One catalogue's rows of {@link ClickJudgmentsBenchmark}.
 *
 * <p><b>The simulation.</b> Each query is searched {@code impressions} times. The page shown is the top 10 of the hybrid
 * as served (70% of the searches), of its lexical side alone (15%) or of its kNN side alone (15%): a shop whose
 * rankings differ over time (experiments, releases), which is what lets examination and relevance be told apart. Clicks
 * follow a position-based model: slot k (1-based) is examined with probability {@code k^-0.8}; an examined product is
 * clicked with probability {@code 0.02 + 0.98 (2^g - 1) / (2^max - 1)}, g its human grade (0 when unjudged, max the
 * catalogue's top grade). Every shown product is logged as a {@code view} with the impression's id, its position and
 * the query, every click as a {@code click} with the same, into an events index, as the README asks a shop to log.
 *
 * <p><b>The rows.</b> Five fixed folds by query (seed 0, the folds of the other benchmarks). Per fold, rankers with the
 * same features and model are trained by {@code _train} on the four training folds' requests, from the human grades
 * ({@code ratings}) or from the events ({@code ratings_from}, the position-based model or COEC, no grade seen), and
 * served by {@code learned_rank} over the hybrid's window on the held-out fold. All rows are scored on the held-out
 * queries with the human grades. The target: the gain over the hybrid of the ranker from events is at least 90% of
 * the gain of the ranker from ratings.
 */
final class ClickJudgmentsRows {

    static final int MSEARCH_BATCH = 50;
    static final double EXAMINATION_POWER = 0.8;
    static final double NOISE_CLICK = 0.02;
    static final int MIN_IMPRESSIONS = 5;
    static final String EVENTS = "click-events";
    /** Whether the rows with the query's clicks as features ({@code clicks}) run too. */
    static final boolean CLICK_FEATURES =
            Boolean.parseBoolean(System.getProperty("bench.clicks.click_features", "true"));
    /**
     * Whether the searches are also logged into two halves (even and odd searches), for the rows whose labels come from
     * one half and whose clicks features read the other: are the labels and the features from the same clicks what
     * costs the ranker from clicks its share of the gain?
     */
    static final boolean SPLIT = Boolean.getBoolean("bench.clicks.split");
    /** Whether only the rows with the clicks features run (with {@link #SPLIT}: the question's four rows). */
    static final boolean ONLY_CLICK_FEATURES = Boolean.getBoolean("bench.clicks.only_click_features");
    /** Whether the ranker trained on the impressions themselves ({@code impressions_from}) runs. */
    static final boolean IMPRESSIONS = Boolean.parseBoolean(System.getProperty("bench.clicks.impressions", "true"));
    /** Whether the interleaving simulation runs. */
    static final boolean INTERLEAVING = Boolean.parseBoolean(System.getProperty("bench.clicks.interleaving", "true"));

    static final String LABEL_HALF = EVENTS + "-even", FEATURE_HALF = EVENTS + "-odd";

    private final RealNode node;
    private final Catalogue c;
    private final List<Query> queries;
    private final int[] foldOf;
    private final int impressions;
    private final double maxGrade;
    private final StringBuilder notes = new StringBuilder();
    private final Map<String, Run> runs = new LinkedHashMap<>();

    ClickJudgmentsRows(RealNode node, Catalogue c, int impressions) {
        this.node = node;
        this.c = c;
        this.queries = c.queries();
        this.foldOf = Folds.assign(queries.size(), FOLDS, SEED);
        this.impressions = impressions;
        this.maxGrade = queries.stream()
                .flatMap(q -> q.grades().values().stream())
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(1);
    }

    static double examination(int slot) {
        return Math.pow(slot, -EXAMINATION_POWER);
    }

    double clickWhenExamined(Query q, String productId) {
        double g = q.grades().getOrDefault(productId, 0.0);
        return NOISE_CLICK + (1 - NOISE_CLICK) * (Math.pow(2, g) - 1) / (Math.pow(2, maxGrade) - 1);
    }

    String run() throws Exception {
        long start = System.nanoTime();
        List<List<String>> hybrid = top10(q -> hybrid(q.text(), ""));
        List<List<String>> lexical =
                top10(q -> "{\"size\":10,\"_source\":false,\"query\":" + fill(c.hybridLexical(), q.text()) + "}");
        List<List<String>> knn =
                top10(q -> "{\"size\":10,\"_source\":false,\"query\":" + fill(semanticIntent(), q.text()) + "}");
        runs.put(
                "semantic_hybrid (the first stage, the page mostly shown)",
                LearnedRankingBenchmark.run("hybrid", queries, hybrid));
        if (Boolean.getBoolean("bench.clicks.interleaving_only")) {
            return "### " + c.name() + "\n\n" + new InterleavingSimulation(queries, hybrid, lexical, maxGrade).run();
        }
        long[] logged = logClicks(hybrid, lexical, knn);
        notes.append(format(
                "- simulated: %d searches (%d per query), %d products shown, %d clicks (%.3f per shown product)%n",
                logged[0], impressions, logged[1], logged[2], (double) logged[2] / logged[1]));
        propensities("pbm", 1000, 1e-6);
        propensities("coec", 1000, 1e-6);
        String interleaving = INTERLEAVING ? new InterleavingSimulation(queries, hybrid, lexical, maxGrade).run() : "";

        List<Map<String, Object>> all = new ArrayList<>();
        c.families().values().forEach(all::addAll);
        Map<String, Object> linear = map("type", "linear");
        if (ONLY_CLICK_FEATURES == false) {
            rank("linear ranker from the human grades (ratings)", all, linear, null);
            rank("linear ranker from the clicks, position-based model (ratings_from)", all, linear, "pbm");
        }
        if (CLICK_FEATURES) {
            // the same with the query's clicks as features (COEC, impressions, clicks of the request's query per hit,
            // read from the same events): the held-out queries' own clicks are read too, as a shop's head queries have
            List<Map<String, Object>> withClicks = withClicksFeatures(all, EVENTS);
            rank(
                    "linear ranker from the human grades, with the query's clicks as features (ratings)",
                    withClicks,
                    linear,
                    null);
            rank(
                    "linear ranker from the clicks, position-based model, with the query's clicks as features "
                            + "(ratings_from)",
                    withClicks,
                    linear,
                    "pbm");
        }
        if (CLICK_FEATURES && IMPRESSIONS) {
            List<Map<String, Object>> withClicks = withClicksFeatures(all, EVENTS);
            rank(
                    "linear ranker from the impressions, with the query's clicks of every other shopper as features "
                            + "(impressions_from)",
                    withClicks,
                    linear,
                    null,
                    Map.of("impressions", true));
        }
        if (CLICK_FEATURES && SPLIT) {
            // labels from the even searches, the clicks features from the odd ones (trained and served): the label of
            // a pair is then no function of the clicks its features read
            List<Map<String, Object>> halfClicks = withClicksFeatures(all, FEATURE_HALF);
            rank(
                    "linear ranker from the human grades, the clicks features from the odd searches (ratings)",
                    halfClicks,
                    linear,
                    null);
            rank(
                    "linear ranker from the clicks of the even searches, the clicks features from the odd ones "
                            + "(ratings_from)",
                    halfClicks,
                    linear,
                    "pbm",
                    Map.of("index", LABEL_HALF));
        }
        if (queries.size() < 1000 && ONLY_CLICK_FEATURES == false) {
            // Home Depot: two trainings a fold (each collects 4,790 requests' candidates), COEC on Chorus only
            rank("linear ranker from the clicks, COEC (ratings_from)", all, linear, "coec");
            Map<String, Object> trees = map("type", "lambdamart");
            rank("LambdaMART from the human grades (ratings)", all, trees, null);
            rank("LambdaMART from the clicks, position-based model (ratings_from)", all, trees, "pbm");
            // fewer, surer grades: pairs shown at least 20 and 50 times (stop 25 tried training on the graded
            // candidates only, "candidates: rated": worse in every row, see benchmarks/README.md)
            rank(
                    "LambdaMART from the clicks, min_impressions 20 (ratings_from)",
                    all,
                    trees,
                    "pbm",
                    Map.of("min_impressions", 20));
            rank(
                    "LambdaMART from the clicks, min_impressions 50 (ratings_from)",
                    all,
                    trees,
                    "pbm",
                    Map.of("min_impressions", 50));
        }
        node.call("DELETE", "/" + EVENTS, null);
        if (SPLIT) {
            node.call("DELETE", "/" + LABEL_HALF + "," + FEATURE_HALF, null);
        }
        return "### " + c.name() + "\n\n" + table() + notes + "\n" + interleaving
                + format("%nThis catalogue's rows took %.0f s.%n%n", (System.nanoTime() - start) / 1e9);
    }

    /** The features and the query's clicks ({@code coec}, {@code impressions}, {@code clicks}) read from {@code index}. */
    private static List<Map<String, Object>> withClicksFeatures(List<Map<String, Object>> features, String index) {
        List<Map<String, Object>> withClicks = new ArrayList<>(features);
        for (String measure : List.of("coec", "impressions", "clicks")) {
            withClicks.add(map("name", "query_" + measure, "clicks", map("measure", measure, "index", index)));
        }
        return withClicks;
    }

    // ---- the simulation -------------------------------------------------------------------------------------------

    /** @return searches, products shown, clicks */
    private long[] logClicks(List<List<String>> hybrid, List<List<String>> lexical, List<List<String>> knn)
            throws Exception {
        for (String index : SPLIT ? List.of(EVENTS, LABEL_HALF, FEATURE_HALF) : List.of(EVENTS)) {
            node.call(
                    "PUT",
                    "/" + index,
                    "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0,\"refresh_interval\":\"-1\"},"
                            + "\"mappings\":" + InteractionEvent.MAPPING + "}");
        }
        Random random = new Random(17);
        long searches = 0, shown = 0, clicks = 0;
        StringBuilder bulk = new StringBuilder();
        long time = 1_764_547_200_000L;
        for (int i = 0; i < queries.size(); i++) {
            Query q = queries.get(i);
            for (int n = 0; n < impressions; n++) {
                double pick = random.nextDouble();
                List<String> page = pick < 0.7 ? hybrid.get(i) : pick < 0.85 ? lexical.get(i) : knn.get(i);
                String half = searches % 2 == 0 ? LABEL_HALF : FEATURE_HALF;
                String impression = "s" + searches++;
                String user = "shopper-" + random.nextInt(5000);
                time += 1000;
                for (int k = 0; k < page.size(); k++) {
                    String product = page.get(k);
                    String common = format(
                            "\"user_id\":\"%s\",\"product_id\":%s,\"query\":%s,\"impression_id\":\"%s\",\"position\":%d",
                            user, json(product), json(q.text()), impression, k);
                    event(bulk, half, common + ",\"type\":\"view\",\"@timestamp\":" + time);
                    shown++;
                    if (random.nextDouble() < examination(k + 1)
                            && random.nextDouble() < clickWhenExamined(q, product)) {
                        event(bulk, half, common + ",\"type\":\"click\",\"@timestamp\":" + (time + 500));
                        clicks++;
                    }
                }
                if (bulk.length() > 4_000_000) {
                    flush(bulk);
                }
            }
        }
        flush(bulk);
        node.call("POST", "/" + EVENTS + (SPLIT ? "," + LABEL_HALF + "," + FEATURE_HALF : "") + "/_refresh", null);
        return new long[] {searches, shown, clicks};
    }

    /** One event into the whole log, and with {@link #SPLIT} into its search's half too. */
    private static void event(StringBuilder bulk, String half, String fields) {
        bulk.append("{\"index\":{\"_index\":\"")
                .append(EVENTS)
                .append("\"}}\n{")
                .append(fields)
                .append("}\n");
        if (SPLIT) {
            bulk.append("{\"index\":{\"_index\":\"")
                    .append(half)
                    .append("\"}}\n{")
                    .append(fields)
                    .append("}\n");
        }
    }

    private void flush(StringBuilder bulk) throws Exception {
        if (bulk.length() == 0) {
            return;
        }
        JsonNode r = node.call("POST", "/_bulk", bulk.toString());
        if (r.get("errors").asBoolean()) {
            throw new IllegalStateException(
                    "the events bulk failed: " + r.toString().substring(0, 500));
        }
        bulk.setLength(0);
    }

    /** What {@code _from_events} estimates from every query's clicks, against the simulated truth. */
    private void propensities(String model, int maxIterations, double tolerance) throws Exception {
        long started = System.nanoTime();
        JsonNode judged = node.call(
                "POST",
                "/" + c.index() + "/_semantic_ranking/judgments/_from_events",
                json(map(
                        "index",
                        EVENTS,
                        "click_model",
                        model,
                        "min_impressions",
                        MIN_IMPRESSIONS,
                        "max_iterations",
                        maxIterations,
                        "tolerance",
                        tolerance)));
        double seconds = (System.nanoTime() - started) / 1e9;
        StringBuilder slots = new StringBuilder();
        double worst = 0;
        JsonNode rates = judged.get(model.equals("pbm") ? "propensities" : "click_through_rates");
        double top =
                rates.get(0).get(model.equals("pbm") ? "propensity" : "rate").asDouble();
        for (JsonNode slot : rates) {
            int k = slot.get("position").asInt() + 1;
            double estimated =
                    slot.get(model.equals("pbm") ? "propensity" : "rate").asDouble() / top;
            double truth = examination(k);
            worst = Math.max(worst, Math.abs(estimated - truth) / truth);
            slots.append(slots.length() == 0 ? "" : ", ").append(format("%.3f (%.3f)", estimated, truth));
        }
        // how the grades from clicks agree with the human grades, on the pairs both judged
        long agree = 0, pairs = 0, rated = 0, humanJudged = 0;
        Map<String, Map<String, Integer>> byRequest = new LinkedHashMap<>();
        judged.get("ratings")
                .forEach(r -> byRequest
                        .computeIfAbsent(r.get("request").asText(), k -> new LinkedHashMap<>())
                        .put(r.get("_id").asText(), r.get("grade").asInt()));
        for (Query q : queries) {
            Map<String, Integer> fromClicks =
                    byRequest.getOrDefault(org.semanticranking.judgments.Judgments.normalize(q.text()), Map.of());
            rated += fromClicks.size();
            List<String> both = new ArrayList<>();
            for (String id : fromClicks.keySet()) {
                if (q.grades().containsKey(id)) {
                    both.add(id);
                }
            }
            humanJudged += both.size();
            for (String a : both) {
                for (String b : both) {
                    if (q.grades().get(a) > q.grades().get(b)) {
                        pairs++;
                        agree += fromClicks.get(a) > fromClicks.get(b) ? 1 : 0;
                    }
                }
            }
        }
        notes.append(format(
                "- `_from_events` (%s, min_impressions %d, %.1f s): %d pairs rated (%d of them graded by a person too);"
                        + " of the pairs of products a person grades apart, the clicks' grades order %.1f%% the same"
                        + " way (ties count against)%s. Examination relative to slot 1, estimated (simulated): %s;"
                        + " worst slot off by %.1f%%%s%n",
                model,
                MIN_IMPRESSIONS,
                seconds,
                rated,
                humanJudged,
                100.0 * agree / Math.max(1, pairs),
                model.equals("pbm")
                        ? format(
                                ", %d EM rounds, converged %s",
                                judged.get("iterations").asInt(), judged.get("converged"))
                        : "",
                slots,
                100 * worst,
                model.equals("pbm") ? "" : " (COEC's rates are not propensities: they carry what each slot holds)"));
    }

    // ---- rankers --------------------------------------------------------------------------------------------------

    private static String semanticIntent() {
        return "{\"semantic_intent\":{\"query\":\"{{query}}\",\"field\":\"product_vector\",\"k\":" + WINDOW
                + ",\"num_candidates\":" + 2 * WINDOW + "}}";
    }

    private String hybridTemplate(String extra) {
        return "{\"retriever\":{\"semantic_hybrid\":{\"lexical\":{\"standard\":{\"query\":" + c.hybridLexical()
                + "}},\"semantic\":{\"standard\":{\"query\":" + semanticIntent() + "}},\"rank_window_size\":" + WINDOW
                + extra + "}}}";
    }

    private String hybrid(String text, String extra) throws Exception {
        return "{\"size\":10,\"_source\":false,"
                + fill(hybridTemplate(extra), text).substring(1);
    }

    interface Body {
        String of(Query q) throws Exception;
    }

    private List<JsonNode> search(List<Query> subset, Body body) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int from = 0; from < subset.size(); from += MSEARCH_BATCH) {
            StringBuilder ndjson = new StringBuilder();
            for (Query q : subset.subList(from, Math.min(subset.size(), from + MSEARCH_BATCH))) {
                ndjson.append("{}\n").append(body.of(q)).append('\n');
            }
            JsonNode responses = node.call("POST", "/" + c.index() + "/_msearch", ndjson.toString());
            for (JsonNode r : responses.get("responses")) {
                if (r.has("error")) {
                    throw new IllegalStateException("a search failed: " + r);
                }
                out.add(r);
            }
        }
        return out;
    }

    private List<List<String>> top10(Body body) throws Exception {
        return search(queries, body).stream().map(LearnedRankingBenchmark::ids).toList();
    }

    private List<Query> inFold(int f, boolean in) {
        List<Query> out = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            if ((foldOf[i] == f) == in) {
                out.add(queries.get(i));
            }
        }
        return out;
    }

    /** The training body's requests and either the human ratings or the events' judgments ({@code clickModel}). */
    private Map<String, Object> judged(List<Query> subset, String clickModel, String eventsIndex) {
        List<Object> requests = new ArrayList<>();
        List<Object> ratings = new ArrayList<>();
        for (Query q : subset) {
            requests.add(map("id", q.id(), "params", map("query", q.text())));
            q.grades()
                    .forEach((id, g) -> ratings.add(map(
                            "request",
                            q.id(),
                            "_id",
                            id,
                            "grade",
                            c.trainingGrade().apply(g))));
        }
        Map<String, Object> body = map("requests", requests);
        if (clickModel == null) {
            body.put("ratings", ratings);
        } else {
            body.put(
                    "ratings_from",
                    map(
                            "events",
                            map("index", eventsIndex, "click_model", clickModel, "min_impressions", MIN_IMPRESSIONS)));
        }
        return body;
    }

    /** Per fold: _train on the other folds' requests, then serve the fold's queries with learned_rank. */
    private void rank(String name, List<Map<String, Object>> features, Object model, String clickModel)
            throws Exception {
        rank(name, features, model, clickModel, Map.of());
    }

    /**
     * @param options {@code min_impressions} for the grades from events, in place of {@link #MIN_IMPRESSIONS}; {@code
     *     index}, the events the grades come from, in place of {@link #EVENTS}
     */
    private void rank(
            String name,
            List<Map<String, Object>> features,
            Object model,
            String clickModel,
            Map<String, Object> options)
            throws Exception {
        List<List<String>> out = new ArrayList<>(Collections.nCopies(queries.size(), List.of()));
        long trainMillis = 0;
        String rankerId = "clicks-" + Integer.toHexString(name.hashCode());
        for (int f = 0; f < FOLDS; f++) {
            Map<String, Object> body =
                    judged(inFold(f, false), clickModel, (String) options.getOrDefault("index", EVENTS));
            if (Boolean.TRUE.equals(options.get("impressions"))) {
                // each impression with a click one request, its clicks the labels; the clicks features read every
                // other shopper's impressions of the query; only the training folds' queries are trained on
                body.clear();
                body.put(
                        "impressions_from",
                        map(
                                "events",
                                map(
                                        "index",
                                        EVENTS,
                                        "queries",
                                        inFold(f, false).stream()
                                                .map(Query::text)
                                                .toList())));
            }
            body.put("template", LearnedRankingBenchmark.JSON.readValue(hybridTemplate(""), Map.class));
            body.put("window_size", WINDOW);
            body.put("features", features);
            body.put("model", model);
            body.put("folds", 1);
            if (options.get("min_impressions") != null && body.get("ratings_from") instanceof Map<?, ?> from) {
                @SuppressWarnings("unchecked")
                Map<String, Object> events = (Map<String, Object>) from.get("events");
                events.put("min_impressions", options.get("min_impressions"));
            }
            JsonNode trained = node.call(
                    "POST", "/" + c.index() + "/_semantic_ranking/rankers/" + rankerId + "/_train", json(body));
            trainMillis += trained.get("took_ms").asLong();
            List<Query> test = inFold(f, true);
            List<JsonNode> served = search(
                    test,
                    q -> hybrid(
                            q.text(),
                            ",\"rescore\":[{\"window_size\":" + WINDOW + ",\"learned_rank\":{\"ranker_id\":\""
                                    + rankerId + "\",\"params\":{\"query\":" + json(q.text()) + "}}}]"));
            int t = 0;
            for (int i = 0; i < queries.size(); i++) {
                if (foldOf[i] == f) {
                    out.set(i, LearnedRankingBenchmark.ids(served.get(t++)));
                }
            }
        }
        node.call("DELETE", "/_semantic_ranking/rankers/" + rankerId, null);
        runs.put(name, LearnedRankingBenchmark.run(name, queries, out));
        notes.append(format(
                "- %s: %d features, 5 trainings on 4 folds took %.1f s in all%n",
                name, features.size(), trainMillis / 1000.0));
    }

    // ---- the report -----------------------------------------------------------------------------------------------

    private String table() {
        StringBuilder t = new StringBuilder(
                "| row | nDCG@10 (relevant queries) | nDCG@10 (all) | judged@10 | gain over the hybrid |\n|---|---|---|---|---|\n");
        double hybridMean = headline(runs.values().iterator().next());
        for (Map.Entry<String, Run> e : runs.entrySet()) {
            double mean = headline(e.getValue());
            t.append(format(
                    "| %s | %.3f | %.3f | %.2f | %+.3f |%n",
                    e.getKey(),
                    mean,
                    LearnedRankingBenchmark.mean(e.getValue().ndcg()),
                    LearnedRankingBenchmark.mean(e.getValue().judged()),
                    mean - hybridMean));
        }
        t.append('\n');
        for (String[] pair : List.of(
                new String[] {
                    "linear ranker from the clicks, position-based model (ratings_from)",
                    "linear ranker from the human grades (ratings)"
                },
                new String[] {
                    "linear ranker from the clicks, COEC (ratings_from)",
                    "linear ranker from the human grades (ratings)"
                },
                new String[] {
                    "LambdaMART from the clicks, position-based model (ratings_from)",
                    "LambdaMART from the human grades (ratings)"
                },
                new String[] {
                    "LambdaMART from the clicks, min_impressions 20 (ratings_from)",
                    "LambdaMART from the human grades (ratings)"
                },
                new String[] {
                    "LambdaMART from the clicks, min_impressions 50 (ratings_from)",
                    "LambdaMART from the human grades (ratings)"
                },
                new String[] {
                    "linear ranker from the clicks, position-based model, with the query's clicks as features "
                            + "(ratings_from)",
                    "linear ranker from the human grades (ratings)"
                },
                new String[] {
                    "linear ranker from the clicks, position-based model, with the query's clicks as features "
                            + "(ratings_from)",
                    "linear ranker from the human grades, with the query's clicks as features (ratings)"
                },
                new String[] {
                    "linear ranker from the impressions, with the query's clicks of every other shopper as features "
                            + "(impressions_from)",
                    "linear ranker from the human grades, with the query's clicks as features (ratings)"
                },
                new String[] {
                    "linear ranker from the clicks of the even searches, the clicks features from the odd ones "
                            + "(ratings_from)",
                    "linear ranker from the human grades, the clicks features from the odd searches (ratings)"
                })) {
            Run clicks = runs.get(pair[0]), ratings = runs.get(pair[1]);
            if (clicks == null || ratings == null) {
                continue;
            }
            double gainClicks = headline(clicks) - hybridMean, gainRatings = headline(ratings) - hybridMean;
            t.append(format(
                    "- **%s** keeps %.0f%% of the gain of **%s** (%+.3f of %+.3f); paired randomization test of the"
                            + " two rankers p %.3f; of the ranker from clicks against the hybrid p %.3f%n",
                    pair[0],
                    100 * gainClicks / gainRatings,
                    pair[1],
                    gainClicks,
                    gainRatings,
                    pValue(clicks, ratings),
                    pValue(clicks, runs.values().iterator().next())));
        }
        t.append('\n');
        return t.toString();
    }

    private double headline(Run r) {
        return meanOverGain(queries, r.ndcg(), null, 0, true);
    }

    /** Two-sided paired randomization test (10,000 sign flips, seeded) over the queries with a relevant judgment. */
    private double pValue(Run a, Run b) {
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            if (queries.get(i).hasGain()) {
                d.add(a.ndcg()[i] - b.ndcg()[i]);
            }
        }
        double observed = Math.abs(d.stream().mapToDouble(Double::doubleValue).sum());
        Random random = new Random(0);
        int extreme = 0;
        for (int n = 0; n < 10_000; n++) {
            double s = 0;
            for (double x : d) {
                s += random.nextBoolean() ? x : -x;
            }
            if (Math.abs(s) >= observed - 1e-12) {
                extreme++;
            }
        }
        return (extreme + 1) / 10_001.0;
    }
}
