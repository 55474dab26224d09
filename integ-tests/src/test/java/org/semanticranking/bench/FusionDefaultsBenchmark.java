package org.semanticranking.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.semanticranking.integ.RealNode;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The evidence for {@code semantic_hybrid}'s default combination: linear over {@code min_max} against {@code rrf}
 * (rank constant 60), both over the same two sides (window 100), for several lexical sides, on every catalogue at
 * hand, with a paired test per pair. On Chorus (in the repository) always; on the Home Depot development half when
 * {@code -Dbench.homedepot.dir} names its folder (its licence keeps it out of the repository; its rows are skipped
 * otherwise).
 *
 * <p>nDCG@10 with gain 2^grade - 1 (Home Depot's grades 1-3, where 1 is irrelevant, are read as 0-2); the headline
 * mean is over the queries with a relevant judgment, the mean over all queries beside it, and judged@10. Nothing is
 * trained or tuned here: both combinations are fixed, so no folds. The paired test is a two-sided randomization test
 * (10,000 sign flips of the per-query differences, seeded) over the headline queries.
 *
 * <p>Run with {@code mvn -Pbench verify -Dit.test=FusionDefaultsBenchmark [-Dbench.homedepot.dir=...]}; the table
 * goes to stdout and {@code target/benchmarks/fusion-defaults.md}.
 */
public class FusionDefaultsBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FLIPS = 10_000;

    /** A judged query: its text and its grades (any scale; gain 2^grade - 1). */
    record Query(String id, String text, Map<String, Double> grades) {}

    /** One catalogue: an index, its queries, and the lexical sides to try (name to a query body with {{text}}). */
    record Catalogue(String name, String index, List<Query> queries, Map<String, String> lexicalSides) {}

    @Test
    void linearMinMaxAgainstRrf() throws Exception {
        StringBuilder report =
                new StringBuilder("## semantic_hybrid: linear min_max 1:1 against rrf (k 60), window 100\n\n");
        try (RealNode node = RealNode.installAndStart("bench-fusion", 9262)) {
            List<Catalogue> catalogues = new ArrayList<>();
            ChorusQueryBenchmark.indexCatalogue(node, false);
            Map<String, String> chorusSides = new LinkedHashMap<>();
            String fields = "[\"title\",\"name\",\"brand\",\"product_type\",\"description\"]";
            chorusSides.put(
                    "multi_match best_fields", "{\"multi_match\":{\"query\":{{text}},\"fields\":" + fields + "}}");
            chorusSides.put(
                    "multi_match cross_fields",
                    "{\"multi_match\":{\"query\":{{text}},\"type\":\"cross_fields\",\"fields\":" + fields + "}}");
            chorusSides.put(
                    "cross_fields + title phrase",
                    "{\"bool\":{\"should\":[{\"multi_match\":{\"query\":{{text}},\"type\":\"cross_fields\",\"fields\":"
                            + fields + "}},{\"match_phrase\":{\"title\":{\"query\":{{text}},\"slop\":2}}}]}}");
            catalogues.add(
                    new Catalogue("Chorus (135 queries, 19,406 products)", "chorus", chorusQueries(), chorusSides));
            String homeDepot = System.getProperty("bench.homedepot.dir", "");
            if (homeDepot.isEmpty() == false) {
                catalogues.add(indexHomeDepot(node, Path.of(homeDepot)));
            } else {
                report.append("(Home Depot rows skipped: no -Dbench.homedepot.dir)\n\n");
            }
            report.append(
                    "| catalogue | lexical side | lexical alone | linear min_max | rrf | linear - rrf | p | linear wins / losses |\n");
            report.append("|---|---|---|---|---|---|---|---|\n");
            for (Catalogue c : catalogues) {
                double[] semantic = perQuery(node, c, q -> semantic(q.text()));
                report.append("| ")
                        .append(c.name())
                        .append(" | (none: kNN alone) | ")
                        .append(means(c, semantic))
                        .append(" | | | | | |\n");
                for (Map.Entry<String, String> side : c.lexicalSides().entrySet()) {
                    double[] lexical = perQuery(node, c, q -> lexical(side.getValue(), q.text()));
                    double[] linear = perQuery(
                            node,
                            c,
                            q -> hybrid(
                                    side.getValue(),
                                    q.text(),
                                    "\"combination\":\"linear\",\"normalization\":\"min_max\""));
                    double[] rrf = perQuery(
                            node,
                            c,
                            q -> hybrid(side.getValue(), q.text(), "\"combination\":\"rrf\",\"rank_constant\":60"));
                    report.append(row(c, side.getKey(), lexical, linear, rrf));
                }
            }
        }
        report.append("""

            Each cell: nDCG@10 over the queries with a relevant judgment / over all queries, then judged@10. p: two-sided
            randomization test of the per-query differences (linear - rrf) over the queries with a relevant judgment.
            """);
        System.out.println(report);
        Path out = Path.of("target/benchmarks/fusion-defaults.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    }

    private static List<Query> chorusQueries() throws Exception {
        List<Query> queries = new ArrayList<>();
        for (ChorusQueryBenchmark.Judged j : ChorusQueryBenchmark.loadQueries()) {
            Map<String, Double> grades = new HashMap<>();
            j.grades().forEach((id, g) -> grades.put(id, g.doubleValue()));
            queries.add(new Query(j.id(), j.text(), grades));
        }
        return queries;
    }

    /** The Home Depot titles through the plugin's pipeline (title into product_vector), and its queries. */
    private static Catalogue indexHomeDepot(RealNode node, Path dir) throws Exception {
        node.call("PUT", "/_ingest/pipeline/homedepot", """
            {"processors":[{"semantic_embedding":{"field":"title","target_field":"product_vector"}}]}""");
        ElasticsearchClient client = node.client();
        client.indices().create(c -> c.index("homedepot").withJson(new StringReader("""
            {"settings":{"number_of_shards":1,"number_of_replicas":0,"refresh_interval":"-1","default_pipeline":"homedepot"},
             "mappings":{"properties":{"id":{"type":"keyword"},"title":{"type":"text"},
               "product_vector":{"type":"dense_vector","dims":384,"similarity":"cosine"}}}}""")));
        List<Map<String, Object>> products = new ArrayList<>();
        for (String line : lines(dir.resolve("products.jsonl"))) {
            if (line.isBlank() == false) {
                @SuppressWarnings("unchecked")
                Map<String, Object> p = JSON.readValue(line, Map.class);
                products.add(p);
            }
        }
        IngestBenchmark.bulk(client, "homedepot", products);
        node.call("PUT", "/homedepot/_settings", "{\"index\":{\"refresh_interval\":\"1s\"}}");
        client.indices().refresh(r -> r.index("homedepot"));
        client.indices().forcemerge(f -> f.index("homedepot").maxNumSegments(1L));
        assertEquals(products.size(), client.count(c -> c.index("homedepot")).count());
        Map<String, Query> byId = new LinkedHashMap<>();
        List<String> queryLines = lines(dir.resolve("queries.tsv"));
        for (String line : queryLines.subList(1, queryLines.size())) {
            String[] f = line.split("\t");
            byId.put(f[0], new Query(f[0], f[1], new HashMap<>()));
        }
        List<String> qrels = lines(dir.resolve("qrels.tsv"));
        for (String line : qrels.subList(1, qrels.size())) {
            String[] f = line.split("\t");
            // 1.0 is irrelevant, 3.0 exactly relevant: gain 2^(grade - 1) - 1
            byId.get(f[0]).grades().put(f[2], Double.parseDouble(f[3]) - 1);
        }
        Map<String, String> sides = new LinkedHashMap<>();
        sides.put("match title", "{\"match\":{\"title\":{{text}}}}");
        sides.put("match title, fuzziness AUTO", "{\"match\":{\"title\":{\"query\":{{text}},\"fuzziness\":\"AUTO\"}}}");
        return new Catalogue(
                "Home Depot dev (" + byId.size() + " queries, " + products.size() + " products)",
                "homedepot",
                new ArrayList<>(byId.values()),
                sides);
    }

    /** Lines split on \n only (the Home Depot texts hold U+2028). */
    private static List<String> lines(Path file) throws Exception {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return List.of(reader.lines()
                    .collect(java.util.stream.Collectors.joining("\n"))
                    .split("\n", -1));
        }
    }

    private static String text(String text) throws Exception {
        return JSON.writeValueAsString(text);
    }

    private static String lexical(String side, String text) throws Exception {
        return "{\"size\":10,\"_source\":false,\"query\":" + side.replace("{{text}}", text(text)) + "}";
    }

    private static String semantic(String text) throws Exception {
        return String.format(Locale.ROOT, """
            {"size":10,"_source":false,"query":{"semantic_intent":{"query":%s,"field":"product_vector","k":100,"num_candidates":200}}}""", text(text));
    }

    private static String hybrid(String side, String text, String combination) throws Exception {
        return String.format(Locale.ROOT, """
            {"size":10,"_source":false,"retriever":{"semantic_hybrid":{
              "lexical":{"standard":{"query":%s}},
              "semantic":{"standard":{"query":{"semantic_intent":{"query":%s,"field":"product_vector","k":100,"num_candidates":200}}}},
              "rank_window_size":100,%s}}}""", side.replace("{{text}}", text(text)), text(text), combination);
    }

    /** Each query's nDCG@10 (by the order of {@code queries}), then each query's judged@10 (the second half). */
    private static double[] perQuery(RealNode node, Catalogue c, ThrowingFunction body) throws Exception {
        double[] out = new double[c.queries().size() * 2];
        for (int i = 0; i < c.queries().size(); i++) {
            Query q = c.queries().get(i);
            JsonNode response = node.call("POST", "/" + c.index() + "/_search", body.apply(q));
            List<String> ranking = ChorusQueryBenchmark.ids(response);
            out[i] = ndcgAt10(ranking, q.grades());
            long judged =
                    ranking.stream().limit(10).filter(q.grades()::containsKey).count();
            out[c.queries().size() + i] = ranking.isEmpty() ? 0 : (double) judged / Math.min(10, ranking.size());
        }
        return out;
    }

    interface ThrowingFunction {
        String apply(Query q) throws Exception;
    }

    static double ndcgAt10(List<String> ranking, Map<String, Double> grades) {
        double dcg = 0;
        for (int i = 0; i < Math.min(10, ranking.size()); i++) {
            dcg += (Math.pow(2, grades.getOrDefault(ranking.get(i), 0.0)) - 1) / (Math.log(i + 2) / Math.log(2));
        }
        List<Double> ideal =
                grades.values().stream().sorted((a, b) -> Double.compare(b, a)).toList();
        double idcg = 0;
        for (int i = 0; i < Math.min(10, ideal.size()); i++) {
            idcg += (Math.pow(2, ideal.get(i)) - 1) / (Math.log(i + 2) / Math.log(2));
        }
        return idcg > 0 ? dcg / idcg : 0;
    }

    private static boolean hasGain(Query q) {
        return q.grades().values().stream().anyMatch(g -> g > 0);
    }

    /** "relevant-only mean / all mean, judged@10" of one run. */
    private static String means(Catalogue c, double[] run) {
        int n = c.queries().size();
        double gainSum = 0, allSum = 0, judged = 0;
        int gain = 0;
        for (int i = 0; i < n; i++) {
            allSum += run[i];
            judged += run[n + i];
            if (hasGain(c.queries().get(i))) {
                gainSum += run[i];
                gain++;
            }
        }
        return String.format(Locale.ROOT, "%.3f / %.3f, %.2f", gainSum / gain, allSum / n, judged / n);
    }

    private static String row(Catalogue c, String side, double[] lexical, double[] linear, double[] rrf) {
        List<Double> diffs = new ArrayList<>();
        int wins = 0, losses = 0;
        for (int i = 0; i < c.queries().size(); i++) {
            if (hasGain(c.queries().get(i))) {
                double d = linear[i] - rrf[i];
                diffs.add(d);
                wins += d > 1e-12 ? 1 : 0;
                losses += d < -1e-12 ? 1 : 0;
            }
        }
        double mean = diffs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double p = randomizationP(diffs);
        // the smallest p 10,000 flips can give is 1 / 10,001
        String shownP = p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
        return String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %+.3f | %s | %d / %d |%n",
                c.name(),
                side,
                means(c, lexical),
                means(c, linear),
                means(c, rrf),
                mean,
                shownP,
                wins,
                losses);
    }

    /** Two-sided p of the mean of paired differences under random sign flips (seeded, so a rerun gives the same p). */
    static double randomizationP(List<Double> diffs) {
        double observed =
                Math.abs(diffs.stream().mapToDouble(Double::doubleValue).sum());
        Random random = new Random(42);
        int atLeast = 0;
        for (int f = 0; f < FLIPS; f++) {
            double sum = 0;
            for (double d : diffs) {
                sum += random.nextBoolean() ? d : -d;
            }
            atLeast += Math.abs(sum) >= observed - 1e-12 ? 1 : 0;
        }
        return (atLeast + 1.0) / (FLIPS + 1.0);
    }
}
