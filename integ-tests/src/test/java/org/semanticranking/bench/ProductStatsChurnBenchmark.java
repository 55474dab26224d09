package org.semanticranking.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.semanticranking.integ.RealNode;
import org.semanticranking.personalization.events.InteractionEvent;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.semanticranking.bench.LearnedRankingBenchmark.format;

/**
 * How many product documents a profiles build rewrites on a catalogue of a million products (issue 17): the build
 * writes the products' statistics (popularity and click statistics) as partial updates, and a rewritten document is a
 * new version, a deleted old one until merged, and BM25 statistics that move. Three builds: the first over the logged
 * events, an incremental one after a few more, a full one after none. Each build's cost is read from the index's own
 * statistics ({@code _stats}: documents indexed, no-op updates, deleted documents, segments), so the same benchmark
 * measures any version of the plugin.
 *
 * <p>{@code mvn -Pbench verify -Dit.test=ProductStatsChurnBenchmark [-Dbench.churn.products=1000000]
 * [-Dbench.churn.impressions=100000]}; the report goes to stdout and {@code target/benchmarks/product-stats-churn.md}.
 */
public class ProductStatsChurnBenchmark {

    static final int PRODUCTS = Integer.getInteger("bench.churn.products", 1_000_000);
    static final int IMPRESSIONS = Integer.getInteger("bench.churn.impressions", 100_000);
    static final int MORE_IMPRESSIONS = Integer.getInteger("bench.churn.more_impressions", 1_000);
    static final int USERS = 20_000, SLOTS = 10, BULK = 20_000;

    @Test
    void productsRewrittenByEachBuild() throws Exception {
        StringBuilder report = new StringBuilder("## Product statistics: documents rewritten per build\n\n");
        try (RealNode node = RealNode.install("bench-churn", 9267)) {
            Files.writeString(
                    node.home().resolve("config/jvm.options.d/heap.options"),
                    "-Xms4g\n-Xmx4g\n",
                    StandardCharsets.UTF_8);
            node.start();
            long t = System.nanoTime();
            node.call("PUT", "/catalogue", """
                {"settings":{"number_of_shards":1,"number_of_replicas":0,"refresh_interval":"-1"},
                 "mappings":{"properties":{"title":{"type":"text"},"brand":{"type":"keyword"},"price":{"type":"float"},
                   "vec":{"type":"dense_vector","dims":4},
                   "popularity":{"type":"long"},"click_stats":{"type":"object"}}}}""");
            StringBuilder bulk = new StringBuilder();
            for (int p = 0; p < PRODUCTS; p++) {
                bulk.append("{\"index\":{\"_id\":\"p")
                        .append(p)
                        .append("\"}}\n")
                        .append(format(
                                "{\"title\":\"product %d of line %d\",\"brand\":\"b%d\",\"price\":%d}%n",
                                p, p % 5000, p % 300, 5 + p % 500));
                if ((p + 1) % BULK == 0) {
                    flush(node, "/catalogue/_bulk", bulk);
                }
            }
            flush(node, "/catalogue/_bulk", bulk);
            node.call("PUT", "/catalogue/_settings", "{\"index\":{\"refresh_interval\":\"1s\"}}");
            node.call("POST", "/catalogue/_refresh", null);
            node.call("POST", "/catalogue/_forcemerge?max_num_segments=1", null);
            report.append(format(
                    "%,d products indexed and merged to one segment in %.0f s.%n%n",
                    PRODUCTS, (System.nanoTime() - t) / 1e9));

            node.call(
                    "PUT",
                    "/events",
                    "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},\"mappings\":"
                            + InteractionEvent.MAPPING + "}");
            Random random = new Random(3);
            t = System.nanoTime();
            long[] logged = log(node, random, 0, IMPRESSIONS);
            report.append(format(
                    "%,d impressions logged (%,d events) in %.0f s, shown from a power law over the catalogue.%n%n",
                    IMPRESSIONS, logged[0], (System.nanoTime() - t) / 1e9));
            report.append("| build | products with statistics | rewritten (indexed) | no-op updates | deleted docs "
                    + "after | segments after | took |\n|---|---|---|---|---|---|---|\n");
            String body = "{\"products_index\":\"catalogue\",\"interactions_index\":\"events\",\"vector_field\":"
                    + "\"vec\",\"affinity_fields\":[\"brand\"],\"price_field\":\"price\",\"popularity_field\":"
                    + "\"popularity\",\"click_lift_field\":\"click_stats\"";
            build(node, "first (all events)", body + ",\"full\":true}", report);
            log(node, random, IMPRESSIONS, MORE_IMPRESSIONS);
            build(node, format("incremental, after %,d more impressions", MORE_IMPRESSIONS), body + "}", report);
            build(node, "full, no new event", body + ",\"full\":true}", report);
        }
        System.out.println(report);
        Path out = Path.of("target/benchmarks/product-stats-churn.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    }

    /** Impressions of ten products each, drawn from a power law over the catalogue, with a click on about one in three. */
    static long[] log(RealNode node, Random random, int first, int count) throws Exception {
        StringBuilder bulk = new StringBuilder();
        long events = 0;
        for (int i = first; i < first + count; i++) {
            String user = "u" + random.nextInt(USERS);
            long at = 1_760_000_000_000L + i * 1000L;
            for (int slot = 0; slot < SLOTS; slot++) {
                // a product rank from a Zipf-like draw: the head is shown often, the long tail rarely or never
                int product =
                        (int) Math.min(PRODUCTS - 1, Math.floor(Math.pow(random.nextDouble(), 3) * PRODUCTS * 0.3));
                event(bulk, user, product, "view", at, i, slot);
                events++;
                if (random.nextDouble() < 0.35 / (slot + 1)) {
                    event(bulk, user, product, "click", at + 1 + slot, i, slot);
                    events++;
                }
            }
            if (bulk.length() > 4_000_000) {
                flush(node, "/events/_bulk", bulk);
            }
        }
        flush(node, "/events/_bulk", bulk);
        node.call("POST", "/events/_refresh", null);
        return new long[] {events};
    }

    static void event(StringBuilder bulk, String user, int product, String type, long at, int impression, int slot) {
        bulk.append("{\"index\":{}}\n")
                .append(format(
                        "{\"user_id\":\"%s\",\"product_id\":\"p%d\",\"type\":\"%s\",\"query\":\"q%d\",\"@timestamp\":%d,"
                                + "\"impression_id\":\"i%d\",\"position\":%d}%n",
                        user, product, type, impression % 2000, at, impression, slot));
    }

    static void flush(RealNode node, String path, StringBuilder bulk) throws Exception {
        if (bulk.length() == 0) {
            return;
        }
        JsonNode r = node.call("POST", path, bulk.toString());
        if (r.get("errors").asBoolean()) {
            throw new IllegalStateException("a bulk failed: " + r.toString().substring(0, 500));
        }
        bulk.setLength(0);
    }

    static void build(RealNode node, String what, String body, StringBuilder report) throws Exception {
        JsonNode before = stats(node);
        long t = System.nanoTime();
        JsonNode built = node.call("POST", "/_semantic_ranking/profiles/_build", body);
        double took = (System.nanoTime() - t) / 1e9;
        node.call("POST", "/catalogue/_refresh", null);
        JsonNode after = stats(node);
        report.append(format(
                "| %s | %,d | %,d | %,d | %,d | %d | %.0f s |%n",
                what,
                built.path("products_with_click_lift").asLong(),
                after.get("indexing").get("index_total").asLong()
                        - before.get("indexing").get("index_total").asLong(),
                after.get("indexing").get("noop_update_total").asLong()
                        - before.get("indexing").get("noop_update_total").asLong(),
                after.get("docs").get("deleted").asLong(),
                after.get("segments").get("count").asLong(),
                took));
    }

    static JsonNode stats(RealNode node) throws Exception {
        return node.call("GET", "/catalogue/_stats/indexing,docs,segments", null)
                .get("indices")
                .get("catalogue")
                .get("primaries");
    }
}
