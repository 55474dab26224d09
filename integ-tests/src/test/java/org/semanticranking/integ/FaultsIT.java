package org.semanticranking.integ;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults on the real distribution: a node with a corrupt and a missing model still starts and says which
 * failed and why, while the bundled model works; a {@code kill -9} in the middle of bulk ingestion through the
 * pipeline loses no acknowledged document nor its vector; trained models and profiles survive the restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RealNode node;

    @BeforeAll
    static void startNodeWithBrokenModels() throws Exception {
        node = RealNode.install("faults", 9256);
        Path models = node.home().resolve("config/semantic-ranking/models");
        Path bundled = Path.of("target/classes/semantic-ranking/models/all-minilm-l6-v2-q");
        // corrupt: the MiniLM manifest and tokenizer, and 1 MB of noise as the model
        Path corrupt = Files.createDirectories(models.resolve("corrupt-model"));
        Files.writeString(
                corrupt.resolve("manifest.properties"),
                Files.readString(bundled.resolve("manifest.properties"))
                        .replace("name=all-minilm-l6-v2-q", "name=corrupt-model"));
        Files.copy(bundled.resolve("tokenizer.json"), corrupt.resolve("tokenizer.json"));
        byte[] noise = new byte[1 << 20];
        new Random(1).nextBytes(noise);
        Files.write(corrupt.resolve("model.onnx"), noise);
        // missing: a manifest and nothing else
        Path missing = Files.createDirectories(models.resolve("missing-model"));
        Files.writeString(
                missing.resolve("manifest.properties"),
                Files.readString(bundled.resolve("manifest.properties"))
                        .replace("name=all-minilm-l6-v2-q", "name=missing-model"));
        node.configToNodeUser();
        node.start();
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    @Order(1)
    void failedModelsAreReportedAndOnlyWhatNamesThemFails() throws Exception {
        JsonNode models = node.call("GET", "/_semantic_ranking/models", null)
                .get("nodes")
                .elements()
                .next()
                .get("models");
        assertEquals("loaded", models.get("all-minilm-l6-v2-q").get("status").asText(), models.toString());
        for (String name : List.of("corrupt-model", "missing-model")) {
            assertEquals("failed", models.get(name).get("status").asText(), models.toString());
            assertFalse(models.get(name).get("reason").asText().isBlank(), models.toString());
        }
        // a pipeline naming the failed model can be created (the model may load on other nodes or after a fix) ...
        node.call("PUT", "/_ingest/pipeline/broken", """
            {"processors":[{"semantic_embedding":{"field":"title","model":"corrupt-model","target_field":"v"}}]}""");
        // ... and every document through it fails with the reason, 503: the node's problem, not the caller's
        JsonNode bulk =
                node.call("POST", "/broken-index/_bulk?pipeline=broken", "{\"index\":{}}\n{\"title\":\"usb cable\"}\n");
        JsonNode item = bulk.get("items").get(0).get("index");
        assertEquals(503, item.get("status").asInt(), item.toString());
        assertTrue(
                item.get("error").get("reason").asText().contains("model [corrupt-model] failed to load on this node"),
                item.toString());

        node.call("PUT", "/_ingest/pipeline/embed", """
            {"processors":[{"semantic_embedding":{"fields":["title","description"],"target_field":"product_vector"}}]}""");
        node.call("PUT", "/products", """
            {"settings":{"number_of_shards":1,"number_of_replicas":0,"default_pipeline":"embed"},
             "mappings":{"properties":{"title":{"type":"text"},"product_vector":{"type":"dense_vector","dims":384,"similarity":"cosine"}}}}""");
        node.call("PUT", "/products/_doc/p1?refresh=true", "{\"title\":\"USB-C cable, 2 m\"}");
        RealNode.HttpError query =
                assertThrows(RealNode.HttpError.class, () -> node.call("POST", "/products/_search", """
            {"query":{"semantic_intent":{"query":"usb cable","field":"product_vector","model":"missing-model"}}}"""));
        assertEquals(503, query.status(), query.body());
        assertTrue(query.body().contains("model [missing-model] failed to load on this node"), query.body());
        // the other models keep working
        JsonNode ok = node.call("POST", "/products/_search", """
            {"query":{"semantic_intent":{"query":"usb cable","field":"product_vector"}}}""");
        assertEquals("p1", ok.get("hits").get("hits").get(0).get("_id").asText());
    }

    /** The semantic side of a hybrid cannot be encoded: by default the lexical side answers alone, and says so; a setting makes it fail. */
    @Test
    @Order(2)
    void hybridFallsBackToItsLexicalSideWhenTheEncoderIsUnavailable() throws Exception {
        String hybrid = """
            {"retriever":{"semantic_hybrid":{
              "lexical":{"standard":{"query":{"match":{"title":"cable"}}}},
              "semantic":{"standard":{"query":{"semantic_intent":{"query":"usb cable","field":"product_vector","model":"corrupt-model"}}}}}}}""";
        JsonNode result = node.call("POST", "/products/_search", hybrid);
        assertEquals("p1", result.get("hits").get("hits").get(0).get("_id").asText(), result.toString());
        // every response says so, not most: the notice must not depend on which thread finishes the search
        for (int i = 0; i < 100; i++) {
            List<String> warnings = node.warnings("POST", "/products/_search", hybrid);
            assertTrue(
                    warnings.stream()
                            .anyMatch(w -> w.contains(
                                            "its semantic side could not be encoded (503 model [corrupt-model] failed to load")
                                    && w.contains("from the lexical side alone")),
                    "search " + i + ": " + warnings);
        }
        // a plain semantic_intent is not a hybrid: it fails (503) whatever the setting
        assertEquals(
                503,
                assertThrows(RealNode.HttpError.class, () -> node.call("POST", "/products/_search", """
            {"query":{"semantic_intent":{"query":"usb cable","field":"product_vector","model":"corrupt-model"}}}"""))
                        .status());
        node.call(
                "PUT",
                "/_cluster/settings",
                "{\"persistent\":{\"semantic_ranking.hybrid.on_semantic_failure\":\"fail\"}}");
        try {
            RealNode.HttpError e =
                    assertThrows(RealNode.HttpError.class, () -> node.call("POST", "/products/_search", hybrid));
            assertEquals(503, e.status(), e.body());
        } finally {
            node.call(
                    "PUT",
                    "/_cluster/settings",
                    "{\"persistent\":{\"semantic_ranking.hybrid.on_semantic_failure\":null}}");
        }
        RealNode.HttpError bad = assertThrows(
                RealNode.HttpError.class,
                () -> node.call(
                        "PUT",
                        "/_cluster/settings",
                        "{\"persistent\":{\"semantic_ranking.hybrid.on_semantic_failure\":\"sometimes\"}}"));
        assertEquals(400, bad.status(), bad.body());
    }

    @Test
    @Order(3)
    void killDashNineDuringBulkLosesNoAcknowledgedDocumentAndRestartKeepsModelsAndProfiles() throws Exception {
        node.call("PUT", "/durable", """
            {"settings":{"number_of_shards":1,"number_of_replicas":0,"default_pipeline":"embed"},
             "mappings":{"properties":{"title":{"type":"text"},"product_vector":{"type":"dense_vector","dims":384,"similarity":"cosine"}}}}""");
        // personalization state written before the crash
        node.putBlendModelAndProfilesIndex("kept", 3);
        node.call("PUT", "/user_profiles/_doc/u1?refresh=true", "{\"user_id\":\"u1\",\"events\":3,\"affinities\":{}}");

        List<Map<String, Object>> products = ChorusCatalogue.products(3000);
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread ingest = new Thread(() -> {
            for (int from = 0; from < products.size() && stop.get() == false; from += 100) {
                StringBuilder bulk = new StringBuilder();
                List<Map<String, Object>> chunk = products.subList(from, Math.min(products.size(), from + 100));
                try {
                    for (Map<String, Object> p : chunk) {
                        bulk.append("{\"index\":{\"_id\":")
                                .append(JSON.writeValueAsString(p.get("id")))
                                .append("}}\n");
                        bulk.append(JSON.writeValueAsString(Map.of(
                                        "title", p.get("title"), "description", p.getOrDefault("description", ""))))
                                .append('\n');
                    }
                    JsonNode response = node.call("POST", "/durable/_bulk", bulk.toString());
                    for (JsonNode item : response.get("items")) {
                        JsonNode result = item.get("index");
                        if (result.get("status").asInt() < 300) {
                            acknowledged.add(result.get("_id").asText());
                        }
                    }
                } catch (Exception e) {
                    return; // the node is gone
                }
            }
        });
        ingest.start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (acknowledged.size() < 500 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(acknowledged.size() >= 500, "bulks were acknowledged before the kill: " + acknowledged.size());
        node.kill9();
        stop.set(true);
        ingest.join(60_000);
        List<String> acked = List.copyOf(acknowledged);
        assertTrue(acked.size() < products.size(), "the kill came in the middle of the ingest");

        node.start();
        node.call("POST", "/durable/_refresh", null);
        JsonNode count =
                node.call("POST", "/durable/_count", String.format(Locale.ROOT, """
            {"query":{"bool":{"filter":[{"ids":{"values":%s}},{"exists":{"field":"product_vector"}}]}}}""", JSON.writeValueAsString(acked)));
        assertEquals(acked.size(), count.get("count").asInt(), "every acknowledged document is there with its vector");

        assertEquals(
                3,
                node.call("GET", "/_semantic_ranking/personalization/kept", null)
                        .get("version")
                        .asInt());
        assertEquals(
                3,
                node.call("GET", "/user_profiles/_doc/u1", null)
                        .get("_source")
                        .get("events")
                        .asInt());
        JsonNode rescored = node.call("POST", "/durable/_search", """
            {"size":3,"query":{"match":{"title":"cable"}},
             "rescore":{"window_size":10,"personalized_blend":{"user_id":"u1","model_id":"kept","vector_field":"product_vector",
               "weights":{"query":1,"vector":0,"personalization":1},"score_breakdown":true}}}""");
        assertTrue(rescored.get("hits").get("hits").size() > 0, rescored.toString());
    }
}
