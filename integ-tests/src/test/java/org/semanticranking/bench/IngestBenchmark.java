package org.semanticranking.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.semanticranking.encoder.EncoderDevice;
import org.semanticranking.encoder.ModelManifest;
import org.semanticranking.encoder.ModelSource;
import org.semanticranking.encoder.OnnxTextEncoder;
import org.semanticranking.encoder.Tokenized;
import org.semanticranking.integ.ChorusCatalogue;
import org.semanticranking.integ.RealNode;

import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Ingest throughput of the whole Chorus catalogue (title + description), in one run on the same texts:
 * the raw encoder one text at a time, the raw encoder in length-sorted batches of 32 (the reference
 * the node is held to), bulk through the {@code semantic_embedding} pipeline on a real node, and the
 * same bulk without the processor. Run with {@code mvn -Pbench verify}; it prints a table and writes
 * it to {@code target/benchmarks/ingest.md}. It asserts correctness (every document indexed), never
 * timings.
 */
class IngestBenchmark {

    private static final int BULK_SIZE = Integer.getInteger("bench.bulk_size", 500);
    private static final int BULK_CLIENTS = Integer.getInteger("bench.clients", 2);
    /** Diagnostics: -Dbench.raw=false skips the raw encoder runs, -Dbench.vector_index=false maps the vector unindexed. */
    private static final boolean RAW = Boolean.parseBoolean(System.getProperty("bench.raw", "true"));

    private static final boolean VECTOR_INDEX = Boolean.parseBoolean(System.getProperty("bench.vector_index", "true"));
    /** Refresh interval during the load: off, as Elasticsearch advises for bulk loads (both node runs alike). */
    private static final String REFRESH = System.getProperty("bench.refresh_interval", "-1");
    /** The node's {@code semantic_ranking.encoder.device} ({@code benchmarks/gpu-check.sh} passes {@code cuda}); unset: the default. */
    private static final String DEVICE = System.getProperty("bench.encoder.device", "");
    /**
     * With {@code -Dbench.ingest.scale=200000}: after the catalogue, that many products derived from it (each a
     * catalogue product with a colour, a size and an edition in its title) through the same pipeline, in the same run.
     */
    private static final int SCALE = Integer.getInteger("bench.ingest.scale", 0);

    @Test
    void ingestThroughput() throws Exception {
        List<Map<String, Object>> products = ChorusCatalogue.products(Integer.MAX_VALUE);
        List<String> texts = new ArrayList<>();
        for (Map<String, Object> p : products) {
            String description = (String) p.get("description");
            // what the processor embeds with "fields": ["title", "description"]
            texts.add(
                    description == null || description.isBlank()
                            ? (String) p.get("title")
                            : p.get("title") + "\n" + description);
        }
        int n = texts.size();
        StringBuilder report = new StringBuilder();
        report.append(String.format(
                Locale.ROOT,
                "Chorus catalogue: %d products (title + description), model all-minilm-l6-v2-q (int8)%n%n",
                n));
        report.append("| run | docs/s | vs raw sorted batches of 32 |\n|---|---|---|\n");

        double single = Double.NaN;
        double sorted = Double.NaN;
        double unsorted = Double.NaN;
        if (RAW)
            try (OnnxTextEncoder raw = loadRawEncoder(2)) {
                List<Tokenized> tokens = new ArrayList<>(n);
                for (String t : texts) {
                    tokens.add(raw.tokenize(t, false, 256));
                }
                raw.embed(tokens.subList(0, 64)); // warm up
                single = rawSingle(raw, texts);
                unsorted = rawBatches(raw, texts, false);
                sorted = rawBatches(raw, texts, true);
            }
        double inProcess = RAW ? inProcessBatcher(texts) : Double.NaN;

        double throughPipeline;
        double withoutProcessor;
        String scaledRow = "";
        try (RealNode node = RealNode.install("bench-ingest", 9251)) {
            if (DEVICE.isEmpty() == false) {
                node.appendConfig("semantic_ranking.encoder.device: " + DEVICE);
            }
            node.start();
            ElasticsearchClient client = node.client();
            JsonNode model = node.call("GET", "/_semantic_ranking/models", null)
                    .get("nodes")
                    .elements()
                    .next()
                    .get("models")
                    .get("all-minilm-l6-v2-q");
            report.insert(
                    0,
                    String.format(
                            Locale.ROOT,
                            "Node encoder device: %s (setting: %s)%n%n",
                            model.path("device").asText(),
                            DEVICE.isEmpty() ? "default" : DEVICE));
            node.call("PUT", "/_ingest/pipeline/products-embed", """
                {"processors":[{"semantic_embedding":{"fields":["title","description"],"target_field":"product_vector"}}]}""");
            createIndex(client, "with-processor", "products-embed");
            createIndex(client, "without-processor", null);
            // warm the node's encoder and JIT with a small bulk into a scratch index
            createIndex(client, "warmup", "products-embed");
            bulk(client, "warmup", products.subList(0, 1000));

            throughPipeline = bulk(client, "with-processor", products);
            withoutProcessor = bulk(client, "without-processor", products);
            double scaled = Double.NaN;
            if (SCALE > 0) {
                List<Map<String, Object>> derived = new ArrayList<>(SCALE);
                for (int i = 0; i < SCALE; i++) {
                    Map<String, Object> p = new java.util.LinkedHashMap<>(products.get(i % products.size()));
                    int variant = i / products.size();
                    p.put("id", p.get("id") + "-v" + variant);
                    p.put(
                            "title",
                            p.get("title") + " " + ScaleBenchmark.COLOURS[variant % ScaleBenchmark.COLOURS.length] + " "
                                    + ScaleBenchmark.SIZES_WORDS[
                                            (variant / ScaleBenchmark.COLOURS.length)
                                                    % ScaleBenchmark.SIZES_WORDS.length]
                                    + " edition " + variant);
                    derived.add(p);
                }
                createIndex(client, "scaled", "products-embed");
                scaled = bulk(client, "scaled", derived);
                client.indices().refresh(r -> r.index("scaled"));
                assertEquals(
                        SCALE,
                        client.count(c -> c.index("scaled").query(q -> q.exists(e -> e.field("product_vector"))))
                                .count());
                scaledRow = String.format(
                        java.util.Locale.ROOT,
                        "%n%,d derived products through the same pipeline: %.0f docs/s, %.2f of the catalogue's %.0f "
                                + "docs/s in this run (target: within 10%%).%n",
                        SCALE,
                        scaled,
                        scaled / throughPipeline,
                        throughPipeline);
            }
            client.indices().refresh(r -> r.index("with-processor"));
            assertEquals(
                    n,
                    client.count(c -> c.index("with-processor").query(q -> q.exists(e -> e.field("product_vector"))))
                            .count());

            JsonNode stats = node.call("GET", "/_semantic_ranking/stats", null)
                    .get("nodes")
                    .elements()
                    .next()
                    .get("encoder")
                    .get("all-minilm-l6-v2-q");
            report.append(row("raw encoder, one text at a time (2 intra-op threads)", single, sorted));
            report.append(row("raw encoder, batches of 32 in arrival order", unsorted, sorted));
            report.append(row("raw encoder, length-sorted batches of 32", sorted, sorted));
            report.append(row(
                    "EncoderService in this JVM, node defaults, bulks of " + BULK_SIZE + " from " + BULK_CLIENTS
                            + " callers",
                    inProcess,
                    sorted));
            report.append(row("bulk through the semantic_embedding pipeline (node)", throughPipeline, sorted));
            report.append(row("same bulk without the processor (node)", withoutProcessor, sorted));
            report.append(String.format(
                    Locale.ROOT,
                    "%nnode encoder: %d texts in %d batches (mean batch %.1f), rejections %d; bulks of %d docs from %d clients%n",
                    stats.get("texts_encoded").asLong(),
                    stats.get("batches").asLong(),
                    stats.get("mean_batch_size").asDouble(),
                    stats.get("rejections").asLong(),
                    BULK_SIZE,
                    BULK_CLIENTS));
        }
        report.append(scaledRow);
        System.out.println(report);
        Path out = Path.of("target/benchmarks/ingest.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    }

    private static String row(String name, double docsPerSecond, double reference) {
        return String.format(Locale.ROOT, "| %s | %.0f | %.2f |%n", name, docsPerSecond, docsPerSecond / reference);
    }

    /**
     * The node's encoding path without the node: an {@link EncoderService} with the default settings,
     * fed "bulks" by concurrent callers that each wait for their bulk, as bulk clients do.
     */
    static double inProcessBatcher(List<String> texts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        ExecutorService callers = Executors.newFixedThreadPool(BULK_CLIENTS);
        org.semanticranking.encoder.ModelRegistry registry = org.semanticranking.encoder.ModelRegistry.load(
                null,
                "all-minilm-l6-v2-q",
                EncoderDevice.CPU,
                org.semanticranking.encoder.EncoderSettings.INTRA_OP_THREADS.getDefault(
                        org.elasticsearch.common.settings.Settings.EMPTY));
        org.elasticsearch.common.settings.Settings defaults = org.elasticsearch.common.settings.Settings.EMPTY;
        try (org.semanticranking.encoder.EncoderService service = new org.semanticranking.encoder.EncoderService(
                registry,
                pool,
                (task, delay) -> timer.schedule(task, delay.nanos(), java.util.concurrent.TimeUnit.NANOSECONDS),
                org.semanticranking.encoder.EncoderSettings.BATCH_SIZE.get(defaults),
                org.semanticranking.encoder.EncoderSettings.SORT_WINDOW.get(defaults),
                org.semanticranking.encoder.EncoderSettings.MAX_WAIT.get(defaults),
                org.semanticranking.encoder.EncoderSettings.QUERY_MAX_WAIT.get(defaults),
                0)) {
            long start = System.nanoTime();
            List<Future<?>> bulks = new ArrayList<>();
            for (int from = 0; from < texts.size(); from += BULK_SIZE) {
                List<String> bulk = texts.subList(from, Math.min(texts.size(), from + BULK_SIZE));
                bulks.add(callers.submit(() -> {
                    List<org.elasticsearch.action.support.PlainActionFuture<float[]>> futures = new ArrayList<>();
                    for (String t : bulk) {
                        var f = new org.elasticsearch.action.support.PlainActionFuture<float[]>();
                        service.encode(null, t, false, 256, f);
                        futures.add(f);
                    }
                    for (var f : futures) {
                        f.actionGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : bulks) {
                f.get();
            }
            return texts.size() / seconds(start);
        } finally {
            pool.shutdown();
            timer.shutdown();
            callers.shutdown();
        }
    }

    static OnnxTextEncoder loadRawEncoder(int intraOpThreads) throws Exception {
        ModelSource source = new ModelSource.Bundled("all-minilm-l6-v2-q");
        ModelManifest manifest;
        try (InputStream in = source.open(ModelSource.MANIFEST)) {
            manifest = ModelManifest.parse("all-minilm-l6-v2-q", in);
        }
        return OnnxTextEncoder.load(manifest, source, EncoderDevice.CPU, intraOpThreads);
    }

    /** Tokenize and embed each text alone, as a caller without batching would. */
    static double rawSingle(OnnxTextEncoder raw, List<String> texts) throws Exception {
        long start = System.nanoTime();
        for (String t : texts) {
            raw.embed(List.of(raw.tokenize(t, false, 256)));
        }
        return texts.size() / seconds(start);
    }

    /** Tokenize everything, optionally sort by token length, embed in batches of 32 padded to their longest. */
    static double rawBatches(OnnxTextEncoder raw, List<String> texts, boolean sort) throws Exception {
        long start = System.nanoTime();
        List<Tokenized> tokens = new ArrayList<>(texts.size());
        for (String t : texts) {
            tokens.add(raw.tokenize(t, false, 256));
        }
        if (sort) {
            tokens.sort(Comparator.comparingInt(Tokenized::length));
        }
        for (int from = 0; from < tokens.size(); from += 32) {
            raw.embed(tokens.subList(from, Math.min(tokens.size(), from + 32)));
        }
        return texts.size() / seconds(start);
    }

    static void createIndex(ElasticsearchClient client, String index, String pipeline) throws Exception {
        String common = "\"number_of_shards\":1,\"number_of_replicas\":0,\"refresh_interval\":\"" + REFRESH + "\"";
        String settings =
                pipeline == null ? "{" + common + "}" : "{" + common + ",\"default_pipeline\":\"" + pipeline + "\"}";
        client.indices()
                .create(c -> c.index(index)
                        .withJson(new StringReader(String.format(
                                Locale.ROOT,
                                """
            {"settings":%s,"mappings":{"properties":{
               "id":{"type":"keyword"},"title":{"type":"text"},"description":{"type":"text"},
               "brand":{"type":"keyword"},"colour":{"type":"keyword"},"product_type":{"type":"keyword"},"price":{"type":"float"},
               "product_vector":{"type":"dense_vector","dims":384,%s}}}}""",
                                settings,
                                VECTOR_INDEX ? "\"index\":true,\"similarity\":\"cosine\"" : "\"index\":false"))));
    }

    /** Bulk-indexes the products from {@link #BULK_CLIENTS} concurrent clients; returns docs/s. */
    static double bulk(ElasticsearchClient client, String index, List<Map<String, Object>> products) throws Exception {
        List<List<Map<String, Object>>> chunks = new ArrayList<>();
        for (int from = 0; from < products.size(); from += BULK_SIZE) {
            chunks.add(products.subList(from, Math.min(products.size(), from + BULK_SIZE)));
        }
        ExecutorService clients = Executors.newFixedThreadPool(BULK_CLIENTS);
        long start = System.nanoTime();
        try {
            List<Future<BulkResponse>> responses = new ArrayList<>();
            for (List<Map<String, Object>> chunk : chunks) {
                responses.add(clients.submit(() -> {
                    BulkRequest.Builder bulk = new BulkRequest.Builder().index(index);
                    for (Map<String, Object> p : chunk) {
                        bulk.operations(
                                op -> op.index(i -> i.id((String) p.get("id")).document(p)));
                    }
                    return client.bulk(bulk.build());
                }));
            }
            for (Future<BulkResponse> f : responses) {
                BulkResponse r = f.get();
                assertFalse(
                        r.errors(),
                        () -> "bulk errors: "
                                + r.items().stream()
                                        .filter(i -> i.error() != null)
                                        .findFirst());
            }
        } finally {
            clients.shutdown();
        }
        return products.size() / seconds(start);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
