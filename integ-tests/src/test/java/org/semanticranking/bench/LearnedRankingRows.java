package org.semanticranking.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.semanticranking.evaluation.Folds;
import org.semanticranking.integ.RealNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

/** The rows of {@link LearnedRankingBenchmark} for one catalogue, each query scored out of fold. */
final class LearnedRankingRows {

    /** A hit of a top list, with its score. */
    record Scored(String id, double score) {}

    static final int MSEARCH_BATCH = 50;
    static final double[] WEIGHTS = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1};

    private final RealNode node;
    private final Catalogue c;
    private final List<Query> queries;
    private final int[] foldOf;
    private final StringBuilder notes = new StringBuilder();
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final List<String> fusionRows = new ArrayList<>();
    private final List<String> rankerRows = new ArrayList<>();

    LearnedRankingRows(RealNode node, Catalogue c) {
        this.node = node;
        this.c = c;
        this.queries = c.queries();
        this.foldOf = Folds.assign(queries.size(), FOLDS, SEED);
    }

    String run() throws Exception {
        long start = System.nanoTime();
        List<List<Scored>> hybridLexical = null;
        for (Map.Entry<String, String> shape : c.lexicalShapes().entrySet()) {
            List<List<Scored>> lists = topLists(q ->
                    "{\"size\":" + WINDOW + ",\"_source\":false,\"query\":" + fill(shape.getValue(), q.text()) + "}");
            add(shape.getKey(), top10(lists), false);
            if (shape.getValue().equals(c.hybridLexical())) {
                hybridLexical = lists;
            }
        }
        List<List<Scored>> knn = topLists(
                q -> "{\"size\":" + WINDOW + ",\"_source\":false,\"query\":" + fill(semanticIntent(), q.text()) + "}");
        add("kNN (MiniLM)", top10(knn), false);
        add("client-side RRF (k 60) of the hybrid's two lists", rrf(hybridLexical, knn), true);
        add(
                "client-side linear min-max fusion, weight chosen on the training folds",
                linearFusion(hybridLexical, knn),
                true);
        add("semantic_hybrid, defaults (linear min_max 1:1)", ids(search(q -> hybrid(q.text(), ""))), true);
        add("semantic_hybrid, weights _tune'd on the training folds", tunedHybrid(), true);

        List<Map<String, Object>> all = new ArrayList<>();
        c.families().values().forEach(all::addAll);
        Map<String, Object> trees = map("type", "lambdamart");
        Map<String, Object> linear = map("type", "linear");
        rank("linear ranker, all features", all, linear, 1);
        rank("LambdaMART, all features", all, trees, 1);
        rank("chosen on the training folds (linear or LambdaMART, all features)", all, List.of(linear, trees), 4);
        List<Map<String, Object>> old = c.families().get("old");
        rank("LambdaMART, old features", old, trees, 1);
        for (Map.Entry<String, List<Map<String, Object>>> family : c.families().entrySet()) {
            if (family.getKey().equals("old") == false) {
                List<Map<String, Object>> plus = new ArrayList<>(old);
                plus.addAll(family.getValue());
                rank("LambdaMART, old + " + family.getKey(), plus, trees, 1);
            }
        }
        fullTraining(all, trees);
        return table() + notes + format("%nThis catalogue's rows took %.0f s.%n%n", (System.nanoTime() - start) / 1e9);
    }

    // ---- first stages ---------------------------------------------------------------------------------------------

    interface Body {
        String of(Query q) throws Exception;
    }

    private static String semanticIntent() {
        return "{\"semantic_intent\":{\"query\":\"{{query}}\",\"field\":\"product_vector\",\"k\":" + WINDOW
                + ",\"num_candidates\":" + 2 * WINDOW + "}}";
    }

    /** The hybrid as served: the catalogue's lexical side and MiniLM, window 100; {@code extra} inside it. */
    private String hybridTemplate(String extra) {
        return "{\"retriever\":{\"semantic_hybrid\":{\"lexical\":{\"standard\":{\"query\":" + c.hybridLexical()
                + "}},\"semantic\":{\"standard\":{\"query\":" + semanticIntent() + "}},\"rank_window_size\":" + WINDOW
                + extra + "}}}";
    }

    private String hybrid(String text, String extra) throws Exception {
        String t = hybridTemplate(extra);
        return "{\"size\":10,\"_source\":false," + fill(t, text).substring(1);
    }

    /** Every query's response, by _msearch in batches. */
    private List<JsonNode> search(Body body) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int from = 0; from < queries.size(); from += MSEARCH_BATCH) {
            StringBuilder ndjson = new StringBuilder();
            for (Query q : queries.subList(from, Math.min(queries.size(), from + MSEARCH_BATCH))) {
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

    private List<List<Scored>> topLists(Body body) throws Exception {
        List<List<Scored>> lists = new ArrayList<>();
        for (JsonNode r : search(body)) {
            List<Scored> list = new ArrayList<>();
            r.get("hits")
                    .get("hits")
                    .forEach(h -> list.add(
                            new Scored(h.get("_id").asText(), h.get("_score").asDouble())));
            lists.add(list);
        }
        return lists;
    }

    private static List<List<String>> ids(List<JsonNode> responses) {
        return responses.stream().map(LearnedRankingBenchmark::ids).toList();
    }

    private static List<List<String>> top10(List<List<Scored>> lists) {
        return lists.stream()
                .map(l -> l.stream().limit(10).map(Scored::id).toList())
                .toList();
    }

    private void add(String name, List<List<String>> rankings, boolean fusion) {
        runs.put(name, LearnedRankingBenchmark.run(name, queries, rankings));
        if (fusion) {
            fusionRows.add(name);
        }
    }

    // ---- fusion rows ----------------------------------------------------------------------------------------------

    private static List<List<String>> rrf(List<List<Scored>> lexical, List<List<Scored>> semantic) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < lexical.size(); i++) {
            Map<String, Double> fused = new HashMap<>();
            for (List<Scored> side : List.of(lexical.get(i), semantic.get(i))) {
                for (int r = 0; r < side.size(); r++) {
                    fused.merge(side.get(r).id(), 1.0 / (60 + r + 1), Double::sum);
                }
            }
            out.add(sorted(fused));
        }
        return out;
    }

    private static List<String> sorted(Map<String, Double> fused) {
        return fused.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(10)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** min-max within each list (a list without spread gives 1), then w * lexical + (1 - w) * semantic. */
    static List<String> linear(List<Scored> lexical, List<Scored> semantic, double w) {
        Map<String, Double> fused = new HashMap<>();
        for (int s = 0; s < 2; s++) {
            List<Scored> side = s == 0 ? lexical : semantic;
            double weight = s == 0 ? w : 1 - w;
            double min = side.stream().mapToDouble(Scored::score).min().orElse(0);
            double max = side.stream().mapToDouble(Scored::score).max().orElse(0);
            for (Scored hit : side) {
                double norm = max > min ? (hit.score() - min) / (max - min) : 1;
                fused.merge(hit.id(), weight * norm, Double::sum);
            }
        }
        return sorted(fused);
    }

    private List<List<String>> linearFusion(List<List<Scored>> lexical, List<List<Scored>> semantic) {
        int n = queries.size();
        double[][] byWeight = new double[WEIGHTS.length][n];
        List<List<List<String>>> rankings = new ArrayList<>();
        for (int wi = 0; wi < WEIGHTS.length; wi++) {
            List<List<String>> r = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                r.add(linear(lexical.get(i), semantic.get(i), WEIGHTS[wi]));
                byWeight[wi][i] = LearnedRankingBenchmark.ndcgAt10(
                        r.get(i), queries.get(i).grades());
            }
            rankings.add(r);
        }
        List<List<String>> out = new ArrayList<>(java.util.Collections.nCopies(n, List.of()));
        StringBuilder chosen = new StringBuilder();
        for (int f = 0; f < FOLDS; f++) {
            int best = 0;
            for (int wi = 1; wi < WEIGHTS.length; wi++) {
                if (meanOverGain(queries, byWeight[wi], foldOf, f, false)
                        > meanOverGain(queries, byWeight[best], foldOf, f, false)) {
                    best = wi;
                }
            }
            chosen.append(chosen.length() == 0 ? "" : ", ").append(WEIGHTS[best]);
            for (int i = 0; i < n; i++) {
                if (foldOf[i] == f) {
                    out.set(i, rankings.get(best).get(i));
                }
            }
        }
        notes.append("- client-side linear fusion: the lexical weight chosen per fold: ")
                .append(chosen)
                .append('\n');
        return out;
    }

    /** The ratings and requests of the given queries, as _evaluate, _tune and _train take them. */
    private Map<String, Object> judged(List<Query> subset) {
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
        return map("requests", requests, "ratings", ratings);
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

    private List<List<String>> tunedHybrid() throws Exception {
        int budget = queries.size() > 1000 ? 8 : 20;
        List<List<String>> out = new ArrayList<>(java.util.Collections.nCopies(queries.size(), List.of()));
        StringBuilder chosen = new StringBuilder();
        for (int f = 0; f < FOLDS; f++) {
            Map<String, Object> body = judged(inFold(f, false));
            body.put(
                    "template",
                    LearnedRankingBenchmark.JSON.readValue(
                            hybridTemplate(
                                    ",\"weights\":{\"lexical\":1.0,\"semantic\":1.0},\"normalization\":\"min_max\""),
                            Map.class));
            body.put(
                    "params",
                    map(
                            "retriever.semantic_hybrid.weights.lexical", map("min", 0.1, "max", 4.0),
                            "retriever.semantic_hybrid.normalization", List.of("min_max", "z_score")));
            body.put("folds", 1);
            body.put("budget", budget);
            body.put("missing_rated_docs", "ignore");
            JsonNode tuned = node.call("POST", "/" + c.index() + "/_semantic_ranking/_tune", json(body));
            String template = json(tuned.get("template"));
            chosen.append(chosen.length() == 0 ? "" : "; ")
                    .append(tuned.get("best").get("params"));
            for (int i = 0; i < queries.size(); i++) {
                if (foldOf[i] == f) {
                    JsonNode r = node.call(
                            "POST",
                            "/" + c.index() + "/_search",
                            "{\"size\":10,\"_source\":false,"
                                    + fill(template, queries.get(i).text()).substring(1));
                    out.set(i, LearnedRankingBenchmark.ids(r));
                }
            }
        }
        notes.append("- _tune (budget ")
                .append(budget)
                .append(" per fold) chose: ")
                .append(chosen)
                .append('\n');
        return out;
    }

    // ---- rankers --------------------------------------------------------------------------------------------------

    /** Per fold: _train on the other folds' requests, then serve the fold's queries with learned_rank. */
    private void rank(String name, List<Map<String, Object>> features, Object model, int folds) throws Exception {
        List<List<String>> out = new ArrayList<>(java.util.Collections.nCopies(queries.size(), List.of()));
        long trainMillis = 0;
        List<String> chosen = new ArrayList<>();
        String rankerId = "bench-" + Integer.toHexString(name.hashCode());
        for (int f = 0; f < FOLDS; f++) {
            Map<String, Object> body = judged(inFold(f, false));
            body.put("template", LearnedRankingBenchmark.JSON.readValue(hybridTemplate(""), Map.class));
            body.put("window_size", WINDOW);
            body.put("features", features);
            body.put("model", model);
            body.put("folds", folds);
            JsonNode trained = node.call(
                    "POST", "/" + c.index() + "/_semantic_ranking/rankers/" + rankerId + "/_train", json(body));
            trainMillis += trained.get("took_ms").asLong();
            chosen.add(trained.get("model").get("type").asText());
            List<Query> test = inFold(f, true);
            List<JsonNode> served = new ArrayList<>();
            for (int from = 0; from < test.size(); from += MSEARCH_BATCH) {
                StringBuilder ndjson = new StringBuilder();
                for (Query q : test.subList(from, Math.min(test.size(), from + MSEARCH_BATCH))) {
                    String rescore = ",\"rescore\":[{\"window_size\":" + WINDOW + ",\"learned_rank\":{\"ranker_id\":\""
                            + rankerId + "\",\"params\":{\"query\":" + json(q.text()) + "}}}]";
                    ndjson.append("{}\n").append(hybrid(q.text(), rescore)).append('\n');
                }
                JsonNode responses = node.call("POST", "/" + c.index() + "/_msearch", ndjson.toString());
                int item = 0;
                for (JsonNode r : responses.get("responses")) {
                    if (r.has("error")) {
                        throw new IllegalStateException(name + ": fold " + f + ": the served search of ["
                                + test.get(from + item).text() + "] failed: " + r);
                    }
                    served.add(r);
                    item++;
                }
            }
            int t = 0;
            for (int i = 0; i < queries.size(); i++) {
                if (foldOf[i] == f) {
                    out.set(i, LearnedRankingBenchmark.ids(served.get(t++)));
                }
            }
        }
        node.call("DELETE", "/_semantic_ranking/rankers/" + rankerId, null);
        runs.put(name, LearnedRankingBenchmark.run(name, queries, out));
        rankerRows.add(name);
        notes.append(format(
                "- %s: %d features, 5 trainings on 4 folds took %.1f s in all%s%n",
                name,
                features.size(),
                trainMillis / 1000.0,
                folds > 1 ? " (models chosen per fold: " + chosen + ")" : ""));
    }

    /** One training on every query with the plugin's own 5-fold cross-validation: its time, and what it reports. */
    private void fullTraining(List<Map<String, Object>> features, Object model) throws Exception {
        Map<String, Object> body = judged(queries);
        body.put("template", LearnedRankingBenchmark.JSON.readValue(hybridTemplate(""), Map.class));
        body.put("window_size", WINDOW);
        body.put("features", features);
        body.put("model", model);
        body.put("folds", FOLDS);
        JsonNode trained =
                node.call("POST", "/" + c.index() + "/_semantic_ranking/rankers/bench-full/_train", json(body));
        JsonNode cv = trained.get("training").get("cross_validation");
        notes.append(format(
                "- `_train` on all %d requests with its own 5-fold cross-validation (LambdaMART, %d features, %d "
                        + "candidates): %.1f s; its out-of-fold nDCG@10 (training grades) %.3f against the first "
                        + "stage's %.3f. Top features by gain: %s%n",
                queries.size(),
                features.size(),
                trained.get("training").get("candidates").asLong(),
                trained.get("took_ms").asLong() / 1000.0,
                cv.get("ranker").get("mean").asDouble(),
                cv.get("first_stage").get("mean").asDouble(),
                topFeatures(trained.get("training").get("importance"), 6)));
    }

    private static String topFeatures(JsonNode importance, int k) {
        List<String> names = new ArrayList<>();
        importance.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names.subList(0, Math.min(k, names.size())));
    }

    // ---- the table ------------------------------------------------------------------------------------------------

    private String cell(Run r) {
        return format(
                "%.3f | %.3f | %.3f | %.2f",
                meanOverGain(queries, r.ndcg(), null, 0, true),
                LearnedRankingBenchmark.mean(r.ndcg()),
                LearnedRankingBenchmark.mean(r.mrr()),
                LearnedRankingBenchmark.mean(r.judged()));
    }

    private String best(List<String> names) {
        return names.stream()
                .max(Comparator.comparingDouble(
                        n -> meanOverGain(queries, runs.get(n).ndcg(), null, 0, true)))
                .orElseThrow();
    }

    private String paired(String a, String b) {
        List<Double> diffs = new ArrayList<>();
        int wins = 0, losses = 0;
        for (int i = 0; i < queries.size(); i++) {
            if (queries.get(i).hasGain()) {
                double d = runs.get(a).ndcg()[i] - runs.get(b).ndcg()[i];
                diffs.add(d);
                wins += d > 1e-12 ? 1 : 0;
                losses += d < -1e-12 ? 1 : 0;
            }
        }
        double ma = meanOverGain(queries, runs.get(a).ndcg(), null, 0, true);
        double mb = meanOverGain(queries, runs.get(b).ndcg(), null, 0, true);
        double p = FusionDefaultsBenchmark.randomizationP(diffs);
        return format(
                "**%s** against **%s**: %.3f vs %.3f, %+.3f (%+.1f%%), p %s, wins / losses %d / %d%n",
                a, b, ma, mb, ma - mb, 100 * (ma - mb) / mb, p < 0.001 ? "< 0.001" : format("%.3f", p), wins, losses);
    }

    private String table() {
        long withGain = queries.stream().filter(Query::hasGain).count();
        StringBuilder t = new StringBuilder(format(
                "### %s%n%nFirst stage of every ranker: `semantic_hybrid` (lexical `%s`, MiniLM `semantic_intent`, "
                        + "window %d). %d of %d queries have a relevant judgment.%n%n",
                c.name(), c.hybridLexical().replace("|", "\\|"), WINDOW, withGain, queries.size()));
        t.append("| row | nDCG@10 (relevant queries) | nDCG@10 (all) | MRR@10 | judged@10 |\n|---|---|---|---|---|\n");
        for (Run r : runs.values()) {
            t.append("| ").append(r.name()).append(" | ").append(cell(r)).append(" |\n");
        }
        List<String> others = new ArrayList<>(runs.keySet());
        others.removeAll(rankerRows);
        t.append('\n');
        String chosen = rankerRows.stream()
                .filter(n -> n.startsWith("chosen"))
                .findFirst()
                .orElseThrow();
        t.append("- Target row, ").append(paired(chosen, best(fusionRows)));
        t.append("- Best ranker row against the best other row: ").append(paired(best(rankerRows), best(others)));
        t.append('\n');
        return t.toString();
    }

    // ---- latency --------------------------------------------------------------------------------------------------

    /** p50 of the hybrid alone against the hybrid with a 20-feature ranker over its window of 100, interleaved. */
    static String latency(RealNode node, Catalogue c) throws Exception {
        LearnedRankingRows rows = new LearnedRankingRows(node, c);
        List<Map<String, Object>> features = new ArrayList<>(c.families().get("old"));
        for (String family : List.of("second model", "title vector", "text")) {
            for (Map<String, Object> f : c.families().get(family)) {
                if (features.size() < 20) {
                    features.add(f);
                }
            }
        }
        Map<String, Object> body = rows.judged(c.queries());
        body.put("template", LearnedRankingBenchmark.JSON.readValue(rows.hybridTemplate(""), Map.class));
        body.put("window_size", WINDOW);
        body.put("features", features);
        body.put("model", map("type", "lambdamart"));
        body.put("folds", 1);
        node.call("POST", "/" + c.index() + "/_semantic_ranking/rankers/bench-latency/_train", json(body));
        List<Long> alone = new ArrayList<>(), ranked = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (Query q : c.queries()) {
                String plain = rows.hybrid(q.text(), "");
                String rescored = rows.hybrid(
                        q.text(),
                        ",\"rescore\":[{\"window_size\":" + WINDOW
                                + ",\"learned_rank\":{\"ranker_id\":\"bench-latency\",\"params\":{\"query\":"
                                + json(q.text()) + "}}}]");
                long t0 = System.nanoTime();
                node.call("POST", "/" + c.index() + "/_search", plain);
                long t1 = System.nanoTime();
                node.call("POST", "/" + c.index() + "/_search", rescored);
                long t2 = System.nanoTime();
                if (round > 0) { // the first round warms caches and the JIT
                    alone.add(t1 - t0);
                    ranked.add(t2 - t1);
                }
            }
        }
        double a = p50(alone) / 1e6, r = p50(ranked) / 1e6;
        return format(
                "Latency on Chorus (%d queries x 3 rounds, interleaved, HTTP round trip, one client): the hybrid alone "
                        + "p50 %.2f ms, with a %d-feature LambdaMART over its window of %d p50 %.2f ms: +%.2f ms, %.2fx.%n%n",
                c.queries().size(), a, features.size(), WINDOW, r, r - a, r / a);
    }

    private static double p50(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    static double[] copy(double[] values) {
        return Arrays.copyOf(values, values.length);
    }
}
