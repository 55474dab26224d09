package org.semanticranking.integ;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The Chorus/Icecat products, queries and judgments: the repository's own gzip-compressed copy in
 * {@code data/chorus-icecat/} (its README says where they come from and their licence).
 */
public final class ChorusCatalogue {

    private ChorusCatalogue() {}

    /**
     * The pipeline {@code embed} (title + description into {@code product_vector}) and a one-shard index that uses it by
     * default, with brand and price, as the load run, the security test and the query-lane benchmark ingest into.
     */
    public static void createEmbeddingIndex(RealNode node, String index) throws Exception {
        node.call("PUT", "/_ingest/pipeline/embed", """
            {"processors":[{"semantic_embedding":{"fields":["title","description"],"target_field":"product_vector"}}]}""");
        node.call("PUT", "/" + index, """
            {"settings":{"number_of_shards":1,"number_of_replicas":0,"default_pipeline":"embed"},
             "mappings":{"properties":{"title":{"type":"text"},"description":{"type":"text"},"brand":{"type":"keyword"},
               "price":{"type":"float"},"product_vector":{"type":"dense_vector","dims":384,"similarity":"cosine"}}}}""");
    }

    public static Path dir() {
        return Path.of(RealNode.property("integ.chorus.dir"));
    }

    /** The lines of one of the data set's files ({@code queries.tsv}, {@code qrels.tsv}, {@code products.jsonl}), header included. */
    public static List<String> lines(String file) throws IOException {
        try (BufferedReader reader = reader(file)) {
            return reader.lines().toList();
        }
    }

    private static BufferedReader reader(String file) throws IOException {
        InputStream in = new GZIPInputStream(Files.newInputStream(dir().resolve(file + ".gz")), 1 << 16);
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The first {@code limit} products, each with the fields the tests index. */
    public static List<Map<String, Object>> products(int limit) throws IOException {
        return products(limit, List.of("id", "title", "description", "brand", "price", "colour", "product_type"));
    }

    /** The same with the product {@code name} too (the relevance report searches it). */
    public static List<Map<String, Object>> productsWithName(int limit) throws IOException {
        return products(
                limit, List.of("id", "title", "name", "description", "brand", "price", "colour", "product_type"));
    }

    private static List<Map<String, Object>> products(int limit, List<String> fields) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Map<String, Object>> products = new ArrayList<>();
        try (BufferedReader reader = reader("products.jsonl")) {
            String line;
            while ((line = reader.readLine()) != null && products.size() < limit) {
                @SuppressWarnings("unchecked")
                Map<String, Object> row = json.readValue(line, Map.class);
                Map<String, Object> doc = new LinkedHashMap<>();
                for (String field : fields) {
                    if (row.get(field) != null) {
                        doc.put(field, row.get(field));
                    }
                }
                products.add(doc);
            }
        }
        return products;
    }
}
