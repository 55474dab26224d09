package org.semanticranking;

import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.rest.ObjectPath;
import org.semanticranking.personalization.profile.ProfilesIndex;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/**
 * The {@code personalized_blend} rescorer on 3 nodes and 3 shards over real HTTP: profiles inline, from the
 * profiles index and from recent events; a stored model and its features; explain and the score breakdown;
 * first passes of BM25, semantic_intent, knn and semantic_hybrid; one encode per request; bad input as 400s.
 */
@ESIntegTestCase.ClusterScope(
        scope = ESIntegTestCase.Scope.SUITE,
        numDataNodes = 3,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class PersonalizedBlendClusterTests extends SemanticRankingIntegTestCase {

    private static final AtomicInteger REQUESTS = new AtomicInteger();

    /** id, title, brand, price */
    static final String[][] PRODUCTS = {
        {"b1", "Bose QuietComfort wireless headphones", "bose", "299"},
        {"b2", "Bose SoundLink wireless speaker", "bose", "129"},
        {"b3", "Bose sport earbuds for running", "bose", "179"},
        {"s1", "Sony wireless noise cancelling headphones", "sony", "349"},
        {"s2", "Sony portable wireless speaker", "sony", "99"},
        {"s3", "Sony sport earbuds, sweat resistant", "sony", "79"},
        {"j1", "JBL wireless headphones for kids", "jbl", "39"},
        {"j2", "JBL party speaker with lights", "jbl", "199"},
        {"j3", "JBL earbuds with charging case", "jbl", "49"},
        {"k1", "Philips electric kettle", "philips", "39"},
        {"k2", "Logitech wireless mouse", "logitech", "25"},
        {"k3", "HP laser printer", "hp", "189"}
    };

    /**
     * The products in {@code products} (3 shards) and {@code products_one} (1 shard). Like every Elasticsearch
     * rescorer, the blend sees one shard's window, and normalises within it: with a dozen products over three
     * shards each shard's best hit is normalised to 1, so tests of the ranking itself use the one-shard index.
     */
    static void indexProducts() throws IOException {
        call("PUT", "/_ingest/pipeline/embed", """
            {"processors":[{"semantic_embedding":{"field":"title","target_field":"vec"}}]}""");
        StringBuilder bulk = new StringBuilder();
        for (String[] p : PRODUCTS) {
            bulk.append("{\"index\":{\"_id\":\"").append(p[0]).append("\"}}\n");
            bulk.append("{\"title\":\"")
                    .append(p[1])
                    .append("\",\"brand\":\"")
                    .append(p[2])
                    .append("\",\"price\":")
                    .append(p[3])
                    .append("}\n");
        }
        for (String index : List.of("products", "products_one")) {
            call("PUT", "/" + index, String.format(Locale.ROOT, """
                {"settings":{"number_of_shards":%s,"number_of_replicas":0,"default_pipeline":"embed"},
                 "mappings":{"properties":{"title":{"type":"text"},"brand":{"type":"keyword"},"price":{"type":"float"},
                   "vec":{"type":"dense_vector","dims":384,"similarity":"cosine"}}}}""", index.equals("products") ? "3" : "1"));
            bulk(bulk.toString(), "/" + index + "/_bulk?refresh=true");
        }
    }

    static void bulk(String body, String path) throws IOException {
        Request request = new Request("POST", path);
        request.setJsonEntity(body);
        assertThat(
                ObjectPath.createFromResponse(getRestClient().performRequest(request))
                        .evaluate("errors"),
                equalTo(false));
    }

    static List<Object> vectorOf(String id) throws IOException {
        return call("GET", "/products/_doc/" + id + "?_source=vec", null).evaluate("_source.vec");
    }

    static List<String> ids(ObjectPath result) throws IOException {
        List<Map<String, Object>> hits = result.evaluate("hits.hits");
        List<String> ids = new ArrayList<>();
        hits.forEach(h -> ids.add((String) h.get("_id")));
        return ids;
    }

    static String rescore(String blend) {
        return String.format(Locale.ROOT, """
            {"size":10,"query":{"match":{"title":"wireless"}},
             "rescore":{"window_size":20,"personalized_blend":%s}}""", blend);
    }

    /** A stored model that only looks at the shopper's brand affinity. */
    static void storeBrandModel() throws IOException {
        call("PUT", "/semantic-ranking-models/_doc/brand-only?refresh=true", """
            {"model_id":"brand-only","version":1,"vector_field":"vec","affinity_fields":["brand"],"session_size":5,
             "features":[
               {"name":"user_vector_cosine","weight":0,"mean":0,"std":1},
               {"name":"session_vector_cosine","weight":0,"mean":0,"std":1},
               {"name":"affinity.brand","weight":4,"mean":0.5,"std":0.5}],
             "bias":-1,"iterations":1,"training":{"note":"written by the test"}}""");
    }

    public void testAnInlineProfileVectorRanksTheShoppersProductsFirst() throws Exception {
        indexProducts();
        // a shopper who bought the two Bose "wireless" products: their vector is the mean of those products'
        String body = rescore(String.format(Locale.ROOT, """
            {"user":{"vector":%s},"vector_field":"vec","weights":{"query":0,"vector":0,"personalization":1}}""", meanVector(List.of("b1", "b2"))));
        List<String> top = ids(call("POST", "/products_one/_search", body)).subList(0, 2);
        assertThat(top, hasItem("b1"));
        assertThat(top, hasItem("b2"));
        // without personalization the first pass (BM25 on "wireless") decides, and does not put them first
        ObjectPath plain = call(
                "POST",
                "/products_one/_search",
                rescore(String.format(Locale.ROOT, """
            {"user":{"vector":%s},"vector_field":"vec","weights":{"query":1,"vector":0,"personalization":0}}""", meanVector(List.of("b1", "b2")))));
        ObjectPath firstPass = call("POST", "/products_one/_search", """
            {"size":10,"query":{"match":{"title":"wireless"}}}""");
        assertThat(ids(plain), equalTo(ids(firstPass)));
    }

    static String meanVector(List<String> ids) throws IOException {
        double[] sum = new double[384];
        for (String id : ids) {
            List<Object> v = vectorOf(id);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += ((Number) v.get(i)).doubleValue();
            }
        }
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < sum.length; i++) {
            json.append(i == 0 ? "" : ",").append(sum[i] / ids.size());
        }
        return json.append("]").toString();
    }

    public void testAStoredModelScoresBrandAffinityAndExplainsIt() throws Exception {
        indexProducts();
        storeBrandModel();
        String blend = """
            {"user":{"affinities":{"brand":{"sony":0.8,"jbl":0.2}}},"model_id":"brand-only","vector_field":"vec",
             "weights":{"query":0.2,"vector":0,"personalization":1},"score_breakdown":true}""";
        ObjectPath result = call("POST", "/products_one/_search?explain=true", rescore(blend));
        // the two Sony "wireless" products first (affinity 0.8), whatever their BM25 order
        assertThat(List.copyOf(new java.util.TreeSet<>(ids(result).subList(0, 2))), equalTo(List.of("s1", "s2")));
        double score = ((Number) result.evaluate("hits.hits.0._score")).doubleValue();
        // explain: each part, its raw and normalised value and weight, and the model's features
        assertThat(result.evaluate("hits.hits.0._explanation.description"), equalTo("personalized_blend, sum of:"));
        assertThat(((Number) result.evaluate("hits.hits.0._explanation.value")).doubleValue(), closeTo(score, 1e-4));
        String personalization = result.evaluate("hits.hits.0._explanation.details.2.description");
        assertThat(personalization, startsWith("personalization: weight 1.0 x "));
        assertThat(
                result.evaluate("hits.hits.0._explanation.details.2.details.0.description"),
                startsWith("model [brand-only] version 1"));
        assertThat(
                result.evaluate("hits.hits.0._explanation.details.2.details.0.details.2.description"),
                startsWith("affinity.brand = 0.8 (weight 4.0"));
        assertThat(
                result.evaluate("hits.hits.0._explanation.details.0.description"),
                startsWith("query: weight 0.2 x first-pass score"));
        // the breakdown says the same without explain
        ObjectPath plain = call("POST", "/products_one/_search", rescore(blend));
        assertThat(
                ((Number) plain.evaluate("hits.hits.0.fields._personalized_blend.0.score")).doubleValue(),
                closeTo(score, 1e-4));
        assertThat(
                plain.evaluate("hits.hits.0.fields._personalized_blend.0.personalization.features.affinity\\.brand"),
                equalTo(0.8));
        assertThat(plain.evaluate("hits.hits.0.fields._personalized_blend.0.personalization.weight"), equalTo(1.0));
        double q = ((Number) plain.evaluate("hits.hits.0.fields._personalized_blend.0.query.normalized")).doubleValue();
        double p = ((Number) plain.evaluate("hits.hits.0.fields._personalized_blend.0.personalization.normalized"))
                .doubleValue();
        assertThat(0.2 * q + p, closeTo(score, 1e-4));
    }

    public void testProfilesIndexAndRecentEventsAreFetchedOnTheCoordinatingNode() throws Exception {
        indexProducts();
        // u-profile: a stored profile leaning to the Sony speaker; u-session: no profile, but recent JBL events
        call("PUT", "/user_profiles", "{\"mappings\":" + ProfilesIndex.MAPPING + "}");
        call(
                "PUT",
                "/user_profiles/_doc/u-profile?refresh=true",
                "{\"user_id\":\"u-profile\",\"vector\":" + meanVector(List.of("s2")) + "}");
        call("PUT", "/interactions", """
            {"mappings":{"properties":{"user_id":{"type":"keyword"},"product_id":{"type":"keyword"},"type":{"type":"keyword"},"@timestamp":{"type":"date"}}}}""");
        bulk("""
            {"index":{}}
            {"user_id":"u-session","product_id":"j1","type":"click","@timestamp":"2026-11-20T10:00:00Z"}
            {"index":{}}
            {"user_id":"u-session","product_id":"j3","type":"purchase","@timestamp":"2026-11-20T10:05:00Z"}
            {"index":{}}
            {"user_id":"u-session","product_id":"s2","type":"view","impression_id":"i9","position":0,"@timestamp":"2026-11-20T10:06:00Z"}
            {"index":{}}
            {"user_id":"u-session","product_id":"b2","type":"view","impression_id":"i9","position":1,"@timestamp":"2026-11-20T10:06:00Z"}
            {"index":{}}
            {"user_id":"u-session","product_id":"k2","type":"view","impression_id":"i9","position":2,"@timestamp":"2026-11-20T10:06:00Z"}
            """, "/interactions/_bulk?refresh=true");
        ObjectPath profile = call("POST", "/products_one/_search", rescore("""
            {"user_id":"u-profile","vector_field":"vec","weights":{"query":0,"vector":0,"personalization":1},"score_breakdown":true}"""));
        assertThat(ids(profile).get(0), equalTo("s2"));
        // the latest events are an impression's views (exposure, not interest): the session still comes from the JBL
        // clicks
        ObjectPath session = call("POST", "/products_one/_search", rescore("""
            {"user_id":"u-session","vector_field":"vec","session_size":3,"weights":{"query":0,"vector":0,"personalization":1}}"""));
        assertThat(ids(session).get(0), equalTo("j1"));
    }

    public void testAnUnknownShopperGetsNoPersonalizationAndTheResponseSaysSo() throws Exception {
        indexProducts();
        Request request = new Request("POST", "/products/_search");
        request.setJsonEntity(rescore("""
            {"user_id":"nobody","vector_field":"vec","query_text":"wireless headphones","score_breakdown":true}"""));
        Response response = getRestClient().performRequest(request);
        assertThat(String.join("\n", response.getWarnings()), containsString("no personalization for user [nobody]"));
        ObjectPath result = ObjectPath.createFromResponse(response);
        List<Map<String, Object>> hits = result.evaluate("hits.hits");
        assertThat(hits.size(), equalTo(6));
        for (int i = 0; i < hits.size(); i++) {
            assertThat(
                    result.evaluate("hits.hits." + i + ".fields._personalized_blend.0.personalization.normalized"),
                    equalTo(0.0));
        }
    }

    private static long totalEncoded() throws IOException {
        return sumOverNodes("encoder.all-minilm-l6-v2-q.texts_encoded");
    }

    public void testWorksAfterEveryFirstPassAndEncodesTheQueryOnce() throws Exception {
        indexProducts();
        String text = "headphones for a quiet flight, request " + REQUESTS.incrementAndGet();
        String blend = String.format(Locale.ROOT, """
            {"window_size":20,"personalized_blend":{"user":{"affinities":{"brand":{"jbl":1}}},"model_id":"brand-only",
              "vector_field":"vec","query_text":"%s","weights":{"query":0.1,"vector":0.1,"personalization":1}}}""", text);
        storeBrandModel();
        long before = totalEncoded();
        ObjectPath semantic =
                call("POST", "/products/_search?explain=true", String.format(Locale.ROOT, """
            {"size":10,"query":{"semantic_intent":{"query":"%s","field":"vec","k":10,"num_candidates":20}},"rescore":%s}""", text, blend));
        assertThat("the rescorer reuses the semantic_intent's encode", totalEncoded() - before, equalTo(1L));
        assertThat(ids(semantic).get(0), startsWith("j"));
        // on every shard, explain recomputes that shard's window and arrives at the hit's score
        List<Map<String, Object>> hits = semantic.evaluate("hits.hits");
        for (int i = 0; i < hits.size(); i++) {
            assertThat(
                    ((Number) semantic.evaluate("hits.hits." + i + "._explanation.value")).doubleValue(),
                    closeTo(((Number) semantic.evaluate("hits.hits." + i + "._score")).doubleValue(), 1e-4));
        }
        ObjectPath knn = call("POST", "/products/_search", String.format(Locale.ROOT, """
            {"size":10,"knn":{"field":"vec","k":10,"num_candidates":20,
               "query_vector_builder":{"semantic_intent":{"text":"%s"}}},"rescore":%s}""", text, blend));
        assertThat(ids(knn).get(0), startsWith("j"));
        ObjectPath hybrid = call("POST", "/products/_search", String.format(Locale.ROOT, """
            {"size":10,"retriever":{"rescorer":{
               "retriever":{"semantic_hybrid":{
                 "lexical":{"standard":{"query":{"match":{"title":"headphones"}}}},
                 "semantic":{"standard":{"query":{"semantic_intent":{"query":"%s","field":"vec","k":10,"num_candidates":20}}}}}},
               "rescore":%s}}}""", text, blend));
        assertThat(ids(hybrid).get(0), startsWith("j"));
        // the hybrid's own rescore section: the fused list rescored in the final search, every part of every hit in one
        // response
        ObjectPath both = call(
                "POST",
                "/products/_search",
                String.format(
                        Locale.ROOT,
                        """
            {"size":10,"retriever":{"semantic_hybrid":{
                 "lexical":{"standard":{"query":{"match":{"title":"headphones"}}}},
                 "semantic":{"standard":{"query":{"semantic_intent":{"query":"%s","field":"vec","k":10,"num_candidates":20}}}},
                 "score_breakdown":true,
                 "rescore":%s}}}""",
                        text,
                        blend.replace("\"vector_field\"", "\"score_breakdown\":true,\"vector_field\"")));
        assertThat(ids(both).get(0), startsWith("j"));
        assertThat(
                both.toString(),
                both.evaluate("hits.hits.0.fields._semantic_hybrid.0.fused_score") != null,
                equalTo(true));
        assertThat(
                both.evaluate("hits.hits.0.fields._personalized_blend.0.personalization.features.affinity\\.brand"),
                equalTo(1.0));
    }

    public void testQueryTextComesFromTheSemanticIntentWhenLeftOut() throws Exception {
        indexProducts();
        String text = "something to listen to on a train, request " + REQUESTS.incrementAndGet();
        String blend = """
            {"window_size":20,"personalized_blend":{"user_id":"nobody","vector_field":"vec",
              "weights":{"query":0,"vector":1,"personalization":0},"score_breakdown":true}}""";
        long before = totalEncoded();
        ObjectPath semantic = call("POST", "/products/_search", String.format(Locale.ROOT, """
            {"size":5,"query":{"bool":{"must":[{"semantic_intent":{"query":"%s","field":"vec","k":10,"num_candidates":20}}]}},
             "rescore":%s}""", text, blend));
        assertThat("one encode serves the query and the rescorer", totalEncoded() - before, equalTo(1L));
        double cosine =
                ((Number) semantic.evaluate("hits.hits.0.fields._personalized_blend.0.vector.raw")).doubleValue();
        assertThat(cosine > 0, equalTo(true));
        ObjectPath knn = call("POST", "/products/_search", String.format(Locale.ROOT, """
            {"size":5,"knn":{"field":"vec","k":10,"num_candidates":20,"query_vector_builder":{"semantic_intent":{"text":"%s"}}},
             "rescore":%s}""", text, blend));
        assertThat(
                ((Number) knn.evaluate("hits.hits.0.fields._personalized_blend.0.vector.raw")).doubleValue(),
                closeTo(cosine, 0.05));
        assertBadRequest(String.format(Locale.ROOT, """
            {"size":5,"query":{"match":{"title":"wireless"}},"rescore":%s}""", blend), "needs [query_text] or [query_vector]");

        // in a semantic_hybrid's own rescore section, the text comes from the hybrid's semantic side: still one encode
        String hybridText = "headphones for the gym, request " + REQUESTS.incrementAndGet();
        before = totalEncoded();
        ObjectPath hybrid = call("POST", "/products/_search", String.format(Locale.ROOT, """
            {"size":5,"retriever":{"semantic_hybrid":{
               "lexical":{"standard":{"query":{"match":{"title":"headphones"}}}},
               "semantic":{"standard":{"query":{"semantic_intent":{"query":"%s","field":"vec","k":10,"num_candidates":20}}}},
               "rescore":%s}}}""", hybridText, blend));
        assertThat("one encode serves the semantic side and the rescorer", totalEncoded() - before, equalTo(1L));
        double hybridCosine =
                ((Number) hybrid.evaluate("hits.hits.0.fields._personalized_blend.0.vector.raw")).doubleValue();
        assertThat(hybridCosine > 0, equalTo(true));
        // the same with a knn retriever and the semantic_intent query vector builder as the semantic side
        ObjectPath hybridKnn = call("POST", "/products/_search", String.format(Locale.ROOT, """
            {"size":5,"retriever":{"semantic_hybrid":{
               "lexical":{"standard":{"query":{"match":{"title":"headphones"}}}},
               "semantic":{"knn":{"field":"vec","k":10,"num_candidates":20,"query_vector_builder":{"semantic_intent":{"text":"%s"}}}},
               "rescore":%s}}}""", hybridText, blend));
        assertThat(
                ((Number) hybridKnn.evaluate("hits.hits.0.fields._personalized_blend.0.vector.raw")).doubleValue(),
                closeTo(hybridCosine, 0.05));
        // a hybrid whose sides have no semantic_intent still needs the text
        ResponseException e = expectThrows(
                ResponseException.class,
                () -> call("POST", "/products/_search", String.format(Locale.ROOT, """
            {"size":5,"retriever":{"semantic_hybrid":{
               "lexical":{"standard":{"query":{"match":{"title":"headphones"}}}},
               "semantic":{"standard":{"query":{"match":{"title":"wireless"}}}},
               "rescore":%s}}}""", blend)));
        assertThat(e.getMessage(), e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(e.getMessage(), containsString("needs [query_text] or [query_vector]"));
    }

    private static void assertBadRequest(String body, String reason) {
        ResponseException e = expectThrows(ResponseException.class, () -> call("POST", "/products/_search", body));
        assertThat(e.getMessage(), e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(e.getMessage(), containsString(reason));
    }

    public void testBadInputIsA400WithTheReason() throws Exception {
        indexProducts();
        assertBadRequest(rescore("""
            {"user_id":"u","model_id":"nope","vector_field":"vec","query_text":"q"}"""), "unknown personalization model [nope]");
        assertBadRequest(rescore("""
            {"user_id":"u","vector_field":"title","query_text":"q"}"""), "[personalized_blend] field [title] in index [products] is of type [text]");
        assertBadRequest(rescore("""
            {"user_id":"u","vector_field":"no_such_field","query_text":"q"}"""), "[personalized_blend] field [no_such_field] does not exist");
        assertBadRequest(rescore("""
            {"user_id":"u","vector_field":"vec","query_text":"q","weights":{"query":-0.5}}"""), "[weights.query] of [personalized_blend] must be a finite number >= 0");
        assertBadRequest(rescore("""
            {"user_id":"u","vector_field":"vec","weights":{"query":0,"vector":0,"personalization":0}}"""), "must not all be 0");
        assertBadRequest("""
            {"size":10,"query":{"match_all":{}},"rescore":{"window_size":20000,"personalized_blend":{"user_id":"u","vector_field":"vec","query_text":"q"}}}""", "Rescore window [20000] is too large");
        assertBadRequest("""
            {"size":20,"query":{"match_all":{}},"rescore":{"window_size":10,"personalized_blend":{"user_id":"u","vector_field":"vec","query_text":"q"}}}""", "window_size [10] must be at least from + size [20]");
        assertBadRequest(rescore("""
            {"user_id":"u","vector_field":"vec","query_text":"q","weights":"high"}"""), "[weights] must be an object");
    }
}
