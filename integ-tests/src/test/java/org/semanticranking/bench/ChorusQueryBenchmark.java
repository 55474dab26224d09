package org.semanticranking.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.semanticranking.encoder.OnnxTextEncoder;
import org.semanticranking.evaluation.RankingMetrics;
import org.semanticranking.integ.ChorusCatalogue;
import org.semanticranking.integ.RealNode;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The 135 Chorus queries against a real node with the Chorus catalogue indexed through the pipeline:
 * query latency of {@code semantic_intent} (cold cache, warm cache) against the native {@code knn}
 * query given the same precomputed vector, then the relevance report (nDCG@10, MRR@10, Recall@100,
 * judged share) of BM25 and {@code semantic_intent}. Run with {@code mvn -Pbench verify}; the tables go
 * to stdout and {@code target/benchmarks/}. Asserts only that every query ran.
 */
public class ChorusQueryBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Binary relevance for MRR and recall: grade 2 ("relevant") or 3 ("perfect") of 0-3. */
    private static final int RELEVANT = 2;

    private static final int LATENCY_ROUNDS = 3;
    /**
     * A second model to compare (e.g. {@code -Dbench.second_model=bge-small-en-v1.5-q}): installed on the node with
     * {@code models/fetch-model.sh}, it embeds title + description into {@code second_vector}, and the relevance
     * report gains its semantic and hybrid rows.
     */
    private static final String SECOND_MODEL = System.getProperty("bench.second_model", "");

    public record Judged(String id, String text, Map<String, Integer> grades) {}

    @Test
    void latencyAndRelevance() throws Exception {
        List<Judged> queries = loadQueries();
        assertEquals(135, queries.size());
        StringBuilder report = new StringBuilder();
        try (RealNode node = RealNode.install("bench-chorus", 9253)) {
            if (SECOND_MODEL.isEmpty() == false) {
                RealNode.run(List.of(
                        "bash",
                        RealNode.property("integ.models.dir") + "/fetch-model.sh",
                        SECOND_MODEL,
                        node.home().toString()));
                node.configToNodeUser();
            }
            node.start();
            indexCatalogue(node, true, SECOND_MODEL);
            latency(node, queries, report);
            relevance(node, queries, report);
            tune(node, queries, report);
        }
        System.out.println(report);
        Path out = Path.of("target/benchmarks/chorus-queries.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    }

    public static List<Judged> loadQueries() throws Exception {
        Map<String, Judged> byId = new LinkedHashMap<>();
        for (String line : ChorusCatalogue.lines("queries.tsv").subList(1, 136)) {
            String[] f = line.split("\t");
            byId.put(f[0], new Judged(f[0], f[1], new HashMap<>()));
        }
        List<String> qrels = ChorusCatalogue.lines("qrels.tsv");
        for (String line : qrels.subList(1, qrels.size())) {
            String[] f = line.split("\t");
            byId.get(f[0]).grades().put(f[2], Integer.parseInt(f[3]));
        }
        return new ArrayList<>(byId.values());
    }

    /** All products through two pipelines: title + description into product_vector, title alone into title_vector. */
    static void indexCatalogue(RealNode node) throws Exception {
        indexCatalogue(node, true);
    }

    /**
     * The whole Chorus catalogue in the index {@code chorus} (one shard, force-merged): title + description into
     * {@code product_vector}, and with {@code titleVector} the title alone into {@code title_vector} too.
     *
     * @return the products as indexed
     */
    static List<Map<String, Object>> indexCatalogue(RealNode node, boolean titleVector) throws Exception {
        return indexCatalogue(node, titleVector, "");
    }

    /** As above, and with a {@code secondModel} (not empty) title + description into {@code second_vector} by that model. */
    static List<Map<String, Object>> indexCatalogue(RealNode node, boolean titleVector, String secondModel)
            throws Exception {
        node.call(
                "PUT",
                "/_ingest/pipeline/chorus",
                String.format(
                        Locale.ROOT,
                        """
            {"processors":[
              {"semantic_embedding":{"fields":["title","description"],"target_field":"product_vector"}}%s%s]}""",
                        titleVector
                                ? ",{\"semantic_embedding\":{\"field\":\"title\",\"target_field\":\"title_vector\"}}"
                                : "",
                        secondModel.isEmpty()
                                ? ""
                                : ",{\"semantic_embedding\":{\"fields\":[\"title\",\"description\"],\"target_field\":\"second_vector\",\"model\":\""
                                        + secondModel + "\"}}"));
        ElasticsearchClient client = node.client();
        client.indices().create(c -> c.index("chorus").withJson(new StringReader("""
            {"settings":{"number_of_shards":1,"number_of_replicas":0,"refresh_interval":"-1","default_pipeline":"chorus"},
             "mappings":{"properties":{
               "id":{"type":"keyword"},"title":{"type":"text"},"name":{"type":"text"},
               "brand":{"type":"text","fields":{"keyword":{"type":"keyword"}}},
               "product_type":{"type":"text","fields":{"keyword":{"type":"keyword"}}},
               "description":{"type":"text"},"colour":{"type":"keyword"},"price":{"type":"float"},
               "product_vector":{"type":"dense_vector","dims":384,"similarity":"cosine"},
               "title_vector":{"type":"dense_vector","dims":384,"similarity":"cosine"},
               "second_vector":{"type":"dense_vector","dims":384,"similarity":"cosine"}}}}""")));
        List<Map<String, Object>> products = ChorusCatalogue.productsWithName(Integer.MAX_VALUE);
        IngestBenchmark.bulk(client, "chorus", products);
        node.call("PUT", "/chorus/_settings", "{\"index\":{\"refresh_interval\":\"1s\"}}");
        client.indices().refresh(r -> r.index("chorus"));
        client.indices().forcemerge(f -> f.index("chorus").maxNumSegments(1L));
        assertEquals(products.size(), client.count(c -> c.index("chorus")).count());
        return products;
    }

    static List<String> ids(JsonNode response) {
        List<String> ids = new ArrayList<>();
        response.get("hits").get("hits").forEach(h -> ids.add(h.get("_id").asText()));
        return ids;
    }

    static String json(Object value) throws Exception {
        return JSON.writeValueAsString(value);
    }

    static String bm25(String text, int size) throws Exception {
        return bm25(text, size, "best_fields");
    }

    static String bm25(String text, int size, String type) throws Exception {
        return String.format(Locale.ROOT, """
            {"size":%d,"_source":false,"query":{"multi_match":{"query":%s,"type":"%s","fields":["title","name","brand","product_type","description"]}}}""", size, json(text), type);
    }

    static String semantic(String text, String field, int size) throws Exception {
        return String.format(Locale.ROOT, """
            {"size":%d,"_source":false,"query":{"semantic_intent":{"query":%s,"field":"%s","k":%d,"num_candidates":%d}}}""", size, json(text), field, size, Math.max(200, size * 2));
    }

    static final String INTENT = """
        ,"intent":{"brand_field":"brand.keyword","colour_field":"colour","type_field":"product_type.keyword","price_field":"price"}""";

    static final String INTENT_BRAND_PRICE = """
        ,"intent":{"brand_field":"brand.keyword","price_field":"price"}""";

    static String hybrid(String text, String fusion, int size) throws Exception {
        return hybrid(text, fusion, "", size);
    }

    static String hybrid(String text, String fusion, String intent, int size) throws Exception {
        return hybrid(text, fusion, intent, size, "product_vector");
    }

    static String hybrid(String text, String fusion, String intent, int size, String vectorField) throws Exception {
        return hybrid(text, fusion, intent, size, vectorField, "best_fields");
    }

    /** @param lexicalType the multi_match type of the lexical side: best_fields (Elasticsearch's default) or cross_fields */
    static String hybrid(String text, String fusion, String intent, int size, String vectorField, String lexicalType)
            throws Exception {
        return String.format(
                Locale.ROOT,
                """
            {"size":%d,"_source":false,"retriever":{"semantic_hybrid":{
              "lexical":{"standard":{"query":{"multi_match":{"query":%s,"type":"%s","fields":["title","name","brand","product_type","description"]}}}},
              "semantic":{"standard":{"query":{"semantic_intent":{"query":%s,"field":"%s","k":%d,"num_candidates":%d %s}}}},
              "rank_window_size":%d %s}}}""",
                size,
                json(text),
                lexicalType,
                json(text),
                vectorField,
                size,
                Math.max(200, size * 2),
                intent,
                size,
                fusion);
    }

    static String nativeKnn(float[] vector, String field, int size) throws Exception {
        return String.format(Locale.ROOT, """
            {"size":%d,"_source":false,"query":{"knn":{"field":"%s","query_vector":%s,"k":%d,"num_candidates":%d}}}""", size, field, json(vector), size, Math.max(200, size * 2));
    }

    private void latency(RealNode node, List<Judged> queries, StringBuilder report) throws Exception {
        try (OnnxTextEncoder raw = IngestBenchmark.loadRawEncoder(1)) {
            latency(node, queries, raw, report);
        }
    }

    /** @param raw the same model as the node's, in this JVM, for one encode of each text (batch of one, 1 intra-op thread) */
    private void latency(RealNode node, List<Judged> queries, OnnxTextEncoder raw, StringBuilder report)
            throws Exception {
        double[] encodeMs = new double[queries.size()];
        double[] firstEncodeMs = new double[queries.size()];
        double[] betweenSearchesMs = new double[queries.size()];
        Map<String, float[]> vectors = new HashMap<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < queries.size(); i++) {
                long start = System.nanoTime();
                float[] v = raw.embed(List.of(raw.tokenize(queries.get(i).text(), true, 256)))[0];
                (round == 0 ? firstEncodeMs : encodeMs)[i] = (System.nanoTime() - start) / 1e6;
                vectors.put(queries.get(i).id(), v);
            }
        }
        // warm the node's search and encode paths (JIT) with texts and vectors that are not the measured ones
        for (int i = 0; i < 300; i++) {
            node.call(
                    "POST",
                    "/chorus/_search",
                    semantic(
                            "warm up query number " + i + " "
                                    + queries.get(i % queries.size()).text(),
                            "product_vector",
                            10));
            float[] v = vectors.get(queries.get(i % queries.size()).id()).clone();
            v[i % v.length] += 0.01f;
            node.call("POST", "/chorus/_search", nativeKnn(v, "product_vector", 10));
        }
        // Cold: the first search of each text. A vector's first kNN search also walks graph nodes that no cache holds
        // yet, so the native query is measured the first time for each vector too, in the same loop: in turns one of
        // the pair goes first, so each run holds as many first walks of a vector as second ones.
        JsonNode before = nodeQueryLatency(node);
        double[] cold = new double[queries.size()];
        double[] nativeFirst = new double[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
            String text = queries.get(i).text();
            if (i % 2 == 0) {
                nativeFirst[i] =
                        timed(node, nativeKnn(vectors.get(queries.get(i).id()), "product_vector", 10));
                cold[i] = timed(node, semantic(text, "product_vector", 10));
            } else {
                cold[i] = timed(node, semantic(text, "product_vector", 10));
                nativeFirst[i] =
                        timed(node, nativeKnn(vectors.get(queries.get(i).id()), "product_vector", 10));
            }
            // the same encode in this JVM right after a search, as the node's encode runs: caches no longer hold the
            // model as they do in a tight loop of encodes
            long start = System.nanoTime();
            raw.embed(List.of(raw.tokenize(queries.get(i).text(), true, 256)));
            betweenSearchesMs[i] = (System.nanoTime() - start) / 1e6;
        }
        JsonNode after = nodeQueryLatency(node);
        double nodeEncodeMs = (after.get("total_micros").asDouble()
                        - before.get("total_micros").asDouble())
                / (after.get("count").asDouble() - before.get("count").asDouble())
                / 1000;
        double[] warm = new double[queries.size() * LATENCY_ROUNDS];
        double[] knn = new double[queries.size() * LATENCY_ROUNDS];
        for (int r = 0; r < LATENCY_ROUNDS; r++) {
            for (int i = 0; i < queries.size(); i++) {
                // interleaved, so that both see the same machine
                warm[r * queries.size() + i] =
                        timed(node, semantic(queries.get(i).text(), "product_vector", 10));
                knn[r * queries.size() + i] =
                        timed(node, nativeKnn(vectors.get(queries.get(i).id()), "product_vector", 10));
            }
        }
        JsonNode nodeStats = node.call("GET", "/_semantic_ranking/stats", null)
                .get("nodes")
                .elements()
                .next();
        JsonNode stats = nodeStats.get("query_cache");
        report.append("## Query latency (135 Chorus queries, k=10, num_candidates=200, client-side, ms)\n\n");
        report.append("| run | p50 | p99 | p50 vs native |\n|---|---|---|---|\n");
        double nativeP50 = percentile(knn, 50);
        report.append(
                latencyRow("native knn query, precomputed vector (" + LATENCY_ROUNDS + " rounds)", knn, nativeP50));
        report.append(latencyRow("semantic_intent, cold cache (first time each text)", cold, nativeP50));
        double nativeFirstP50 = percentile(nativeFirst, 50);
        report.append(latencyRow(
                "native knn query, first time each vector (in turns with the cold run)", nativeFirst, nativeP50));
        report.append(String.format(
                Locale.ROOT,
                "| cold semantic_intent vs native first time, p50 difference | %.2f | | |%n",
                percentile(cold, 50) - nativeFirstP50));
        report.append(latencyRow("semantic_intent, warm cache (" + LATENCY_ROUNDS + " rounds)", warm, nativeP50));
        report.append(latencyRow(
                "one encode in this JVM, first time each text (batch of one, 1 thread)", firstEncodeMs, nativeP50));
        report.append(latencyRow("one encode in this JVM, second time (batch of one, 1 thread)", encodeMs, nativeP50));
        report.append(
                latencyRow("one encode in this JVM, each right after a cold search", betweenSearchesMs, nativeP50));
        report.append(String.format(
                Locale.ROOT,
                "| node: query encode during the cold run, submission to vector (mean, from the stats API) | %.2f | | |%n",
                nodeEncodeMs));
        report.append(String.format(Locale.ROOT, "%nquery cache after the run: %s%n", stats));
        report.append(String.format(
                Locale.ROOT,
                "node encoder (submission to vector, power-of-two microsecond buckets): %s%n%n",
                nodeStats.get("encoder").get("all-minilm-l6-v2-q").get("latency_micros")));
    }

    /** The node's query-lane latency counters ({@code count}, {@code total_micros}) of the default model. */
    static JsonNode nodeQueryLatency(RealNode node) throws Exception {
        return node.call("GET", "/_semantic_ranking/stats", null)
                .get("nodes")
                .elements()
                .next()
                .get("encoder")
                .get("all-minilm-l6-v2-q")
                .get("latency_micros")
                .get("queries");
    }

    private static String latencyRow(String name, double[] ms, double reference) {
        return String.format(
                Locale.ROOT,
                "| %s | %.2f | %.2f | %+.2f |%n",
                name,
                percentile(ms, 50),
                percentile(ms, 99),
                percentile(ms, 50) - reference);
    }

    private static double timed(RealNode node, String body) throws Exception {
        long start = System.nanoTime();
        node.call("POST", "/chorus/_search", body);
        return (System.nanoTime() - start) / 1e6;
    }

    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private void relevance(RealNode node, List<Judged> queries, StringBuilder report) throws Exception {
        Map<String, Function<String, String>> runs = new LinkedHashMap<>();
        runs.put(
                "BM25 (multi_match title, name, brand, product_type, description)", t -> unchecked(() -> bm25(t, 100)));
        runs.put("BM25, multi_match cross_fields (same fields)", t -> unchecked(() -> bm25(t, 100, "cross_fields")));
        runs.put(
                "semantic_intent on product_vector (title + description)",
                t -> unchecked(() -> semantic(t, "product_vector", 100)));
        runs.put("semantic_intent on title_vector (title)", t -> unchecked(() -> semantic(t, "title_vector", 100)));
        String rrf = ",\"combination\":\"rrf\"";
        runs.put("semantic_hybrid, default (linear min_max, weights 1:1)", t -> unchecked(() -> hybrid(t, "", 100)));
        runs.put("semantic_hybrid, rrf (rank_constant 60)", t -> unchecked(() -> hybrid(t, rrf, 100)));
        runs.put("semantic_hybrid, rrf, query intent on (boost)", t -> unchecked(() -> hybrid(t, rrf, INTENT, 100)));
        runs.put(
                "semantic_hybrid, default, intent on brand and price only (boost)",
                t -> unchecked(() -> hybrid(t, "", INTENT_BRAND_PRICE, 100)));
        runs.put("semantic_hybrid, default, query intent on (boost)", t -> unchecked(() -> hybrid(t, "", INTENT, 100)));
        runs.put(
                "semantic_hybrid, linear z_score, weights 1:1",
                t -> unchecked(() -> hybrid(t, ",\"combination\":\"linear\",\"normalization\":\"z_score\"", 100)));
        runs.put(
                "semantic_hybrid, rrf, lexical side cross_fields",
                t -> unchecked(() -> hybrid(t, rrf, "", 100, "product_vector", "cross_fields")));
        runs.put(
                "semantic_hybrid, default, lexical side cross_fields",
                t -> unchecked(() -> hybrid(t, "", "", 100, "product_vector", "cross_fields")));
        runs.put(
                "semantic_hybrid, default, lexical side cross_fields, intent on brand and price",
                t -> unchecked(() -> hybrid(t, "", INTENT_BRAND_PRICE, 100, "product_vector", "cross_fields")));
        runs.put(
                "semantic_hybrid, default, lexical side cross_fields, query intent on (boost)",
                t -> unchecked(() -> hybrid(t, "", INTENT, 100, "product_vector", "cross_fields")));
        if (SECOND_MODEL.isEmpty() == false) {
            runs.put(
                    "semantic_intent on second_vector (" + SECOND_MODEL + ", title + description)",
                    t -> unchecked(() -> semantic(t, "second_vector", 100)));
            runs.put(
                    "semantic_hybrid with " + SECOND_MODEL + ", rrf",
                    t -> unchecked(() -> hybrid(t, rrf, "", 100, "second_vector")));
            runs.put(
                    "semantic_hybrid with " + SECOND_MODEL + ", default (linear min_max)",
                    t -> unchecked(() -> hybrid(t, "", "", 100, "second_vector")));
            runs.put(
                    "semantic_hybrid with " + SECOND_MODEL + ", rrf, lexical side cross_fields",
                    t -> unchecked(() -> hybrid(t, rrf, "", 100, "second_vector", "cross_fields")));
            runs.put(
                    "semantic_hybrid with " + SECOND_MODEL + ", default, lexical side cross_fields",
                    t -> unchecked(() -> hybrid(t, "", "", 100, "second_vector", "cross_fields")));
        }
        // 19 of the 135 queries have no judgment above grade 0: their nDCG is 0 for any ranking. The first column
        // averages
        // over all 135; the second over the 116 with gain (trec_eval's treatment of topics without relevant documents),
        // the convention under which the reference figures are reproduced (see benchmarks/README.md)
        long withGain =
                queries.stream().filter(q -> RankingMetrics.hasGain(q.grades())).count();
        report.append(
                "## Relevance (135 Chorus queries; gain 2^grade-1; relevant = grade >= 2 for MRR and recall)\n\n");
        report.append("| run | nDCG@10 | nDCG@10, the " + withGain
                + " queries with gain | nDCG@10 judged only | MRR@10 | Recall@100 | judged@10 |\n");
        report.append("|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Function<String, String>> run : runs.entrySet()) {
            double ndcg = 0, judgedNdcg = 0, mrr = 0, recall = 0, judged = 0;
            for (Judged q : queries) {
                List<String> ranking =
                        ids(node.call("POST", "/chorus/_search", run.getValue().apply(q.text())));
                ndcg += RankingMetrics.ndcgAt(ranking, q.grades(), 10);
                judgedNdcg += RankingMetrics.judgedOnlyNdcgAt(ranking, q.grades(), 10);
                mrr += RankingMetrics.reciprocalRankAt(ranking, q.grades(), 10, RELEVANT);
                recall += RankingMetrics.recallAt(ranking, q.grades(), 100, RELEVANT);
                judged += RankingMetrics.judgedAt(ranking, q.grades(), 10);
            }
            int n = queries.size();
            report.append(String.format(
                    Locale.ROOT,
                    "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f |%n",
                    run.getKey(),
                    ndcg / n,
                    ndcg / withGain, // the queries without gain add 0 to the sum
                    judgedNdcg / n,
                    mrr / n,
                    recall / n,
                    judged / n));
        }
    }

    /** The evaluation body of these queries and all their ratings, for a template. */
    static String evaluationBody(List<Judged> queries, String template, String extra) throws Exception {
        List<Map<String, Object>> requests = new ArrayList<>();
        List<Map<String, Object>> ratings = new ArrayList<>();
        for (Judged q : queries) {
            requests.add(Map.of("id", q.id(), "params", Map.of("query", q.text())));
            q.grades().forEach((id, grade) -> ratings.add(Map.of("request", q.id(), "_id", id, "grade", grade)));
        }
        return "{\"template\":" + template + ",\"requests\":" + json(requests) + ",\"ratings\":" + json(ratings) + extra
                + "}";
    }

    static final String HYBRID_TEMPLATE = """
        {"retriever":{"semantic_hybrid":{
          "lexical":{"standard":{"query":{"multi_match":{"query":"{{query}}","fields":["title","name","brand","product_type","description"]}}}},
          "semantic":{"standard":{"query":{"semantic_intent":{"query":"{{query}}","field":"product_vector","k":100,"num_candidates":200}}}},
          "rank_window_size":100,"combination":"linear","normalization":"min_max","weights":{"lexical":1.0,"semantic":1.0}}}}""";

    /**
     * {@code _evaluate} against this report (BM25, the same queries and ratings: equal to 1e-9), then {@code _tune}
     * of the linear hybrid's weights and normalisation with 5-fold cross-validation.
     */
    private void tune(RealNode node, List<Judged> queries, StringBuilder report) throws Exception {
        double reportNdcg = 0;
        for (Judged q : queries) {
            reportNdcg += RankingMetrics.ndcgAt(
                    ids(node.call("POST", "/chorus/_search", bm25(q.text(), 10))), q.grades(), 10);
        }
        reportNdcg /= queries.size();
        String bm25Template = """
            {"query":{"multi_match":{"query":"{{query}}","fields":["title","name","brand","product_type","description"]}}}""";
        JsonNode evaluated = node.call(
                "POST",
                "/chorus/_semantic_ranking/_evaluate",
                evaluationBody(queries, bm25Template, ",\"metrics\":[\"ndcg@10\"]"));
        double evaluateNdcg = evaluated.get("metrics").get("ndcg@10").asDouble();
        assertEquals(reportNdcg, evaluateNdcg, 1e-9);
        report.append(String.format(
                Locale.ROOT,
                "%n## _evaluate vs this report (BM25, nDCG@10)%n%nreport %.12f, _evaluate %.12f, difference %.1e%n%n",
                reportNdcg,
                evaluateNdcg,
                Math.abs(reportNdcg - evaluateNdcg)));

        long start = System.nanoTime();
        JsonNode tuned = node.call(
                "POST", "/chorus/_semantic_ranking/_tune", evaluationBody(queries, HYBRID_TEMPLATE, """
            ,"metrics":["ndcg@10"],"folds":5,"budget":Integer.getInteger("bench.tune_budget", 20),"seed":1,"params":{
              "retriever.semantic_hybrid.weights.lexical":{"min":0,"max":2},
              "retriever.semantic_hybrid.weights.semantic":{"min":0,"max":2},
              "retriever.semantic_hybrid.normalization":["min_max","z_score"]}""".replace(
                                "Integer.getInteger(\"bench.tune_budget\", 20)",
                                String.valueOf(Integer.getInteger("bench.tune_budget", 20)))));
        JsonNode cv = tuned.get("cross_validation");
        report.append(
                "## _tune of the linear hybrid (weights 0-2, min_max | z_score), 5-fold cross-validation, nDCG@10\n\n");
        report.append(
                "| fold | requests | tuned params | train | test (tuned) | test (defaults) |\n|---|---|---|---|---|---|\n");
        for (JsonNode f : cv.get("per_fold")) {
            report.append(String.format(
                    Locale.ROOT,
                    "| %d | %d | %s | %.3f | %.3f | %.3f |%n",
                    f.get("fold").asInt(),
                    f.get("requests").asInt(),
                    f.get("params"),
                    f.get("train").asDouble(),
                    f.get("test").asDouble(),
                    f.get("baseline_test").asDouble()));
        }
        report.append(String.format(
                Locale.ROOT,
                "%nout of fold: tuned %.4f vs defaults (lexical 1, semantic 1, min_max) %.4f (%+.1f%%); "
                        + "tuned on all queries: %s -> %.4f (defaults %.4f); %d evaluations of 135 queries in %.0f s%n",
                cv.get("tuned_out_of_fold").asDouble(),
                cv.get("baseline_out_of_fold").asDouble(),
                100
                        * (cv.get("tuned_out_of_fold").asDouble()
                                        / cv.get("baseline_out_of_fold").asDouble()
                                - 1),
                tuned.get("best").get("params"),
                tuned.get("best").get("mean").asDouble(),
                tuned.get("baseline").get("mean").asDouble(),
                tuned.get("evaluations").asInt(),
                (System.nanoTime() - start) / 1e9));
    }

    interface CheckedSupplier<T> {
        T get() throws Exception;
    }

    static <T> T unchecked(CheckedSupplier<T> s) {
        try {
            return s.get();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
