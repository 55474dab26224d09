package org.semanticranking.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A saturated encoder pool on the real distribution: one encoder thread with a one-slot queue and batches of one.
 * A bulk overflows it: the documents that do not fit get Elasticsearch's own back-pressure (429
 * {@code es_rejected_execution_exception}), the others are indexed with their vectors, the node stays green and
 * goes on serving.
 */
class SaturationIT {

    @Test
    void aFullEncoderQueueAnswers429AndTheNodeStaysGreen() throws Exception {
        RealNode node = RealNode.install("saturation", 9258);
        node.appendConfig("""
            thread_pool.semantic_ranking_encoder.size: 1
            thread_pool.semantic_ranking_encoder.queue_size: 1
            semantic_ranking.encoder.batch_size: 1
            semantic_ranking.encoder.sort_window: 1
            semantic_ranking.encoder.max_wait: 0ms""");
        node.start();
        try {
            node.call("PUT", "/_ingest/pipeline/embed", """
                {"processors":[{"semantic_embedding":{"field":"title","target_field":"vec"}}]}""");
            node.call("PUT", "/p", """
                {"settings":{"number_of_shards":1,"number_of_replicas":0,"default_pipeline":"embed"},
                 "mappings":{"properties":{"vec":{"type":"dense_vector","dims":384,"similarity":"cosine"}}}}""");
            StringBuilder bulk = new StringBuilder();
            for (int i = 0; i < 300; i++) {
                bulk.append("{\"index\":{\"_id\":\"")
                        .append(i)
                        .append("\"}}\n")
                        .append("{\"title\":\"a product title that takes a moment to encode, number ")
                        .append(i)
                        .append("\"}\n");
            }
            JsonNode items =
                    node.call("POST", "/p/_bulk?refresh=true", bulk.toString()).get("items");
            int rejected = 0;
            List<String> indexed = new ArrayList<>();
            for (JsonNode item : items) {
                JsonNode result = item.get("index");
                if (result.get("status").asInt() == 429) {
                    assertEquals(
                            "es_rejected_execution_exception",
                            result.get("error").get("type").asText(),
                            result.toString());
                    rejected++;
                } else {
                    assertEquals(201, result.get("status").asInt(), result.toString());
                    indexed.add(result.get("_id").asText());
                }
            }
            assertTrue(rejected > 0, "the one-slot queue overflows");
            assertTrue(indexed.size() > 0, "the rest is indexed");
            JsonNode count = node.call("POST", "/p/_count", "{\"query\":{\"exists\":{\"field\":\"vec\"}}}");
            assertEquals(indexed.size(), count.get("count").asInt(), "every acknowledged document has its vector");
            assertEquals(
                    "green",
                    node.call("GET", "/_cluster/health/p", null).get("status").asText());
            JsonNode search = node.call("POST", "/p/_search", """
                {"query":{"semantic_intent":{"query":"a product title","field":"vec"}}}""");
            assertTrue(search.get("hits").get("hits").size() > 0, "the node goes on serving");
        } finally {
            node.stop();
        }
    }
}
