package org.semanticranking.integ;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.cat.plugins.PluginsRecord;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The proof that the plugin installs and runs: the real 9.5.3 distribution, the built zip installed
 * with {@code elasticsearch-plugin install --batch}, entitlements enforced, a non-root user, HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealDistributionIT {

    private static final int DOCS = 2000;
    private static RealNode node;
    private static ElasticsearchClient client;

    @BeforeAll
    static void startNode() throws Exception {
        node = RealNode.installAndStart("walking-skeleton", 9250);
        client = node.client();
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    @Order(1)
    void thePluginIsInstalledAndItsModelLoadedUnderEntitlements() throws Exception {
        List<PluginsRecord> plugins = client.cat().plugins().plugins();
        assertTrue(
                plugins.stream().anyMatch(p -> "semantic-ranking".equals(p.component())),
                "installed plugins: " + plugins);

        JsonNode models = node.call("GET", "/_semantic_ranking/models", null);
        JsonNode nodeModels = models.get("nodes").elements().next().get("models");
        JsonNode minilm = nodeModels.get("all-minilm-l6-v2-q");
        assertEquals("loaded", minilm.get("status").asText(), "model status: " + nodeModels + "\n" + node.logs());
        assertEquals(384, minilm.get("dims").asInt());
        assertEquals("cpu", minilm.get("device").asText());
        assertEquals(384, minilm.get("mapping").get("dims").asInt());
    }

    @Test
    @Order(2)
    void bulkOfTheChorusCatalogueGetsAUnitVectorOnEveryDocument() throws Exception {
        node.call("PUT", "/_ingest/pipeline/products-embed", """
            {"processors":[{"semantic_embedding":{"fields":["title","description"],"target_field":"product_vector"}}]}""");
        client.indices().create(c -> c.index("products").withJson(new StringReader("""
            {"settings":{"number_of_shards":2,"number_of_replicas":0,"default_pipeline":"products-embed"},
             "mappings":{"properties":{
               "id":{"type":"keyword"},"title":{"type":"text"},"description":{"type":"text"},
               "brand":{"type":"keyword"},"colour":{"type":"keyword"},"product_type":{"type":"keyword"},
               "price":{"type":"float"},
               "product_vector":{"type":"dense_vector","dims":384,"index":true,"similarity":"cosine"}}}}""")));

        List<Map<String, Object>> products = ChorusCatalogue.products(DOCS);
        assertEquals(DOCS, products.size());
        for (int from = 0; from < products.size(); from += 500) {
            BulkRequest.Builder bulk = new BulkRequest.Builder().index("products");
            for (Map<String, Object> p : products.subList(from, Math.min(products.size(), from + 500))) {
                bulk.operations(op -> op.index(i -> i.id((String) p.get("id")).document(p)));
            }
            BulkResponse response = client.bulk(bulk.build());
            if (response.errors()) {
                for (BulkResponseItem item : response.items()) {
                    if (item.error() != null) {
                        fail("document " + item.id() + " failed: "
                                + item.error().reason() + "\n" + node.logs());
                    }
                }
            }
        }
        client.indices().refresh(r -> r.index("products"));
        assertEquals(DOCS, client.count(c -> c.index("products")).count());
        assertEquals(
                DOCS,
                client.count(c -> c.index("products").query(q -> q.exists(e -> e.field("product_vector"))))
                        .count());

        // every document's vector: the model's dims and unit length
        int checked = 0;
        List<co.elastic.clients.elasticsearch._types.FieldValue> after = null;
        while (true) {
            final List<co.elastic.clients.elasticsearch._types.FieldValue> searchAfter = after;
            SearchResponse<JsonNode> page = client.search(
                    s -> {
                        s.index("products")
                                .size(500)
                                .source(src -> src.filter(f -> f.includes("product_vector")))
                                .sort(o -> o.field(f -> f.field("id")));
                        if (searchAfter != null) {
                            s.searchAfter(searchAfter);
                        }
                        return s;
                    },
                    JsonNode.class);
            List<Hit<JsonNode>> hits = page.hits().hits();
            if (hits.isEmpty()) {
                break;
            }
            for (Hit<JsonNode> hit : hits) {
                JsonNode vector = hit.source().get("product_vector");
                assertEquals(384, vector.size(), "dims of " + hit.id());
                double norm = 0;
                for (Iterator<JsonNode> it = vector.elements(); it.hasNext(); ) {
                    double x = it.next().asDouble();
                    norm += x * x;
                }
                assertEquals(1.0, Math.sqrt(norm), 1e-3, "norm of " + hit.id());
                checked++;
            }
            after = hits.get(hits.size() - 1).sort();
        }
        assertEquals(DOCS, checked);
    }

    @Test
    @Order(3)
    void aKnnSearchFindsAProductFromAParaphraseOfItsTitle() throws Exception {
        Map<String, String> paraphrases = Map.of(
                "2818674", "small Philips electric water boiler", // Philips Mini kettle HD4619/20
                "3879411", "Philips travel DVD player with a 7 inch screen", // Philips PET729/37 portable DVD/Blu-Ray
                // player
                "78299387",
                        "V7 64 gigabyte USB stick that retracts", // V7 64GB USB 3.1 Flash Drive - With Retractable USB
                // connector
                "1560577", "Leitz ring binder for filing papers" // Leitz 180° Lever Arch File
                );
        List<String> misses = new ArrayList<>();
        for (Map.Entry<String, String> e : paraphrases.entrySet()) {
            List<Float> vector = queryVector(e.getValue());
            SearchResponse<JsonNode> response = client.search(
                    s -> s.index("products")
                            .knn(k -> k.field("product_vector")
                                    .queryVector(vector)
                                    .k(10)
                                    .numCandidates(100))
                            .size(10),
                    JsonNode.class);
            List<String> ids = response.hits().hits().stream().map(Hit::id).toList();
            if (ids.contains(e.getKey()) == false) {
                misses.add(e.getValue() + " -> " + ids);
            }
        }
        assertTrue(misses.isEmpty(), "paraphrases whose product is not in the top 10: " + misses);
    }

    @Test
    @Order(4)
    void semanticIntentQueryAndKnnQueryVectorBuilderFindProductsFromParaphrases() throws Exception {
        // the semantic_intent query through the official client (a custom query variant)
        SearchResponse<JsonNode> response = client.search(
                s -> s.index("products")
                        .query(q -> q._custom(
                                "semantic_intent",
                                Map.of(
                                        "query", "small Philips electric water boiler",
                                        "field", "product_vector",
                                        "k", 10,
                                        "num_candidates", 100,
                                        "_name", "semantic")))
                        .size(10),
                JsonNode.class);
        List<String> ids = response.hits().hits().stream().map(Hit::id).toList();
        assertTrue(ids.contains("2818674"), "Philips Mini kettle in the top 10: " + ids);
        assertTrue(response.hits().hits().get(0).matchedQueries().containsKey("semantic"));

        // the native knn section with the semantic_intent query vector builder
        JsonNode knn = node.call("POST", "/products/_search", """
            {"knn":{"field":"product_vector","k":10,"num_candidates":100,
              "query_vector_builder":{"semantic_intent":{"text":"V7 64 gigabyte USB stick that retracts"}}},"_source":false}""");
        List<String> knnIds = new ArrayList<>();
        knn.get("hits").get("hits").forEach(h -> knnIds.add(h.get("_id").asText()));
        assertTrue(knnIds.contains("78299387"), "V7 64GB USB flash drive in the top 10: " + knnIds);

        // a query naming a field that is not a vector is a 400 with the reason
        RealNode.HttpError e = org.junit.jupiter.api.Assertions.assertThrows(
                RealNode.HttpError.class, () -> node.call("POST", "/products/_search", """
                {"query":{"semantic_intent":{"query":"kettle","field":"title"}}}"""));
        assertEquals(400, e.status());
        assertTrue(e.body().contains("is of type [text]; it must be a [dense_vector]"), e.body());
    }

    @Test
    @Order(5)
    void semanticHybridRetrieverFusesLexicalAndSemantic() throws Exception {
        for (String fusion :
                List.of(",\"score_breakdown\":true", ",\"combination\":\"linear\",\"normalization\":\"min_max\"")) {
            JsonNode result = node.call("POST", "/products/_search", String.format(Locale.ROOT, """
                {"size":10,"_source":["title"],"retriever":{"semantic_hybrid":{
                  "lexical":{"standard":{"query":{"multi_match":{"query":"portable dvd player","fields":["title","description"]}}}},
                  "semantic":{"standard":{"query":{"semantic_intent":{"query":"portable dvd player","field":"product_vector","k":50,"num_candidates":100}}}},
                  "rank_window_size":50 %s}}}""", fusion));
            List<String> ids = new ArrayList<>();
            result.get("hits").get("hits").forEach(h -> ids.add(h.get("_id").asText()));
            assertEquals(10, ids.size(), result.toString());
            assertTrue(
                    ids.contains("3879411"),
                    "Philips PET729/37 portable DVD player in the fused top 10 (" + fusion + "): " + ids);
            if (fusion.contains("score_breakdown")) {
                JsonNode parts = result.get("hits")
                        .get("hits")
                        .get(0)
                        .get("fields")
                        .get("_semantic_hybrid")
                        .get(0);
                assertEquals(1, parts.get("rank").asInt(), parts.toString());
                assertTrue(parts.has("lexical_rank") && parts.has("semantic_rank"), parts.toString());
            }
        }
    }

    @Test
    @Order(6)
    void badInputIsA400WithItsReason() throws Exception {
        RealNode.HttpError e = org.junit.jupiter.api.Assertions.assertThrows(
                RealNode.HttpError.class, () -> node.call("PUT", "/_ingest/pipeline/bad", """
                {"processors":[{"semantic_embedding":{"field":"title","model":"../../etc/passwd"}}]}"""));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("unknown model [../../etc/passwd]"), e.getMessage());

        JsonNode stats = node.call("GET", "/_semantic_ranking/stats", null);
        JsonNode encoder = stats.get("nodes").elements().next().get("encoder").get("all-minilm-l6-v2-q");
        assertTrue(encoder.get("texts_encoded").asLong() >= DOCS, encoder.toString());
        assertFalse(encoder.get("batches").asLong() >= DOCS, "documents of a bulk are encoded in batches: " + encoder);
    }

    /**
     * The personalization loop on the real node: events through the {@code interaction_event} pipeline,
     * profiles built, a model trained (on the jobs pool, under entitlements), and a search rescored with it.
     * Shoppers each prefer one of three brands of the catalogue and click its products in the impressions they see.
     */
    @Test
    @Order(7)
    void eventsBuildTrainAndRescore() throws Exception {
        JsonNode brands = node.call("POST", "/products/_search", """
            {"size":0,"aggs":{"b":{"terms":{"field":"brand","size":3}}}}""");
        List<String> top = new ArrayList<>();
        brands.get("aggregations")
                .get("b")
                .get("buckets")
                .forEach(b -> top.add(b.get("key").asText()));
        Map<String, List<String>> productsByBrand = new java.util.LinkedHashMap<>();
        for (String brand : top) {
            JsonNode hits = node.call(
                    "POST",
                    "/products/_search",
                    String.format(
                            Locale.ROOT,
                            """
                {"size":12,"_source":false,"query":{"term":{"brand":%s}},"sort":[{"id":"asc"}]}""",
                            new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(brand)));
            List<String> ids = new ArrayList<>();
            hits.get("hits").get("hits").forEach(h -> ids.add(h.get("_id").asText()));
            productsByBrand.put(brand, ids);
        }
        node.call("PUT", "/_ingest/pipeline/events", "{\"processors\":[{\"interaction_event\":{}}]}");
        node.call(
                "PUT",
                "/interactions",
                "{\"settings\":{\"default_pipeline\":\"events\"},\"mappings\":"
                        + org.semanticranking.personalization.events.InteractionEvent.MAPPING + "}");
        StringBuilder bulk = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        long t = java.time.Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
        int users = 0;
        for (String brand : top) {
            for (int u = 0; u < 8; u++, users++) {
                String user = "fan-of-" + brand + "-" + u;
                for (int i = 0; i < 6; i++, t += 60_000) {
                    String impression = user + "-" + i;
                    List<String> shown = new ArrayList<>();
                    productsByBrand
                            .values()
                            .forEach(ids -> shown.addAll(ids.subList(0, 4).stream()
                                    .map(id -> ids.get(random.nextInt(ids.size())))
                                    .toList()));
                    java.util.Collections.shuffle(shown, random);
                    for (int pos = 0; pos < shown.size(); pos++) {
                        bulk.append(String.format(
                                Locale.ROOT,
                                "{\"index\":{}}\n{\"user_id\":\"%s\",\"product_id\":\"%s\",\"type\":\"view\",\"@timestamp\":%d,\"impression_id\":\"%s\",\"position\":%d}\n",
                                user,
                                shown.get(pos),
                                t,
                                impression,
                                pos));
                    }
                    String clicked = shown.stream()
                            .filter(id -> productsByBrand.get(brand).contains(id))
                            .findFirst()
                            .orElseThrow();
                    bulk.append(String.format(
                            Locale.ROOT,
                            "{\"index\":{}}\n{\"user_id\":\"%s\",\"product_id\":\"%s\",\"type\":\"%s\",\"@timestamp\":%d,\"impression_id\":\"%s\"}\n",
                            user,
                            clicked,
                            i % 3 == 2 ? "purchase" : "click",
                            t + 1000,
                            impression));
                }
            }
        }
        JsonNode indexed = node.call("POST", "/interactions/_bulk?refresh=true", bulk.toString());
        assertFalse(indexed.get("errors").asBoolean(), indexed.toString());

        String learn = """
            "products_index":"products","vector_field":"product_vector","affinity_fields":["brand"],"price_field":"price",
            "click_lift_field":"click_stats\"""";
        JsonNode built = node.call("POST", "/_semantic_ranking/profiles/_build", "{" + learn + "}");
        assertEquals(users, built.get("users").asInt(), built.toString());
        assertTrue(built.get("products_with_click_lift").asInt() > 0, built.toString());
        JsonNode trained =
                node.call("POST", "/_semantic_ranking/personalization/shop/_train", "{" + learn + ",\"holdout\":0.25}");
        assertTrue(trained.get("training").get("auc").asDouble() > 0.7, trained.toString());
        assertEquals(
                1,
                node.call("GET", "/_semantic_ranking/personalization/shop", null)
                        .get("version")
                        .asInt());

        // a generic first pass over the three brands; the shopper's brand comes first after the blend
        String brand = top.get(1);
        JsonNode result = node.call(
                "POST",
                "/products/_search",
                String.format(
                        Locale.ROOT,
                        """
            {"size":5,"query":{"terms":{"brand":%s}},
             "rescore":{"window_size":100,"personalized_blend":{"user_id":"fan-of-%s-0","model_id":"shop","vector_field":"product_vector",
               "weights":{"query":0,"vector":0,"personalization":1},"score_breakdown":true}}}""",
                        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(top),
                        brand));
        for (JsonNode hit : result.get("hits").get("hits")) {
            assertEquals(
                    brand,
                    node.call("GET", "/products/_doc/" + hit.get("_id").asText(), null)
                            .get("_source")
                            .get("brand")
                            .asText(),
                    result.toString());
        }
        JsonNode features = result.get("hits")
                .get("hits")
                .get(0)
                .get("fields")
                .get("_personalized_blend")
                .get(0)
                .get("personalization")
                .get("features");
        assertTrue(features.has("affinity.brand"), features.toString());
        // the price taste is built from the impressions (clicks against the slots' click rates) and read on the shards
        assertTrue(features.has("price_lift"), features.toString());
        JsonNode profile = node.call("GET", "/user_profiles/_doc/fan-of-" + brand + "-0", null)
                .get("_source");
        assertTrue(
                profile.get("price_taste").get("bins").size() > 0,
                profile.get("price_taste").toString());
        // the build wrote each shown product's clicks and views per slot; the shard reads them from doc values and
        // expects clicks from the views at the slots' rates the model was trained with
        JsonNode first = result.get("hits").get("hits").get(0);
        JsonNode stats = node.call("GET", "/products/_doc/" + first.get("_id").asText(), null)
                .get("_source")
                .get("click_stats");
        JsonNode rates = trained.get("slot_rates");
        double expected = 0;
        for (int slot = 0; stats != null && slot <= 10; slot++) {
            JsonNode views = stats.get(slot < 10 ? "views_" + slot : "views_deeper");
            expected += views == null ? 0 : views.asDouble() * rates.get(slot).asDouble();
        }
        double lift = stats == null ? 0 : Math.log((stats.get("clicks").asDouble() + 1) / (expected + 1));
        assertEquals(lift, features.get("click_lift").asDouble(), 1e-6, features.toString());
    }

    /**
     * {@code _evaluate} scores the 135 Chorus queries exactly as the relevance report does (the same
     * rankings through {@code _search}, scored here with the same metrics code), to 1e-9. The ratings are those
     * of the products this node holds (a rating of a missing product is a 400).
     */
    @Test
    @Order(8)
    void evaluateAgreesWithTheRelevanceReport() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<org.semanticranking.bench.ChorusQueryBenchmark.Judged> queries =
                org.semanticranking.bench.ChorusQueryBenchmark.loadQueries();
        java.util.Set<String> held = new java.util.HashSet<>();
        node.call("POST", "/products/_search", "{\"size\":" + DOCS + ",\"_source\":false}")
                .get("hits")
                .get("hits")
                .forEach(h -> held.add(h.get("_id").asText()));
        String template = """
            {"query":{"multi_match":{"query":"{{query}}","fields":["title","brand","product_type","description"]}}}""";
        List<Map<String, Object>> requests = new ArrayList<>();
        List<Map<String, Object>> ratings = new ArrayList<>();
        double expected = 0;
        for (var q : queries) {
            requests.add(Map.of("id", q.id(), "params", Map.of("query", q.text())));
            Map<String, Integer> grades = new java.util.HashMap<>();
            q.grades().forEach((id, grade) -> {
                if (held.contains(id)) {
                    grades.put(id, grade);
                    ratings.add(Map.of("request", q.id(), "_id", id, "grade", grade));
                }
            });
            JsonNode hits = node.call(
                    "POST",
                    "/products/_search",
                    "{\"size\":10,\"_source\":false,"
                            + template.substring(1)
                                    .replace(
                                            "{{query}}",
                                            json.writeValueAsString(q.text())
                                                    .substring(
                                                            1,
                                                            json.writeValueAsString(q.text())
                                                                            .length()
                                                                    - 1)));
            List<String> ranking = new ArrayList<>();
            hits.get("hits").get("hits").forEach(h -> ranking.add(h.get("_id").asText()));
            expected += org.semanticranking.evaluation.RankingMetrics.ndcgAt(ranking, grades, 10);
        }
        expected /= queries.size();
        String body = "{\"template\":" + template + ",\"requests\":" + json.writeValueAsString(requests)
                + ",\"ratings\":" + json.writeValueAsString(ratings) + ",\"metrics\":[\"ndcg@10\",\"judged@10\"]}";
        JsonNode evaluated = node.call("POST", "/products/_semantic_ranking/_evaluate", body);
        assertEquals(expected, evaluated.get("metrics").get("ndcg@10").asDouble(), 1e-9);
        assertTrue(expected > 0, "some of the rated products are held by this node: " + expected);
    }

    /**
     * Every Dev Tools request of the README's "Relevance tuning in Kibana", in order, as written: each must
     * succeed and answer what the README says it answers.
     */
    @Test
    @Order(9)
    void theRelevanceTuningGuideRunsAsWritten() throws Exception {
        List<JsonNode> responses = new ArrayList<>();
        for (String[] request : guide("## Relevance tuning in Kibana")) {
            responses.add(node.call(request[0], request[1], request[2]));
        }
        assertEquals(
                4,
                responses.size(),
                "the guide's requests: evaluate, tune, the pasted search with its breakdown, judgment candidates");
        JsonNode evaluated = responses.get(0);
        assertTrue(evaluated.get("metrics").get("ndcg@10").asDouble() > 0, evaluated.toString());
        assertTrue(evaluated.get("requests").get("mouse").has("unrated_docs"), evaluated.toString());
        JsonNode tuned = responses.get(1);
        assertTrue(
                tuned.get("best").get("mean").asDouble()
                        >= tuned.get("baseline").get("mean").asDouble(),
                tuned.toString());
        assertEquals(5, tuned.get("cross_validation").get("per_fold").size(), tuned.toString());
        assertEquals(
                "mouse",
                tuned.get("search_body")
                        .get("retriever")
                        .get("semantic_hybrid")
                        .get("lexical")
                        .get("standard")
                        .get("query")
                        .get("multi_match")
                        .get("query")
                        .asText());
        JsonNode pasted = responses.get(2);
        assertTrue(pasted.get("hits").get("hits").get(0).get("fields").has("_semantic_hybrid"), pasted.toString());
        JsonNode candidates = responses.get(3);
        assertTrue(candidates.get("candidates").size() > 0, candidates.toString());
        for (JsonNode c : candidates.get("candidates")) {
            assertFalse(
                    List.of("695844", "887870").contains(c.get("_id").asText()),
                    "rated documents are not candidates: " + c);
            assertTrue(c.get("fields").has("title"), c.toString());
        }
    }

    /** The Dev Tools requests of a README section, in order: method, path, body (or {@code null}). */
    static List<String[]> guide(String heading) throws IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        int start = readme.indexOf(heading);
        assertTrue(start >= 0, "the README has " + heading);
        String section = readme.substring(start, readme.indexOf("\n## ", start + 10));
        java.util.regex.Matcher blocks = java.util.regex.Pattern.compile(
                        "```console\n(.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(section);
        List<String[]> requests = new ArrayList<>();
        while (blocks.find()) {
            String block = blocks.group(1);
            int newline = block.indexOf('\n');
            String[] requestLine = block.substring(0, newline).trim().split(" ", 2);
            String body = block.substring(newline + 1).trim();
            requests.add(new String[] {requestLine[0], "/" + requestLine[1], body.isEmpty() ? null : body});
        }
        return requests;
    }

    /**
     * Every Dev Tools request of the README's "Learning to rank from your judgments", in order, as written: store the
     * features, log them, train (XGBoost's native library loading and training under the entitlements), read the
     * ranker back, and serve it, the search also through the official Java client.
     */
    @Test
    @Order(11)
    void theLearningToRankGuideRunsAsWritten() throws Exception {
        List<String[]> requests = guide("## Learning to rank from your judgments");
        assertEquals(5, requests.size(), "put features, log them, train, get, serve");
        List<JsonNode> responses = new ArrayList<>();
        for (String[] request : requests) {
            responses.add(node.call(request[0], request[1], request[2]));
        }
        assertEquals(
                16, responses.get(0).get("features").asInt(), responses.get(0).toString());
        JsonNode logged = responses.get(1).get("hits").get("hits");
        assertEquals(3, logged.size(), responses.get(1).toString());
        JsonNode features =
                logged.get(0).get("fields").get("_learned_rank").get(0).get("features");
        assertEquals(16, features.size(), features.toString());
        assertTrue(features.get("semantic").asDouble() > 0, features.toString());
        assertEquals(2, features.get("words").asInt(), features.toString());

        JsonNode trained = responses.get(2);
        JsonNode cv = trained.get("training").get("cross_validation");
        assertEquals(5, cv.get("per_fold").size(), trained.toString());
        assertEquals(15, cv.get("ranker").get("requests").asInt(), trained.toString());
        assertTrue(cv.get("ranker").get("mean").asDouble() > 0, trained.toString());
        assertTrue(cv.get("first_stage").get("mean").asDouble() > 0, trained.toString());
        assertTrue(trained.get("training").get("candidates").asInt() >= 15 * 20, trained.toString());

        JsonNode stored = responses.get(3);
        assertEquals("trees", stored.get("model").get("type").asText(), stored.toString());
        assertEquals(100, stored.get("model").get("trees").asInt(), stored.toString());

        JsonNode served = responses.get(4).get("hits").get("hits");
        assertEquals(5, served.size(), responses.get(4).toString());
        List<String> ids = new ArrayList<>();
        double previous = Double.MAX_VALUE;
        for (JsonNode hit : served) {
            ids.add(hit.get("_id").asText());
            JsonNode parts = hit.get("fields").get("_learned_rank").get(0);
            double score = hit.get("_score").asDouble();
            assertEquals(score, parts.get("score").asDouble(), 1e-4, parts.toString());
            double sum = parts.get("bias").asDouble();
            for (JsonNode part : parts.get("contributions")) {
                sum += part.asDouble();
            }
            assertEquals(score, sum, 1e-3, "the parts sum to the score: " + parts);
            assertTrue(score <= previous, "in the ranker's order");
            previous = score;
        }
        // the official client has no type for a plugin's retriever, but takes a plugin's rescorer as a custom one
        SearchResponse<JsonNode> official = client.search(
                s -> s.index("products")
                        .size(5)
                        .query(q -> q.multiMatch(
                                m -> m.query("wireless mouse").fields("title", "brand", "product_type", "description")))
                        .rescore(r -> r.windowSize(50)
                                ._custom(
                                        "learned_rank",
                                        Map.of(
                                                "ranker_id",
                                                "products",
                                                "params",
                                                Map.of("query", "wireless mouse"),
                                                "score_breakdown",
                                                true))),
                JsonNode.class);
        assertEquals(5, official.hits().hits().size());
        for (Hit<JsonNode> hit : official.hits().hits()) {
            JsonNode parts =
                    hit.fields().get("_learned_rank").to(JsonNode.class).get(0);
            assertEquals(hit.score(), parts.get("score").asDouble(), 1e-4, parts.toString());
            assertEquals("products", parts.get("ranker_id").asText());
        }
    }

    /** One row of {@code docs/bad-input-catalogue.md}. */
    record BadInput(String id, String area, String method, String path, String body, int status, String reason) {}

    static List<BadInput> badInputs() throws Exception {
        List<BadInput> rows = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("docs/bad-input-catalogue.md"))) {
            if (line.matches("^\\| \\d+ \\|.*") == false) {
                continue;
            }
            String trimmed = line.strip();
            String[] cells = trimmed.substring(1, trimmed.length() - 1).split("\\|", -1);
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i].strip();
            }
            String[] request = cells[2].replace("`", "").split(" ", 2);
            String body = cells[3].strip();
            body = body.isEmpty() ? null : body.substring(1, body.length() - 1);
            rows.add(new BadInput(
                    cells[0],
                    cells[1],
                    request[0],
                    request[1],
                    body,
                    Integer.parseInt(cells[4].strip()),
                    cells[5].strip()));
        }
        return rows;
    }

    /** Every row of the bad-input catalogue, one test each: the status and reason it documents, never a 5xx. */
    @org.junit.jupiter.api.TestFactory
    @Order(10)
    java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> badInputCatalogue() throws Exception {
        List<BadInput> rows = badInputs();
        assertTrue(rows.size() >= 30, "the catalogue has " + rows.size() + " rows");
        String huge = "usb cable ".repeat(20_000);
        return rows.stream()
                .map(row -> org.junit.jupiter.api.DynamicTest.dynamicTest(
                        "#" + row.id() + " " + row.area() + " " + row.method() + " " + row.path(), () -> {
                            String body = row.body() == null ? null : row.body().replace("{{HUGE_TEXT}}", huge);
                            boolean bulk = row.path().contains("_bulk");
                            if (bulk) {
                                body = body.replace("\\n", "\n") + "\n";
                            }
                            int status;
                            String text;
                            try {
                                JsonNode response = node.call(row.method(), row.path(), body);
                                if (bulk) {
                                    JsonNode item = response.get("items")
                                            .get(0)
                                            .elements()
                                            .next();
                                    status = item.get("status").asInt();
                                    text = item.toString();
                                } else {
                                    status = 200;
                                    text = response.toString();
                                }
                            } catch (RealNode.HttpError e) {
                                status = e.status();
                                text = e.body();
                            }
                            assertTrue(status < 500, "row " + row.id() + " answered " + status + ": " + text);
                            if (row.status() >= 200 && row.status() < 300) {
                                assertTrue(
                                        status >= 200 && status < 300,
                                        "row " + row.id() + " expected " + row.status() + " but got " + status + ": "
                                                + text);
                            } else {
                                assertEquals(row.status(), status, "row " + row.id() + ": " + text);
                            }
                            assertTrue(
                                    text.contains(row.reason()),
                                    "row " + row.id() + " should say [" + row.reason() + "]: " + text);
                        }));
    }

    /** The query vector of a text, by simulating the pipeline (the semantic_intent query comes with the query issue). */
    private static List<Float> queryVector(String text) throws Exception {
        JsonNode simulated = node.call(
                "POST",
                "/_ingest/pipeline/products-embed/_simulate",
                "{\"docs\":[{\"_source\":{\"title\":"
                        + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text) + "}}]}");
        List<Float> vector = new ArrayList<>();
        simulated
                .get("docs")
                .get(0)
                .get("doc")
                .get("_source")
                .get("product_vector")
                .forEach(x -> vector.add((float) x.asDouble()));
        return vector;
    }
}
