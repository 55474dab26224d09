package org.semanticranking.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.semanticranking.evaluation.Folds;
import org.semanticranking.integ.RealNode;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Learned ranking against the strongest plain-Elasticsearch rows that can be built on the same index, on Chorus (in the
 * repository) and on the Home Depot development half ({@code -Dbench.homedepot.dir}, skipped without it).
 *
 * <p>Five fixed folds by query ({@link Folds#assign} with seed 0, the same folds as the plugin's own cross-validation),
 * the same folds for every row. Everything trained or tuned is trained on four folds and scored on the fifth, for each
 * fold: the client-side linear fusion's weight and the hybrid's {@code _tune}d weights are chosen on the training folds;
 * each ranker is trained by {@code _train} on the training folds' requests only, then served by {@code learned_rank}
 * on the held-out fold's queries through {@code _search}, as a shop would serve it. The "chosen" ranker is the plugin's
 * choice among models by its own cross-validation inside the training folds. Metrics are computed here from the
 * returned rankings with the catalogue's own grades: nDCG@10 (gain 2^grade - 1) over the queries with a relevant
 * judgment (the headline) and over all queries, MRR@10 (first hit with grade >= 1), judged@10. The paired test is a
 * two-sided randomization test (10,000 sign flips, seeded) of the best ranker against the best other row, over the
 * headline queries.
 *
 * <p>Also measured: the latency a ranker adds to the first stage (p50 over the Chorus queries, same run), each
 * training's time, and ingest with two embedding models against one.
 *
 * <p>{@code mvn -Pbench verify -Dit.test=LearnedRankingBenchmark [-Dbench.homedepot.dir=...]
 * [-Dbench.ltr.only_chorus=true | -Dbench.ltr.only_homedepot=true]}; the report goes to stdout and {@code target/benchmarks/learned-ranking.md}.
 */
public class LearnedRankingBenchmark {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int FOLDS = 5;
    static final int SEED = 0;
    static final int WINDOW = 100;
    static final String SECOND_MODEL = "bge-small-en-v1.5-q";
    static final String HEAP = System.getProperty("bench.ltr.heap", "6g");

    record Query(String id, String text, Map<String, Double> grades) {
        boolean hasGain() {
            return grades.values().stream().anyMatch(g -> g > 0);
        }
    }

    /**
     * One catalogue: its index and queries, the lexical shapes to try (query bodies with {{query}}), the hybrid's
     * lexical side, the ranker's feature families (in ablation order), and the integer grade a rating trains with.
     */
    record Catalogue(
            String name,
            String index,
            List<Query> queries,
            Map<String, String> lexicalShapes,
            String hybridLexical,
            Map<String, List<Map<String, Object>>> families,
            DoubleFunction<Integer> trainingGrade) {}

    /** Per query (in the catalogue's order): nDCG@10, MRR@10, judged@10. */
    record Run(String name, double[] ndcg, double[] mrr, double[] judged) {}

    @Test
    void learnedRankersAgainstFusion() throws Exception {
        StringBuilder report = new StringBuilder("## Learned ranking\n\n");
        try (RealNode node = RealNode.install("bench-ltr", 9266)) {
            Files.writeString(
                    node.home().resolve("config/jvm.options.d/heap.options"),
                    "-Xms" + HEAP + "\n-Xmx" + HEAP + "\n",
                    StandardCharsets.UTF_8);
            RealNode.run(List.of(
                    "bash",
                    RealNode.property("integ.models.dir") + "/fetch-model.sh",
                    SECOND_MODEL,
                    node.home().toString()));
            node.configToNodeUser();
            node.start();
            boolean onlyHomeDepot = Boolean.getBoolean("bench.ltr.only_homedepot");
            List<Catalogue> catalogues = new ArrayList<>();
            if (onlyHomeDepot == false) {
                report.append(LearnedRankingSetup.ingestTwoModelsAgainstOne(node));
                catalogues.add(LearnedRankingSetup.chorus(node));
            }
            String homeDepot = System.getProperty("bench.homedepot.dir", "");
            if (homeDepot.isEmpty() == false && Boolean.getBoolean("bench.ltr.only_chorus") == false) {
                catalogues.add(LearnedRankingSetup.homeDepot(node, Path.of(homeDepot)));
            } else {
                report.append("(Home Depot rows skipped: no -Dbench.homedepot.dir)\n\n");
            }
            for (Catalogue c : catalogues) {
                report.append(new LearnedRankingRows(node, c).run());
                if (c.index().equals("chorus")) {
                    report.append(LearnedRankingRows.latency(node, c));
                }
                Path partial = Path.of("target/benchmarks/learned-ranking.md");
                Files.createDirectories(partial.getParent());
                Files.writeString(partial, report.toString(), StandardCharsets.UTF_8);
            }
        }
        System.out.println(report);
        Path out = Path.of("target/benchmarks/learned-ranking.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    }

    // ---- shared helpers -------------------------------------------------------------------------------------------

    static String json(Object value) throws Exception {
        return JSON.writeValueAsString(value);
    }

    /** A body with {{query}} filled by the text (as a JSON string value). */
    static String fill(String template, String text) throws Exception {
        String quoted = json(text);
        return template.replace("\"{{query}}\"", quoted).replace("{{query}}", quoted.substring(1, quoted.length() - 1));
    }

    static List<String> ids(JsonNode response) {
        List<String> ids = new ArrayList<>();
        response.get("hits").get("hits").forEach(h -> ids.add(h.get("_id").asText()));
        return ids;
    }

    static double ndcgAt10(List<String> ranking, Map<String, Double> grades) {
        return FusionDefaultsBenchmark.ndcgAt10(ranking, grades);
    }

    static double mrrAt10(List<String> ranking, Map<String, Double> grades) {
        for (int i = 0; i < Math.min(10, ranking.size()); i++) {
            if (grades.getOrDefault(ranking.get(i), 0.0) >= 1) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    static double judgedAt10(List<String> ranking, Map<String, Double> grades) {
        int n = Math.min(10, ranking.size());
        return n == 0
                ? 0
                : (double) ranking.stream()
                                .limit(10)
                                .filter(grades::containsKey)
                                .count()
                        / n;
    }

    /** The metrics of each query's ranking. */
    static Run run(String name, List<Query> queries, List<List<String>> rankings) {
        int n = queries.size();
        double[] ndcg = new double[n], mrr = new double[n], judged = new double[n];
        for (int i = 0; i < n; i++) {
            ndcg[i] = ndcgAt10(rankings.get(i), queries.get(i).grades());
            mrr[i] = mrrAt10(rankings.get(i), queries.get(i).grades());
            judged[i] = judgedAt10(rankings.get(i), queries.get(i).grades());
        }
        return new Run(name, ndcg, mrr, judged);
    }

    static double meanOverGain(List<Query> queries, double[] values, int[] foldOf, int onlyFold, boolean inFold) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < queries.size(); i++) {
            boolean in = foldOf == null || (foldOf[i] == onlyFold) == inFold;
            if (in && queries.get(i).hasGain()) {
                sum += values[i];
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(0);
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static List<String> lines(Path file) throws Exception {
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return List.of(reader.lines()
                    .collect(java.util.stream.Collectors.joining("\n"))
                    .split("\n", -1));
        }
    }

    static void createIndex(ElasticsearchClient client, String index, String body) throws Exception {
        client.indices().create(c -> c.index(index).withJson(new StringReader(body)));
    }

    static Map<String, Double> grades(Map<String, Integer> integer) {
        Map<String, Double> out = new HashMap<>();
        integer.forEach((k, v) -> out.put(k, v.doubleValue()));
        return out;
    }

    static void check(boolean condition, String what) {
        assertEquals(true, condition, what);
    }

    static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
