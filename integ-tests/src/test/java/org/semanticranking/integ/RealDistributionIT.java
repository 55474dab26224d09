package org.semanticranking.integ;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.cat.plugins.PluginsRecord;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
        assertTrue(plugins.stream().anyMatch(p -> "semantic-ranking".equals(p.component())), "installed plugins: " + plugins);

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
                        fail("document " + item.id() + " failed: " + item.error().reason() + "\n" + node.logs());
                    }
                }
            }
        }
        client.indices().refresh(r -> r.index("products"));
        assertEquals(DOCS, client.count(c -> c.index("products")).count());
        assertEquals(DOCS, client.count(c -> c.index("products").query(q -> q.exists(e -> e.field("product_vector")))).count());

        // every document's vector: the model's dims and unit length
        int checked = 0;
        List<co.elastic.clients.elasticsearch._types.FieldValue> after = null;
        while (true) {
            final List<co.elastic.clients.elasticsearch._types.FieldValue> searchAfter = after;
            SearchResponse<JsonNode> page = client.search(
                s -> {
                    s.index("products").size(500).source(src -> src.filter(f -> f.includes("product_vector")))
                        .sort(o -> o.field(f -> f.field("id")));
                    if (searchAfter != null) {
                        s.searchAfter(searchAfter);
                    }
                    return s;
                },
                JsonNode.class
            );
            List<Hit<JsonNode>> hits = page.hits().hits();
            if (hits.isEmpty()) {
                break;
            }
            for (Hit<JsonNode> hit : hits) {
                JsonNode vector = hit.source().get("product_vector");
                assertEquals(384, vector.size(), "dims of " + hit.id());
                double norm = 0;
                for (Iterator<JsonNode> it = vector.elements(); it.hasNext();) {
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
            "2818674", "small Philips electric water boiler",            // Philips Mini kettle HD4619/20
            "3879411", "Philips travel DVD player with a 7 inch screen",  // Philips PET729/37 portable DVD/Blu-Ray player
            "78299387", "V7 64 gigabyte USB stick that retracts",         // V7 64GB USB 3.1 Flash Drive - With Retractable USB connector
            "1560577", "Leitz ring binder for filing papers"              // Leitz 180° Lever Arch File
        );
        List<String> misses = new ArrayList<>();
        for (Map.Entry<String, String> e : paraphrases.entrySet()) {
            List<Float> vector = queryVector(e.getValue());
            SearchResponse<JsonNode> response = client.search(
                s -> s.index("products").knn(k -> k.field("product_vector").queryVector(vector).k(10).numCandidates(100)).size(10),
                JsonNode.class
            );
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
                .query(q -> q._custom("semantic_intent", Map.of(
                    "query", "small Philips electric water boiler",
                    "field", "product_vector",
                    "k", 10,
                    "num_candidates", 100,
                    "_name", "semantic"
                )))
                .size(10),
            JsonNode.class
        );
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
            RealNode.HttpError.class,
            () -> node.call("POST", "/products/_search", """
                {"query":{"semantic_intent":{"query":"kettle","field":"title"}}}""")
        );
        assertEquals(400, e.status());
        assertTrue(e.body().contains("is of type [text]; it must be a [dense_vector]"), e.body());
    }

    @Test
    @Order(5)
    void semanticHybridRetrieverFusesLexicalAndSemantic() throws Exception {
        for (String fusion : List.of(",\"score_breakdown\":true", ",\"combination\":\"linear\",\"normalization\":\"min_max\"")) {
            JsonNode result = node.call("POST", "/products/_search", """
                {"size":10,"_source":["title"],"retriever":{"semantic_hybrid":{
                  "lexical":{"standard":{"query":{"multi_match":{"query":"portable dvd player","fields":["title","description"]}}}},
                  "semantic":{"standard":{"query":{"semantic_intent":{"query":"portable dvd player","field":"product_vector","k":50,"num_candidates":100}}}},
                  "rank_window_size":50 %s}}}""".formatted(fusion));
            List<String> ids = new ArrayList<>();
            result.get("hits").get("hits").forEach(h -> ids.add(h.get("_id").asText()));
            assertEquals(10, ids.size(), result.toString());
            assertTrue(ids.contains("3879411"), "Philips PET729/37 portable DVD player in the fused top 10 (" + fusion + "): " + ids);
            if (fusion.contains("score_breakdown")) {
                JsonNode parts = result.get("hits").get("hits").get(0).get("fields").get("_semantic_hybrid").get(0);
                assertEquals(1, parts.get("rank").asInt(), parts.toString());
                assertTrue(parts.has("lexical_rank") && parts.has("semantic_rank"), parts.toString());
            }
        }
    }

    @Test
    @Order(6)
    void badInputIsA400WithItsReason() throws Exception {
        RealNode.HttpError e = org.junit.jupiter.api.Assertions.assertThrows(
            RealNode.HttpError.class,
            () -> node.call("PUT", "/_ingest/pipeline/bad", """
                {"processors":[{"semantic_embedding":{"field":"title","model":"../../etc/passwd"}}]}""")
        );
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("unknown model [../../etc/passwd]"), e.getMessage());

        JsonNode stats = node.call("GET", "/_semantic_ranking/stats", null);
        JsonNode encoder = stats.get("nodes").elements().next().get("encoder").get("all-minilm-l6-v2-q");
        assertTrue(encoder.get("texts_encoded").asLong() >= DOCS, encoder.toString());
        assertFalse(encoder.get("batches").asLong() >= DOCS, "documents of a bulk are encoded in batches: " + encoder);
    }

    /** The query vector of a text, by simulating the pipeline (the semantic_intent query comes with the query issue). */
    private static List<Float> queryVector(String text) throws Exception {
        JsonNode simulated = node.call(
            "POST",
            "/_ingest/pipeline/products-embed/_simulate",
            "{\"docs\":[{\"_source\":{\"title\":" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text) + "}}]}"
        );
        List<Float> vector = new ArrayList<>();
        simulated.get("docs").get(0).get("doc").get("_source").get("product_vector").forEach(x -> vector.add((float) x.asDouble()));
        return vector;
    }
}
