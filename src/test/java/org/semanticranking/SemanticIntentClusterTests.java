package org.semanticranking;

import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.rest.ObjectPath;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;

/**
 * The {@code semantic_intent} query and query vector builder on 3 nodes and 6 shards, over real HTTP:
 * retrieval, filters, names, one encode per request, the query cache, and bad input as 400s.
 */
@ESIntegTestCase.ClusterScope(
        scope = ESIntegTestCase.Scope.SUITE,
        numDataNodes = 3,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class SemanticIntentClusterTests extends SemanticRankingIntegTestCase {

    private static final java.util.concurrent.atomic.AtomicInteger REQUESTS =
            new java.util.concurrent.atomic.AtomicInteger();

    private static final String[][] PRODUCTS = {
        {"Philips electric kettle 1.7 l, stainless steel", "kitchen", "39"},
        {"Sony wireless noise cancelling headphones", "audio", "299"},
        {"Bluetooth sport earbuds for running, sweat resistant", "audio", "59"},
        {"HP LaserJet printer with duplex and wifi", "office", "189"},
        {"Logitech wireless mouse, silent clicks", "office", "25"},
        {"Three-seater fabric sofa, grey", "home", "899"},
        {"Espresso coffee machine with milk frother", "kitchen", "329"},
        {"USB-C charger 65 W for laptops and phones", "power", "45"},
        {"AA alkaline batteries, pack of 24", "power", "12"},
        {"27 inch 4K monitor with HDMI and DisplayPort", "office", "349"},
        {"Drip filter coffee maker with timer", "kitchen", "69"}
    };

    private static Path configWithChineseModel;

    /** Every node also gets bge-small-zh-v1.5 (512 dims) in its config directory, as a user installs a model. */
    @Override
    protected Path nodeConfigPath(int nodeOrdinal) {
        synchronized (SemanticIntentClusterTests.class) {
            if (configWithChineseModel == null) {
                try {
                    Path config = createTempDir();
                    Path model = config.resolve("semantic-ranking/models/bge-small-zh-v1.5-q");
                    Files.createDirectories(model);
                    copyResource("/bge-small-zh-v1.5-q.onnx", model.resolve("model.onnx"));
                    copyResource("/bge-small-zh-v1.5-q-tokenizer.json", model.resolve("tokenizer.json"));
                    Files.copy(
                            Path.of("models/bge-small-zh-v1.5-q/manifest.properties"),
                            model.resolve("manifest.properties"));
                    configWithChineseModel = config;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return configWithChineseModel;
        }
    }

    private static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = SemanticIntentClusterTests.class.getResourceAsStream(resource)) {
            Files.copy(in, target);
        }
    }

    private void ensureProducts() throws Exception {
        // ESIntegTestCase wipes indices after each test: each test indexes the ten products
        call("PUT", "/_ingest/pipeline/embed", """
            {"processors":[{"semantic_embedding":{"field":"title","target_field":"vec"}}]}""");
        call("PUT", "/products", """
            {"settings":{"number_of_shards":6,"number_of_replicas":0,"default_pipeline":"embed"},
             "mappings":{"properties":{"title":{"type":"text"},"category":{"type":"keyword"},"price":{"type":"float"},
               "vec":{"type":"dense_vector","dims":384,"similarity":"cosine"}}}}""");
        call("PUT", "/wide", """
            {"mappings":{"properties":{"title":{"type":"text"},"vec":{"type":"dense_vector","dims":512,"similarity":"cosine"}}}}""");
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < PRODUCTS.length; i++) {
            bulk.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n");
            bulk.append("{\"title\":\"")
                    .append(PRODUCTS[i][0])
                    .append("\",\"category\":\"")
                    .append(PRODUCTS[i][1])
                    .append("\",\"price\":")
                    .append(PRODUCTS[i][2])
                    .append("}\n");
        }
        // the same products in one shard too: BM25 statistics over ten documents in six shards are noise
        call("PUT", "/products_one", """
            {"settings":{"number_of_shards":1,"number_of_replicas":0,"default_pipeline":"embed"},
             "mappings":{"properties":{"title":{"type":"text"},"category":{"type":"keyword"},"price":{"type":"float"},
               "vec":{"type":"dense_vector","dims":384,"similarity":"cosine"}}}}""");
        Request request = new Request("POST", "/products/_bulk?refresh=true");
        request.setJsonEntity(bulk.toString());
        assertThat(
                ObjectPath.createFromResponse(getRestClient().performRequest(request))
                        .evaluate("errors"),
                equalTo(false));
        // products_one in two refreshes, so that its shard has several segments (segment-relative doc ids matter)
        String[] lines = bulk.toString().split("\n");
        int half = (PRODUCTS.length / 2) * 2;
        for (String part : List.of(
                String.join("\n", java.util.Arrays.copyOfRange(lines, 0, half)) + "\n",
                String.join("\n", java.util.Arrays.copyOfRange(lines, half, lines.length)) + "\n")) {
            Request one = new Request("POST", "/products_one/_bulk?refresh=true");
            one.setJsonEntity(part);
            assertThat(
                    ObjectPath.createFromResponse(getRestClient().performRequest(one))
                            .evaluate("errors"),
                    equalTo(false));
        }
    }

    private static String firstTitle(ObjectPath result) throws IOException {
        return result.evaluate("hits.hits.0._source.title");
    }

    public void testFindsProductsByMeaning() throws Exception {
        ensureProducts();
        ObjectPath result = call("POST", "/products/_search", """
            {"query":{"semantic_intent":{"query":"something to boil water for tea","field":"vec","k":3,"num_candidates":10}}}""");
        assertThat(firstTitle(result), containsString("kettle"));
        result = call("POST", "/products/_search", """
            {"query":{"semantic_intent":{"query":"listen to music while jogging","field":"vec","model":"default"}}}""");
        assertThat(firstTitle(result), containsString("running"));
    }

    public void testFilterBoostAndName() throws Exception {
        ensureProducts();
        ObjectPath result = call("POST", "/products/_search", """
            {"query":{"semantic_intent":{"query":"wireless","field":"vec","k":5,"num_candidates":20,
              "filter":{"term":{"category":"office"}},"boost":2.0,"_name":"semantic"}}}""");
        List<Map<String, Object>> hits = result.evaluate("hits.hits");
        assertThat(hits.size(), greaterThan(0));
        for (int i = 0; i < hits.size(); i++) {
            assertThat(result.evaluate("hits.hits." + i + "._source.category"), equalTo("office"));
            List<String> matched = result.evaluate("hits.hits." + i + ".matched_queries");
            assertThat(matched, hasItem("semantic"));
        }
        assertThat(firstTitle(result), containsString("mouse"));
    }

    public void testKnnSectionTakesTheQueryVectorBuilder() throws Exception {
        ensureProducts();
        ObjectPath result = call("POST", "/products/_search", """
            {"knn":{"field":"vec","k":3,"num_candidates":10,
              "query_vector_builder":{"semantic_intent":{"text":"make an espresso in the morning"}}}}""");
        assertThat(firstTitle(result), containsString("coffee"));
    }

    private static long totalEncoded() throws IOException {
        return sumOverNodes("encoder.all-minilm-l6-v2-q.texts_encoded");
    }

    private static long cacheHits() throws IOException {
        return sumOverNodes("query_cache.hits");
    }

    public void testOneEncodePerRequestOnSixShardsAndTheCacheAfterThat() throws Exception {
        ensureProducts();
        // a text no earlier request used, so that no node has it cached (random letters could change its meaning)
        String text = "a quiet place to sit with friends, request " + REQUESTS.incrementAndGet();
        // the same text twice in one request: one encode (ES deduplicates identical async actions)
        String body = String.format(Locale.ROOT, """
            {"query":{"bool":{"should":[
              {"semantic_intent":{"query":"%1$s","field":"vec","k":5,"num_candidates":20}},
              {"semantic_intent":{"query":"%1$s","field":"vec","k":5,"num_candidates":20,"_name":"again"}}]}}}""", text);
        long before = totalEncoded();
        long queryLatencies = sumOverNodes("encoder.all-minilm-l6-v2-q.latency_micros.queries.count");
        ObjectPath result = call("POST", "/products/_search", body);
        assertThat(result.evaluate("_shards.total"), equalTo(6));
        assertThat(result.evaluate("_shards.successful"), equalTo(6));
        assertThat(firstTitle(result), containsString("sofa"));
        assertThat("one encode for a request over 6 shards", totalEncoded() - before, equalTo(1L));
        assertThat(
                "the query lane's latency is recorded apart from documents'",
                sumOverNodes("encoder.all-minilm-l6-v2-q.latency_micros.queries.count") - queryLatencies,
                equalTo(1L));

        // the same text again (with other spacing): served by a node's cache, or encoded once on another node
        long hitsBefore = cacheHits();
        long encodedBefore = totalEncoded();
        for (int i = 0; i < 6; i++) {
            call("POST", "/products/_search", body.replace(text, "  " + text.replace(" ", "   ") + " "));
        }
        long encodes = totalEncoded() - encodedBefore;
        long hits = cacheHits() - hitsBefore;
        assertThat("at most one encode per node", encodes <= 3, equalTo(true));
        assertThat(encodes + hits, equalTo(6L));
    }

    private static ResponseException failing(String index, String body) {
        return expectThrows(ResponseException.class, () -> call("POST", "/" + index + "/_search", body));
    }

    private static void assertBadRequest(String index, String body, String reason) {
        ResponseException e = failing(index, body);
        assertThat(e.getMessage(), e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(e.getMessage(), containsString(reason));
    }

    public void testBadInputIsA400WithTheReason() throws Exception {
        ensureProducts();
        assertBadRequest("products", """
            {"query":{"semantic_intent":{"field":"vec"}}}""", "[semantic_intent] requires [query]");
        assertBadRequest("products", """
            {"query":{"semantic_intent":{"query":"   ","field":"vec"}}}""", "[semantic_intent] [query] must not be empty");
        assertBadRequest("products", """
            {"query":{"semantic_intent":{"query":"kettle"}}}""", "[semantic_intent] requires [field]");
        assertBadRequest("products", """
            {"query":{"semantic_intent":{"query":"kettle","field":"vec","k":-1}}}""", "[k] must be greater than 0");
        assertBadRequest("products", """
            {"query":{"semantic_intent":{"query":"kettle","field":"vec","k":50,"num_candidates":10}}}""", "[num_candidates] cannot be less than [k]");
        assertBadRequest("products", """
            {"query":{"semantic_intent":{"query":"kettle","field":"vec","filter":{"no_such_query":{}}}}}""", "no_such_query");
        assertBadRequest("products", """
            {"query":{"semantic_intent":{"query":"kettle","field":"vec","colour":"red"}}}""", "does not support [colour]");
        assertBadRequest("products", """
            {"query":{"semantic_intent":{"query":"kettle","field":"vec","model":"no-such-model"}}}""", "unknown model [no-such-model]");
        assertBadRequest(
                "products",
                """
            {"query":{"semantic_intent":{"query":"kettle","field":"no_such_field"}}}""",
                "[semantic_intent] field [no_such_field] does not exist in the mapping of index [products]");
        assertBadRequest(
                "products",
                """
            {"query":{"semantic_intent":{"query":"kettle","field":"title"}}}""",
                "[semantic_intent] field [title] in index [products] is of type [text]; it must be a [dense_vector]");
        assertBadRequest(
                "wide",
                """
            {"query":{"semantic_intent":{"query":"kettle","field":"vec"}}}""",
                "[semantic_intent] model [all-minilm-l6-v2-q] produces vectors of [384] dims but field [vec] in index [wide] has [512] dims");
    }

    private static String hybrid(String extra) {
        return String.format(Locale.ROOT, """
            {"retriever":{"semantic_hybrid":{
               "lexical":{"standard":{"query":{"match":{"title":"wireless headphones"}}}},
               "semantic":{"standard":{"query":{"semantic_intent":{"query":"wireless headphones","field":"vec","k":20,"num_candidates":20}}}}
               %s}},"size":20,"_source":["title","category"]}""", extra);
    }

    private static List<Object> fusedScores(ObjectPath result) throws IOException {
        List<Map<String, Object>> hits = result.evaluate("hits.hits");
        List<Object> scores = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            scores.add(result.evaluate("hits.hits." + i + "._id") + "="
                    + result.evaluate("hits.hits." + i + ".fields._semantic_hybrid.0.fused_score"));
        }
        return scores;
    }

    /**
     * Ties on purpose: a constant-score lexical side (every kettle scores 1) and a kNN side over vectors given by hand,
     * four documents per vector. Whatever the shard layout, every run returns the same hits in the same order, that
     * order is the breakdown's rank, and hits of equal fused score are ordered by their better side rank, then {@code _id}.
     */
    public void testFusedTiesHaveOneOrderOnEveryShardLayout() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add("p" + (char) ('a' + i));
        }
        java.util.Collections.shuffle(ids, random());
        StringBuilder bulk = new StringBuilder();
        String[] titles = {"red kettle", "blue kettle", "toaster"};
        String[] vectors = {"[1,0,0,0]", "[0.6,0.8,0,0]", "[0,0,1,0]"};
        for (int i = 0; i < ids.size(); i++) {
            bulk.append("{\"index\":{\"_id\":\"").append(ids.get(i)).append("\"}}\n");
            bulk.append("{\"title\":\"")
                    .append(titles[i / 4])
                    .append("\",\"vec\":")
                    .append(vectors[i / 4])
                    .append("}\n");
        }
        for (String index : List.of("ties_one", "ties_six")) {
            call(
                    "PUT",
                    "/" + index,
                    String.format(
                            Locale.ROOT,
                            """
                {"settings":{"number_of_shards":%s,"number_of_replicas":0},
                 "mappings":{"properties":{"title":{"type":"text"},
                   "vec":{"type":"dense_vector","dims":4,"similarity":"cosine","index_options":{"type":"hnsw"}}}}}""",
                            index.equals("ties_one")
                                    ? "1"
                                    : "6")); // a string: %d would print the random test locale's digits
            Request request = new Request("POST", "/" + index + "/_bulk?refresh=true");
            request.setJsonEntity(bulk.toString());
            assertThat(
                    ObjectPath.createFromResponse(getRestClient().performRequest(request))
                            .evaluate("errors"),
                    equalTo(false));
        }
        for (String combination : List.of("\"linear\"", "\"rrf\"")) {
            String body = String.format(Locale.ROOT, """
                {"size":12,"_source":false,"retriever":{"semantic_hybrid":{
                   "lexical":{"standard":{"query":{"constant_score":{"filter":{"match":{"title":"kettle"}}}}}},
                   "semantic":{"knn":{"field":"vec","query_vector":[1,0,0,0],"k":12,"num_candidates":12}},
                   "combination":%s,"score_breakdown":true}}}""", combination);
            List<String> first = null;
            for (String index : List.of("ties_one", "ties_six", "ties_six", "ties_one", "ties_six")) {
                ObjectPath result = call("POST", "/" + index + "/_search", body);
                List<Map<String, Object>> hits = result.evaluate("hits.hits");
                assertThat(hits.size(), equalTo(12));
                List<String> order = new ArrayList<>();
                for (int i = 0; i < hits.size(); i++) {
                    String at = "hits.hits." + i + ".fields._semantic_hybrid.0.";
                    order.add(result.evaluate("hits.hits." + i + "._id"));
                    assertThat(combination + " on " + index, result.evaluate(at + "rank"), equalTo(i + 1));
                    if (i > 0) {
                        String before = "hits.hits." + (i - 1) + ".fields._semantic_hybrid.0.";
                        double fused = ((Number) result.evaluate(at + "fused_score")).doubleValue();
                        double fusedBefore = ((Number) result.evaluate(before + "fused_score")).doubleValue();
                        assertThat(fused <= fusedBefore, equalTo(true));
                        if (fused == fusedBefore) {
                            int best = bestRank(result, at), bestBefore = bestRank(result, before);
                            assertThat(order + " at " + i, best >= bestBefore, equalTo(true));
                            if (best == bestBefore) {
                                assertThat(
                                        order + " at " + i,
                                        order.get(i).compareTo(order.get(i - 1)) > 0,
                                        equalTo(true));
                            }
                        }
                    }
                }
                if (first == null) {
                    first = order;
                } else {
                    assertThat(combination + " on " + index, order, equalTo(first));
                }
            }
            if (combination.equals("\"linear\"")) {
                // the four red kettles lead (both sides' best) and tie on fused score under min_max: in _id order
                List<String> red = new ArrayList<>(ids.subList(0, 4));
                java.util.Collections.sort(red);
                assertThat(first.subList(0, 4), equalTo(red));
            }
        }
    }

    private static int bestRank(ObjectPath result, String at) throws IOException {
        // a side the hit is not in shows no rank
        Number lexical = result.evaluate(at + "lexical_rank");
        Number semantic = result.evaluate(at + "semantic_rank");
        return Math.min(
                lexical == null ? Integer.MAX_VALUE : lexical.intValue(),
                semantic == null ? Integer.MAX_VALUE : semantic.intValue());
    }

    public void testHybridRetrieverFusesBothSides() throws Exception {
        ensureProducts();
        for (String combination : List.of(
                ",\"combination\":\"rrf\"",
                ",\"combination\":\"linear\",\"normalization\":\"min_max\"",
                ",\"combination\":\"linear\",\"normalization\":\"z_score\",\"weights\":{\"lexical\":0.3,\"semantic\":0.7}")) {
            ObjectPath result = call("POST", "/products_one/_search", hybrid(combination));
            assertThat(combination, firstTitle(result), containsString("headphones"));
            List<Map<String, Object>> hits = result.evaluate("hits.hits");
            // the semantic side brings documents the lexical one cannot see: all ten products come back
            assertThat(combination, hits.size(), equalTo(PRODUCTS.length));
        }
        // explain shows the fused value and each side's score and rank
        ObjectPath explained = call("POST", "/products_one/_search?explain=true", hybrid(""));
        String description = explained.evaluate("hits.hits.0._explanation.description");
        assertThat(description, containsString("semantic_hybrid: fused score ["));
        assertThat(description, containsString("lexical [score "));
        assertThat(description, containsString("semantic [score "));

        // the same without _explain: each side's score and rank in the hit's fields, at the cost of a normal search
        ObjectPath broken = call("POST", "/products_one/_search", hybrid(",\"score_breakdown\":true"));
        Number fused = broken.evaluate("hits.hits.0.fields._semantic_hybrid.0.fused_score");
        assertNotNull("no breakdown in " + broken.evaluate("hits.hits.0"), fused);
        assertThat(fused.floatValue() > 0, equalTo(true));
        List<Map<String, Object>> brokenHits = broken.evaluate("hits.hits");
        for (int i = 0; i < brokenHits.size(); i++) {
            // the index has two segments: every hit, in either, carries its own breakdown
            assertThat(broken.evaluate("hits.hits." + i + ".fields._semantic_hybrid.0.rank"), equalTo(i + 1));
        }
        // the default combination is linear over min_max: the same fused scores as asking for it, not rrf's
        ObjectPath linear = call(
                "POST",
                "/products_one/_search",
                hybrid(",\"combination\":\"linear\",\"normalization\":\"min_max\",\"score_breakdown\":true"));
        ObjectPath rrf =
                call("POST", "/products_one/_search", hybrid(",\"combination\":\"rrf\",\"score_breakdown\":true"));
        assertThat(fusedScores(broken), equalTo(fusedScores(linear)));
        assertThat(fusedScores(broken).equals(fusedScores(rrf)), equalTo(false));
        Number semanticRank = broken.evaluate("hits.hits.0.fields._semantic_hybrid.0.semantic_rank");
        assertThat(semanticRank.intValue() >= 1, equalTo(true));
        // on six shards too, each hit gets its own breakdown: the rank in it is the hit's position
        ObjectPath sharded = call("POST", "/products/_search", hybrid(",\"score_breakdown\":true"));
        List<Map<String, Object>> shardedHits = sharded.evaluate("hits.hits");
        assertThat(shardedHits.size(), greaterThan(5));
        for (int i = 0; i < shardedHits.size(); i++) {
            assertThat(sharded.evaluate("hits.hits." + i + ".fields._semantic_hybrid.0.rank"), equalTo(i + 1));
        }
        ObjectPath plainHits = call("POST", "/products_one/_search", hybrid(""));
        assertThat(plainHits.evaluate("hits.hits.0.fields"), org.hamcrest.Matchers.nullValue());

        // size/from, a filter, and highlighting of the fused hits
        ObjectPath page = call("POST", "/products_one/_search?size=2&from=1", """
            {"retriever":{"semantic_hybrid":{
               "lexical":{"standard":{"query":{"match":{"title":"wireless"}}}},
               "semantic":{"standard":{"query":{"semantic_intent":{"query":"wireless","field":"vec","k":10,"num_candidates":20}}}},
               "filter":{"term":{"category":"office"}}}},
             "highlight":{"fields":{"title":{}}}}""");
        List<Map<String, Object>> hits = page.evaluate("hits.hits");
        assertThat(hits.size(), equalTo(2));
        for (int i = 0; i < hits.size(); i++) {
            assertThat(page.evaluate("hits.hits." + i + "._source.category"), equalTo("office"));
        }
    }

    /**
     * A plain hybrid runs as one search (each shard's query phase returns both sides' top lists, fused on the
     * coordinating node); with {@code score_breakdown} it runs the compound way (both sides as a multi-search, then a
     * final search). Same hits, same order, same scores, on one shard and on six spread over three nodes, with a page,
     * a filter and a minimum score; and one query phase per shard against three.
     */
    public void testOneSearchAndTheCompoundWayGiveTheSameHits() throws Exception {
        ensureProducts();
        for (String index : List.of("products_one", "products")) {
            for (String extra : List.of(
                    "",
                    ",\"combination\":\"rrf\"",
                    ",\"weights\":{\"lexical\":0.4,\"semantic\":1.3},\"normalization\":\"z_score\"",
                    ",\"filter\":{\"term\":{\"category\":\"audio\"}}",
                    ",\"min_score\":0.5",
                    ",\"rank_window_size\":20")) {
                String oneSearch = hybrid(extra);
                String compound = hybrid(extra + ",\"score_breakdown\":true");
                long before = queryPhases(index);
                ObjectPath one = call("POST", "/" + index + "/_search", oneSearch);
                long oneSearchPhases = queryPhases(index) - before;
                before = queryPhases(index);
                ObjectPath two = call("POST", "/" + index + "/_search", compound);
                long compoundPhases = queryPhases(index) - before;
                assertThat(index + extra, idsAndScores(one), equalTo(idsAndScores(two)));
                assertThat(index + extra, idsAndScores(one).isEmpty(), equalTo(false));
                int shards = one.evaluate("_shards.total");
                assertThat(index + extra, oneSearchPhases, equalTo((long) shards));
                assertThat(index + extra, compoundPhases, equalTo(3L * shards));
                ObjectPath page = call("POST", "/" + index + "/_search?from=2&size=3", oneSearch);
                assertThat(index + extra, idsAndScores(page), equalTo(window(idsAndScores(two), 2, 3)));
            }
            // size 0 with an aggregation: the same total and buckets both ways (one search has no hits to fuse)
            String counted = hybrid("")
                    .replace(
                            "\"size\":20",
                            "\"size\":0,\"track_total_hits\":true,"
                                    + "\"aggs\":{\"by\":{\"terms\":{\"field\":\"category\"}}}");
            ObjectPath[] countedBothWays = bothWays(index, counted);
            ObjectPath oneCount = countedBothWays[0], twoCount = countedBothWays[1];
            assertThat(oneCount.evaluate("hits.total.value"), equalTo(twoCount.evaluate("hits.total.value")));
            assertThat(
                    oneCount.evaluate("aggregations.by.buckets"),
                    equalTo(twoCount.evaluate("aggregations.by.buckets")));
            assertThat(((Number) oneCount.evaluate("hits.total.value")).intValue(), greaterThan(0));
            // collapse and suggest, which one search would not apply: the compound way, the same hits either way
            String collapsed = hybrid("")
                    .replace(
                            "\"size\":20",
                            "\"size\":20,\"collapse\":{\"field\":\"category\"},"
                                    + "\"suggest\":{\"spelling\":{\"text\":\"wireles\",\"term\":{\"field\":\"title\"}}}");
            ObjectPath[] collapsedBothWays = bothWays(index, collapsed);
            ObjectPath plainCollapsed = collapsedBothWays[0], compoundCollapsed = collapsedBothWays[1];
            assertThat(idsAndScores(plainCollapsed), equalTo(idsAndScores(compoundCollapsed)));
            List<String> categories = new ArrayList<>();
            List<Map<String, Object>> collapsedHits = plainCollapsed.evaluate("hits.hits");
            for (int i = 0; i < collapsedHits.size(); i++) {
                categories.add(plainCollapsed.evaluate("hits.hits." + i + "._source.category"));
            }
            assertThat(
                    "one hit a category: " + categories,
                    new java.util.HashSet<>(categories).size(),
                    equalTo(categories.size()));
            assertThat(plainCollapsed.evaluate("suggest.spelling.0.text"), equalTo("wireles"));
            // profiled and explained like any search
            ObjectPath profiled = call(
                    "POST",
                    "/" + index + "/_search",
                    hybrid(",\"filter\":{\"match_all\":{}}")
                            .replaceFirst("\\{", "{\"profile\":true,\"explain\":true,"));
            List<Object> shardProfiles = profiled.evaluate("profile.shards");
            assertThat(shardProfiles.size(), equalTo((int) profiled.evaluate("_shards.total")));
            String description = profiled.evaluate("hits.hits.0._explanation.description");
            assertThat(description, containsString("semantic_hybrid: fused score ["));
        }
    }

    /** The same hybrid search as given (one search, where it can) and with {@code score_breakdown} (the compound way). */
    private static ObjectPath[] bothWays(String index, String body) throws IOException {
        return new ObjectPath[] {
            call("POST", "/" + index + "/_search", body),
            call(
                    "POST",
                    "/" + index + "/_search",
                    body.replace("\"semantic_hybrid\":{", "\"semantic_hybrid\":{\"score_breakdown\":true,"))
        };
    }

    private static List<String> window(List<String> all, int from, int size) {
        return all.subList(Math.min(from, all.size()), Math.min(all.size(), from + size));
    }

    private static List<String> idsAndScores(ObjectPath result) throws IOException {
        List<Map<String, Object>> hits = result.evaluate("hits.hits");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            out.add(result.evaluate("hits.hits." + i + "._id") + "=" + result.evaluate("hits.hits." + i + "._score"));
        }
        return out;
    }

    /** Query phases run on the index's shards so far (no replicas here). */
    private long queryPhases(String index) throws IOException {
        Number total = call("GET", "/" + index + "/_stats/search", null).evaluate("_all.primaries.search.query_total");
        return total.longValue();
    }

    public void testHybridBadInputIsA400() throws Exception {
        ensureProducts();
        assertBadRequest("products", """
            {"retriever":{"semantic_hybrid":{"lexical":{"standard":{"query":{"match_all":{}}}}}}}""", "requires both a [lexical] and a [semantic] retriever");
        assertBadRequest("products", hybrid(",\"combination\":\"sum\""), "unknown [combination] [sum]");
        assertBadRequest("products", hybrid(",\"normalization\":\"l2\""), "unknown [normalization] [l2]");
        assertBadRequest(
                "products", hybrid(",\"weights\":{\"lexical\":0,\"semantic\":0}"), "[weights] must not all be 0");
        assertBadRequest(
                "products", hybrid(",\"weights\":{\"lexical\":-1}"), "[weights] must be finite and not negative");
        assertBadRequest("products", hybrid(",\"weights\":{\"visual\":1}"), "has no side [visual]");
        assertBadRequest("products", hybrid(",\"rank_window_size\":0"), "[rank_window_size] must be at least 1");
        assertBadRequest("products", hybrid(",\"rank_constant\":0"), "[rank_constant] must be at least 1");
    }

    public void testPriceIntentIsAppliedAndVisible() throws Exception {
        ensureProducts();
        // boost (default): products in the range rank first and carry the named constraint
        ObjectPath boosted = call("POST", "/products_one/_search", """
            {"query":{"semantic_intent":{"query":"coffee machine under $100","field":"vec","k":5,"num_candidates":20,
              "intent":{"price_field":"price"}}},"_source":["title","price"]}""");
        assertThat(firstTitle(boosted), containsString("Drip filter coffee maker"));
        List<String> matched = boosted.evaluate("hits.hits.0.matched_queries");
        assertThat(matched, hasItem("semantic_intent.price<=100"));
        // filter: every hit is in the range, and the encoder saw "coffee machine" (the price words stripped)
        ObjectPath filtered = call("POST", "/products_one/_search", """
            {"query":{"semantic_intent":{"query":"coffee machine between 50 and 100 dollars","field":"vec","k":5,"num_candidates":20,
              "intent":{"price_field":"price","mode":"filter"}}},"_source":["title","price"]}""");
        List<Map<String, Object>> hits = filtered.evaluate("hits.hits");
        assertThat(hits.size(), greaterThan(0));
        for (int i = 0; i < hits.size(); i++) {
            double price = ((Number) filtered.evaluate("hits.hits." + i + "._source.price")).doubleValue();
            assertThat(price >= 50 && price <= 100, equalTo(true));
        }
        assertThat(firstTitle(filtered), containsString("coffee maker"));
        // no price in the text: nothing is applied
        ObjectPath plain = call("POST", "/products_one/_search", """
            {"query":{"semantic_intent":{"query":"coffee machine","field":"vec","intent":{"price_field":"price","mode":"filter"}}}}""");
        assertThat(((List<?>) plain.evaluate("hits.hits")).size(), greaterThan(3));
        assertBadRequest(
                "products_one",
                """
            {"query":{"semantic_intent":{"query":"tv","field":"vec","intent":{"mode":"filter"}}}}""",
                "[intent] requires at least one of [price_field], [brand_field], [colour_field], [type_field]");
        assertBadRequest("products_one", """
            {"query":{"semantic_intent":{"query":"tv","field":"vec","intent":{"price_field":"price","mode":"sometimes"}}}}""", "unknown [mode] [sometimes]");
    }

    public void testKeywordIntentFromTheIndexVocabulary() throws Exception {
        ensureProducts();
        // "kitchen" is a value of the category field: found in the text, case-insensitively, and applied as a filter
        ObjectPath result = call("POST", "/products_one/_search", """
            {"query":{"semantic_intent":{"query":"something for the KITCHEN under 50","field":"vec","k":10,"num_candidates":20,
              "intent":{"type_field":"category","price_field":"price","mode":"filter"}}},"_source":["title","category","price"]}""");
        List<Map<String, Object>> hits = result.evaluate("hits.hits");
        assertThat(hits.size(), equalTo(1));
        assertThat(firstTitle(result), containsString("kettle"));
        List<String> matched = result.evaluate("hits.hits.0.matched_queries");
        assertThat(matched, hasItem("semantic_intent.type:kitchen"));
        assertThat(matched, hasItem("semantic_intent.price<=50"));
        // boost mode keeps the other products, the named ones first
        ObjectPath boosted = call("POST", "/products_one/_search", """
            {"query":{"semantic_intent":{"query":"audio gear","field":"vec","k":10,"num_candidates":20,
              "intent":{"type_field":"category","boost":10}}},"_source":["title","category"]}""");
        assertThat(boosted.evaluate("hits.hits.0._source.category"), equalTo("audio"));
        assertThat(boosted.evaluate("hits.hits.1._source.category"), equalTo("audio"));
        assertThat(((List<?>) boosted.evaluate("hits.hits")).size(), greaterThan(2));
    }

    public void testHybridCanBeFollowedByARescorer() throws Exception {
        ensureProducts();
        // Elasticsearch's rescorer retriever over the fused list: a rescore query that favours office products
        ObjectPath result = call("POST", "/products_one/_search", """
            {"retriever":{"rescorer":{
               "retriever":{"semantic_hybrid":{
                 "lexical":{"standard":{"query":{"match":{"title":"wireless"}}}},
                 "semantic":{"standard":{"query":{"semantic_intent":{"query":"wireless","field":"vec","k":20,"num_candidates":20}}}}}},
               "rescore":{"window_size":20,"query":{"rescore_query":{"term":{"category":"office"}},
                 "query_weight":0,"rescore_query_weight":1}}}},
             "size":3,"_source":["title","category"]}""");
        for (int i = 0; i < 3; i++) {
            assertThat(result.evaluate("hits.hits." + i + "._source.category"), equalTo("office"));
        }
    }

    public void testTheModelComesFromTheFieldsPipelineWhenNoneIsNamed() throws Exception {
        ensureProducts(); // "products" embeds vec with the default model
        call("PUT", "/_ingest/pipeline/embed_zh", """
            {"processors":[{"semantic_embedding":{"field":"title","target_field":"vec","model":"bge-small-zh-v1.5-q"}}]}""");
        call("PUT", "/zh", """
            {"settings":{"number_of_shards":2,"number_of_replicas":0,"default_pipeline":"embed_zh"},
             "mappings":{"properties":{"title":{"type":"text"},"vec":{"type":"dense_vector","dims":512,"similarity":"cosine"}}}}""");
        Request bulk = new Request("POST", "/zh/_bulk?refresh=true");
        bulk.setJsonEntity("""
            {"index":{"_id":"1"}}
            {"title":"索尼 WH-1000XM5 头戴式无线降噪蓝牙耳机 黑色"}
            {"index":{"_id":"2"}}
            {"title":"北欧风格布艺三人沙发 客厅家具 灰色"}
            {"index":{"_id":"3"}}
            {"title":"美的 电热水壶 1.7升 不锈钢"}
            """);
        ObjectPath indexed = ObjectPath.createFromResponse(getRestClient().performRequest(bulk));
        assertThat(indexed.evaluate("errors"), equalTo(false));
        // no model named: the pipeline's 512-dim Chinese model encodes the query, not the 384-dim default
        ObjectPath result = call("POST", "/zh/_search", """
            {"query":{"semantic_intent":{"query":"无线蓝牙耳机","field":"vec","k":3,"num_candidates":10}}}""");
        assertThat(result.evaluate("hits.hits.0._id"), equalTo("1"));
        // naming the default model on that field is a dims mismatch, named as such
        assertBadRequest(
                "zh",
                """
            {"query":{"semantic_intent":{"query":"无线蓝牙耳机","field":"vec","model":"default"}}}""",
                "model [all-minilm-l6-v2-q] produces vectors of [384] dims but field [vec] in index [zh] has [512] dims");
        // two indices that embed the field with different models cannot be searched with one vector
        assertBadRequest("zh,products", """
            {"query":{"semantic_intent":{"query":"headphones","field":"vec"}}}""", "is embedded with different models");
    }
}
