package org.semanticranking.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.semanticranking.integ.RealNode;
import org.semanticranking.personalization.events.InteractionEvent;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.semanticranking.bench.LearnedRankingBenchmark.format;

/**
 * How the learning jobs' costs grow with the interaction log (issue 18): {@code profiles/_build} (full) and the
 * personalization {@code _train} over a log that grows in steps to 10,000,000 events from 200,000 shoppers, on one
 * node with a fixed heap, timed, with the node's heap read during each job. A job's memory is bounded by design (a page
 * of users at a time, a product cache of 100,000 entries, reservoirs of {@code max_examples} examples): the figure that
 * shows it is the heap left after each evacuating collection during the job (the live set, from the node's own GC log, {@code logs/gc.log} beside its data),
 * which must not grow with the events once those caches are full.
 *
 * <p>The catalogue: 100,000 products of 500 brands and 100 categories, each with a 384-dimension vector (a line's base
 * direction plus noise, so that shoppers' tastes are directions), mapped with {@code flat} index options so the load is
 * quick (the jobs read vectors, they do not search them). The log: each shopper has a brand and a category they prefer
 * and 1 to 8 impressions of ten products (drawn half from their taste, half from a power law over the catalogue), a view
 * per product shown and a click with probability falling with the slot and rising with the match; about 50 events per
 * shopper. Each step adds new shoppers after the earlier ones (later timestamps), so the log of step {@code n} contains
 * step {@code n-1}'s.
 *
 * <p>{@code mvn -Pbench verify -Dit.test=EventScaleBenchmark [-Dbench.events.sizes=1000000,10000000]
 * [-Dbench.events.heap=2g]}; the report goes to stdout and {@code target/benchmarks/event-scale.md}.
 */
class EventScaleBenchmark {

    static final List<Integer> SIZES = Arrays.stream(
                    System.getProperty("bench.events.sizes", "1000000,10000000").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList();
    static final String HEAP = System.getProperty("bench.events.heap", "2g");
    /** Whether the learning jobs run at each size (the clicks features' latency is measured either way). */
    static final boolean JOBS = Boolean.parseBoolean(System.getProperty("bench.events.jobs", "true"));
    /** Query texts timed at each size for the clicks features' latency. */
    static final int CLICK_QUERIES = Integer.getInteger("bench.events.click_queries", 300);
    /** The node's {@code clicks_refresh} here: a pass over the texts takes longer. */
    static final int CLICKS_REFRESH_SECONDS = 5;

    static final int PRODUCTS = 100_000, BRANDS = 500, CATEGORIES = 100, LINES = 2_000, DIMS = 384;
    static final int EVENTS_PER_SHOPPER = 50, SLOTS = 10, QUERIES = 2_000;
    static final long T0 = 1_760_000_000_000L;
    static final String SPEC = "\"products_index\":\"catalogue\",\"interactions_index\":\"events\","
            + "\"vector_field\":\"vec\",\"affinity_fields\":[\"brand\",\"category\"],\"price_field\":\"price\","
            + "\"popularity_field\":\"popularity\",\"click_lift_field\":\"click_stats\"";

    @Test
    void buildAndTrainAsTheLogGrows() throws Exception {
        StringBuilder report =
                new StringBuilder("## Profiles build and personalization training over a growing log\n\n");
        try (RealNode node = RealNode.install("bench-events", 9266)) {
            Files.writeString(
                    node.home().resolve("config/jvm.options.d/heap.options"),
                    "-Xms" + HEAP + "\n-Xmx" + HEAP + "\n",
                    StandardCharsets.UTF_8);
            // short enough that the second pass over the texts finds each query's clicks older than it
            node.appendConfig("semantic_ranking.ranking.clicks_refresh: " + CLICKS_REFRESH_SECONDS + "s");
            node.start();
            long t = System.nanoTime();
            float[][] lines = lines(new SplittableRandom(5));
            indexCatalogue(node, lines);
            report.append(format(
                    "One node of the 9.5.3 distribution, %s heap (G1), this machine (2 vCPUs, 24 GiB). %,d products "
                            + "(%d-dimension vectors, %d brands, %d categories) indexed in %.0f s. The live set is the "
                            + "heap after each evacuating pause (young, mixed, full) during the job, from the node's GC log (`logs/gc.log`).%n%n",
                    HEAP, PRODUCTS, DIMS, BRANDS, CATEGORIES, (System.nanoTime() - t) / 1e9));
            node.call(
                    "PUT",
                    "/events",
                    "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0,\"refresh_interval\":\"-1\"},"
                            + "\"mappings\":" + InteractionEvent.MAPPING + "}");
            report.append("| events | shoppers | job | took | events/s | live set after GC: max | p50 | "
                    + "heap used: max | GCs |\n|---|---|---|---|---|---|---|---|---|\n");
            long events = 0;
            int shoppers = 0;
            StringBuilder clicks = new StringBuilder(format(
                    "### The query's clicks as ranking features: their latency as the log grows%n%n"
                            + "`learned_rank` at window 100 over a category's products (a `term` query), its features "
                            + "inline (logged, no ranker: the model's own cost is a dot product), the text one of the "
                            + "log's %,d queries; client-side over HTTP, ms, one client. Each text is searched with one "
                            + "`field` feature (price), then with it and two `clicks` features (`coec`, `impressions`, "
                            + "the query's first search: its clicks read from the events index; the slots' click "
                            + "rates already cached), then again (the node's cache). A second pass over the texts "
                            + "comes after the node's `clicks_refresh` (%d s here): each query's clicks are older than "
                            + "it. The last row changes `slots` at each search (1 to 9): a query and slots the node "
                            + "never read, so the slots' click-through over the whole log is read too.%n%n"
                            + "| events | shoppers | row | searches | p50 | p99 | max |%n|---|---|---|---|---|---|---|%n",
                    QUERIES, CLICKS_REFRESH_SECONDS));
            for (int size : SIZES) {
                t = System.nanoTime();
                int target = size / EVENTS_PER_SHOPPER;
                events += logShoppers(node, lines, shoppers, target);
                shoppers = target;
                node.call("POST", "/events/_refresh", null);
                long logged =
                        node.call("GET", "/events/_count", null).get("count").asLong();
                System.out.println(format(
                        "logged %,d events (%,d) of %,d shoppers in %.0f s",
                        logged, events, shoppers, (System.nanoTime() - t) / 1e9));
                String at = format("%,d | %,d", logged, shoppers);
                clicksLatency(node, at, clicks);
                // every query's impressions read at once, page by page, as ratings_from and a clicks training read them
                job(
                        node,
                        at,
                        "judgments/_from_events (coec)",
                        logged,
                        () -> node.call(
                                "POST",
                                "/catalogue/_semantic_ranking/judgments/_from_events",
                                "{\"index\":\"events\",\"click_model\":\"coec\",\"min_impressions\":2}"),
                        report);
                if (JOBS == false) {
                    continue;
                }
                job(
                        node,
                        at,
                        "profiles/_build (full)",
                        logged,
                        () -> node.call("POST", "/_semantic_ranking/profiles/_build", "{" + SPEC + ",\"full\":true}"),
                        report);
                job(
                        node,
                        at,
                        "personalization/_train",
                        logged,
                        () -> node.call("POST", "/_semantic_ranking/personalization/scale/_train", "{" + SPEC + "}"),
                        report);
            }
            report.append("\n").append(clicks);
        }
        System.out.println(report);
        Path out = Path.of("target/benchmarks/event-scale.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    }

    static String clicksSearch(int query, String clicks) {
        return format(
                "{\"size\":10,\"query\":{\"term\":{\"category\":\"c%d\"}},\"rescore\":{\"window_size\":100,"
                        + "\"learned_rank\":{\"params\":{\"query\":\"query %d\"},\"features\":["
                        + "{\"name\":\"price\",\"field\":{\"name\":\"price\",\"modifier\":\"log1p\"}}%s]}}}",
                query % CATEGORIES, query, clicks);
    }

    static String clicksFeatures(int slots) {
        return format(
                ",{\"name\":\"coec\",\"clicks\":{\"measure\":\"coec\",\"index\":\"events\",\"slots\":%d}},"
                        + "{\"name\":\"shown\",\"clicks\":{\"measure\":\"impressions\",\"index\":\"events\","
                        + "\"slots\":%d}}",
                slots, slots);
    }

    /**
     * The clicks features' latency at this size of the log: each query text with a doc-value feature alone, with the
     * clicks features the first time (read from the log) and again (cached); then nine searches that miss the slots'
     * click rates too. Query texts are new to the node at each size: the sizes use different ranges of texts.
     */
    static void clicksLatency(RealNode node, String at, StringBuilder report) throws Exception {
        int offset = CLICK_SIZES_SEEN++ * (CLICK_QUERIES + 10);
        double[][] ms = new double[4][CLICK_QUERIES];
        int hits = 0, shown = 0;
        long passStarted = System.nanoTime();
        for (int i = 0; i < CLICK_QUERIES; i++) {
            int q = (offset + i) % QUERIES;
            ms[0][i] = timedSearch(node, clicksSearch(q, ""));
            long start = System.nanoTime();
            JsonNode first = node.call("POST", "/catalogue/_search", clicksSearch(q, clicksFeatures(SLOTS)));
            ms[1][i] = (System.nanoTime() - start) / 1e6;
            for (JsonNode hit : first.get("hits").get("hits")) {
                hits++;
                if (hit.get("fields")
                                .get("_learned_rank")
                                .get(0)
                                .get("features")
                                .get("shown")
                                .asDouble()
                        > 0) {
                    shown++;
                }
            }
            ms[2][i] = timedSearch(node, clicksSearch(q, clicksFeatures(SLOTS)));
        }
        // the first pass's clicks all older than the refresh
        Thread.sleep(Math.max(0, CLICKS_REFRESH_SECONDS * 1000L - (System.nanoTime() - passStarted) / 1_000_000));
        for (int i = 0; i < CLICK_QUERIES; i++) {
            ms[3][i] = timedSearch(node, clicksSearch((offset + i) % QUERIES, clicksFeatures(SLOTS)));
        }
        double[] slotMisses = new double[SLOTS - 1];
        for (int s = 1; s < SLOTS; s++) {
            slotMisses[s - 1] =
                    timedSearch(node, clicksSearch((offset + CLICK_QUERIES + s) % QUERIES, clicksFeatures(s)));
        }
        String[] rows = {
            "a doc-value feature alone",
            "with the clicks features, the query's first search",
            "with the clicks features, the same query again (cached)",
            "with the clicks features, the same query once its clicks are older than `clicks_refresh`",
            "with the clicks features, a query and slots never read (the slots' click rates read too)"
        };
        double[][] all = {ms[0], ms[1], ms[2], ms[3], slotMisses};
        for (int r = 0; r < rows.length; r++) {
            report.append(format(
                    "| %s | %s | %d | %.2f | %.2f | %.2f |%n",
                    at,
                    rows[r],
                    all[r].length,
                    ChorusQueryBenchmark.percentile(all[r], 50),
                    ChorusQueryBenchmark.percentile(all[r], 99),
                    Arrays.stream(all[r]).max().orElse(0)));
        }
        report.append(format(
                "| %s | (of the first searches' top 10 hits, shown for their query in the log) | %d | %d%% | | |%n",
                at, hits, Math.round(100.0 * shown / Math.max(1, hits))));
        System.out.println(report);
    }

    private static int CLICK_SIZES_SEEN = 0;

    static double timedSearch(RealNode node, String body) throws Exception {
        long start = System.nanoTime();
        JsonNode response = node.call("POST", "/catalogue/_search", body);
        double took = (System.nanoTime() - start) / 1e6;
        if (response.get("hits").get("hits").size() == 0) {
            throw new AssertionError("no hits: " + response);
        }
        return took;
    }

    interface Call {
        JsonNode call() throws Exception;
    }

    /** Runs one job, sampling the node's heap meanwhile, and reads the collections of its time from the GC log. */
    static void job(RealNode node, String at, String what, long events, Call call, StringBuilder report)
            throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        long[] maxUsed = {0};
        Thread sampler = new Thread(() -> {
            while (done.get() == false) {
                try {
                    JsonNode jvm = node.call("GET", "/_nodes/_local/stats/jvm", null)
                            .get("nodes")
                            .elements()
                            .next()
                            .get("jvm");
                    maxUsed[0] = Math.max(
                            maxUsed[0], jvm.get("mem").get("heap_used_in_bytes").asLong());
                    Thread.sleep(500);
                } catch (Exception e) {
                    return;
                }
            }
        });
        Instant from = Instant.now();
        sampler.start();
        long t = System.nanoTime();
        JsonNode result;
        try {
            result = call.call();
        } finally {
            done.set(true);
            sampler.join();
        }
        double took = (System.nanoTime() - t) / 1e9;
        List<Long> live = liveSets(node.home().getParent().resolve("logs/gc.log"), from, Instant.now());
        long[] sorted = live.stream().mapToLong(Long::longValue).sorted().toArray();
        report.append(format(
                "| %s | %s | %.0f s | %,.0f | %s | %s | %s | %d |%n",
                at,
                what,
                took,
                events / took,
                sorted.length == 0 ? "-" : mb(sorted[sorted.length - 1]),
                sorted.length == 0 ? "-" : mb(sorted[sorted.length / 2]),
                mb(maxUsed[0]),
                sorted.length));
        System.out.println(what + " at " + at + ": " + took + " s; "
                + result.toString()
                        .substring(0, Math.min(2000, result.toString().length())));
    }

    static String mb(long bytes) {
        return format("%,d MB", bytes >> 20);
    }

    // [2026-12-02T01:23:45.678+0000][pid][info][gc] GC(12) Pause Young (Normal) (G1 Evacuation Pause) 512M->130M(2048M)
    // 12.3ms
    static final Pattern GC_LINE = Pattern.compile(
            "^\\[([^\\]]+)\\].*\\[gc\\s*\\] GC\\(\\d+\\) Pause (Young|Full) .* (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    /**
     * The heap after each evacuating pause (young, mixed, full) between {@code from} and {@code to}, in bytes, from the
     * node's GC log. G1's remark and cleanup pauses free nothing: their "after" is the occupancy, garbage included.
     */
    static List<Long> liveSets(Path gcLog, Instant from, Instant to) throws Exception {
        List<Long> after = new ArrayList<>();
        for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                Instant at = java.time.OffsetDateTime.parse(
                                m.group(1),
                                java.time.format.DateTimeFormatter.ofPattern(
                                        "yyyy-MM-dd'T'HH:mm:ss.SSSZ", java.util.Locale.ROOT))
                        .toInstant();
                if (at.isBefore(from) == false && at.isAfter(to) == false) {
                    after.add(Long.parseLong(m.group(4)) << 20);
                }
            }
        }
        return after;
    }

    /** The base directions of the catalogue's product lines. */
    static float[][] lines(SplittableRandom random) {
        float[][] lines = new float[LINES][];
        for (int l = 0; l < LINES; l++) {
            lines[l] = unit(gaussian(random, 1.0));
        }
        return lines;
    }

    static float[] gaussian(SplittableRandom random, double scale) {
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            // Box-Muller: SplittableRandom has no nextGaussian before Java 17's RandomGenerator default
            v[i] = (float) (scale
                    * Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
                    * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return v;
    }

    static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (v[i] / Math.sqrt(n));
        }
        return u;
    }

    static int brand(int product) {
        return product % BRANDS;
    }

    static int category(int product) {
        return (product / 7) % CATEGORIES;
    }

    static void indexCatalogue(RealNode node, float[][] lines) throws Exception {
        node.call("PUT", "/catalogue", format("""
                {"settings":{"number_of_shards":1,"number_of_replicas":0,"refresh_interval":"-1"},
                 "mappings":{"properties":{"title":{"type":"text"},"brand":{"type":"keyword"},
                   "category":{"type":"keyword"},"price":{"type":"float"},
                   "vec":{"type":"dense_vector","dims":%d,"similarity":"cosine","index_options":{"type":"flat"}},
                   "popularity":{"type":"long"},"click_stats":{"type":"object"}}}}""", DIMS));
        SplittableRandom random = new SplittableRandom(11);
        StringBuilder bulk = new StringBuilder();
        for (int p = 0; p < PRODUCTS; p++) {
            float[] line = lines[p % LINES];
            float[] noise = gaussian(random, 0.6 / Math.sqrt(DIMS));
            float[] v = new float[DIMS];
            for (int i = 0; i < DIMS; i++) {
                v[i] = line[i] + noise[i];
            }
            bulk.append("{\"index\":{\"_id\":\"p")
                    .append(p)
                    .append("\"}}\n")
                    .append(format(
                            "{\"title\":\"product %d of line %d\",\"brand\":\"b%d\",\"category\":\"c%d\",\"price\":%d,"
                                    + "\"vec\":",
                            p, p % LINES, brand(p), category(p), 5 + (p * 37) % 995))
                    .append(Arrays.toString(unit(v)))
                    .append("}\n");
            if ((p + 1) % 5_000 == 0) {
                ProductStatsChurnBenchmark.flush(node, "/catalogue/_bulk", bulk);
            }
        }
        ProductStatsChurnBenchmark.flush(node, "/catalogue/_bulk", bulk);
        node.call("PUT", "/catalogue/_settings", "{\"index\":{\"refresh_interval\":\"1s\"}}");
        node.call("POST", "/catalogue/_refresh", null);
    }

    /**
     * Logs the events of shoppers {@code first} to {@code last - 1} from two client threads, each its own shoppers;
     * shopper {@code s}'s events are seeded by {@code s} and timed after every earlier shopper's.
     *
     * @return the events logged
     */
    static long logShoppers(RealNode node, float[][] lines, int first, int last) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            List<Future<Long>> sent = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                int client = c;
                sent.add(clients.submit(() -> {
                    StringBuilder bulk = new StringBuilder();
                    long events = 0;
                    for (int s = first + client; s < last; s += 2) {
                        events += shopper(s, bulk);
                        if (bulk.length() > 8_000_000) {
                            ProductStatsChurnBenchmark.flush(node, "/events/_bulk", bulk);
                        }
                    }
                    ProductStatsChurnBenchmark.flush(node, "/events/_bulk", bulk);
                    return events;
                }));
            }
            long events = 0;
            for (Future<Long> f : sent) {
                events += f.get();
            }
            return events;
        } finally {
            clients.shutdownNow();
        }
    }

    /** One shopper's impressions: a view of each product shown, clicks more likely high up and on their taste. */
    static int shopper(int s, StringBuilder bulk) {
        SplittableRandom random = new SplittableRandom(1_000_003L * s + 17);
        int brand = random.nextInt(BRANDS), category = random.nextInt(CATEGORIES);
        int impressions = 1 + random.nextInt(8);
        // a shopper's events span at most 80 s; later shoppers come later, so each step's log follows the previous
        // one's
        long at = T0 + s * 100_000L;
        int events = 0;
        for (int i = 0; i < impressions; i++) {
            String impression = "s" + s + "-" + i;
            int query = random.nextInt(QUERIES);
            for (int slot = 0; slot < SLOTS; slot++) {
                int product = random.nextBoolean()
                        ? tasteful(random, brand, category)
                        : (int) Math.min(PRODUCTS - 1, Math.floor(Math.pow(random.nextDouble(), 3) * PRODUCTS));
                at += 1_000;
                event(bulk, s, product, "view", at, impression, slot, query);
                events++;
                double match = (brand(product) == brand ? 0.3 : 0) + (category(product) == category ? 0.2 : 0);
                if (random.nextDouble() < (0.05 + match) / Math.sqrt(slot + 1)) {
                    event(bulk, s, product, "click", at + 500, impression, slot, query);
                    events++;
                }
            }
        }
        return events;
    }

    /** A product of the shopper's brand or of their category. */
    static int tasteful(SplittableRandom random, int brand, int category) {
        if (random.nextBoolean()) {
            return brand + BRANDS * random.nextInt(PRODUCTS / BRANDS);
        }
        // category(p) = (p / 7) % CATEGORIES: p = 7 * (category + CATEGORIES * k) + r
        int p = 7 * (category + CATEGORIES * random.nextInt(PRODUCTS / (7 * CATEGORIES))) + random.nextInt(7);
        return Math.min(PRODUCTS - 1, p);
    }

    static void event(
            StringBuilder bulk, int shopper, int product, String type, long at, String impression, int slot, int q) {
        bulk.append("{\"index\":{}}\n")
                .append(format(
                        "{\"user_id\":\"u%d\",\"product_id\":\"p%d\",\"type\":\"%s\",\"query\":\"query %d\","
                                + "\"@timestamp\":%d,\"impression_id\":\"%s\",\"position\":%d}%n",
                        shopper, product, type, q, at, impression, slot));
    }
}
