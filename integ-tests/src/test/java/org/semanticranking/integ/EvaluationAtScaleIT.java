package org.semanticranking.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code _evaluate}, {@code _tune} and {@code _judgment_candidates} at the size of a real shop's judgment list, on the
 * real node with its default 1 GB heap: 5,000 requests and 200,000 ratings over 52,000 distinct documents, 50,000 of
 * them not in the index (products retired since they were rated), so the rated documents are looked up in pages far
 * past {@code index.max_result_window} (10,000).
 */
class EvaluationAtScaleIT {

    private static final int PRODUCTS = 2_000;
    private static final int REQUESTS = 5_000;
    private static final int RATINGS_PER_REQUEST = 40;
    private static final int RETIRED_PER_REQUEST = 10;
    private static final String[] WORDS = {
        "kettle",
        "toaster",
        "blender",
        "mixer",
        "grill",
        "fryer",
        "juicer",
        "scale",
        "lamp",
        "fan",
        "heater",
        "iron",
        "vacuum",
        "radio",
        "speaker",
        "charger",
        "cable",
        "mouse",
        "keyboard",
        "monitor"
    };
    private static final String[] COLOURS = {"red", "black", "white", "steel", "blue"};

    private static RealNode node;
    private static String ratingsJson;
    private static String requestsJson;

    @BeforeAll
    static void startNodeAndIndex() throws Exception {
        node = RealNode.installAndStart("evaluation-at-scale", 9259);
        node.call("PUT", "/shop", """
            {"settings":{"number_of_shards":2,"number_of_replicas":0},"mappings":{"properties":{"title":{"type":"text"}}}}""");
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < PRODUCTS; i++) {
            bulk.append("{\"index\":{\"_id\":\"p")
                    .append(i)
                    .append("\"}}\n{\"title\":\"")
                    .append(COLOURS[i % COLOURS.length])
                    .append(' ')
                    .append(WORDS[i % WORDS.length])
                    .append(" model ")
                    .append(i)
                    .append("\"}\n");
        }
        assertEquals(
                false,
                node.call("POST", "/shop/_bulk?refresh=true", bulk.toString())
                        .get("errors")
                        .asBoolean());
        // each request is a colour and a product word; it rates 30 products of the catalogue (the matching ones higher)
        // and 10 products of its own that the index no longer has
        Random random = new Random(42);
        StringBuilder requests = new StringBuilder("[");
        StringBuilder ratings = new StringBuilder("[");
        for (int r = 0; r < REQUESTS; r++) {
            String colour = COLOURS[r % COLOURS.length], word = WORDS[(r / COLOURS.length) % WORDS.length];
            requests.append(r == 0 ? "" : ",")
                    .append("{\"id\":\"q")
                    .append(r)
                    .append("\",\"params\":{\"query\":\"")
                    .append(colour)
                    .append(' ')
                    .append(word)
                    .append("\"}}");
            for (int j = 0; j < RATINGS_PER_REQUEST; j++) {
                String id;
                int grade;
                if (j < RATINGS_PER_REQUEST - RETIRED_PER_REQUEST) {
                    int p = random.nextInt(PRODUCTS);
                    id = "p" + p;
                    grade = (WORDS[p % WORDS.length].equals(word) ? 2 : 0)
                            + (COLOURS[p % COLOURS.length].equals(colour) ? 1 : 0);
                } else {
                    id = "retired-" + r + "-" + j;
                    grade = 3;
                }
                ratings.append(r == 0 && j == 0 ? "" : ",")
                        .append("{\"request\":\"q")
                        .append(r)
                        .append("\",\"_id\":\"")
                        .append(id)
                        .append("\",\"grade\":")
                        .append(grade)
                        .append('}');
            }
        }
        requestsJson = requests.append(']').toString();
        ratingsJson = ratings.append(']').toString();
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.stop();
        }
    }

    private static String body(String template, String extra) {
        return "{\"template\":" + template + ",\"requests\":" + requestsJson + ",\"ratings\":" + ratingsJson + extra
                + "}";
    }

    private static final String MATCH = """
        {"query":{"match":{"title":"{{query}}"}}}""";

    @Test
    void evaluateCountsTheMissingDocumentsOrNamesThem() throws Exception {
        try {
            node.call("POST", "/shop/_semantic_ranking/_evaluate", body(MATCH, ""));
            throw new AssertionError("rated documents are missing: the default is a 400");
        } catch (RealNode.HttpError e) {
            assertEquals(400, e.status(), e.body());
            assertTrue(e.body().contains("[ratings] name 50000 document(s) that are not in [shop]"), e.body());
        }
        JsonNode reported = node.call(
                "POST",
                "/shop/_semantic_ranking/_evaluate",
                body(MATCH, ",\"missing_rated_docs\":\"report\",\"metrics\":[\"ndcg@10\",\"judged@10\"]"));
        JsonNode rated = reported.get("rated_docs");
        assertEquals(50_000, rated.get("missing").asInt(), rated.toString());
        assertTrue(
                rated.get("distinct").asInt() > 50_000 && rated.get("distinct").asInt() <= 52_000, rated.toString());
        assertEquals(10, rated.get("missing_sample").size());
        assertEquals(REQUESTS, reported.get("requests").size());
        double ndcg = reported.get("metrics").get("ndcg@10").asDouble();
        assertTrue(ndcg > 0 && ndcg < 1, reported.get("metrics").toString());

        JsonNode unchecked = node.call(
                "POST", "/shop/_semantic_ranking/_evaluate", body(MATCH, ",\"missing_rated_docs\":\"ignore\""));
        assertEquals(false, unchecked.get("rated_docs").get("checked").asBoolean());
        assertEquals(
                ndcg,
                unchecked.get("metrics").get("ndcg@10").asDouble(),
                1e-12,
                "not looking changes nothing but the report");
        assertEquals(
                "green",
                node.call("GET", "/_cluster/health/shop", null).get("status").asText());
    }

    @Test
    void tuneRunsOverEveryRequest() throws Exception {
        String template = """
            {"query":{"bool":{"should":[{"match":{"title":{"query":"{{query}}","operator":"or","boost":1}}}]}}}""";
        JsonNode tuned = node.call("POST", "/shop/_semantic_ranking/_tune", body(template, """
            ,"missing_rated_docs":"report","params":{"query.bool.should.0.match.title.operator":["or","and"]},"folds":2,"budget":2"""));
        assertEquals(50_000, tuned.get("rated_docs").get("missing").asInt());
        assertEquals(2, tuned.get("cross_validation").get("per_fold").size(), tuned.toString());
        assertTrue(
                tuned.get("best").get("mean").asDouble()
                        >= tuned.get("baseline").get("mean").asDouble(),
                tuned.toString());
    }

    @Test
    void judgmentCandidatesForEveryRequest() throws Exception {
        JsonNode candidates = node.call(
                "POST",
                "/shop/_semantic_ranking/_judgment_candidates",
                "{\"lexical\":" + MATCH
                        + ",\"semantic\":{\"query\":{\"match\":{\"title\":{\"query\":\"{{query}}\",\"operator\":\"and\"}}}},\"requests\":"
                        + requestsJson + ",\"ratings\":" + ratingsJson + ",\"k\":10,\"size\":2}");
        assertEquals(50_000, candidates.get("rated_docs").get("missing").asInt());
        assertTrue(
                candidates.get("candidates").size() > REQUESTS,
                "most requests have unrated hits: "
                        + candidates.get("candidates").size());
    }
}
