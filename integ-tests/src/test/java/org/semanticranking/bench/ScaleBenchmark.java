package org.semanticranking.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.semanticranking.encoder.OnnxTextEncoder;
import org.semanticranking.integ.ChorusCatalogue;
import org.semanticranking.integ.RealNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.semanticranking.bench.ChorusQueryBenchmark.percentile;

/**
 * How the search side's costs grow with the catalogue (issue 18): a catalogue derived from Chorus at 100,000 and
 * 1,000,000 products on one node, loaded with its vectors precomputed so that the search is measured apart from the
 * encoder. Product {@code i} is Chorus product {@code i mod 19,406} ({@code v = i / 19,406} its variant): variant 0 is
 * the product itself with its own id, so that the Chorus judgments train a ranker; the others carry a colour, a size
 * and an edition in their title, a price moved by up to 20%, and the product's vector (encoded in this JVM by the
 * node's model) plus a seeded Gaussian of norm 0.35, unit length again (cosine about 0.94 to the original).
 *
 * <p>Per size: p50/p99 of the native {@code knn} query with the vector precomputed, {@code semantic_intent} cold (the
 * first time each text) and warm, BM25, {@code semantic_hybrid}, {@code personalized_blend} at window 500 and
 * {@code learned_rank} at window 100 (client-side over HTTP, the 135 Chorus queries, the runs interleaved); the
 * vectors' off-heap size ({@code bbq_hnsw}, the default, and {@code hnsw}) and the node's heap; recall@10 of the
 * default {@code num_candidates} against the exact top 10, computed in this JVM over the same vectors.
 */
class ScaleBenchmark {

    static final List<Integer> SIZES = Arrays.stream(
                    System.getProperty("bench.scale.sizes", "100000,1000000").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList();
    /** Whether each size is loaded a second time with {@code hnsw} for its memory (and recall). */
    static final boolean HNSW = Boolean.parseBoolean(System.getProperty("bench.scale.hnsw", "true"));

    static final int ROUNDS = Integer.getInteger("bench.scale.rounds", 3);
    static final double NOISE = 0.35;
    static final String[] COLOURS = {"black", "white", "silver", "red", "blue", "green", "grey", "gold"};
    static final String[] SIZES_WORDS = {"mini", "compact", "standard", "plus", "pro", "max", "xl"};

    record Base(String id, String title, String description, String brand, String type, double price, float[] vector) {}

    @Test
    void scale() throws Exception {
        long started = System.nanoTime();
        List<Map<String, Object>> rows = ChorusCatalogue.products(Integer.MAX_VALUE);
        List<ChorusQueryBenchmark.Judged> queries = ChorusQueryBenchmark.loadQueries();
        List<Base> base = new ArrayList<>();
        List<float[]> queryVectors = new ArrayList<>();
        long encodeStart = System.nanoTime();
        try (OnnxTextEncoder raw = IngestBenchmark.loadRawEncoder(2)) {
            List<String> texts = new ArrayList<>();
            for (Map<String, Object> p : rows) {
                String description = (String) p.get("description");
                texts.add(
                        description == null || description.isBlank()
                                ? (String) p.get("title")
                                : p.get("title") + "\n" + description);
            }
            float[][] vectors = encodeSorted(raw, texts, false);
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Object> p = rows.get(i);
                base.add(new Base(
                        (String) p.get("id"),
                        (String) p.get("title"),
                        (String) p.getOrDefault("description", ""),
                        (String) p.get("brand"),
                        (String) p.get("product_type"),
                        p.get("price") instanceof Number n ? n.doubleValue() : 10,
                        vectors[i]));
            }
            float[][] qv = encodeSorted(
                    raw, queries.stream().map(ChorusQueryBenchmark.Judged::text).toList(), true);
            queryVectors.addAll(Arrays.asList(qv));
        }
        double encodeSeconds = (System.nanoTime() - encodeStart) / 1e9;
        StringBuilder report = new StringBuilder("## How the search side's costs grow with the catalogue\n\n");
        report.append(String.format(
                Locale.ROOT,
                "%d Chorus products encoded in this JVM in %.0f s (the node's model, all-minilm-l6-v2-q); the rest "
                        + "derived from them. One node, 4 GB heap, this machine (2 vCPUs); %d queries, %d warm rounds; "
                        + "latency client-side over HTTP, ms.%n%n",
                base.size(),
                encodeSeconds,
                queries.size(),
                ROUNDS));
        Path out = Path.of("target/benchmarks/scale.md");
        Files.createDirectories(out.getParent());
        try (RealNode node = RealNode.install("bench-scale", 9268)) {
            Files.writeString(
                    node.home().resolve("config/jvm.options.d/heap.options"),
                    "-Xms4g\n-Xmx4g\n",
                    StandardCharsets.UTF_8);
            node.start();
            String ranker = null;
            for (int size : SIZES) {
                String index = "scale-" + size;
                double loadSeconds = load(node, index, "bbq_hnsw", base, size);
                Map<String, Long> bbq = offHeap(node, index);
                String hnswIndex = index + "-hnsw";
                double hnswSeconds = Double.NaN;
                Map<String, Long> hnsw = Map.of();
                if (HNSW) {
                    hnswSeconds = load(node, hnswIndex, "hnsw", base, size);
                    hnsw = offHeap(node, hnswIndex);
                }
                JsonNode jvm = node.call("GET", "/_nodes/stats/jvm", null)
                        .get("nodes")
                        .elements()
                        .next()
                        .get("jvm")
                        .get("mem");
                if (ranker == null) {
                    ranker = trainRanker(node, index, queries);
                    personalization(node, base);
                }
                report.append(String.format(
                        Locale.ROOT,
                        "### %,d products%n%nLoaded in %.0f s (bbq_hnsw)%s; node heap used after the loads %.0f MB "
                                + "of %.0f MB.%n%n",
                        size,
                        loadSeconds,
                        HNSW ? String.format(Locale.ROOT, " and %.0f s (hnsw)", hnswSeconds) : "",
                        jvm.get("heap_used_in_bytes").asDouble() / 1e6,
                        jvm.get("heap_max_in_bytes").asDouble() / 1e6));
                report.append("| vectors off heap | bbq_hnsw | hnsw |\n|---|---|---|\n");
                for (String key : List.of(
                        "total_size_bytes",
                        "total_vec_size_bytes",
                        "total_veq_size_bytes",
                        "total_veb_size_bytes",
                        "total_vex_size_bytes")) {
                    report.append(String.format(
                            Locale.ROOT,
                            "| %s | %s | %s |%n",
                            key.replace("_bytes", "").replace("total_", ""),
                            mb(bbq.get(key)),
                            mb(hnsw.get(key))));
                }
                report.append('\n');
                latency(node, index, queries, queryVectors, ranker, size, report);
                recall(node, index, HNSW ? hnswIndex : null, queryVectors, base, size, report);
                Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
                node.call("DELETE", "/" + index + (HNSW ? "," + hnswIndex : ""), null);
            }
        }
        report.append(String.format(Locale.ROOT, "%nTook %.1f min in all.%n", (System.nanoTime() - started) / 60e9));
        System.out.println(report);
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    }

    static String json(Object value) {
        try {
            return LearnedRankingBenchmark.json(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String mb(Long bytes) {
        return bytes == null ? "" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** Encodes in length-sorted batches of 32 (as the node does), the results in the texts' order. */
    static float[][] encodeSorted(OnnxTextEncoder raw, List<String> texts, boolean query) throws Exception {
        List<org.semanticranking.encoder.Tokenized> tokens = new ArrayList<>();
        for (String t : texts) {
            tokens.add(raw.tokenize(t, query, 256));
        }
        Integer[] order = new Integer[texts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) -> Integer.compare(tokens.get(a).length(), tokens.get(b).length()));
        float[][] out = new float[texts.size()][];
        for (int from = 0; from < order.length; from += 32) {
            List<org.semanticranking.encoder.Tokenized> batch = new ArrayList<>();
            for (int i = from; i < Math.min(order.length, from + 32); i++) {
                batch.add(tokens.get(order[i]));
            }
            float[][] vectors = raw.embed(batch);
            for (int i = 0; i < vectors.length; i++) {
                out[order[from + i]] = vectors[i];
            }
        }
        return out;
    }

    /** The vector of derived product {@code i}: its base's, moved by a seeded Gaussian of norm {@link #NOISE}. */
    static float[] vector(List<Base> base, int i) {
        float[] b = base.get(i % base.size()).vector();
        if (i < base.size()) {
            return b;
        }
        SplittableRandom random = new SplittableRandom(i * 0x9E3779B97F4A7C15L);
        double scale = NOISE / Math.sqrt(b.length);
        float[] v = new float[b.length];
        double norm = 0;
        for (int d = 0; d < b.length; d++) {
            v[d] = (float) (b[d] + scale * gaussian(random));
            norm += v[d] * v[d];
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < v.length; d++) {
            v[d] *= inv;
        }
        return v;
    }

    static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian of its own on this JDK's API level
        double u = Math.max(Double.MIN_VALUE, random.nextDouble());
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    static String id(List<Base> base, int i) {
        return i < base.size() ? base.get(i).id() : base.get(i % base.size()).id() + "-v" + (i / base.size());
    }

    static Map<String, Object> doc(List<Base> base, int i) {
        Base b = base.get(i % base.size());
        int variant = i / base.size();
        String title = variant == 0
                ? b.title()
                : b.title() + " " + COLOURS[variant % COLOURS.length] + " "
                        + SIZES_WORDS[(variant / COLOURS.length) % SIZES_WORDS.length] + " edition " + variant;
        double price = variant == 0
                ? b.price()
                : Math.round(b.price() * (0.8 + 0.4 * new SplittableRandom(i).nextDouble()) * 100) / 100.0;
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("title", title);
        doc.put("description", b.description() == null ? "" : b.description());
        if (b.brand() != null) {
            doc.put("brand", b.brand());
        }
        if (b.type() != null) {
            doc.put("product_type", b.type());
        }
        doc.put("price", price);
        doc.put("product_vector", vector(base, i));
        return doc;
    }

    /** One shard, no replica, refresh off while loading; bulks of 500 from two clients; then refreshed. */
    static double load(RealNode node, String index, String indexType, List<Base> base, int size) throws Exception {
        node.call("PUT", "/" + index, String.format(Locale.ROOT, """
            {"settings":{"number_of_shards":1,"number_of_replicas":0,"refresh_interval":"-1"},
             "mappings":{"properties":{"title":{"type":"text"},"description":{"type":"text"},
               "brand":{"type":"text","fields":{"keyword":{"type":"keyword"}}},
               "product_type":{"type":"text","fields":{"keyword":{"type":"keyword"}}},
               "price":{"type":"float"},
               "product_vector":{"type":"dense_vector","dims":384,"similarity":"cosine",
                 "index_options":{"type":"%s"}}}}}""", indexType));
        long start = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                int client = c;
                running.add(clients.submit(() -> {
                    for (int from = client * 500; from < size; from += 1000) {
                        StringBuilder bulk = new StringBuilder();
                        for (int i = from; i < Math.min(size, from + 500); i++) {
                            bulk.append("{\"index\":{\"_id\":")
                                    .append(json(id(base, i)))
                                    .append("}}\n")
                                    .append(json(doc(base, i)))
                                    .append('\n');
                        }
                        JsonNode r = node.call("POST", "/" + index + "/_bulk", bulk.toString());
                        if (r.get("errors").asBoolean()) {
                            throw new IllegalStateException(
                                    "bulk failed: " + r.toString().substring(0, 500));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            clients.shutdown();
        }
        node.call("POST", "/" + index + "/_refresh", null);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(
                size,
                node.call("GET", "/" + index + "/_count", null).get("count").asInt());
        return seconds;
    }

    static Map<String, Long> offHeap(RealNode node, String index) throws Exception {
        JsonNode offHeap = node.call("GET", "/" + index + "/_stats/dense_vector", null)
                .get("_all")
                .get("primaries")
                .get("dense_vector")
                .path("off_heap");
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        offHeap.fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) {
                out.put(e.getKey(), e.getValue().asLong());
            }
        });
        return out;
    }

    /** A linear ranker from the Chorus judgments (variant 0 of each product is the product). */
    static String trainRanker(RealNode node, String index, List<ChorusQueryBenchmark.Judged> queries) throws Exception {
        StringBuilder requests = new StringBuilder(), ratings = new StringBuilder();
        for (ChorusQueryBenchmark.Judged q : queries) {
            requests.append(requests.length() == 0 ? "" : ",")
                    .append("{\"id\":")
                    .append(json(q.id()))
                    .append(",\"params\":{\"query\":")
                    .append(json(q.text()))
                    .append("}}");
            q.grades()
                    .forEach((id, grade) -> ratings.append(ratings.length() == 0 ? "" : ",")
                            .append("{\"request\":")
                            .append(json(q.id()))
                            .append(",\"_id\":")
                            .append(json(id))
                            .append(",\"grade\":")
                            .append(grade)
                            .append("}"));
        }
        node.call(
                "POST",
                "/" + index + "/_semantic_ranking/rankers/scale/_train",
                String.format(Locale.ROOT, """
            {"template":{"query":{"multi_match":{"query":"{{query}}","fields":["title","brand","product_type","description"]}}},
             "window_size":100,
             "features":[{"name":"first_pass","first_pass":"score"},
               {"name":"title_bm25","query":{"match":{"title":"{{query}}"}}},
               {"name":"cosine","vector":{"field":"product_vector"}},
               {"name":"log_price","field":{"name":"price","modifier":"log1p"}}],
             "model":{"type":"linear"},"folds":1,"requests":[%s],"ratings":[%s]}""", requests, ratings));
        return "scale";
    }

    /** The blend's model and a shopper whose profile vector is a product's. */
    static void personalization(RealNode node, List<Base> base) throws Exception {
        node.putBlendModelAndProfilesIndex("scale-blend", 1);
        // the shopper's session is read from the events: an index of none, so that the read happens
        node.call(
                "PUT",
                "/interactions",
                "{\"mappings\":" + org.semanticranking.personalization.events.InteractionEvent.MAPPING + "}");
        node.call(
                "PUT",
                "/user_profiles/_doc/shopper?refresh=true",
                "{\"user_id\":\"shopper\",\"events\":10,\"weight\":10,\"affinities\":{},\"vector\":"
                        + json(base.get(7).vector()) + "}");
    }

    static String multiMatch(String text) {
        return "{\"multi_match\":{\"query\":" + json(text)
                + ",\"fields\":[\"title\",\"brand\",\"product_type\",\"description\"]}}";
    }

    static String knn(float[] vector) {
        return "{\"size\":10,\"_source\":false,\"query\":{\"knn\":{\"field\":\"product_vector\",\"query_vector\":"
                + json(vector) + ",\"k\":10,\"num_candidates\":100}}}";
    }

    static String intent(String text) {
        return "{\"size\":10,\"_source\":false,\"query\":{\"semantic_intent\":{\"query\":" + json(text)
                + ",\"field\":\"product_vector\",\"k\":10,\"num_candidates\":100}}}";
    }

    static String bm25(String text) {
        return "{\"size\":10,\"_source\":false,\"query\":" + multiMatch(text) + "}";
    }

    static String hybrid(String text) {
        return hybrid(text, "");
    }

    /** @param window empty for the hybrid's default {@code rank_window_size} (100), or {@code ,"rank_window_size":N} */
    static String hybrid(String text, String window) {
        return "{\"size\":10,\"_source\":false,\"retriever\":{\"semantic_hybrid\":{\"lexical\":{\"standard\":{\"query\":"
                + multiMatch(text) + "}},\"semantic\":{\"standard\":{\"query\":{\"semantic_intent\":{\"query\":"
                + json(text) + ",\"field\":\"product_vector\",\"k\":10,\"num_candidates\":100}}}}" + window + "}}}";
    }

    /** BM25's first 100 hits: what the hybrid's lexical side returns at its default window. */
    static String bm25Window(String text) {
        return "{\"size\":100,\"_source\":false,\"query\":" + multiMatch(text) + "}";
    }

    static String blend(String text) {
        return "{\"size\":10,\"_source\":false,\"query\":" + multiMatch(text)
                + ",\"rescore\":{\"window_size\":500,\"personalized_blend\":{\"user_id\":\"shopper\","
                + "\"model_id\":\"scale-blend\",\"vector_field\":\"product_vector\",\"query_text\":" + json(text)
                + "}}}";
    }

    static String learned(String text, String ranker) {
        return "{\"size\":10,\"_source\":false,\"query\":" + multiMatch(text)
                + ",\"rescore\":{\"window_size\":100,\"learned_rank\":{\"ranker_id\":\"" + ranker
                + "\",\"params\":{\"query\":" + json(text) + "}}}}";
    }

    static double timed(RealNode node, String index, String body) throws Exception {
        long start = System.nanoTime();
        node.call("POST", "/" + index + "/_search", body);
        return (System.nanoTime() - start) / 1e6;
    }

    static void latency(
            RealNode node,
            String index,
            List<ChorusQueryBenchmark.Judged> queries,
            List<float[]> vectors,
            String ranker,
            int size,
            StringBuilder report)
            throws Exception {
        int n = queries.size();
        // warm the JIT and the search paths with other texts and moved vectors
        for (int i = 0; i < 200; i++) {
            String text = "warm up " + i + " " + queries.get(i % n).text();
            float[] v = vectors.get(i % n).clone();
            v[i % v.length] += 0.02f;
            node.call("POST", "/" + index + "/_search", intent(text));
            node.call("POST", "/" + index + "/_search", knn(v));
            node.call("POST", "/" + index + "/_search", hybrid(text));
        }
        // cold: each text for the first time on this node (the cache is keyed by the text as written: a round's and a
        // size's own spelling; the model lowercases, so the vector is the same). As many rounds as the warm rows, so
        // that a p99 is not the second-slowest of 135; the first-time vectors moved a little per round, likewise
        double[] cold = new double[n * ROUNDS], nativeFirst = new double[n * ROUNDS];
        // the same encode in this JVM right after each cold search, with the node's one intra-op thread: whether the
        // cold rows' tail is the model's own or the node's path to it
        double[] rawAfterSearch = new double[n * ROUNDS];
        OnnxTextEncoder raw = IngestBenchmark.loadRawEncoder(1);
        com.fasterxml.jackson.databind.JsonNode encodesBefore = ChorusQueryBenchmark.nodeQueryLatency(node);
        for (int r = 0; r < ROUNDS; r++) {
            for (int i = 0; i < n; i++) {
                String text = "cold " + r + " " + size + " " + queries.get(i).text();
                float[] v = vectors.get(i).clone();
                v[(r * 31 + i) % v.length] += 0.01f * (r + 1);
                int at = r * n + i;
                if (i % 2 == 0) {
                    nativeFirst[at] = timed(node, index, knn(v));
                    cold[at] = timed(node, index, intent(text));
                } else {
                    cold[at] = timed(node, index, intent(text));
                    nativeFirst[at] = timed(node, index, knn(v));
                }
                long started = System.nanoTime();
                raw.embed(List.of(raw.tokenize(text, true, 256)));
                rawAfterSearch[at] = (System.nanoTime() - started) / 1e6;
            }
        }
        raw.close();
        com.fasterxml.jackson.databind.JsonNode encodesAfter = ChorusQueryBenchmark.nodeQueryLatency(node);
        double nodeEncodeMs = (encodesAfter.get("total_micros").asDouble()
                        - encodesBefore.get("total_micros").asDouble())
                / Math.max(
                        1,
                        encodesAfter.get("count").asDouble()
                                - encodesBefore.get("count").asDouble())
                / 1000;
        Function<String, String> spelling = t -> size + " " + t;
        // the warm rows' texts, encoded once here so that they are warm
        for (int i = 0; i < n; i++) {
            node.call(
                    "POST",
                    "/" + index + "/_search",
                    intent(spelling.apply(queries.get(i).text())));
        }
        String[] names = {
            "native knn query, precomputed vector (k 10, num_candidates 100)",
            "semantic_intent, warm cache (same k, num_candidates)",
            "BM25 (multi_match, 4 fields)",
            "semantic_hybrid (that BM25 and that semantic_intent; rank_window_size 100, the default)",
            "semantic_hybrid, rank_window_size 10",
            "BM25, its first 100 hits (the hybrid's lexical side)",
            "personalized_blend over BM25, window 500",
            "learned_rank over BM25, window 100 (4 features, linear)",
            "semantic_hybrid the compound way (score_breakdown on: multi-search, then a final search)"
        };
        double[][] ms = new double[names.length][n * ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            for (int i = 0; i < n; i++) {
                String text = spelling.apply(queries.get(i).text());
                int at = r * n + i;
                ms[0][at] = timed(node, index, knn(vectors.get(i)));
                ms[1][at] = timed(node, index, intent(text));
                ms[2][at] = timed(node, index, bm25(text));
                ms[3][at] = timed(node, index, hybrid(text));
                ms[4][at] = timed(node, index, hybrid(text, ",\"rank_window_size\":10"));
                ms[5][at] = timed(node, index, bm25Window(text));
                ms[6][at] = timed(node, index, blend(text));
                ms[7][at] = timed(node, index, learned(text, ranker));
                ms[8][at] = timed(node, index, hybrid(text, ",\"score_breakdown\":true"));
            }
        }
        report.append("| run | p50 | p99 |\n|---|---|---|\n");
        report.append(row("native knn query, first time each vector (in turns with the cold run)", nativeFirst));
        report.append(row("semantic_intent, cold cache (first time each text)", cold));
        report.append(
                row("(the same encode in the benchmark's JVM right after each search, one thread)", rawAfterSearch));
        report.append(String.format(
                Locale.ROOT,
                "| (the node's query encode during the cold rows, submission to vector, mean: %.2f ms; its lane's p99 "
                        + "bucket bound after the run: %s us) | | |%n",
                nodeEncodeMs,
                ChorusQueryBenchmark.nodeQueryLatency(node).get("p99").asText()));
        for (int k = 0; k < names.length; k++) {
            report.append(row(names[k], ms[k]));
        }
        double knnP99 = percentile(ms[0], 99), coldP99 = percentile(cold, 99), warmP99 = percentile(ms[1], 99);
        double sum = percentile(ms[2], 50) + percentile(ms[0], 50);
        report.append(String.format(
                Locale.ROOT,
                "%nsemantic_intent p99 against native knn p99 + 3 ms (%.2f): warm %.2f, cold %.2f (against the "
                        + "first-time native knn p99 + 3 ms: %.2f); the hybrid's p50 %.2f "
                        + "(rank_window_size 10: %.2f; the compound way: %.2f) against 1.2 x (BM25 p50 + kNN p50) = "
                        + "%.2f (with BM25's first 100: %.2f).%n%n",
                knnP99 + 3,
                warmP99,
                coldP99,
                percentile(nativeFirst, 99) + 3,
                percentile(ms[3], 50),
                percentile(ms[4], 50),
                percentile(ms[8], 50),
                1.2 * sum,
                1.2 * (percentile(ms[5], 50) + percentile(ms[0], 50))));
    }

    static String row(String name, double[] ms) {
        return String.format(Locale.ROOT, "| %s | %.2f | %.2f |%n", name, percentile(ms, 50), percentile(ms, 99));
    }

    /**
     * recall@10 of the native knn (ES's default num_candidates, and 100; for bbq_hnsw also with the query's
     * {@code rescore_vector} oversample off and at 6) against the exact top 10 over all vectors,
     * and the cosine ratio: the summed cosine of the ten returned over the exact ten's. A derived catalogue holds
     * near-copies of each product (cosine about 0.88 to each other), so which ten of a product's copies are exactly
     * nearest is decided by the noise; the ratio says how much nearer the exact ten are.
     */
    static void recall(
            RealNode node,
            String index,
            String hnswIndex,
            List<float[]> queries,
            List<Base> base,
            int size,
            StringBuilder report)
            throws Exception {
        int q = queries.size();
        List<PriorityQueue<double[]>> best = new ArrayList<>();
        for (int i = 0; i < q; i++) {
            best.add(new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0])));
        }
        for (int d = 0; d < size; d++) {
            float[] v = vector(base, d);
            for (int i = 0; i < q; i++) {
                float[] qv = queries.get(i);
                double dot = 0;
                for (int k = 0; k < v.length; k++) {
                    dot += qv[k] * v[k];
                }
                PriorityQueue<double[]> top = best.get(i);
                if (top.size() < 10) {
                    top.add(new double[] {dot, d});
                } else if (dot > top.peek()[0]) {
                    top.poll();
                    top.add(new double[] {dot, d});
                }
            }
        }
        Map<String, Integer> baseIndex = new java.util.HashMap<>();
        for (int i = 0; i < base.size(); i++) {
            baseIndex.put(base.get(i).id(), i);
        }
        JsonNode options = node.call("GET", "/" + index + "/_mapping/field/product_vector?include_defaults=true", null)
                .findPath("index_options");
        report.append("bbq_hnsw's index options as the index reports them (defaults included): `" + options + "`\n\n");
        report.append("| k 10 against the exact top 10 | bbq_hnsw recall@10 | hnsw recall@10 | bbq_hnsw cosine ratio | "
                + "hnsw cosine ratio | bbq_hnsw p50 ms (client) |\n|---|---|---|---|---|---|\n");
        // num_candidates (null: Elasticsearch's default) and the query's rescore_vector oversample (null: the index's);
        // oversampling re-scores oversample x k quantized candidates with the float vectors, bbq only
        record Knn(Integer candidates, Double oversample) {}
        for (Knn knn : List.of(
                new Knn(null, null), new Knn(100, null), new Knn(null, 0.0), new Knn(null, 6.0), new Knn(100, 6.0))) {
            Integer candidates = knn.candidates();
            double[] recall = new double[2];
            double[] ratio = new double[2];
            double[] millis = new double[q];
            for (int which = 0; which < 2; which++) {
                String target = which == 0 ? index : hnswIndex;
                if (target == null || (which == 1 && knn.oversample() != null)) {
                    recall[which] = Double.NaN;
                    ratio[which] = Double.NaN;
                    continue;
                }
                double sum = 0, ratios = 0;
                for (int i = 0; i < q; i++) {
                    Set<String> exact = new HashSet<>();
                    for (double[] e : best.get(i)) {
                        exact.add(id(base, (int) e[1]));
                    }
                    String body = "{\"size\":10,\"_source\":false,\"query\":{\"knn\":{\"field\":\"product_vector\","
                            + "\"query_vector\":" + json(queries.get(i)) + ",\"k\":10"
                            + (candidates == null ? "" : ",\"num_candidates\":" + candidates)
                            + (knn.oversample() == null
                                    ? ""
                                    : ",\"rescore_vector\":{\"oversample\":" + knn.oversample() + "}")
                            + "}}}";
                    int found = 0;
                    double got = 0, ideal = 0;
                    for (double[] e : best.get(i)) {
                        ideal += e[0];
                    }
                    long started = System.nanoTime();
                    JsonNode hits = node.call("POST", "/" + target + "/_search", body);
                    if (which == 0) {
                        millis[i] = (System.nanoTime() - started) / 1e6;
                    }
                    for (String id : LearnedRankingBenchmark.ids(hits)) {
                        found += exact.contains(id) ? 1 : 0;
                        int v = id.contains("-v") ? Integer.parseInt(id.substring(id.lastIndexOf("-v") + 2)) : 0;
                        String baseId = v == 0 ? id : id.substring(0, id.lastIndexOf("-v"));
                        float[] vector = vector(base, v * base.size() + baseIndex.get(baseId));
                        for (int k = 0; k < vector.length; k++) {
                            got += queries.get(i)[k] * vector[k];
                        }
                    }
                    sum += found / 10.0;
                    ratios += got / ideal;
                }
                recall[which] = sum / q;
                ratio[which] = ratios / q;
            }
            report.append(String.format(
                    Locale.ROOT,
                    "| num_candidates %s%s | %.3f | %s | %.4f | %s | %.2f |%n",
                    candidates == null ? "default (Elasticsearch's: 1.5 x k)" : candidates,
                    knn.oversample() == null ? "" : ", rescore_vector oversample " + knn.oversample(),
                    recall[0],
                    Double.isNaN(recall[1]) ? "" : String.format(Locale.ROOT, "%.3f", recall[1]),
                    ratio[0],
                    Double.isNaN(ratio[1]) ? "" : String.format(Locale.ROOT, "%.4f", ratio[1]),
                    percentile(millis, 50)));
        }
        report.append('\n');
    }
}
