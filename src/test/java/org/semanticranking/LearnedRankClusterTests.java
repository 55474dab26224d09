package org.semanticranking;

import org.elasticsearch.client.ResponseException;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.rest.ObjectPath;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

/**
 * The {@code learned_rank} rescorer and its training on 2 nodes over real HTTP: feature values logged in a normal
 * search and checked against what Elasticsearch itself computes; a ranker trained from judgments, cross-validated,
 * stored, served (top-level and in a {@code semantic_hybrid}), explained, deleted; bad input as 400s with the reason.
 */
@ESIntegTestCase.ClusterScope(
        scope = ESIntegTestCase.Scope.SUITE,
        numDataNodes = 2,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class LearnedRankClusterTests extends SemanticRankingIntegTestCase {

    static final String[] CATEGORIES = {"kettle", "speaker", "headphones", "cable", "mouse", "lamp"};
    static final String[] BRANDS = {"acme", "zeta", "nova", "orbit"};
    static final String[] STYLES = {"classic", "compact"};

    /** Each product's price: below 50 for half of each category, in no order BM25 could see. */
    static int price(int category, int brand, int style) {
        return ((category * 7 + brand * 3 + style * 5) % 8) < 4 ? 10 + 5 * brand + style : 60 + 10 * brand + style;
    }

    static String id(int c, int b, int s) {
        return CATEGORIES[c] + "-" + BRANDS[b] + "-" + STYLES[s];
    }

    /** 48 products in {@code shop} (1 shard) and {@code shop3} (3 shards); the test cluster wipes them after each test. */
    static void indexProducts() throws IOException {
        call("PUT", "/_ingest/pipeline/embed", """
            {"processors":[{"semantic_embedding":{"field":"title","target_field":"vec"}}]}""");
        StringBuilder bulk = new StringBuilder();
        for (int c = 0; c < CATEGORIES.length; c++) {
            for (int b = 0; b < BRANDS.length; b++) {
                for (int s = 0; s < STYLES.length; s++) {
                    bulk.append("{\"index\":{\"_id\":\"").append(id(c, b, s)).append("\"}}\n");
                    bulk.append(String.format(
                            Locale.ROOT,
                            "{\"title\":\"%s %s %s\",\"brand\":\"%s\",\"price\":%d}%n",
                            BRANDS[b],
                            STYLES[s],
                            CATEGORIES[c],
                            BRANDS[b],
                            price(c, b, s)));
                }
            }
        }
        for (String index : List.of("shop", "shop3")) {
            call("PUT", "/" + index, String.format(Locale.ROOT, """
                {"settings":{"number_of_shards":%s,"number_of_replicas":0,"default_pipeline":"embed"},
                 "mappings":{"properties":{"title":{"type":"text"},"brand":{"type":"keyword"},"price":{"type":"float"},
                   "vec":{"type":"dense_vector","dims":384,"similarity":"cosine"}}}}""", index.equals("shop") ? 1 : 3));
            PersonalizedBlendClusterTests.bulk(bulk.toString(), "/" + index + "/_bulk?refresh=true");
        }
    }

    /** The judged requests: each category, alone and with a brand; the cheap products of the category are the best. */
    static String judgments() {
        StringBuilder requests = new StringBuilder(), ratings = new StringBuilder();
        for (int c = 0; c < CATEGORIES.length; c++) {
            for (String query : List.of(CATEGORIES[c], BRANDS[c % BRANDS.length] + " " + CATEGORIES[c])) {
                String rid = query.replace(' ', '_');
                requests.append(requests.length() == 0 ? "" : ",")
                        .append("{\"id\":\"")
                        .append(rid)
                        .append("\",\"params\":{\"query\":\"")
                        .append(query)
                        .append("\"}}");
                for (int b = 0; b < BRANDS.length; b++) {
                    for (int s = 0; s < STYLES.length; s++) {
                        ratings.append(ratings.length() == 0 ? "" : ",")
                                .append("{\"request\":\"")
                                .append(rid)
                                .append("\",\"_id\":\"")
                                .append(id(c, b, s))
                                .append("\",\"grade\":")
                                .append(price(c, b, s) < 50 ? 3 : 1)
                                .append("}");
                    }
                }
            }
        }
        return "\"requests\":[" + requests + "],\"ratings\":[" + ratings + "]";
    }

    static final String FEATURES = """
        [{"name":"title_bm25","query":{"match":{"title":"{{query}}"}}},
         {"name":"log_price","field":{"name":"price","modifier":"log1p"}},
         {"name":"first_pass","first_pass":"score"},
         {"name":"title_share","terms":{"field":"title","measure":"share"}}]""";

    static String train(String rankerId, String model, int folds) throws IOException {
        String body = "{\"template\":{\"query\":{\"match\":{\"title\":\"{{query}}\"}}},\"window_size\":20,"
                + "\"features\":" + FEATURES + ",\"model\":" + model + ",\"folds\":" + folds + "," + judgments() + "}";
        return body;
    }

    static List<Map<String, Object>> hits(ObjectPath result) throws IOException {
        return result.evaluate("hits.hits");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> learned(Map<String, Object> hit) {
        Map<String, Object> fields = (Map<String, Object>) hit.get("fields");
        return ((List<Map<String, Object>>) fields.get("_learned_rank")).get(0);
    }

    /**
     * A rankers index deleted and created again numbers its documents from 0 once more: the new ranker of the same id
     * has the old one's sequence number and primary term, and each node must serve the new one, not what it cached.
     */
    @SuppressWarnings("unchecked")
    public void testARankerStoredAgainInANewRankersIndexIsWhatServes() throws Exception {
        indexProducts();
        String search = """
            {"size":3,"query":{"match":{"title":"cable"}},
             "rescore":{"window_size":20,"learned_rank":{"ranker_id":"again","params":{"query":"cable"},"score_breakdown":true}}}""";
        assertThat(
                call("POST", "/shop/_semantic_ranking/rankers/again/_train", train("again", "{\"type\":\"linear\"}", 2))
                        .evaluate("version"),
                equalTo(1));
        // served from every node, so that each caches the first ranker
        for (int i = 0; i < 6; i++) {
            Map<String, Object> features = (Map<String, Object>)
                    learned(hits(call("POST", "/shop/_search", search)).get(0)).get("features");
            assertThat(features.size(), equalTo(4));
        }
        call("DELETE", "/semantic-ranking-rankers", null);
        String oneFeature = train("again", "{\"type\":\"linear\"}", 2)
                .replace(FEATURES, "[{\"name\":\"only_bm25\",\"query\":{\"match\":{\"title\":\"{{query}}\"}}}]");
        assertThat(
                call("POST", "/shop/_semantic_ranking/rankers/again/_train", oneFeature)
                        .evaluate("version"),
                equalTo(1));
        for (int i = 0; i < 6; i++) {
            Map<String, Object> features = (Map<String, Object>)
                    learned(hits(call("POST", "/shop/_search", search)).get(0)).get("features");
            assertThat(features.keySet(), equalTo(java.util.Set.of("only_bm25")));
        }
    }

    @SuppressWarnings("unchecked")
    public void testLoggedFeaturesAreWhatElasticsearchComputes() throws Exception {
        indexProducts();
        ObjectPath logged = call("POST", "/shop/_search", """
            {"size":8,"query":{"match":{"title":"compact kettle"}},
             "rescore":{"window_size":8,"learned_rank":{"params":{"query":"compact kettle"},"features":[
               {"name":"title_bm25","query":{"match":{"title":"{{query}}"}}},
               {"name":"only_kettle","query":{"match":{"title":"kettle"}}},
               {"name":"price","field":{"name":"price"}},
               {"name":"log_price","field":{"name":"price","modifier":"log1p"}},
               {"name":"first_pass","first_pass":"score"},
               {"name":"share","terms":{"field":"title","measure":"share"}},
               {"name":"all","terms":{"field":"title","measure":"all"}},
               {"name":"words","query_level":{"measure":"terms"}},
               {"name":"top","query_level":{"measure":"first_pass_top_score"}},
               {"name":"brand_named","intent":{"field":"brand","text":"acme compact kettle"}},
               {"name":"vec","vector":{"field":"vec"}},
               {"name":"price_percentile","window":{"feature":"price","measure":"percentile"}},
               {"name":"price_z","window":{"feature":"price","measure":"zscore"}}]}}}""");
        ObjectPath onlyKettle = call("POST", "/shop/_search", """
            {"size":48,"query":{"match":{"title":"kettle"}}}""");
        // Elasticsearch's own kNN score of a cosine field is (1 + cosine) / 2 (of its indexed, possibly quantized,
        // vectors)
        ObjectPath knn = call("POST", "/shop/_search", """
            {"size":48,"knn":{"field":"vec","k":48,"num_candidates":48,
              "query_vector_builder":{"semantic_intent":{"text":"compact kettle"}}}}""");
        Map<String, Double> cosine = new java.util.HashMap<>();
        for (Map<String, Object> h : hits(knn)) {
            cosine.put((String) h.get("_id"), 2 * ((Number) h.get("_score")).doubleValue() - 1);
        }
        Map<String, Double> kettleScore = new java.util.HashMap<>();
        for (Map<String, Object> h : hits(onlyKettle)) {
            kettleScore.put((String) h.get("_id"), ((Number) h.get("_score")).doubleValue());
        }
        List<Map<String, Object>> hits = hits(logged);
        assertThat(hits.size(), equalTo(8));
        double top = ((Number) hits.get(0).get("_score")).doubleValue();
        for (Map<String, Object> hit : hits) {
            String id = (String) hit.get("_id");
            Map<String, Object> f = (Map<String, Object>) learned(hit).get("features");
            double score = ((Number) hit.get("_score")).doubleValue();
            // logging leaves the first stage's scores alone, and the same query is the same score
            assertThat(id, ((Number) f.get("title_bm25")).doubleValue(), closeTo(score, 1e-4));
            assertThat(id, ((Number) f.get("first_pass")).doubleValue(), closeTo(score, 1e-4));
            assertThat(
                    id,
                    ((Number) f.get("only_kettle")).doubleValue(),
                    closeTo(kettleScore.getOrDefault(id, 0.0), 1e-4));
            double price = ((Number) f.get("price")).doubleValue();
            assertThat(((Number) f.get("log_price")).doubleValue(), closeTo(Math.log10(price + 1), 1e-5));
            boolean kettle = id.startsWith("kettle-"), compact = id.endsWith("-compact");
            double share = ((kettle ? 1 : 0) + (compact ? 1 : 0)) / 2.0;
            assertThat(id, ((Number) f.get("share")).doubleValue(), closeTo(share, 1e-6));
            assertThat(id, ((Number) f.get("all")).doubleValue(), equalTo(kettle && compact ? 1.0 : 0.0));
            assertThat(((Number) f.get("words")).doubleValue(), equalTo(2.0));
            assertThat(((Number) f.get("top")).doubleValue(), closeTo(top, 1e-4));
            assertThat(id, ((Number) f.get("brand_named")).doubleValue(), equalTo(id.contains("-acme-") ? 1.0 : -1.0));
            double vec = ((Number) f.get("vec")).doubleValue();
            assertThat(id, vec, closeTo(cosine.get(id), 0.02));
        }
        // the window features: each hit's price against the other seven hits' prices, as logged
        double[] prices = hits.stream()
                .mapToDouble(
                        h -> ((Number) ((Map<String, Object>) learned(h).get("features")).get("price")).doubleValue())
                .toArray();
        double mean = java.util.Arrays.stream(prices).average().orElseThrow();
        double std = Math.sqrt(java.util.Arrays.stream(prices)
                .map(p -> (p - mean) * (p - mean))
                .average()
                .orElseThrow());
        assertThat(std, greaterThan(0.0));
        for (int i = 0; i < hits.size(); i++) {
            Map<String, Object> f = (Map<String, Object>) learned(hits.get(i)).get("features");
            double below = 0;
            for (int j = 0; j < prices.length; j++) {
                below += j == i ? 0 : prices[j] < prices[i] ? 1 : prices[j] == prices[i] ? 0.5 : 0;
            }
            assertThat(((Number) f.get("price_percentile")).doubleValue(), closeTo(below / 7, 1e-6));
            assertThat(((Number) f.get("price_z")).doubleValue(), closeTo((prices[i] - mean) / std, 1e-5));
        }
    }

    public void testARankerLearnsWhatTheJudgmentsPreferAndServesIt() throws Exception {
        indexProducts();
        ObjectPath trained = call(
                "POST",
                "/shop/_semantic_ranking/rankers/cheap/_train",
                train("cheap", "{\"type\":\"lambdamart\",\"trees\":30,\"max_depth\":3,\"min_child_weight\":0.1}", 3));
        assertThat(trained.evaluate("ranker_id"), equalTo("cheap"));
        assertThat(trained.evaluate("version"), equalTo(1));
        assertThat(trained.evaluate("training.requests"), equalTo(12));
        double ranker = ((Number) trained.evaluate("training.cross_validation.ranker.mean")).doubleValue();
        double first = ((Number) trained.evaluate("training.cross_validation.first_stage.mean")).doubleValue();
        assertThat("out of fold, the ranker beats BM25 alone", ranker, greaterThan(first + 0.05));
        List<Object> perFold = trained.evaluate("training.cross_validation.per_fold");
        assertThat(perFold.size(), equalTo(3));
        Map<String, Object> importance = trained.evaluate("training.importance");
        assertThat(importance.keySet().iterator().next(), equalTo("log_price"));

        // trained where it serves: BM25's statistics are each shard's own, so the three-shard index has its own
        call(
                "POST",
                "/shop3/_semantic_ranking/rankers/cheap3/_train",
                train("cheap3", "{\"type\":\"lambdamart\",\"trees\":30,\"max_depth\":3,\"min_child_weight\":0.1}", 3));
        for (String index : List.of("shop", "shop3")) {
            String rankerId = index.equals("shop") ? "cheap" : "cheap3";
            ObjectPath served = call("POST", "/" + index + "/_search", """
                {"size":4,"query":{"match":{"title":"lamp"}},
                 "rescore":{"window_size":20,"learned_rank":{"ranker_id":"RANKER","params":{"query":"lamp"},
                   "score_breakdown":true}}}""".replace("RANKER", rankerId));
            for (Map<String, Object> hit : hits(served)) {
                String id = (String) hit.get("_id");
                assertTrue(index + ": " + id + " is a lamp", id.startsWith("lamp-"));
                Map<String, Object> b = learned(hit);
                double price = ((Number) ((Map<?, ?>) b.get("features")).get("log_price")).doubleValue();
                assertThat(index + ": the cheap lamps first, " + id, Math.pow(10, price) - 1, lessThan(50.0));
                double score = ((Number) hit.get("_score")).doubleValue();
                assertThat(((Number) b.get("score")).doubleValue(), closeTo(score, 1e-4));
                double sum = ((Number) b.get("bias")).doubleValue();
                for (Object part : ((Map<?, ?>) b.get("contributions")).values()) {
                    sum += ((Number) part).doubleValue();
                }
                assertThat("the parts sum to the score", sum, closeTo(score, 1e-4));
                assertThat(b.get("ranker_id"), equalTo(rankerId));
            }
        }
        // explain: the ranker's sum, with the first pass under it
        ObjectPath explained = call("POST", "/shop/_search", """
            {"size":1,"explain":true,"query":{"match":{"title":"lamp"}},
             "rescore":{"window_size":20,"learned_rank":{"ranker_id":"cheap","params":{"query":"lamp"}}}}""");
        Map<String, Object> explanation = explained.evaluate("hits.hits.0._explanation");
        assertThat((String) explanation.get("description"), containsString("learned_rank: ranker [cheap] version 1"));
        assertThat(
                ((Number) explanation.get("value")).doubleValue(),
                closeTo(((Number) explained.evaluate("hits.hits.0._score")).doubleValue(), 1e-4));
        assertThat(((List<?>) explanation.get("details")).size(), equalTo(5)); // the bias and 4 features

        // stored: GET shows it without the model's numbers; a new training is the next version
        ObjectPath stored = call("GET", "/_semantic_ranking/rankers/cheap", null);
        assertThat(stored.evaluate("model.type"), equalTo("trees"));
        assertThat(stored.evaluate("model.trees"), equalTo(30));
        assertThat(((List<?>) stored.evaluate("features")).size(), equalTo(4));
        ObjectPath linear = call(
                "POST", "/shop/_semantic_ranking/rankers/cheap/_train", train("cheap", "{\"type\":\"linear\"}", 3));
        assertThat(linear.evaluate("version"), equalTo(2));
        assertThat(
                ((Number) linear.evaluate("training.cross_validation.ranker.mean")).doubleValue(),
                greaterThan(((Number) linear.evaluate("training.cross_validation.first_stage.mean")).doubleValue()));
        ObjectPath servedLinear = call("POST", "/shop/_search", """
            {"size":3,"query":{"match":{"title":"cable"}},
             "rescore":{"window_size":20,"learned_rank":{"ranker_id":"cheap","params":{"query":"cable"},"score_breakdown":true}}}""");
        for (Map<String, Object> hit : hits(servedLinear)) {
            assertThat(learned(hit).get("version"), equalTo(2));
            double logPrice = ((Number) ((Map<?, ?>) learned(hit).get("features")).get("log_price")).doubleValue();
            assertThat((String) hit.get("_id"), Math.pow(10, logPrice) - 1, lessThan(50.0));
        }
        // _evaluate takes a template that serves it: better than the first stage alone (in sample here)
        String served = "{\"query\":{\"match\":{\"title\":\"{{query}}\"}},\"rescore\":{\"window_size\":20,"
                + "\"learned_rank\":{\"ranker_id\":\"cheap\",\"params\":{\"query\":\"{{query}}\"}}}}";
        double withRanker = ((Number) call(
                                "POST",
                                "/shop/_semantic_ranking/_evaluate",
                                "{\"template\":" + served + "," + judgments() + "}")
                        .evaluate("metrics.ndcg@10"))
                .doubleValue();
        double bm25 = ((Number) call(
                                "POST",
                                "/shop/_semantic_ranking/_evaluate",
                                "{\"template\":{\"query\":{\"match\":{\"title\":\"{{query}}\"}}}," + judgments() + "}")
                        .evaluate("metrics.ndcg@10"))
                .doubleValue();
        assertThat(withRanker, greaterThan(bm25));
        // several models: each cross-validated on the same folds, the best kept; per request, what each fold said
        String body = train(
                "chosen",
                "[{\"type\":\"linear\"},"
                        + "{\"type\":\"lambdamart\",\"trees\":30,\"max_depth\":3,\"min_child_weight\":0.1}]",
                3);
        ObjectPath chosen = call(
                "POST",
                "/shop/_semantic_ranking/rankers/chosen/_train",
                body.substring(0, body.length() - 1) + ",\"details\":true}");
        List<Map<String, Object>> models = chosen.evaluate("training.cross_validation.models");
        assertThat(models.size(), equalTo(2));
        assertThat(
                models.stream()
                        .filter(m -> Boolean.TRUE.equals(m.get("chosen")))
                        .count(),
                equalTo(1L));
        List<Map<String, Object>> perRequest = chosen.evaluate("training.cross_validation.per_request");
        assertThat(perRequest.size(), equalTo(12));
        double sum = 0;
        for (Map<String, Object> r : perRequest) {
            sum += ((Number) r.get("ranker")).doubleValue();
            assertThat(
                    ((Number) r.get("fold")).intValue(),
                    org.hamcrest.Matchers.both(greaterThan(0)).and(lessThan(4)));
        }
        assertThat(
                sum / 12,
                closeTo(
                        ((Number) chosen.evaluate("training.cross_validation.ranker.mean_all_requests")).doubleValue(),
                        1e-9));
        double best = 0;
        for (Map<String, Object> m : models) {
            best = Math.max(best, ((Number) ((Map<?, ?>) m.get("ranker")).get("mean")).doubleValue());
        }
        assertThat(((Number) chosen.evaluate("training.cross_validation.ranker.mean")).doubleValue(), equalTo(best));
        // deleted: GET is a 404, a search that names it a 400 with the reason
        assertThat(call("DELETE", "/_semantic_ranking/rankers/cheap", null).evaluate("acknowledged"), equalTo(true));
        ResponseException gone =
                expectThrows(ResponseException.class, () -> call("GET", "/_semantic_ranking/rankers/cheap", null));
        assertThat(gone.getResponse().getStatusLine().getStatusCode(), equalTo(404));
        ResponseException unknown = expectThrows(ResponseException.class, () -> call("POST", "/shop/_search", """
            {"query":{"match":{"title":"lamp"}},"rescore":{"learned_rank":{"ranker_id":"cheap","params":{"query":"lamp"}}}}"""));
        assertThat(unknown.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(unknown.getMessage(), containsString("unknown ranker [cheap]"));
    }

    public void testInAHybridItReadsBothSidesAndTheSemanticSidesText() throws Exception {
        indexProducts();
        String hybrid = """
            {"retriever":{"semantic_hybrid":{
               "lexical":{"standard":{"query":{"match":{"title":"{{query}}"}}}},
               "semantic":{"standard":{"query":{"semantic_intent":{"query":"{{query}}","field":"vec","k":20,"num_candidates":48}}}},
               "rank_window_size":20}}}""";
        String body = "{\"template\":" + hybrid + ",\"window_size\":20,\"features\":["
                + "{\"name\":\"lexical\",\"first_pass\":\"lexical_score\"},{\"name\":\"semantic\",\"first_pass\":\"semantic_score\"},"
                + "{\"name\":\"lexical_rank\",\"first_pass\":\"lexical_rank\"},{\"name\":\"fused\",\"first_pass\":\"score\"},"
                + "{\"name\":\"log_price\",\"field\":{\"name\":\"price\",\"modifier\":\"log1p\"}}],"
                + "\"model\":{\"type\":\"lambdamart\",\"trees\":20,\"max_depth\":3,\"min_child_weight\":0.1},\"folds\":2,"
                + judgments() + "}";
        ObjectPath trained = call("POST", "/shop3/_semantic_ranking/rankers/hybrid/_train", body);
        assertThat(trained.evaluate("training.candidates"), greaterThan(12 * 8));
        // served in the hybrid's own rescore section, its text taken from the semantic side (no params)
        ObjectPath served = call("POST", "/shop3/_search", """
            {"size":5,"retriever":{"semantic_hybrid":{
               "lexical":{"standard":{"query":{"match":{"title":"speaker"}}}},
               "semantic":{"standard":{"query":{"semantic_intent":{"query":"speaker","field":"vec","k":20,"num_candidates":48}}}},
               "rank_window_size":20,
               "rescore":[{"window_size":20,"learned_rank":{"ranker_id":"hybrid","score_breakdown":true}}]}}}""");
        List<Map<String, Object>> hits = hits(served);
        assertThat(hits.size(), equalTo(5));
        boolean sawLexical = false;
        for (Map<String, Object> hit : hits) {
            @SuppressWarnings("unchecked")
            Map<String, Object> f = (Map<String, Object>) learned(hit).get("features");
            double lexical = ((Number) f.get("lexical")).doubleValue();
            double semantic = ((Number) f.get("semantic")).doubleValue();
            assertThat("the semantic side returned every hit of a window this size", semantic, greaterThan(0.0));
            sawLexical |= lexical > 0;
            if (lexical > 0) {
                assertThat(((Number) f.get("lexical_rank")).doubleValue(), lessThan(21.0));
            } else {
                assertThat(((Number) f.get("lexical_rank")).doubleValue(), equalTo(21.0));
            }
        }
        assertTrue("the lexical side's scores reach the ranker", sawLexical);
    }

    /**
     * {@code wait_for_completion=false}: the training is a task with its progress, on the jobs pool; it can be
     * cancelled, also while XGBoost grows its trees, and a cancelled training stores nothing.
     */
    public void testATrainingInTheBackgroundIsACancellableTaskWithProgress() throws Exception {
        indexProducts();
        String task = call(
                        "POST",
                        "/shop/_semantic_ranking/rankers/background/_train?wait_for_completion=false",
                        train("background", "{\"type\":\"lambdamart\",\"trees\":20,\"max_depth\":3}", 2))
                .evaluate("task");
        ObjectPath done = call("GET", "/_tasks/" + task + "?wait_for_completion=true&timeout=60s", null);
        assertThat(done.evaluate("completed"), equalTo(true));
        assertThat(done.evaluate("task.action"), equalTo("indices:data/read/semantic_ranking/rankers/train"));
        assertThat(done.evaluate("response.ranker_id"), equalTo("background"));
        assertThat(
                call("GET", "/_semantic_ranking/rankers/background", null).evaluate("ranker_id"),
                equalTo("background"));

        // 5,000 trees of depth 10 for each of 4 folds and the final fit: far longer than the test waits
        String slow = call(
                        "POST",
                        "/shop/_semantic_ranking/rankers/cancelled/_train?wait_for_completion=false",
                        train(
                                "cancelled",
                                "{\"type\":\"lambdamart\",\"trees\":5000,\"max_depth\":10,\"learning_rate\":0.001,"
                                        + "\"min_child_weight\":0.01}",
                                4))
                .evaluate("task");
        ObjectPath running = call("GET", "/_tasks/" + slow, null);
        assertThat(running.evaluate("task.cancellable"), equalTo(true));
        assertBusy(() -> {
            ObjectPath status = call("GET", "/_tasks/" + slow, null);
            assertThat(status.toString(), status.evaluate("task.status.phase"), org.hamcrest.Matchers.notNullValue());
        });
        call("POST", "/_tasks/" + slow + "/_cancel", null);
        ObjectPath cancelled = call("GET", "/_tasks/" + slow + "?wait_for_completion=true&timeout=60s", null);
        assertThat(cancelled.evaluate("completed"), equalTo(true));
        assertThat(cancelled.toString(), cancelled.evaluate("error.type"), equalTo("task_cancelled_exception"));
        ResponseException missing =
                expectThrows(ResponseException.class, () -> call("GET", "/_semantic_ranking/rankers/cancelled", null));
        assertThat(missing.getResponse().getStatusLine().getStatusCode(), equalTo(404));
    }

    private static void assertBadRequest(String path, String body, String reason) {
        ResponseException e = expectThrows(ResponseException.class, () -> call("POST", path, body));
        assertThat(e.getMessage(), e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(e.getMessage(), containsString(reason));
    }

    public void testBadInputIsA400WithTheReason() throws Exception {
        indexProducts();
        String train = "/shop/_semantic_ranking/rankers/bad/_train";
        String template = "{\"template\":{\"query\":{\"match\":{\"title\":\"{{query}}\"}}},";
        assertBadRequest(
                train,
                template + "\"features\":[{\"name\":\"x\",\"bm25\":{}}]," + judgments() + "}",
                "unknown kind or field [bm25]");
        assertBadRequest(
                train,
                template + "\"features\":[{\"name\":\"x\",\"query\":{\"matchh\":{\"title\":\"{{query}}\"}}}],"
                        + judgments() + "}",
                "feature [x]: its query does not parse");
        assertBadRequest(
                train,
                template + "\"features\":[{\"name\":\"x\",\"query\":{\"match\":{\"title\":\"{{colour}}\"}}}],"
                        + judgments() + "}",
                "feature [x] reads [{{colour}}], which request [kettle] does not give");
        assertBadRequest(
                train,
                template + "\"features\":" + FEATURES
                        + ",\"requests\":[{\"id\":\"a\",\"params\":{\"query\":\"lamp\"}}]}",
                "needs [ratings]");
        assertBadRequest(
                train,
                template + "\"features\":" + FEATURES + ",\"folds\":20," + judgments() + "}",
                "[folds] (20) cannot exceed the number of requests (12)");
        assertBadRequest(
                train,
                template + "\"features\":" + FEATURES + ",\"model\":{\"type\":\"forest\"}," + judgments() + "}",
                "[model] [type] must be [lambdamart] or [linear]");
        assertBadRequest(
                train,
                template
                        + "\"features\":[{\"name\":\"a\",\"first_pass\":\"score\"},{\"name\":\"a\",\"first_pass\":\"score\"}],"
                        + judgments() + "}",
                "names [a] twice");
        // a feature that is not a number for some hit: the reason names it
        assertBadRequest(
                train,
                template
                        + "\"features\":[{\"name\":\"inverse\",\"field\":{\"name\":\"nothing\",\"modifier\":\"reciprocal\"}}],"
                        + judgments() + "}",
                "feature [inverse]: [nothing] value [0.0] gives [Infinity] with modifier [reciprocal]");
        assertBadRequest("/shop/_search", """
            {"query":{"match":{"title":"lamp"}},"rescore":{"learned_rank":{"ranker_id":"no-such","params":{"query":"lamp"}}}}""", "unknown ranker [no-such]");
        assertBadRequest("/shop/_search", """
            {"query":{"match":{"title":"lamp"}},"rescore":{"learned_rank":{"features":[{"name":"x","first_pass":"rank"}]}}}""", "unknown [first_pass] [rank]");
        assertBadRequest("/shop/_search", """
            {"query":{"match":{"title":"lamp"}},"rescore":{"learned_rank":{"ranker_id":"a","feature_set":"b"}}}""", "needs exactly one of [ranker_id]");
        assertBadRequest(
                "/shop/_search", """
            {"query":{"match":{"title":"lamp"}},"rescore":{"learned_rank":{"features":[{"name":"x","window":{"feature":"price","measure":"percentile"}}]}}}""", "feature [x]: [window] reads [price], which is not a feature of the list");
        assertBadRequest("/shop/_search", """
            {"query":{"match":{"title":"lamp"}},"rescore":{"learned_rank":{"features":[{"name":"p","field":{"name":"price"}},{"name":"x","window":{"feature":"p","measure":"rank"}}]}}}""", "unknown [measure] [rank]; expected one of [percentile, zscore]");
        assertBadRequest("/shop/_search", """
            {"query":{"match":{"title":"lamp"}},"rescore":{"learned_rank":{"features":[{"name":"p","field":{"name":"price"}},{"name":"x","window":{"feature":"p","measure":"zscore"}},{"name":"y","window":{"feature":"x","measure":"zscore"}}]}}}""", "feature [y]: [window] reads [x], another [window] feature");
        assertBadRequest("/shop/_search", """
            {"size":30,"query":{"match":{"title":"lamp"}},"rescore":{"window_size":10,"learned_rank":{"ranker_id":"a"}}}""", "window_size [10] must be at least from + size [30]");
    }

    public void testFeatureSetsAreStoredAndNamed() throws Exception {
        indexProducts();
        ObjectPath put = call("PUT", "/_semantic_ranking/feature_sets/shop_basics", "{\"features\":" + FEATURES + "}");
        assertThat(put.evaluate("features"), equalTo(4));
        assertThat(
                ((List<?>) call("GET", "/_semantic_ranking/feature_sets/shop_basics", null)
                                .evaluate("features"))
                        .size(),
                equalTo(4));
        ObjectPath logged = call("POST", "/shop/_search", """
            {"size":2,"query":{"match":{"title":"mouse"}},
             "rescore":{"window_size":5,"learned_rank":{"feature_set":"shop_basics","params":{"query":"mouse"}}}}""");
        @SuppressWarnings("unchecked")
        Map<String, Object> f =
                (Map<String, Object>) learned(hits(logged).get(0)).get("features");
        assertThat(
                new ArrayList<>(f.keySet()), equalTo(List.of("title_bm25", "log_price", "first_pass", "title_share")));
        String body = "{\"template\":{\"query\":{\"match\":{\"title\":\"{{query}}\"}}},\"feature_set\":\"shop_basics\","
                + "\"model\":{\"type\":\"linear\"},\"folds\":1," + judgments() + "}";
        ObjectPath trained = call("POST", "/shop/_semantic_ranking/rankers/from_set/_train", body);
        assertThat(
                trained.evaluate("features"), equalTo(List.of("title_bm25", "log_price", "first_pass", "title_share")));
        assertThat(
                call("DELETE", "/_semantic_ranking/feature_sets/shop_basics", null)
                        .evaluate("acknowledged"),
                equalTo(true));
        ResponseException gone = expectThrows(
                ResponseException.class, () -> call("GET", "/_semantic_ranking/feature_sets/shop_basics", null));
        assertThat(gone.getResponse().getStatusLine().getStatusCode(), equalTo(404));
        ResponseException e = expectThrows(
                ResponseException.class,
                () -> call(
                        "PUT", "/_semantic_ranking/feature_sets/x", "{\"features\":[{\"name\":\"v\",\"vector\":{}}]}"));
        assertThat(e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(e.getMessage(), containsString("feature [v]: [vector] requires [field]"));
    }
}
