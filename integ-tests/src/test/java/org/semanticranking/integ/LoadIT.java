package org.semanticranking.integ;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.semanticranking.personalization.profile.ProfilesIndex;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load on one real node: four bulk clients ingest the Chorus catalogue through the pipeline while eight clients
 * search with {@code semantic_intent} rescored by {@code personalized_blend}, for 60 s
 * ({@code -Dload.seconds=N}). Afterwards every acknowledged document is searchable with its vector, no request
 * got a 5xx (a 429 is Elasticsearch's back-pressure and allowed), the node is green. The figures go to stdout and
 * {@code target/benchmarks/load.md}.
 */
class LoadIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SECONDS = Integer.getInteger("load.seconds", 60);
    private static final int BULK_CLIENTS = 4;
    private static final int SEARCH_CLIENTS = 8;
    /** {@code -Dload.query_lane=false} runs the node without the query lane, to compare the two. */
    private static final String QUERY_LANE = System.getProperty("load.query_lane");

    @Test
    void ingestAndSearchTogetherForAMinute() throws Exception {
        RealNode node = RealNode.install("load", 9257);
        if (QUERY_LANE != null) {
            node.appendConfig("semantic_ranking.encoder.query_lane: " + QUERY_LANE);
        }
        node.start();
        try (node) {
            ChorusCatalogue.createEmbeddingIndex(node, "chorus");
            JsonNode simulated = node.call("POST", "/_ingest/pipeline/embed/_simulate", """
                {"docs":[{"_source":{"title":"wireless headphones","description":"bluetooth, noise cancelling"}}]}""");
            String vector = simulated
                    .get("docs")
                    .get(0)
                    .get("doc")
                    .get("_source")
                    .get("product_vector")
                    .toString();
            node.call("PUT", "/user_profiles", "{\"mappings\":" + ProfilesIndex.MAPPING + "}");
            for (int u = 0; u < 10; u++) {
                node.call(
                        "PUT",
                        "/user_profiles/_doc/u" + u,
                        "{\"user_id\":\"u" + u + "\",\"vector\":" + vector
                                + ",\"affinities\":{\"brand\":{\"HP\":0.5,\"Sony\":0.5}},\"price\":{\"log_mean\":4,\"log_std\":1}}");
            }
            node.call("PUT", "/semantic-ranking-models/_doc/load?refresh=true", """
                {"model_id":"load","version":1,"vector_field":"product_vector","affinity_fields":["brand"],"price_field":"price","session_size":5,
                 "features":[{"name":"user_vector_cosine","weight":1,"mean":0,"std":1},{"name":"session_vector_cosine","weight":0,"mean":0,"std":1},
                   {"name":"affinity.brand","weight":1,"mean":0,"std":1},{"name":"price_fit","weight":0.5,"mean":0,"std":1}],
                 "bias":-1,"iterations":1,"training":{}}""");
            List<String> queries = new ArrayList<>();
            ChorusCatalogue.lines("queries.tsv").stream().skip(1).forEach(l -> queries.add(l.split("\t")[1]));
            List<Map<String, Object>> products = ChorusCatalogue.products(Integer.MAX_VALUE);

            Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
            AtomicLong bulkRejected = new AtomicLong(), searchRejected = new AtomicLong(), searches = new AtomicLong();
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            ExecutorService clients = Executors.newFixedThreadPool(BULK_CLIENTS + SEARCH_CLIENTS);
            List<Future<?>> running = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < BULK_CLIENTS; c++) {
                final int client = c;
                running.add(clients.submit(() -> {
                    for (int pass = 0; System.nanoTime() < deadline; pass++) {
                        for (int from = client * 200;
                                from < products.size() && System.nanoTime() < deadline;
                                from += BULK_CLIENTS * 200) {
                            StringBuilder bulk = new StringBuilder();
                            for (Map<String, Object> p :
                                    products.subList(from, Math.min(products.size(), from + 200))) {
                                String id = p.get("id") + (pass == 0 ? "" : "-" + pass);
                                bulk.append("{\"index\":{\"_id\":\"").append(id).append("\"}}\n");
                                bulk.append(JSON.writeValueAsString(Map.of(
                                                "title",
                                                p.get("title"),
                                                "description",
                                                p.getOrDefault("description", ""),
                                                "brand",
                                                p.get("brand"),
                                                "price",
                                                p.get("price"))))
                                        .append('\n');
                            }
                            try {
                                for (JsonNode item : node.call("POST", "/chorus/_bulk", bulk.toString())
                                        .get("items")) {
                                    JsonNode result = item.get("index");
                                    int status = result.get("status").asInt();
                                    if (status < 300) {
                                        acknowledged.put(result.get("_id").asText(), true);
                                    } else if (status == 429) {
                                        bulkRejected.incrementAndGet();
                                    } else {
                                        failures.add("bulk item " + status + ": " + result);
                                    }
                                }
                            } catch (RealNode.HttpError e) {
                                if (e.status() == 429) {
                                    bulkRejected.addAndGet(200);
                                } else {
                                    failures.add("bulk " + e.status() + ": " + e.body());
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (int c = 0; c < SEARCH_CLIENTS; c++) {
                final int client = c;
                running.add(clients.submit(() -> {
                    Random random = new Random(client);
                    while (System.nanoTime() < deadline) {
                        String body = String.format(
                                Locale.ROOT,
                                """
                            {"size":10,"_source":false,"query":{"semantic_intent":{"query":%s,"field":"product_vector","k":50,"num_candidates":100}},
                             "rescore":{"window_size":50,"personalized_blend":{"user_id":"u%d","model_id":"load","vector_field":"product_vector",
                               "weights":{"query":0.4,"vector":0.3,"personalization":0.3}}}}""",
                                JSON.writeValueAsString(queries.get(random.nextInt(queries.size()))),
                                random.nextInt(10));
                        long t = System.nanoTime();
                        try {
                            node.call("POST", "/chorus/_search", body);
                            latencies.add((System.nanoTime() - t) / 1e6);
                            searches.incrementAndGet();
                        } catch (RealNode.HttpError e) {
                            if (e.status() == 429) {
                                searchRejected.incrementAndGet();
                            } else {
                                failures.add("search " + e.status() + ": " + e.body());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(SECONDS + 300L, TimeUnit.SECONDS);
            }
            clients.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;

            node.call("POST", "/chorus/_refresh", null);
            List<String> acked = new ArrayList<>(acknowledged.keySet());
            long found = 0;
            for (int from = 0; from < acked.size(); from += 10_000) {
                List<String> chunk = acked.subList(from, Math.min(acked.size(), from + 10_000));
                found += node.call(
                                "POST",
                                "/chorus/_count",
                                String.format(Locale.ROOT, """
                    {"query":{"bool":{"filter":[{"ids":{"values":%s}},{"exists":{"field":"product_vector"}}]}}}""", JSON.writeValueAsString(chunk)))
                        .get("count")
                        .asLong();
            }
            double[] sorted =
                    latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            JsonNode cache = node.call("GET", "/_semantic_ranking/stats", null)
                    .get("nodes")
                    .elements()
                    .next()
                    .get("query_cache");
            String report = String.format(
                    Locale.ROOT,
                    """
                ## Load: %d bulk clients (Chorus through the pipeline, bulks of 200) and %d search clients (semantic_intent + personalized_blend, window 50) for %.0f s on one node

                | measure | value |
                |---|---|
                | documents acknowledged | %d (%.0f docs/s) |
                | acknowledged documents found with their vector afterwards | %d |
                | bulk items rejected with 429 | %d |
                | searches | %d (%.1f /s) |
                | search latency p50 / p99 (client-side ms) | %.1f / %.1f |
                | searches rejected with 429 | %d |
                | 5xx or other failures | %d |
                | query vector cache: misses (encodes) / hits / coalesced | %d / %d / %d |
                | query lane | %s |
                """,
                    BULK_CLIENTS,
                    SEARCH_CLIENTS,
                    seconds,
                    acked.size(),
                    acked.size() / seconds,
                    found,
                    bulkRejected.get(),
                    searches.get(),
                    searches.get() / seconds,
                    percentile(sorted, 50),
                    percentile(sorted, 99),
                    searchRejected.get(),
                    failures.size(),
                    cache.get("misses").asLong(),
                    cache.get("hits").asLong(),
                    cache.get("coalesced").asLong(),
                    QUERY_LANE == null ? "default (on)" : QUERY_LANE);
            System.out.println(report);
            Path out = Path.of("target/benchmarks/load.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report, StandardCharsets.UTF_8);

            assertTrue(failures.isEmpty(), "failures: " + failures.subList(0, Math.min(5, failures.size())));
            assertEquals(acked.size(), found, "every acknowledged document is searchable with its vector");
            assertTrue(acked.size() > 0 && searches.get() > 0, report);
            assertEquals(
                    "green",
                    node.call("GET", "/_cluster/health/chorus", null)
                            .get("status")
                            .asText());

            // an oversized bulk trips the encoder's circuit breaker, not the heap: 429 for that document, the node
            // stays green
            node.call(
                    "PUT",
                    "/_cluster/settings",
                    "{\"transient\":{\"breaker.semantic_ranking_encoder.limit\":\"1mb\"}}");
            try {
                String huge = "wireless headphones ".repeat(100_000);
                JsonNode items = node.call(
                                "POST",
                                "/chorus/_bulk",
                                "{\"index\":{\"_id\":\"huge\"}}\n{\"title\":\"" + huge
                                        + "\"}\n{\"index\":{\"_id\":\"small\"}}\n{\"title\":\"usb cable\"}\n")
                        .get("items");
                assertEquals(
                        429,
                        items.get(0).get("index").get("status").asInt(),
                        items.toString().substring(0, 300));
                assertEquals(
                        "circuit_breaking_exception",
                        items.get(0).get("index").get("error").get("type").asText());
                assertEquals(201, items.get(1).get("index").get("status").asInt());
            } finally {
                node.call(
                        "PUT",
                        "/_cluster/settings",
                        "{\"transient\":{\"breaker.semantic_ranking_encoder.limit\":null}}");
            }
            assertEquals(
                    "green",
                    node.call("GET", "/_cluster/health/chorus", null)
                            .get("status")
                            .asText());
        }
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
