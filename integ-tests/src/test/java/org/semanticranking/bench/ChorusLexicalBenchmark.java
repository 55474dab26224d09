package org.semanticranking.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.semanticranking.integ.ChorusCatalogue;
import org.semanticranking.integ.RealNode;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which lexical query the hybrid's lexical side should be: the 135 Chorus queries through {@code _evaluate} with
 * the usual shapes of a multi-field BM25 query over the same fields and the standard analyzer (no vectors, so it
 * runs in a minute). Run with {@code mvn -Pbench verify -Dit.test=ChorusLexicalBenchmark}; the table goes to stdout
 * and {@code target/benchmarks/chorus-lexical.md}.
 */
public class ChorusLexicalBenchmark {

    private static final String FIELDS = "[\"title\",\"name\",\"brand\",\"product_type\",\"description\"]";

    @Test
    void lexicalVariants() throws Exception {
        List<ChorusQueryBenchmark.Judged> queries = ChorusQueryBenchmark.loadQueries();
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("multi_match best_fields (Elasticsearch's default)", multiMatch(""));
        variants.put("multi_match best_fields, tie_breaker 0.3", multiMatch("\"tie_breaker\":0.3,"));
        variants.put("multi_match most_fields", multiMatch("\"type\":\"most_fields\","));
        variants.put("multi_match cross_fields", multiMatch("\"type\":\"cross_fields\","));
        variants.put(
                "multi_match cross_fields, operator and",
                multiMatch("\"type\":\"cross_fields\",\"operator\":\"and\","));
        variants.put("multi_match cross_fields, title^2", """
            {"query":{"multi_match":{"query":"{{query}}","type":"cross_fields","fields":["title^2","name","brand","product_type","description"]}}}""");
        variants.put("multi_match cross_fields, without description", """
            {"query":{"multi_match":{"query":"{{query}}","type":"cross_fields","fields":["title","name","brand","product_type"]}}}""");
        variants.put("multi_match best_fields, fuzziness AUTO", multiMatch("\"fuzziness\":\"AUTO\","));
        variants.put(
                "multi_match best_fields, minimum_should_match 75%", multiMatch("\"minimum_should_match\":\"75%\","));
        variants.put(
                "multi_match cross_fields, minimum_should_match 75%",
                multiMatch("\"type\":\"cross_fields\",\"minimum_should_match\":\"75%\","));
        variants.put("multi_match best_fields + title match_phrase (slop 2)", withTitlePhrase(multiMatch("")));
        variants.put(
                "multi_match cross_fields + title match_phrase (slop 2)",
                withTitlePhrase(multiMatch("\"type\":\"cross_fields\",")));
        variants.put(
                "combined_fields",
                "{\"query\":{\"combined_fields\":{\"query\":\"{{query}}\",\"fields\":" + FIELDS + "}}}");
        variants.put("match on title alone", "{\"query\":{\"match\":{\"title\":\"{{query}}\"}}}");
        StringBuilder report = new StringBuilder(
                "## Lexical variants (135 Chorus queries, standard analyzer, title/name/brand/product_type/description)\n\n");
        report.append("| lexical query | nDCG@10 | judged@10 |\n|---|---|---|\n");
        try (RealNode node = RealNode.installAndStart("bench-lexical", 9254)) {
            ElasticsearchClient client = node.client();
            client.indices().create(c -> c.index("chorus").withJson(new StringReader("""
                {"settings":{"number_of_shards":1,"number_of_replicas":0},
                 "mappings":{"properties":{
                   "id":{"type":"keyword"},"title":{"type":"text"},"name":{"type":"text"},
                   "brand":{"type":"text","fields":{"keyword":{"type":"keyword"}}},
                   "product_type":{"type":"text","fields":{"keyword":{"type":"keyword"}}},
                   "description":{"type":"text"},"colour":{"type":"keyword"},"price":{"type":"float"}}}}""")));
            List<Map<String, Object>> products = ChorusCatalogue.productsWithName(Integer.MAX_VALUE);
            IngestBenchmark.bulk(client, "chorus", products);
            client.indices().refresh(r -> r.index("chorus"));
            assertEquals(products.size(), client.count(c -> c.index("chorus")).count());
            for (Map.Entry<String, String> variant : variants.entrySet()) {
                JsonNode metrics = node.call(
                                "POST",
                                "/chorus/_semantic_ranking/_evaluate",
                                ChorusQueryBenchmark.evaluationBody(
                                        queries, variant.getValue(), ",\"metrics\":[\"ndcg@10\",\"judged@10\"]"))
                        .get("metrics");
                report.append(String.format(
                        Locale.ROOT,
                        "| %s | %.3f | %.2f |%n",
                        variant.getKey(),
                        metrics.get("ndcg@10").asDouble(),
                        metrics.get("judged@10").asDouble()));
            }
        }
        System.out.println(report);
        Path out = Path.of("target/benchmarks/chorus-lexical.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    }

    /** The query as a should clause beside a phrase match on the title. */
    private static String withTitlePhrase(String template) {
        String inner = template.substring("{\"query\":".length(), template.length() - 1);
        return "{\"query\":{\"bool\":{\"should\":[" + inner
                + ",{\"match_phrase\":{\"title\":{\"query\":\"{{query}}\",\"slop\":2}}}]}}}";
    }

    private static String multiMatch(String options) {
        return "{\"query\":{\"multi_match\":{\"query\":\"{{query}}\"," + options + "\"fields\":" + FIELDS + "}}}";
    }
}
