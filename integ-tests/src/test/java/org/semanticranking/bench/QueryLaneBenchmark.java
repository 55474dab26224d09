package org.semanticranking.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.semanticranking.integ.ChorusCatalogue;
import org.semanticranking.integ.RealNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Query encodes while a bulk load keeps the encoder busy, with and without the query lane: the same node setup twice
 * in one run, {@code semantic_ranking.encoder.query_lane: false} (queries share the document pool, behind the bulk's
 * batches) and {@code true} (the default: their own pool). Two bulk clients ingest Chorus through the pipeline while
 * two search clients send {@code semantic_intent} queries whose texts are new each time (no cache hit: every search
 * encodes), each at a fixed rate ({@code -Dbench.lane_rate}, 10/s) when it can keep up. Run with {@code mvn -Pbench verify -Dit.test=QueryLaneBenchmark}; the table goes to stdout and
 * {@code target/benchmarks/query-lane.md}.
 */
public class QueryLaneBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SECONDS = Integer.getInteger("bench.lane_seconds", 30);
    /** Searches per second per search client: a fixed query load, so that both runs ingest beside the same work. */
    private static final int RATE = Integer.getInteger("bench.lane_rate", 10);

    record Result(double docsPerSecond, int searches, double p50, double p99, long rejected) {}

    @Test
    void queryEncodesUnderBulkLoad() throws Exception {
        List<String> queries = new ArrayList<>();
        ChorusCatalogue.lines("queries.tsv").stream().skip(1).forEach(l -> queries.add(l.split("\t")[1]));
        List<Map<String, Object>> products = ChorusCatalogue.products(Integer.MAX_VALUE);
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, """
            ## Query encodes under bulk load: 2 bulk clients (bulks of 200) and 2 search clients (semantic_intent, a new text each time, %d/s each), %d s per run

            | query lane | docs/s | searches | search p50 ms | search p99 ms | searches rejected (429) |
            |---|---|---|---|---|---|
            """, RATE, SECONDS));
        for (boolean lane : new boolean[] {false, true}) {
            Result r = run(lane, queries, products);
            report.append(String.format(
                    Locale.ROOT,
                    "| %s | %.0f | %d | %.1f | %.1f | %d |%n",
                    lane ? "on (own pool, the default)" : "off (shared with documents)",
                    r.docsPerSecond(),
                    r.searches(),
                    r.p50(),
                    r.p99(),
                    r.rejected()));
        }
        System.out.println(report);
        Path out = Path.of("target/benchmarks/query-lane.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    }

    private Result run(boolean lane, List<String> queries, List<Map<String, Object>> products) throws Exception {
        RealNode node = RealNode.install("bench-lane", 9251);
        node.appendConfig("semantic_ranking.encoder.query_lane: " + lane);
        node.start();
        try (node) {
            ChorusCatalogue.createEmbeddingIndex(node, "chorus");
            // something to find, and the search path warmed up, before the clock starts
            node.call("POST", "/chorus/_bulk?refresh=true", bulk(products.subList(0, 500), ""));
            for (int i = 0; i < 200; i++) {
                node.call("POST", "/chorus/_search", search("warm up " + i + " " + queries.get(i % queries.size())));
            }
            AtomicLong acknowledged = new AtomicLong(), rejected = new AtomicLong(), counter = new AtomicLong();
            List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<?>> running = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < 2; c++) {
                final int client = c;
                running.add(clients.submit(() -> {
                    for (int pass = 1; System.nanoTime() < deadline; pass++) {
                        for (int from = client * 200;
                                from < products.size() && System.nanoTime() < deadline;
                                from += 400) {
                            String body =
                                    bulk(products.subList(from, Math.min(products.size(), from + 200)), "-" + pass);
                            for (var item :
                                    node.call("POST", "/chorus/_bulk", body).get("items")) {
                                if (item.get("index").get("status").asInt() < 300) {
                                    acknowledged.incrementAndGet();
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (int c = 0; c < 2; c++) {
                running.add(clients.submit(() -> {
                    long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
                    long next = System.nanoTime();
                    while (System.nanoTime() < deadline) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        next = Math.max(next + interval, System.nanoTime()); // a late search does not bring a burst
                        long n = counter.incrementAndGet();
                        String text =
                                queries.get((int) (n % queries.size())) + " " + n; // new each time: never a cache hit
                        long t = System.nanoTime();
                        try {
                            node.call("POST", "/chorus/_search", search(text));
                            latencies.add((System.nanoTime() - t) / 1e6);
                        } catch (RealNode.HttpError e) {
                            if (e.status() != 429) {
                                throw e;
                            }
                            rejected.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(SECONDS + 120L, TimeUnit.SECONDS);
            }
            clients.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] sorted =
                    latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            assertTrue(sorted.length > 0 && acknowledged.get() > 0);
            return new Result(
                    acknowledged.get() / seconds,
                    sorted.length,
                    ChorusQueryBenchmark.percentile(sorted, 50),
                    ChorusQueryBenchmark.percentile(sorted, 99),
                    rejected.get());
        }
    }

    private static String search(String text) throws Exception {
        return String.format(Locale.ROOT, """
            {"size":10,"_source":false,"query":{"semantic_intent":{"query":%s,"field":"product_vector","k":10,"num_candidates":100}}}""", JSON.writeValueAsString(text));
    }

    private static String bulk(List<Map<String, Object>> products, String idSuffix) throws Exception {
        StringBuilder bulk = new StringBuilder();
        for (Map<String, Object> p : products) {
            bulk.append("{\"index\":{\"_id\":\"")
                    .append(p.get("id"))
                    .append(idSuffix)
                    .append("\"}}\n");
            bulk.append(JSON.writeValueAsString(
                            Map.of("title", p.get("title"), "description", p.getOrDefault("description", ""))))
                    .append('\n');
        }
        return bulk.toString();
    }
}
