package org.semanticranking.ingest;

import org.elasticsearch.ElasticsearchParseException;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.ingest.IngestDocument;
import org.elasticsearch.ingest.TestIngestDocument;
import org.elasticsearch.test.ESTestCase;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.semanticranking.encoder.EncoderDevice;
import org.semanticranking.encoder.EncoderService;
import org.semanticranking.encoder.ModelRegistry;
import org.semanticranking.encoder.OnnxTextEncoder;
import org.semanticranking.testing.TestExecutors;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.semanticranking.encoder.TestModels.cosine;

public class SemanticEmbeddingProcessorTests extends ESTestCase {

    private static ExecutorService pool;
    private static ScheduledExecutorService timer;
    private static EncoderService service;
    private static SemanticEmbeddingProcessor.Factory factory;

    @BeforeClass
    public static void start() {
        pool = Executors.newFixedThreadPool(2);
        timer = Executors.newSingleThreadScheduledExecutor();
        ModelRegistry registry = ModelRegistry.load(null, "all-minilm-l6-v2-q", EncoderDevice.CPU, 1);
        service = new EncoderService(
                registry,
                pool,
                (task, delay) -> timer.schedule(task, delay.nanos(), TimeUnit.NANOSECONDS),
                32,
                256,
                TimeValue.timeValueMillis(1),
                TimeValue.ZERO,
                100);
        factory = new SemanticEmbeddingProcessor.Factory(() -> service);
    }

    @AfterClass
    public static void stop() throws InterruptedException {
        try {
            service.close();
            TestExecutors.shutdownNowAndAwait(pool, timer);
        } finally {
            // the framework fails a class whose static fields still hold large objects (here the model) after it
            service = null;
            factory = null;
            pool = null;
            timer = null;
        }
    }

    private static SemanticEmbeddingProcessor processor(Map<String, Object> config) {
        return (SemanticEmbeddingProcessor) factory.create(Map.of(), "tag", null, new HashMap<>(config), null);
    }

    /** Runs the processor; returns the document, or throws what the handler got. */
    private static IngestDocument run(SemanticEmbeddingProcessor processor, Map<String, Object> source)
            throws Exception {
        IngestDocument doc = TestIngestDocument.withDefaultVersion(new HashMap<>(source));
        CompletableFuture<IngestDocument> result = new CompletableFuture<>();
        processor.execute(doc, (d, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(d);
            }
        });
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static float[] vectorAt(IngestDocument doc, String field) {
        @SuppressWarnings("unchecked")
        List<Float> values = (List<Float>) doc.getFieldValue(field, List.class);
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return v;
    }

    public void testEmbedsOneFieldIntoTheTargetField() throws Exception {
        IngestDocument doc =
                run(processor(Map.of("field", "title", "target_field", "vec")), Map.of("title", "wireless headphones"));
        float[] v = vectorAt(doc, "vec");
        assertEquals(384, v.length);
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        assertEquals(1.0, Math.sqrt(norm), 1e-5);
    }

    public void testJoinsSeveralFieldsAndSkipsTheMissingOnes() throws Exception {
        SemanticEmbeddingProcessor p =
                processor(Map.of("fields", List.of("title", "description"), "target_field", "vec"));
        float[] both = vectorAt(run(p, Map.of("title", "Kettle", "description", "1.7 l, stainless steel")), "vec");
        OnnxTextEncoder encoder = service.registry().get(null);
        float[] expected = encoder.embed(List.of(encoder.tokenize("Kettle\n1.7 l, stainless steel", false, 256)))[0];
        assertTrue(cosine(expected, both) > 0.98);
        float[] titleOnly = vectorAt(run(p, Map.of("title", "Kettle")), "vec");
        assertEquals(384, titleOnly.length);
    }

    public void testAMissingFieldFailsTheDocumentNamingTheField() {
        Exception e = expectThrows(
                IllegalArgumentException.class, () -> run(processor(Map.of("field", "title")), Map.of("name", "x")));
        assertEquals("field [title] has text to embed (missing, null, empty or blank)", e.getMessage());
    }

    public void testEmptyAndBlankTextCountAsMissing() {
        SemanticEmbeddingProcessor p = processor(Map.of("field", "title"));
        expectThrows(IllegalArgumentException.class, () -> run(p, Map.of("title", "")));
        expectThrows(IllegalArgumentException.class, () -> run(p, Map.of("title", "  \t\n ")));
    }

    public void testIgnoreMissingLeavesTheDocumentAsItWas() throws Exception {
        SemanticEmbeddingProcessor p =
                processor(Map.of("field", "title", "target_field", "vec", "ignore_missing", true));
        IngestDocument doc = run(p, Map.of("name", "x"));
        assertFalse(doc.hasField("vec"));
        doc = run(p, Map.of("title", "   "));
        assertFalse(doc.hasField("vec"));
    }

    public void testANonStringValueFailsNamingTheFieldAndItsType() {
        Exception e = expectThrows(
                IllegalArgumentException.class, () -> run(processor(Map.of("field", "price")), Map.of("price", 12.5)));
        assertEquals("field [price] is of type [number] and cannot be embedded: expected a string", e.getMessage());
        e = expectThrows(
                IllegalArgumentException.class,
                () -> run(processor(Map.of("field", "tags")), Map.of("tags", List.of("a"))));
        assertTrue(e.getMessage(), e.getMessage().contains("[array]"));
    }

    public void testDefaultTargetFieldAndModel() {
        SemanticEmbeddingProcessor p = processor(Map.of("field", "title"));
        assertEquals("embedding", p.targetField());
        assertNull(p.model());
        assertEquals(256, p.maxTokens());
    }

    public void testConfigurationErrorsNameTheProblem() {
        ElasticsearchParseException e = expectThrows(
                ElasticsearchParseException.class, () -> processor(Map.of("field", "title", "model", "nope")));
        assertTrue(e.getMessage(), e.getMessage().contains("unknown model [nope]"));
        e = expectThrows(
                ElasticsearchParseException.class, () -> processor(Map.of("field", "a", "fields", List.of("b"))));
        assertTrue(e.getMessage(), e.getMessage().contains("exactly one of [field] and [fields]"));
        e = expectThrows(ElasticsearchParseException.class, () -> processor(Map.of()));
        assertTrue(e.getMessage(), e.getMessage().contains("exactly one of [field] and [fields]"));
        e = expectThrows(
                ElasticsearchParseException.class, () -> processor(Map.of("field", "a", "max_tokens", 100_000)));
        assertTrue(
                e.getMessage(), e.getMessage().contains("[max_tokens] must be between 2 and the model's limit [256]"));
        e = expectThrows(ElasticsearchParseException.class, () -> processor(Map.of("fields", List.of())));
        assertTrue(e.getMessage(), e.getMessage().contains("at least one field"));
        // a list that could only fail every document is refused when the pipeline is made
        e = expectThrows(ElasticsearchParseException.class, () -> processor(Map.of("fields", List.of(1, 2))));
        assertTrue(
                e.getMessage(),
                e.getMessage().contains("[fields] must be a list of field names (non-empty strings) but has [1]"));
        e = expectThrows(
                ElasticsearchParseException.class,
                () -> processor(Map.of("fields", java.util.Arrays.asList("title", null))));
        assertTrue(e.getMessage(), e.getMessage().contains("but has [null]"));
        e = expectThrows(ElasticsearchParseException.class, () -> processor(Map.of("fields", List.of("title", " "))));
        assertTrue(e.getMessage(), e.getMessage().contains("but has [ ]"));
    }

    public void testMaxTokensTruncates() throws Exception {
        SemanticEmbeddingProcessor p = processor(Map.of("field", "t", "target_field", "v", "max_tokens", 4));
        StringBuilder huge = new StringBuilder();
        while (huge.length() < 100 * 1024) {
            huge.append("大容量 battery 🔋 ");
        }
        float[] v = vectorAt(run(p, Map.of("t", huge.toString())), "v");
        assertEquals(384, v.length);
    }
}
