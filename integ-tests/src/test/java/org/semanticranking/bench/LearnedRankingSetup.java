package org.semanticranking.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import org.semanticranking.integ.ChorusCatalogue;
import org.semanticranking.integ.RealNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.semanticranking.bench.LearnedRankingBenchmark.Catalogue;
import static org.semanticranking.bench.LearnedRankingBenchmark.Query;
import static org.semanticranking.bench.LearnedRankingBenchmark.format;
import static org.semanticranking.bench.LearnedRankingBenchmark.map;

/** The catalogues of {@link LearnedRankingBenchmark}: their indices, queries and the rankers' feature families. */
final class LearnedRankingSetup {

    private LearnedRankingSetup() {}

    static final String CHORUS_FIELDS = "[\"title\",\"name\",\"brand\",\"product_type\",\"description\"]";

    static Map<String, Object> query(String name, Object query) {
        return map("name", name, "query", query);
    }

    static Map<String, Object> feature(String name, String kind, Object body) {
        return map("name", name, kind, body);
    }

    static Map<String, Object> match(String field) {
        return map("match", map(field, "{{query}}"));
    }

    /** What every ranker has: what the hybrid said of the hit. */
    static List<Map<String, Object>> firstPass() {
        return List.of(
                feature("fused", "first_pass", "score"),
                feature("lexical", "first_pass", "lexical_score"),
                feature("semantic", "first_pass", "semantic_score"),
                feature("lexical_rank", "first_pass", "lexical_rank"),
                feature("semantic_rank", "first_pass", "semantic_rank"));
    }

    static List<Map<String, Object>> queryLevel() {
        return List.of(
                feature("words", "query_level", map("measure", "terms")),
                feature("has_numbers", "query_level", map("measure", "has_numbers")),
                feature("lexical_top", "query_level", map("measure", "lexical_top_score")),
                feature("semantic_top", "query_level", map("measure", "semantic_top_score")));
    }

    static List<Map<String, Object>> terms(String field) {
        return List.of(
                feature(field + "_share", "terms", map("field", field, "measure", "share")),
                feature(field + "_all", "terms", map("field", field, "measure", "all")),
                feature(field + "_numbers", "terms", map("field", field, "measure", "numbers")));
    }

    /** Chorus: title + description by MiniLM (product_vector), the title alone (title_vector), and by bge (second_vector). */
    static Catalogue chorus(RealNode node) throws Exception {
        ChorusQueryBenchmark.indexCatalogue(node, true, LearnedRankingBenchmark.SECOND_MODEL);
        List<Query> queries = new ArrayList<>();
        for (ChorusQueryBenchmark.Judged j : ChorusQueryBenchmark.loadQueries()) {
            queries.add(new Query(j.id(), j.text(), LearnedRankingBenchmark.grades(j.grades())));
        }
        Map<String, String> shapes = new LinkedHashMap<>();
        shapes.put(
                "BM25 multi_match best_fields",
                "{\"multi_match\":{\"query\":\"{{query}}\",\"fields\":" + CHORUS_FIELDS + "}}");
        shapes.put(
                "BM25 multi_match cross_fields",
                "{\"multi_match\":{\"query\":\"{{query}}\",\"type\":\"cross_fields\",\"fields\":" + CHORUS_FIELDS
                        + "}}");
        shapes.put(
                "BM25 cross_fields + title phrase",
                "{\"bool\":{\"should\":[{\"multi_match\":{\"query\":\"{{query}}\",\"type\":\"cross_fields\",\"fields\":"
                        + CHORUS_FIELDS + "}},{\"match_phrase\":{\"title\":{\"query\":\"{{query}}\",\"slop\":2}}}]}}");
        Map<String, List<Map<String, Object>>> families = new LinkedHashMap<>();
        List<Map<String, Object>> old = new ArrayList<>();
        for (String field : List.of("title", "name", "description", "brand", "product_type")) {
            old.add(query(field + "_bm25", match(field)));
        }
        old.add(query(
                "cross_fields",
                map(
                        "multi_match",
                        map(
                                "query",
                                "{{query}}",
                                "type",
                                "cross_fields",
                                "fields",
                                List.of("title", "name", "brand", "product_type", "description")))));
        old.add(query("title_phrase", map("match_phrase", map("title", map("query", "{{query}}", "slop", 2)))));
        old.add(feature("minilm", "vector", map("field", "product_vector")));
        old.addAll(firstPass());
        families.put("old", old);
        families.put("second model", List.of(feature("bge", "vector", map("field", "second_vector"))));
        families.put("title vector", List.of(feature("title_minilm", "vector", map("field", "title_vector"))));
        List<Map<String, Object>> text = new ArrayList<>(terms("title"));
        text.add(feature("name_share", "terms", map("field", "name", "measure", "share")));
        text.add(feature("description_share", "terms", map("field", "description", "measure", "share")));
        text.add(feature("type_share", "terms", map("field", "product_type", "measure", "share")));
        text.addAll(queryLevel());
        families.put("text", text);
        families.put(
                "query intent",
                List.of(
                        feature("brand_named", "intent", map("field", "brand.keyword")),
                        feature("type_named", "intent", map("field", "product_type.keyword"))));
        return new Catalogue(
                "Chorus (" + queries.size() + " queries, 19,406 products)",
                "chorus",
                queries,
                shapes,
                shapes.get("BM25 multi_match cross_fields"),
                families,
                g -> (int) Math.round(g));
    }

    /** Home Depot: titles only, by MiniLM (product_vector) and by bge (second_vector). */
    static Catalogue homeDepot(RealNode node, Path dir) throws Exception {
        node.call("PUT", "/_ingest/pipeline/homedepot", format("""
            {"processors":[{"semantic_embedding":{"field":"title","target_field":"product_vector"}},
              {"semantic_embedding":{"field":"title","target_field":"second_vector","model":"%s"}}]}""", LearnedRankingBenchmark.SECOND_MODEL));
        ElasticsearchClient client = node.client();
        LearnedRankingBenchmark.createIndex(client, "homedepot", """
            {"settings":{"number_of_shards":1,"number_of_replicas":0,"refresh_interval":"-1","default_pipeline":"homedepot"},
             "mappings":{"properties":{"id":{"type":"keyword"},"title":{"type":"text"},
               "product_vector":{"type":"dense_vector","dims":384,"similarity":"cosine"},
               "second_vector":{"type":"dense_vector","dims":384,"similarity":"cosine"}}}}""");
        List<Map<String, Object>> products = new ArrayList<>();
        for (String line : LearnedRankingBenchmark.lines(dir.resolve("products.jsonl"))) {
            if (line.isBlank() == false) {
                @SuppressWarnings("unchecked")
                Map<String, Object> p = LearnedRankingBenchmark.JSON.readValue(line, Map.class);
                products.add(p);
            }
        }
        IngestBenchmark.bulk(client, "homedepot", products);
        node.call("PUT", "/homedepot/_settings", "{\"index\":{\"refresh_interval\":\"1s\"}}");
        client.indices().refresh(r -> r.index("homedepot"));
        client.indices().forcemerge(f -> f.index("homedepot").maxNumSegments(1L));
        assertEquals(products.size(), client.count(c -> c.index("homedepot")).count());
        Map<String, Query> byId = new LinkedHashMap<>();
        List<String> queryLines = LearnedRankingBenchmark.lines(dir.resolve("queries.tsv"));
        for (String line : queryLines.subList(1, queryLines.size())) {
            if (line.isBlank() == false) {
                String[] f = line.split("\t");
                byId.put(f[0], new Query(f[0], f[1], new HashMap<>()));
            }
        }
        List<String> qrels = LearnedRankingBenchmark.lines(dir.resolve("qrels.tsv"));
        for (String line : qrels.subList(1, qrels.size())) {
            if (line.isBlank() == false) {
                String[] f = line.split("\t");
                // 1.0 is irrelevant, 3.0 exactly relevant, in thirds: 0 to 2 here, gain 2^grade - 1
                byId.get(f[0]).grades().put(f[2], Double.parseDouble(f[3]) - 1);
            }
        }
        Map<String, String> shapes = new LinkedHashMap<>();
        shapes.put("BM25 match title", "{\"match\":{\"title\":\"{{query}}\"}}");
        shapes.put(
                "BM25 match title, fuzziness AUTO",
                "{\"match\":{\"title\":{\"query\":\"{{query}}\",\"fuzziness\":\"AUTO\"}}}");
        Map<String, List<Map<String, Object>>> families = new LinkedHashMap<>();
        List<Map<String, Object>> old = new ArrayList<>();
        old.add(query("title_bm25", match("title")));
        old.add(query("title_fuzzy", map("match", map("title", map("query", "{{query}}", "fuzziness", "AUTO")))));
        old.add(query("title_and", map("match", map("title", map("query", "{{query}}", "operator", "and")))));
        old.add(query("title_phrase", map("match_phrase", map("title", map("query", "{{query}}", "slop", 2)))));
        old.add(feature("minilm", "vector", map("field", "product_vector")));
        old.addAll(firstPass());
        families.put("old", old);
        families.put("second model", List.of(feature("bge", "vector", map("field", "second_vector"))));
        List<Map<String, Object>> text = new ArrayList<>(terms("title"));
        text.add(feature("title_count", "terms", map("field", "title", "measure", "count")));
        text.addAll(queryLevel());
        families.put("text", text);
        return new Catalogue(
                "Home Depot dev (" + byId.size() + " queries, " + products.size() + " products)",
                "homedepot",
                new ArrayList<>(byId.values()),
                shapes,
                shapes.get("BM25 match title, fuzziness AUTO"),
                families,
                // thirds to integers for training (0 to 6); the metrics here keep the thirds
                g -> (int) Math.round(3 * g));
    }

    /** Bulk throughput of a pipeline with two embedding models against one, on the same 5,000 Chorus products. */
    static String ingestTwoModelsAgainstOne(RealNode node) throws Exception {
        List<Map<String, Object>> products = ChorusCatalogue.products(5000);
        ElasticsearchClient client = node.client();
        node.call("PUT", "/_ingest/pipeline/one-model", """
            {"processors":[{"semantic_embedding":{"fields":["title","description"],"target_field":"product_vector"}}]}""");
        node.call("PUT", "/_ingest/pipeline/two-models", format("""
            {"processors":[{"semantic_embedding":{"fields":["title","description"],"target_field":"product_vector"}},
              {"semantic_embedding":{"fields":["title","description"],"target_field":"second_vector","model":"%s"}}]}""", LearnedRankingBenchmark.SECOND_MODEL));
        String mapping = """
            {"settings":{"number_of_shards":1,"number_of_replicas":0,"refresh_interval":"-1","default_pipeline":"%s"},
             "mappings":{"properties":{"title":{"type":"text"},"description":{"type":"text"},
               "product_vector":{"type":"dense_vector","dims":384,"similarity":"cosine"},
               "second_vector":{"type":"dense_vector","dims":384,"similarity":"cosine"}}}}""";
        LearnedRankingBenchmark.createIndex(client, "warm", format(mapping, "two-models"));
        IngestBenchmark.bulk(client, "warm", products.subList(0, 500));
        LearnedRankingBenchmark.createIndex(client, "ingest-one", format(mapping, "one-model"));
        LearnedRankingBenchmark.createIndex(client, "ingest-two", format(mapping, "two-models"));
        double one = IngestBenchmark.bulk(client, "ingest-one", products);
        double two = IngestBenchmark.bulk(client, "ingest-two", products);
        for (String index : List.of("warm", "ingest-one", "ingest-two")) {
            node.call("DELETE", "/" + index, null);
        }
        return format(
                "Ingest of %d Chorus products (title + description), bulks through the pipeline: one model (MiniLM int8) "
                        + "%.0f docs/s, two models (MiniLM + bge-small-en int8) %.0f docs/s: %.2fx the time.%n%n",
                products.size(), one, two, one / two);
    }
}
