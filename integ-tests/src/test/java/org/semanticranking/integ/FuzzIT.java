package org.semanticranking.integ;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded fuzzer over everything the plugin takes from a user, on the real node: every option of both processors (a
 * pipeline that was accepted then gets a valid document through it), every element it adds to the search DSL
 * ({@code semantic_intent}, its query vector builder, {@code semantic_hybrid} with its rescore section,
 * {@code personalized_blend}) and every REST body ({@code _evaluate}, {@code _tune}, {@code _judgment_candidates},
 * {@code profiles/_build}, {@code _train}), each built from a valid body by one to three mutations ({@link JsonMutator}).
 *
 * <p>It asserts what a user may expect of any input: no 5xx of the plugin's making (a 5xx whose stack trace,
 * asked for with {@code error_trace}, runs through the plugin's code; a bulk item through the plugin's processors),
 * no request left hanging, and afterwards a healthy node that holds every document of the valid requests sent in
 * between, each with its vector. 5xx answers of Elasticsearch's own making are counted and reported, not failed.
 * The report goes to {@code target/fuzz-report.md}. {@code -Dtests.fuzz.seed} and {@code -Dtests.fuzz.requests}
 * change the run.
 */
class FuzzIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PRODUCTS = 300;
    /** No request may take longer; the client's own timeout would fail it sooner than a hang would end. */
    private static final long MAX_MILLIS = 120_000;

    private static RealNode node;
    private static List<String> productIds = new ArrayList<>();

    /** One valid request: where it goes, its body, and how its answer is read. */
    record Seed(String name, String method, String path, String body, Kind kind, int weight) {}

    enum Kind {
        /** a JSON body, the answer's status decides */
        JSON,
        /** a pipeline: if accepted, a valid product goes through it in a bulk, whose item status decides too */
        PIPELINE,
        /** one document of a bulk through the index's default pipeline: the item's status decides */
        BULK_DOC
    }

    @BeforeAll
    static void startNodeWithACatalogueEventsAndAModel() throws Exception {
        node = RealNode.installAndStart("fuzz", 9260);
        node.call("PUT", "/_ingest/pipeline/products-embed", """
            {"processors":[{"semantic_embedding":{"fields":["title","description"],"target_field":"product_vector"}}]}""");
        String mapping = """
            {"settings":{"number_of_shards":1,"number_of_replicas":0,"default_pipeline":"products-embed"},
             "mappings":{"properties":{"title":{"type":"text"},"description":{"type":"text"},"brand":{"type":"keyword"},
               "colour":{"type":"keyword"},"product_type":{"type":"keyword"},"price":{"type":"float"},
               "product_vector":{"type":"dense_vector","dims":384,"similarity":"cosine"}}}}""";
        node.call("PUT", "/products", mapping);
        node.call("PUT", "/fz-docs", mapping);
        StringBuilder bulk = new StringBuilder();
        for (Map<String, Object> p : ChorusCatalogue.products(PRODUCTS)) {
            Object id = p.remove("id");
            productIds.add(id.toString());
            bulk.append("{\"index\":{\"_id\":\"")
                    .append(id)
                    .append("\"}}\n")
                    .append(JSON.writeValueAsString(p))
                    .append('\n');
        }
        assertEquals(
                false,
                node.call("POST", "/products/_bulk?refresh=true", bulk.toString())
                        .get("errors")
                        .asBoolean());
        node.call("PUT", "/_ingest/pipeline/events", "{\"processors\":[{\"interaction_event\":{}}]}");
        node.call(
                "PUT",
                "/interactions",
                "{\"settings\":{\"default_pipeline\":\"events\"},\"mappings\":"
                        + org.semanticranking.personalization.events.InteractionEvent.MAPPING + "}");
        StringBuilder events = new StringBuilder();
        Random random = new Random(3);
        for (int u = 0; u < 12; u++) {
            for (int i = 0; i < 4; i++) {
                String impression = "imp-" + u + "-" + i;
                for (int pos = 0; pos < 8; pos++) {
                    events.append("{\"index\":{}}\n{\"user_id\":\"fz-user-")
                            .append(u)
                            .append("\",\"product_id\":\"")
                            .append(productIds.get(random.nextInt(60)))
                            .append("\",\"type\":\"view\",\"impression_id\":\"")
                            .append(impression)
                            .append("\",\"position\":")
                            .append(pos)
                            .append(",\"@timestamp\":\"2026-11-2")
                            .append(i)
                            .append("T10:00:00Z\"}\n");
                }
                events.append("{\"index\":{}}\n{\"user_id\":\"fz-user-")
                        .append(u)
                        .append("\",\"product_id\":\"")
                        .append(productIds.get((u * 5 + i) % 60))
                        .append("\",\"type\":\"click\",\"impression_id\":\"")
                        .append(impression)
                        .append("\",\"position\":")
                        .append(i)
                        .append(",\"@timestamp\":\"2026-11-2")
                        .append(i)
                        .append("T10:00:05Z\"}\n");
            }
        }
        assertEquals(
                false,
                node.call("POST", "/interactions/_bulk?refresh=true", events.toString())
                        .get("errors")
                        .asBoolean());
        String learn = """
            {"products_index":"products","vector_field":"product_vector","affinity_fields":["brand"],"price_field":"price"}""";
        node.call("POST", "/_semantic_ranking/profiles/_build", learn);
        node.call("POST", "/_semantic_ranking/personalization/shop/_train", learn);
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.stop();
        }
    }

    private static List<Seed> seeds() throws Exception {
        String a = productIds.get(0), b = productIds.get(1), c = productIds.get(2);
        String profile = node.call("GET", "/user_profiles/_doc/fz-user-1", null)
                .get("_source")
                .toString();
        String requests = String.format(Locale.ROOT, """
            "requests":[{"id":"a","params":{"query":"usb cable"}},{"id":"b","params":{"query":"toner cartridge"}}],
            "ratings":[{"request":"a","_id":"%s","grade":3},{"request":"b","_id":"%s","grade":1},{"request":"b","_id":"%s","grade":0}]""", a, b, c);
        return List.of(
                new Seed("semantic_embedding", "PUT", "/_ingest/pipeline/fz-p", """
                {"description":"fuzz","processors":[{"semantic_embedding":{"fields":["title","description"],"target_field":"product_vector",
                  "separator":" ","model":"default","ignore_missing":true,"max_tokens":64,"tag":"t"}}]}""", Kind.PIPELINE, 10),
                new Seed("semantic_embedding field", "PUT", "/_ingest/pipeline/fz-p", """
                {"processors":[{"semantic_embedding":{"field":"title","target_field":"v"}}]}""", Kind.PIPELINE, 5),
                new Seed("interaction_event", "PUT", "/_ingest/pipeline/fz-e", """
                {"processors":[{"interaction_event":{}}]}""", Kind.JSON, 3),
                new Seed("product document", "POST", "/fz-docs/_bulk", """
                {"title":"Sony wireless headphones","description":"noise cancelling, 30 h battery","brand":"Sony","colour":"Black",
                 "product_type":"Headphones","price":99.5}""", Kind.BULK_DOC, 8),
                new Seed("event", "POST", "/interactions/_bulk", String.format(Locale.ROOT, """
                {"user_id":"fz-user-1","product_id":"%s","type":"click","impression_id":"imp-x","position":0,
                 "@timestamp":"2026-11-25T10:00:00Z","query":"usb cable"}""", a), Kind.BULK_DOC, 8),
                new Seed("semantic_intent", "POST", "/products/_search", """
                {"size":5,"query":{"semantic_intent":{"query":"black sony headphones under $100","field":"product_vector","model":"default",
                  "k":10,"num_candidates":50,"filter":{"term":{"brand":"Sony"}},"boost":1.0,"_name":"sem",
                  "intent":{"brand_field":"brand","colour_field":"colour","type_field":"product_type","price_field":"price",
                    "mode":"boost","boost":1.0,"cheap_below":20,"strip_price":true}}}}""", Kind.JSON, 12),
                new Seed("semantic_intent vector builder", "POST", "/products/_search", """
                {"size":5,"knn":{"field":"product_vector","k":5,"num_candidates":20,
                  "query_vector_builder":{"semantic_intent":{"text":"usb fan","model":"default"}}}}""", Kind.JSON, 8),
                new Seed("semantic_hybrid", "POST", "/products/_search", """
                {"size":5,"retriever":{"semantic_hybrid":{
                  "lexical":{"standard":{"query":{"match":{"title":"usb cable"}}}},
                  "semantic":{"standard":{"query":{"semantic_intent":{"query":"usb cable","field":"product_vector","k":20}}}},
                  "combination":"linear","normalization":"min_max","weights":{"lexical":1,"semantic":1},"rank_constant":60,
                  "rank_window_size":20,"score_breakdown":true,"filter":{"range":{"price":{"lte":500}}},"_name":"hybrid",
                  "rescore":{"window_size":10,"personalized_blend":{"user_id":"fz-user-1","vector_field":"product_vector",
                    "weights":{"query":0.5,"vector":0.5,"personalization":1}}}}}}""", Kind.JSON, 14),
                new Seed("personalized_blend", "POST", "/products/_search", """
                {"size":5,"query":{"match":{"title":"usb"}},"rescore":{"window_size":20,"personalized_blend":{
                  "user_id":"fz-user-1","model_id":"shop","vector_field":"product_vector","query_text":"usb cable",
                  "weights":{"query":0.5,"vector":0.5,"personalization":1},"normalization":"min_max","session_size":5,
                  "score_breakdown":true}}}""", Kind.JSON, 12),
                new Seed(
                        "personalized_blend inline",
                        "POST",
                        "/products/_search",
                        String.format(Locale.ROOT, """
                {"size":5,"query":{"match":{"title":"cable"}},"rescore":{"window_size":20,"personalized_blend":{
                  "user":%s,"vector_field":"product_vector","query_text":"cable","model_id":"shop"}}}""", profile),
                        Kind.JSON,
                        8),
                new Seed(
                        "_evaluate",
                        "POST",
                        "/products/_semantic_ranking/_evaluate",
                        String.format(Locale.ROOT, """
                {"template":{"query":{"match":{"title":"{{query}}"}}},%s,
                 "metrics":["ndcg@10","mrr@10","precision@5","recall@20","judged@10"],"relevant_grade":1,"missing_rated_docs":"report"}""", requests),
                        Kind.JSON,
                        10),
                new Seed(
                        "_tune",
                        "POST",
                        "/products/_semantic_ranking/_tune",
                        String.format(Locale.ROOT, """
                {"template":{"query":{"match":{"title":{"query":"{{query}}","boost":1}}}},%s,"metrics":["ndcg@10"],
                 "params":{"query.match.title.boost":{"min":0,"max":2}},"folds":2,"budget":3,"seed":1}""", requests),
                        Kind.JSON,
                        6),
                new Seed(
                        "_judgment_candidates",
                        "POST",
                        "/products/_semantic_ranking/_judgment_candidates",
                        String.format(Locale.ROOT, """
                {"lexical":{"query":{"match":{"title":"{{query}}"}}},
                 "semantic":{"query":{"semantic_intent":{"query":"{{query}}","field":"product_vector","k":10}}},%s,
                 "k":10,"size":3,"fields":["title","brand"]}""", requests),
                        Kind.JSON,
                        8),
                new Seed("profiles/_build", "POST", "/_semantic_ranking/profiles/_build", """
                {"products_index":"products","vector_field":"product_vector","affinity_fields":["brand"],"price_field":"price",
                 "popularity_field":"popularity","click_lift_field":"click_stats","half_life":"7d","weights":{"purchase":10},
                 "users_per_batch":50,"max_events_per_user":1000}""", Kind.JSON, 4),
                new Seed("_train", "POST", "/_semantic_ranking/personalization/fz/_train", """
                {"products_index":"products","vector_field":"product_vector","affinity_fields":["brand"],"price_field":"price",
                 "holdout":0.2,"l2":1.0,"session_size":5,"condition_on":["position"],"negatives":"skipped_above_click",
                 "price_lift":true,"seed":1,"negatives_per_positive":3,"max_examples":10000,"max_events_per_user":1000}""", Kind.JSON, 4));
    }

    /** What one request got: its status class, and whether a 5xx was the plugin's. */
    private record Outcome(int status, boolean plugins, String detail) {}

    @Test
    void mutatedInputNeverGetsA5xxOfThePluginsMakingNorHangsAndTheNodeStaysWhole() throws Exception {
        long seed = Long.getLong("tests.fuzz.seed", 20261201L);
        int total = Integer.getInteger("tests.fuzz.requests", 2000);
        Random random = new Random(seed);
        JsonMutator mutator = new JsonMutator(random);
        List<Seed> seeds = seeds();
        int weights = seeds.stream().mapToInt(Seed::weight).sum();
        Map<String, int[]> bySeed = new TreeMap<>(); // 2xx, 4xx, 5xx of Elasticsearch's making
        List<String> pluginFailures = new ArrayList<>();
        Map<String, Integer> elasticsearchFailures = new TreeMap<>();
        List<String> validIds = new ArrayList<>();
        long slowest = 0;
        String slowestRequest = "";
        for (int i = 0; i < total; i++) {
            if (i % 25 == 0) {
                // the valid requests in between: a bulk of four products, every one of which must be there at the end
                StringBuilder bulk = new StringBuilder();
                for (int j = 0; j < 4; j++) {
                    String id = "valid-" + i + "-" + j;
                    validIds.add(id);
                    bulk.append("{\"index\":{\"_id\":\"")
                            .append(id)
                            .append("\"}}\n{\"title\":\"valid product ")
                            .append(i)
                            .append(' ')
                            .append(j)
                            .append("\",\"description\":\"sent between the mutated requests\",\"price\":")
                            .append(j + 1)
                            .append("}\n");
                }
                JsonNode indexed = node.call("POST", "/fz-docs/_bulk", bulk.toString());
                assertEquals(false, indexed.get("errors").asBoolean(), indexed.toString());
            }
            int pick = random.nextInt(weights);
            Seed seedRequest = null;
            for (Seed s : seeds) {
                pick -= s.weight();
                if (pick < 0) {
                    seedRequest = s;
                    break;
                }
            }
            JsonMutator.Mutated mutated = mutator.mutate(JSON.readTree(seedRequest.body()), 1 + random.nextInt(3));
            String path = seedRequest.path().replace("/fz-p", "/fz-p-" + i).replace("/fz-e", "/fz-e-" + i);
            long start = System.nanoTime();
            Outcome outcome = send(seedRequest, path, mutated.body());
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (millis > slowest) {
                slowest = millis;
                slowestRequest = seedRequest.name() + " " + mutated.changes();
            }
            int[] counts = bySeed.computeIfAbsent(seedRequest.name(), k -> new int[3]);
            counts[outcome.status() < 300 ? 0 : outcome.status() < 500 ? 1 : 2]++;
            if (outcome.status() >= 500) {
                if (outcome.plugins()) {
                    pluginFailures.add("#" + i + " " + seedRequest.name() + " " + mutated.changes() + " -> "
                            + outcome.status() + " " + outcome.detail());
                } else {
                    elasticsearchFailures.merge(seedRequest.name() + ": " + outcome.detail(), 1, Integer::sum);
                }
            }
        }
        // the node is whole: healthy, its model loaded, every valid document there with its vector, searches answered
        JsonNode health = node.call("GET", "/_cluster/health?wait_for_status=yellow&timeout=30s", null);
        assertTrue(List.of("green", "yellow").contains(health.get("status").asText()), health.toString());
        JsonNode models = node.call("GET", "/_semantic_ranking/models", null)
                .get("nodes")
                .elements()
                .next()
                .get("models");
        assertEquals("loaded", models.get("all-minilm-l6-v2-q").get("status").asText());
        node.call("POST", "/fz-docs/_refresh", null);
        JsonNode found = node.call(
                "POST",
                "/fz-docs/_search",
                "{\"size\":0,\"track_total_hits\":true,\"query\":{\"bool\":{\"filter\":[" + "{\"ids\":{\"values\":"
                        + JSON.writeValueAsString(validIds) + "}},{\"exists\":{\"field\":\"product_vector\"}}]}}}");
        assertEquals(
                validIds.size(),
                found.get("hits").get("total").get("value").asInt(),
                "every valid document, with its vector");
        JsonNode search = node.call("POST", "/products/_search", """
            {"size":5,"_source":false,"query":{"semantic_intent":{"query":"usb cable","field":"product_vector"}}}""");
        assertTrue(search.get("hits").get("hits").size() > 0, search.toString());

        StringBuilder report = new StringBuilder("# Fuzz run: seed " + seed + ", " + total + " mutated requests\n\n")
                .append("| seed request | 2xx | 4xx | 5xx of Elasticsearch's making |\n|---|---|---|---|\n");
        bySeed.forEach((name, c) -> report.append("| ")
                .append(name)
                .append(" | ")
                .append(c[0])
                .append(" | ")
                .append(c[1])
                .append(" | ")
                .append(c[2])
                .append(" |\n"));
        report.append("\nSlowest request: ")
                .append(slowest)
                .append(" ms (")
                .append(slowestRequest)
                .append(")\n");
        report.append("\n5xx of Elasticsearch's making (no frame of the plugin in their stack trace):\n");
        elasticsearchFailures.forEach((what, n) ->
                report.append("- ").append(n).append(" x ").append(what).append('\n'));
        report.append("\n5xx of the plugin's making: ")
                .append(pluginFailures.size())
                .append('\n');
        pluginFailures.forEach(f -> report.append("- ").append(f).append('\n'));
        Path out = Path.of("target/fuzz-report.md");
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
        System.out.println(report);
        assertTrue(
                pluginFailures.isEmpty(),
                pluginFailures.size() + " answers of 5xx of the plugin's making:\n"
                        + String.join("\n", pluginFailures));
        // no hang: the slowest is a pipeline of a thousand processors embedding one document a thousand times
        assertTrue(slowest < MAX_MILLIS, "the slowest request took " + slowest + " ms: " + slowestRequest);
    }

    private static Outcome send(Seed seed, String path, JsonNode body) throws Exception {
        return switch (seed.kind()) {
            case JSON -> call(seed.method(), path + "?error_trace=true", body.toString());
            case BULK_DOC -> bulkItem(path, body.toString(), null);
            case PIPELINE -> {
                Outcome put = call(seed.method(), path + "?error_trace=true", body.toString());
                if (put.status() >= 300) {
                    yield put;
                }
                // accepted: then it must work on a valid product (a config that cannot work is a 400 at PUT)
                String pipeline = path.substring(path.lastIndexOf('/') + 1);
                ObjectNode product = JSON.createObjectNode()
                        .put("title", "usb cable 2 m")
                        .put("description", "braided")
                        .put("price", 5);
                yield bulkItem("/fz-sim/_bulk?pipeline=" + pipeline, product.toString(), pipeline);
            }
        };
    }

    private static Outcome call(String method, String path, String body) throws Exception {
        try {
            node.call(method, path, body);
            return new Outcome(200, false, "");
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            // a 2xx whose body the test's own JSON reader refuses (a key of 100,000 characters echoed back): still a
            // 2xx
            return new Outcome(200, false, "");
        } catch (RealNode.HttpError e) {
            return new Outcome(
                    e.status(), e.status() >= 500 && e.body().contains("org.semanticranking."), reason(e.body()));
        }
    }

    /** One document in a bulk through a pipeline of the plugin's processors: a 5xx item is the plugin's. */
    private static Outcome bulkItem(String path, String doc, String pipeline) throws Exception {
        String line = pipeline == null ? "{\"index\":{}}" : "{\"index\":{\"pipeline\":\"" + pipeline + "\"}}";
        try {
            JsonNode item = node.call("POST", path, line + "\n" + doc + "\n")
                    .get("items")
                    .get(0)
                    .elements()
                    .next();
            int status = item.get("status").asInt();
            return new Outcome(status, status >= 500, item.path("error").toString());
        } catch (RealNode.HttpError e) {
            return new Outcome(
                    e.status(), e.status() >= 500 && e.body().contains("org.semanticranking."), reason(e.body()));
        }
    }

    private static String reason(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            JsonNode root = error.path("root_cause").path(0);
            String type = root.path("type").asText(error.path("type").asText());
            String reason = root.path("reason").asText(error.path("reason").asText());
            return type + ": " + (reason.length() > 160 ? reason.substring(0, 160) + "..." : reason);
        } catch (Exception e) {
            return body.length() > 160 ? body.substring(0, 160) : body;
        }
    }
}
