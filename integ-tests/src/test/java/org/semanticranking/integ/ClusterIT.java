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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin on a cluster of three nodes of the real distribution (issue 18): an index of 3 primaries and 1 replica
 * loaded through the pipeline by two clients while a data node is killed with SIGKILL loses nothing acknowledged;
 * while it is down every search of the plugin answers; one query encode per search, on the coordinating node only; a
 * ranker and a personalization model stored through one node serve searches coordinated by another; an encoder model
 * present on one node only is a clear error on the others, and the models API says which node has it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "all-minilm-l6-v2-q";
    /** An encoder model installed in node-0's config only. */
    private static final String LOCAL_MODEL = "only-on-node-0";

    private static RealCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RealCluster.install("cluster", 9270, 3);
        Path bundled = Path.of("target/classes/semantic-ranking/models/" + MODEL);
        Path local = Files.createDirectories(
                cluster.node(0).home().resolve("config/semantic-ranking/models/" + LOCAL_MODEL));
        Files.writeString(
                local.resolve("manifest.properties"),
                Files.readString(bundled.resolve("manifest.properties"))
                        .replace("name=" + MODEL, "name=" + LOCAL_MODEL));
        for (String file : List.of("tokenizer.json", "model.onnx")) {
            Files.copy(bundled.resolve(file), local.resolve(file));
        }
        cluster.node(0).configToNodeUser();
        cluster.start();
        RealNode first = cluster.node(0);
        first.call("PUT", "/_ingest/pipeline/embed", """
            {"processors":[{"semantic_embedding":{"fields":["title","description"],"target_field":"product_vector"}}]}""");
        // a small shop, through node 0, for the ranker and the blend
        first.call("PUT", "/shop", index(3, 1));
        bulk(first, "shop", ChorusCatalogue.products(600), new AtomicInteger());
        first.call("POST", "/shop/_refresh", null);
        first.call("GET", "/_cluster/health/shop?wait_for_status=green&timeout=120s", null);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    static String index(int shards, int replicas) {
        return String.format(Locale.ROOT, """
            {"settings":{"number_of_shards":%d,"number_of_replicas":%d,"default_pipeline":"embed"},
             "mappings":{"properties":{"title":{"type":"text"},"description":{"type":"text"},
               "brand":{"type":"keyword"},"price":{"type":"float"},
               "product_vector":{"type":"dense_vector","dims":384,"similarity":"cosine"}}}}""", shards, replicas);
    }

    /**
     * Bulks of 50 into the index through {@code node}, each item retried (up to 20 times, backing off) while the
     * cluster answers it with a status worth retrying (429, 5xx); the ids acknowledged.
     */
    static List<String> bulk(RealNode node, String index, List<Map<String, Object>> products, AtomicInteger retried)
            throws Exception {
        List<String> acknowledged = new ArrayList<>();
        for (int from = 0; from < products.size(); from += 50) {
            List<Map<String, Object>> pending =
                    new ArrayList<>(products.subList(from, Math.min(products.size(), from + 50)));
            for (int attempt = 0; pending.isEmpty() == false; attempt++) {
                if (attempt == 20) {
                    throw new AssertionError("items still refused after 20 attempts: " + pending.size());
                }
                StringBuilder body = new StringBuilder();
                for (Map<String, Object> p : pending) {
                    body.append("{\"index\":{\"_index\":\"")
                            .append(index)
                            .append("\",\"_id\":")
                            .append(JSON.writeValueAsString(p.get("id")))
                            .append("}}\n");
                    Map<String, Object> doc = new HashMap<>(p);
                    doc.remove("id");
                    body.append(JSON.writeValueAsString(doc)).append('\n');
                }
                JsonNode response;
                try {
                    response = node.call("POST", "/_bulk", body.toString());
                } catch (RealNode.HttpError e) {
                    if (e.status() == 429 || e.status() >= 500) {
                        retried.addAndGet(pending.size());
                        Thread.sleep(200L * (attempt + 1));
                        continue;
                    }
                    throw e;
                }
                List<Map<String, Object>> again = new ArrayList<>();
                JsonNode items = response.get("items");
                for (int i = 0; i < items.size(); i++) {
                    JsonNode result = items.get(i).get("index");
                    int status = result.get("status").asInt();
                    if (status < 300) {
                        acknowledged.add(result.get("_id").asText());
                    } else if (status == 429 || status >= 500) {
                        again.add(pending.get(i));
                    } else {
                        throw new AssertionError("an item refused for good: " + result);
                    }
                }
                retried.addAndGet(again.size());
                pending = again;
                if (pending.isEmpty() == false) {
                    Thread.sleep(200L * (attempt + 1));
                }
            }
        }
        return acknowledged;
    }

    /** Per node name: its count of query encodes of the default model. */
    static Map<String, Long> queryEncodes(RealNode node) throws Exception {
        Map<String, Long> out = new HashMap<>();
        JsonNode nodes = node.call("GET", "/_semantic_ranking/stats", null).get("nodes");
        for (JsonNode n : nodes) {
            JsonNode model = n.path("encoder").path(MODEL);
            out.put(
                    n.get("name").asText(),
                    model.path("latency_micros").path("queries").path("count").asLong());
        }
        return out;
    }

    @Test
    @Order(1)
    void aModelOnOneNodeOnlyIsShownThereAndAClearErrorElsewhere() throws Exception {
        JsonNode nodes =
                cluster.node(1).call("GET", "/_semantic_ranking/models", null).get("nodes");
        Set<String> withLocal = new LinkedHashSet<>(), withDefault = new LinkedHashSet<>();
        for (JsonNode n : nodes) {
            if ("loaded"
                    .equals(n.path("models").path(LOCAL_MODEL).path("status").asText())) {
                withLocal.add(n.get("name").asText());
            }
            if ("loaded".equals(n.path("models").path(MODEL).path("status").asText())) {
                withDefault.add(n.get("name").asText());
            }
        }
        assertEquals(Set.of("node-0"), withLocal, nodes.toString());
        assertEquals(Set.of("node-0", "node-1", "node-2"), withDefault, nodes.toString());
        String search = String.format(Locale.ROOT, """
            {"query":{"semantic_intent":{"query":"usb cable","field":"product_vector","model":"%s"}}}""", LOCAL_MODEL);
        // coordinated by the node that has it: the query is encoded there, the shards search with the vector
        JsonNode ok = cluster.node(0).call("POST", "/shop/_search", search);
        assertTrue(ok.get("hits").get("hits").size() > 0, ok.toString());
        assertEquals(0, ok.get("_shards").get("failed").asInt(), ok.toString());
        for (int i = 1; i < 3; i++) {
            RealNode other = cluster.node(i);
            RealNode.HttpError e = org.junit.jupiter.api.Assertions.assertThrows(
                    RealNode.HttpError.class, () -> other.call("POST", "/shop/_search", search));
            assertEquals(400, e.status(), e.body());
            assertTrue(e.body().contains("unknown model [" + LOCAL_MODEL + "]"), e.body());
        }
    }

    @Test
    @Order(2)
    void aRankerAndAModelStoredThroughOneNodeServeSearchesCoordinatedByAnother() throws Exception {
        RealNode first = cluster.node(0);
        // judged requests: the products whose title holds the word are relevant
        List<String> words = List.of("cable", "mouse", "keyboard", "printer", "monitor", "adapter");
        StringBuilder requests = new StringBuilder(), ratings = new StringBuilder();
        for (String word : words) {
            requests.append(requests.length() == 0 ? "" : ",")
                    .append("{\"id\":\"")
                    .append(word)
                    .append("\",\"params\":{\"query\":\"")
                    .append(word)
                    .append("\"}}");
            JsonNode hits = first.call("POST", "/shop/_search", String.format(Locale.ROOT, """
                {"size":20,"_source":["title"],"query":{"multi_match":{"query":"%s","fields":["title","description"]}}}""", word))
                    .get("hits")
                    .get("hits");
            for (JsonNode hit : hits) {
                boolean inTitle = hit.get("_source")
                        .path("title")
                        .asText()
                        .toLowerCase(Locale.ROOT)
                        .contains(word);
                ratings.append(ratings.length() == 0 ? "" : ",")
                        .append("{\"request\":\"")
                        .append(word)
                        .append("\",\"_id\":")
                        .append(JSON.writeValueAsString(hit.get("_id").asText()))
                        .append(",\"grade\":")
                        .append(inTitle ? 2 : 0)
                        .append("}");
            }
        }
        JsonNode trained = first.call(
                "POST",
                "/shop/_semantic_ranking/rankers/cluster-ranker/_train",
                String.format(Locale.ROOT, """
            {"template":{"query":{"multi_match":{"query":"{{query}}","fields":["title","description"]}}},"window_size":20,
             "features":[{"name":"title_bm25","query":{"match":{"title":"{{query}}"}}},
               {"name":"first_pass","first_pass":"score"},
               {"name":"cosine","vector":{"field":"product_vector"}}],
             "model":{"type":"linear"},"folds":2,
             "requests":[%s],"ratings":[%s]}""", requests, ratings));
        assertEquals("cluster-ranker", trained.get("ranker_id").asText(), trained.toString());
        // the blend's model and a shopper, through node 0 as well
        first.putBlendModelAndProfilesIndex("cluster-blend", 1);
        first.call("PUT", "/user_profiles/_doc/u1?refresh=true", "{\"user_id\":\"u1\",\"events\":3,\"affinities\":{}}");
        List<List<String>> orders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode served = cluster.node(i).call("POST", "/shop/_search", learnedRank("mouse"));
            assertEquals(0, served.get("_shards").get("failed").asInt(), served.toString());
            List<String> ids = new ArrayList<>();
            for (JsonNode hit : served.get("hits").get("hits")) {
                ids.add(hit.get("_id").asText());
                assertEquals(
                        "cluster-ranker",
                        hit.get("fields")
                                .get("_learned_rank")
                                .get(0)
                                .get("ranker_id")
                                .asText());
            }
            assertFalse(ids.isEmpty(), served.toString());
            orders.add(ids);
            JsonNode blended = cluster.node(i).call("POST", "/shop/_search", blend("mouse"));
            assertEquals(0, blended.get("_shards").get("failed").asInt(), blended.toString());
            assertTrue(blended.get("hits").get("hits").size() > 0, blended.toString());
        }
        assertEquals(orders.get(0), orders.get(1), "the same ranker, whichever node coordinates");
        assertEquals(orders.get(0), orders.get(2), "the same ranker, whichever node coordinates");
    }

    static String learnedRank(String text) {
        return String.format(Locale.ROOT, """
            {"size":5,"query":{"multi_match":{"query":"%s","fields":["title","description"]}},
             "rescore":{"window_size":20,"learned_rank":{"ranker_id":"cluster-ranker","params":{"query":"%s"},
               "score_breakdown":true}}}""", text, text);
    }

    static String blend(String text) {
        return String.format(Locale.ROOT, """
            {"size":5,"query":{"match":{"title":"%s"}},
             "rescore":{"window_size":20,"personalized_blend":{"user_id":"u1","model_id":"cluster-blend",
               "vector_field":"product_vector","query_text":"%s"}}}""", text, text);
    }

    static String intent(String text) {
        return String.format(Locale.ROOT, """
            {"size":5,"query":{"semantic_intent":{"query":"%s","field":"product_vector"}}}""", text);
    }

    static String hybrid(String text) {
        return String.format(Locale.ROOT, """
            {"size":5,"retriever":{"semantic_hybrid":{
              "lexical":{"standard":{"query":{"match":{"title":"%s"}}}},
              "semantic":{"standard":{"query":{"semantic_intent":{"query":"%s","field":"product_vector"}}}}}}}""", text, text);
    }

    @Test
    @Order(3)
    void eachSearchEncodesItsQueryOnceOnTheCoordinatingNodeOnly() throws Exception {
        for (int coordinator = 0; coordinator < 3; coordinator++) {
            Map<String, Long> before = queryEncodes(cluster.node(0));
            int searches = 0;
            for (int i = 0; i < 4; i++) {
                // a text no search had: a miss of the node's query cache, one encode
                String text = "cluster query " + coordinator + " number " + i;
                JsonNode r = cluster.node(coordinator)
                        .call("POST", "/shop/_search", i % 2 == 0 ? intent(text) : hybrid(text));
                assertEquals(0, r.get("_shards").get("failed").asInt(), r.toString());
                searches++;
            }
            Map<String, Long> after = queryEncodes(cluster.node(0));
            for (int n = 0; n < 3; n++) {
                String name = "node-" + n;
                assertEquals(
                        n == coordinator ? searches : 0,
                        after.get(name) - before.get(name),
                        "query encodes on " + name + " for searches coordinated by node-" + coordinator + ": " + before
                                + " -> " + after);
            }
        }
    }

    @Test
    @Order(4)
    void aDataNodeKilledDuringTheBulkLosesNothingAcknowledgedAndSearchesKeepAnswering() throws Exception {
        cluster.node(0).call("PUT", "/catalog", index(3, 1));
        cluster.node(0).call("GET", "/_cluster/health/catalog?wait_for_status=green&timeout=60s", null);
        List<Map<String, Object>> products = ChorusCatalogue.products(2400);
        List<Map<String, Object>> even = new ArrayList<>(), odd = new ArrayList<>();
        for (int i = 0; i < products.size(); i++) {
            (((i / 50) % 2 == 0) ? even : odd).add(products.get(i));
        }
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger retried = new AtomicInteger();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            RealNode node = cluster.node(c);
            List<Map<String, Object>> share = c == 0 ? even : odd;
            Thread t = new Thread(() -> {
                try {
                    for (int from = 0; from < share.size(); from += 50) {
                        acknowledged.addAll(
                                bulk(node, "catalog", share.subList(from, Math.min(share.size(), from + 50)), retried));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            clients.add(t);
        }
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (acknowledged.size() < 600 && System.nanoTime() < deadline && failures.isEmpty()) {
            Thread.sleep(50);
        }
        assertTrue(acknowledged.size() >= 600, "acknowledged before the kill: " + acknowledged.size() + " " + failures);
        cluster.kill9(2);
        int atKill = acknowledged.size();
        for (Thread t : clients) {
            t.join(600_000);
        }
        assertTrue(failures.isEmpty(), "the clients went on: " + failures);
        assertTrue(atKill < products.size(), "the kill came in the middle of the bulk: " + atKill);
        assertEquals(
                products.size(), new LinkedHashSet<>(acknowledged).size(), "every product acknowledged in the end");

        // the node is down: every search of the plugin answers from the surviving copies
        RealNode survivor = cluster.node(1);
        survivor.call("GET", "/_cluster/health/catalog?wait_for_nodes=2&wait_for_status=yellow&timeout=120s", null);
        survivor.call("POST", "/catalog/_refresh", null);
        for (String body :
                List.of(intent("wireless mouse"), hybrid("wireless mouse"), blend("mouse"), learnedRank("mouse"))) {
            for (String index : List.of("catalog", "shop")) {
                if (body.contains("cluster-ranker") && index.equals("catalog")) {
                    continue; // the ranker was trained on the shop's fields; the catalog has them too, but one is
                    // enough
                }
                JsonNode r = survivor.call("POST", "/" + index + "/_search", body);
                assertTrue(r.get("hits").get("hits").size() > 0, index + ": " + r);
                assertEquals(0, r.get("_shards").get("failed").asInt(), "replicas answer: " + r);
            }
        }

        // the node back: green, and every acknowledged product with its vector, once
        cluster.startNode(2);
        JsonNode health = cluster.node(0).call("GET", "/_cluster/health?wait_for_status=green&timeout=180s", null);
        assertEquals("green", health.get("status").asText(), health.toString());
        cluster.node(2).call("POST", "/catalog/_refresh", null);
        JsonNode count = cluster.node(2).call("POST", "/catalog/_count", """
            {"query":{"exists":{"field":"product_vector"}}}""");
        assertEquals(products.size(), count.get("count").asInt(), "every acknowledged product, with its vector");
        assertEquals(
                products.size(),
                cluster.node(2)
                        .call("POST", "/catalog/_count", null)
                        .get("count")
                        .asInt(),
                "and none twice");
        System.out.printf(
                Locale.ROOT,
                "ClusterIT: %d products, %d acknowledged when node-2 was killed, %d item retries%n",
                products.size(),
                atKill,
                retried.get());
    }
}
