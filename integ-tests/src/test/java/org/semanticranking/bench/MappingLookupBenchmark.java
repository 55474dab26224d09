package org.semanticranking.bench;

import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.Index;
import org.elasticsearch.index.IndexVersion;
import org.junit.jupiter.api.Test;
import org.semanticranking.mapping.VectorFieldMappings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the coordinating node's check of a query's vector field ({@link VectorFieldMappings#dimsByIndex}, run on every
 * {@code semantic_intent} search and every {@code personalized_blend} rescore) costs per search, against what it cost
 * when it parsed the index mapping each time ({@code MappingMetadata.sourceAsMap()}: inflate and parse the whole
 * mapping), for a small mapping (Chorus' 12 fields) and a catalogue-sized one (1,000 fields). In-process, one thread;
 * {@code mvn -Pbench verify -Dit.test=MappingLookupBenchmark}; the table goes to stdout and
 * {@code target/benchmarks/mapping-lookup.md}.
 */
public class MappingLookupBenchmark {

    static {
        // outside Elasticsearch's test framework its logging must be set up before index metadata classes load
        LogConfigurator.configureESLogging();
    }

    private static final int ROUNDS = 5;
    private static final long CALLS_PER_ROUND = 5_000;

    static IndexMetadata index(String name, int extraFields) {
        StringBuilder properties = new StringBuilder(
                "\"product_vector\":{\"type\":\"dense_vector\",\"dims\":384,\"similarity\":\"cosine\"}");
        for (int i = 0; i < extraFields; i++) {
            properties
                    .append(",\"attribute_")
                    .append(i)
                    .append("\":{\"type\":\"")
                    .append(i % 3 == 0 ? "keyword" : "text")
                    .append("\",\"fields\":{\"raw\":{\"type\":\"keyword\",\"ignore_above\":256}}}");
        }
        return IndexMetadata.builder(name)
                .settings(Settings.builder().put(IndexMetadata.SETTING_VERSION_CREATED, IndexVersion.current()))
                .numberOfShards(1)
                .numberOfReplicas(0)
                .putMapping("{\"properties\":{" + properties + "}}")
                .build();
    }

    /** Mean nanoseconds per call of the best of {@link #ROUNDS} rounds (after one warm-up round). */
    static double nanosPerCall(Runnable call) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round <= ROUNDS; round++) {
            long start = System.nanoTime();
            for (long i = 0; i < CALLS_PER_ROUND; i++) {
                call.run();
            }
            double perCall = (System.nanoTime() - start) / (double) CALLS_PER_ROUND;
            if (round > 0) {
                best = Math.min(best, perCall);
            }
        }
        return best;
    }

    @Test
    void cachedLookupAgainstParsingTheMapping() throws Exception {
        StringBuilder report = new StringBuilder(
                "## Vector field check per search: parsing the mapping vs the cached lookup (ns per call, best of "
                        + ROUNDS + " rounds of " + CALLS_PER_ROUND
                        + ")\n\n| mapping | parse the mapping (before) | cached lookup (now) | ratio |\n|---|---|---|---|\n");
        for (int fields : new int[] {12, 1000}) {
            IndexMetadata metadata = index("catalogue-" + fields, fields - 1);
            Map<Index, IndexMetadata> indices = Map.of(metadata.getIndex(), metadata);
            assertEquals(
                    Map.of(metadata.getIndex().getName(), 384),
                    VectorFieldMappings.dimsByIndex("bench", "product_vector", indices));
            double parse = nanosPerCall(() -> metadata.mapping().sourceAsMap());
            double cached = nanosPerCall(() -> VectorFieldMappings.dimsByIndex("bench", "product_vector", indices));
            report.append(String.format(
                    Locale.ROOT, "| %,d fields | %,.0f | %,.0f | %.0fx |%n", fields, parse, cached, parse / cached));
        }
        System.out.println(report);
        Path out = Path.of("target/benchmarks/mapping-lookup.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    }
}
