package org.semanticranking.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.semanticranking.personalization.events.InteractionEvent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Learning from clicks on the real distribution, under its entitlements: judgments from logged impressions and clicks
 * ({@code judgments/_from_events}, and as {@code ratings_from} in {@code _evaluate}), an {@code interleave} search
 * whose hits name their side, an experiment's {@code interleaving/_results} from the logged clicks, and a personal
 * ranker trained from the impressions ({@code impressions_from}) serving each shopper their colour first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClickLearningIT {

    private static RealNode node;
    static final String[] COLOURS = {"red", "blue", "green", "black"};
    static final String[] KINDS = {"kettle", "lamp", "mug"};

    @BeforeAll
    static void startNode() throws Exception {
        node = RealNode.install("clicks", 9259);
        node.configToNodeUser();
        node.start();
        StringBuilder bulk = new StringBuilder();
        for (String kind : KINDS) {
            for (String colour : COLOURS) {
                for (int i = 0; i < 3; i++) {
                    bulk.append(String.format(
                            Locale.ROOT,
                            "{\"index\":{\"_id\":\"%s-%s-%d\"}}%n{\"title\":\"%s %s %d\",\"colour\":\"%s\"}%n",
                            kind,
                            colour,
                            i,
                            colour,
                            kind,
                            i,
                            colour));
                }
            }
        }
        node.call(
                "PUT",
                "/shop",
                "{\"mappings\":{\"properties\":{\"title\":{\"type\":\"text\"},\"colour\":{\"type\":\"keyword\"}}}}");
        JsonNode indexed = node.call("POST", "/shop/_bulk?refresh=true", bulk.toString());
        assertFalse(indexed.get("errors").asBoolean(), indexed.toString());
        node.call("PUT", "/click-log", "{\"mappings\":" + InteractionEvent.MAPPING + "}");
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    @Order(1)
    void clicksBecomeGradedJudgmentsAndEvaluateTakesThem() throws Exception {
        // each kind's twelve products shown in random orders; shoppers click the red ones far more when they see them
        Random random = new Random(11);
        StringBuilder bulk = new StringBuilder();
        int impression = 0;
        for (String kind : KINDS) {
            List<String> products = new ArrayList<>();
            for (String colour : COLOURS) {
                for (int i = 0; i < 3; i++) {
                    products.add(kind + "-" + colour + "-" + i);
                }
            }
            for (int n = 0; n < 150; n++, impression++) {
                Collections.shuffle(products, random);
                for (int k = 0; k < 10; k++) {
                    String product = products.get(k);
                    String common = String.format(
                            Locale.ROOT,
                            "\"user_id\":\"u%d\",\"product_id\":\"%s\",\"query\":\"%s\",\"impression_id\":\"i%d\","
                                    + "\"position\":%d,\"@timestamp\":%d",
                            n % 17,
                            product,
                            kind,
                            impression,
                            k,
                            1_764_547_200_000L + impression * 1000L);
                    bulk.append("{\"index\":{}}\n{").append(common).append(",\"type\":\"view\"}\n");
                    double attraction = product.contains("-red-") ? 0.8 : 0.1;
                    if (random.nextDouble() < 1.0 / (k + 1) && random.nextDouble() < attraction) {
                        bulk.append("{\"index\":{}}\n{").append(common).append(",\"type\":\"click\"}\n");
                    }
                }
            }
        }
        JsonNode indexed = node.call("POST", "/click-log/_bulk?refresh=true", bulk.toString());
        assertFalse(indexed.get("errors").asBoolean());
        JsonNode judged = node.call(
                "POST",
                "/shop/_semantic_ranking/judgments/_from_events",
                "{\"index\":\"click-log\",\"min_impressions\":20}");
        assertEquals("pbm", judged.get("click_model").asText());
        assertEquals(3, judged.get("requests").size(), judged.get("requests").toString());
        assertEquals(36, judged.get("ratings").size());
        for (JsonNode rating : judged.get("ratings")) {
            int grade = rating.get("grade").asInt();
            if (rating.get("_id").asText().contains("-red-")) {
                assertTrue(grade >= 2, rating.toString());
            } else {
                assertTrue(grade <= 1, rating.toString());
            }
        }
        double second = judged.get("propensities").get(1).get("propensity").asDouble();
        assertTrue(second > 0.35 && second < 0.65, "slot 2's propensity (0.5 simulated): " + second);
        JsonNode evaluated = node.call("POST", "/shop/_semantic_ranking/_evaluate", """
            {"template":{"query":{"bool":{"must":{"match":{"title":"{{query}}"}},
               "should":{"term":{"colour":{"value":"red","boost":3}}}}}},
             "ratings_from":{"events":{"index":"click-log","min_impressions":20}}}""");
        assertTrue(evaluated.get("metrics").get("ndcg@10").asDouble() > 0.9, evaluated.toString());
    }

    /** A search interleaving kettles with red ones boosted (side a) and blue ones (side b); the seed goes in its {@code %s}. */
    private static String redOrBlueKettles(String options) {
        return """
            {"size":10,"_source":false,"retriever":{"interleave":{
              "a":{"standard":{"query":{"bool":{"must":{"match":{"title":"kettle"}},
                    "should":{"term":{"colour":{"value":"red","boost":3}}}}}}},
              "b":{"standard":{"query":{"bool":{"must":{"match":{"title":"kettle"}},
                    "should":{"term":{"colour":{"value":"blue","boost":3}}}}}}},
              "seed":"%s",""" + options + "}}}";
    }

    @Test
    @Order(2)
    void anInterleavedSearchNamesEachHitsSideAndTheExperimentsClicksSayWhichWins() throws Exception {
        String search = redOrBlueKettles("\"experiment\":\"red-first\"");
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            JsonNode page = node.call("POST", "/shop/_search", String.format(Locale.ROOT, search, "x" + i));
            JsonNode hits = page.get("hits").get("hits");
            assertEquals(10, hits.size());
            for (int k = 0; k < hits.size(); k++) {
                JsonNode side = hits.get(k).get("fields").get("_interleave").get(0);
                assertEquals("red-first", side.get("experiment").asText());
                String id = hits.get(k).get("_id").asText();
                String common = String.format(
                        Locale.ROOT,
                        "\"user_id\":\"s%d\",\"product_id\":\"%s\",\"impression_id\":\"x%d\",\"position\":%d,"
                                + "\"experiment\":\"red-first\",\"side\":\"%s\",\"@timestamp\":%d",
                        i,
                        id,
                        i,
                        k,
                        side.get("side").asText(),
                        1_764_600_000_000L + i * 1000L);
                bulk.append("{\"index\":{}}\n{").append(common).append(",\"type\":\"view\"}\n");
                // shoppers here click the first red kettle they see
                if (id.contains("-red-")) {
                    bulk.append("{\"index\":{}}\n{").append(common).append(",\"type\":\"click\"}\n");
                    break;
                }
            }
        }
        node.call("POST", "/click-log/_bulk?refresh=true", bulk.toString());
        JsonNode results = node.call(
                "POST",
                "/shop/_semantic_ranking/interleaving/_results",
                "{\"experiment\":\"red-first\",\"index\":\"click-log\"}");
        assertEquals(40, results.get("results").get("a").get("wins").asInt(), results.toString());
        assertEquals("a", results.get("results").get("preferred").asText());
        assertTrue(results.get("results").get("p_value").asDouble() < 1e-6);
    }

    @Test
    @Order(5)
    void anOptimizedInterleavingCreditsEachHitAndTheExperimentsCreditsSayWhichWins() throws Exception {
        String search =
                redOrBlueKettles("\"experiment\":\"red-first-optimized\",\"method\":\"optimized\",\"page_size\":10");
        StringBuilder bulk = new StringBuilder();
        java.util.Set<String> pages = new java.util.HashSet<>();
        for (int i = 0; i < 40; i++) {
            JsonNode page = node.call("POST", "/shop/_search", String.format(Locale.ROOT, search, "o" + i));
            JsonNode hits = page.get("hits").get("hits");
            assertEquals(10, hits.size());
            StringBuilder ids = new StringBuilder();
            for (int k = 0; k < hits.size(); k++) {
                JsonNode side = hits.get(k).get("fields").get("_interleave").get(0);
                String id = hits.get(k).get("_id").asText();
                ids.append(id).append(' ');
                double credit = side.get("credit").asDouble();
                assertEquals(
                        credit > 0 ? "a" : credit < 0 ? "b" : "both",
                        side.get("side").asText());
                String common = String.format(
                        Locale.ROOT,
                        "\"user_id\":\"s%d\",\"product_id\":\"%s\",\"impression_id\":\"o%d\",\"position\":%d,"
                                + "\"experiment\":\"red-first-optimized\",\"side\":\"%s\",\"credit\":%s,\"@timestamp\":%d",
                        i,
                        id,
                        i,
                        k,
                        side.get("side").asText(),
                        credit,
                        1_764_600_000_000L + i * 1000L);
                bulk.append("{\"index\":{}}\n{").append(common).append(",\"type\":\"view\"}\n");
                // shoppers here click the first red kettle they see
                if (id.contains("-red-")) {
                    assertTrue(credit > 0, "side a ranks the red kettles higher: " + side);
                    bulk.append("{\"index\":{}}\n{").append(common).append(",\"type\":\"click\"}\n");
                    break;
                }
            }
            pages.add(ids.toString());
        }
        assertTrue(pages.size() > 1, "the seeds draw different lists");
        node.call("POST", "/click-log/_bulk?refresh=true", bulk.toString());
        JsonNode results = node.call(
                "POST",
                "/shop/_semantic_ranking/interleaving/_results",
                "{\"experiment\":\"red-first-optimized\",\"index\":\"click-log\"}");
        assertEquals(40, results.get("results").get("a").get("wins").asInt(), results.toString());
        assertTrue(results.get("results").get("a").get("credit").asDouble() > 0, results.toString());
        assertEquals("a", results.get("results").get("preferred").asText());
        assertTrue(results.get("results").get("p_value").asDouble() < 1e-6);
    }

    @Test
    @Order(4)
    void anExploringPageDrawsItsLastSlotsFromBelowThePageAndSaysSo() throws Exception {
        String search = """
            {"size":5,"_source":false,"retriever":{"explore":{
              "retriever":{"standard":{"query":{"match":{"title":"kettle"}}}},
              "seed":"%s","rate":1,"page_size":5,"slots":2,"rank_window_size":12}}}""";
        JsonNode plain = node.call("POST", "/shop/_search", """
            {"size":12,"_source":false,"query":{"match":{"title":"kettle"}}}""").get("hits").get("hits");
        List<String> ranking = new ArrayList<>();
        plain.forEach(h -> ranking.add(h.get("_id").asText()));
        java.util.Set<Integer> drawnFrom = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            JsonNode hits = node.call("POST", "/shop/_search", String.format(Locale.ROOT, search, "e" + i))
                    .get("hits")
                    .get("hits");
            assertEquals(5, hits.size());
            for (int k = 0; k < 5; k++) {
                JsonNode shown = hits.get(k).get("fields").get("_explore").get(0);
                int rankedAt = shown.get("ranked_at").asInt();
                assertEquals(ranking.indexOf(hits.get(k).get("_id").asText()) + 1, rankedAt, hits.toString());
                assertEquals(k >= 3, shown.get("explored").asBoolean(), hits.toString());
                if (k < 3) {
                    assertEquals(k + 1, rankedAt, "the page's first slots are the ranking's");
                } else {
                    assertTrue(rankedAt >= 4, "drawn from the ranking at and below the slot: " + rankedAt);
                    drawnFrom.add(rankedAt);
                }
            }
        }
        assertTrue(drawnFrom.stream().anyMatch(r -> r > 5), "products below the page were shown: " + drawnFrom);
    }

    @Test
    @Order(3)
    void aRankerTrainedFromImpressionsRanksEachShoppersColourFirst() throws Exception {
        // shoppers of two colours, each shown a kind's products in a random order: they click their colour at 0.8 and
        // another at 0.05 of the times they look at the slot
        node.call("PUT", "/taste-log", "{\"mappings\":" + InteractionEvent.MAPPING + "}");
        Random random = new Random(5);
        StringBuilder bulk = new StringBuilder();
        int impression = 0;
        for (String colour : List.of("red", "blue")) {
            for (int u = 0; u < 6; u++) {
                for (int n = 0; n < 15; n++, impression++) {
                    String kind = KINDS[(n + u) % KINDS.length];
                    List<String> products = new ArrayList<>();
                    for (String c : COLOURS) {
                        for (int i = 0; i < 3; i++) {
                            products.add(kind + "-" + c + "-" + i);
                        }
                    }
                    Collections.shuffle(products, random);
                    for (int k = 0; k < 10; k++) {
                        String common = String.format(
                                Locale.ROOT,
                                "\"user_id\":\"%s-fan-%d\",\"product_id\":\"%s\",\"query\":\"%s\",\"impression_id\":\"t%d\","
                                        + "\"position\":%d,\"@timestamp\":%d",
                                colour,
                                u,
                                products.get(k),
                                kind,
                                impression,
                                k,
                                1_764_700_000_000L + impression * 1000L + k);
                        bulk.append("{\"index\":{}}\n{").append(common).append(",\"type\":\"view\"}\n");
                        double attraction = products.get(k).contains("-" + colour + "-") ? 0.8 : 0.05;
                        if (random.nextDouble() < 1.0 / (k + 1) && random.nextDouble() < attraction) {
                            bulk.append("{\"index\":{}}\n{").append(common).append(",\"type\":\"click\"}\n");
                        }
                    }
                }
            }
        }
        JsonNode indexed = node.call("POST", "/taste-log/_bulk?refresh=true", bulk.toString());
        assertFalse(indexed.get("errors").asBoolean());
        JsonNode trained = node.call("POST", "/shop/_semantic_ranking/rankers/colour-taste/_train", """
            {"template":{"query":{"match":{"title":"{{query}}"}}},"window_size":12,"folds":1,"model":{"type":"linear"},
             "features":[{"name":"title","query":{"match":{"title":"{{query}}"}}},
                         {"name":"colour","shopper":{"measure":"affinity","field":"colour"}},
                         {"name":"coec","clicks":{"measure":"coec","index":"taste-log"}}],
             "impressions_from":{"events":{"index":"taste-log","min_impressions":5}}}""");
        assertEquals(12, trained.get("impressions_from").get("users").asInt(), trained.toString());
        assertTrue(trained.get("impressions_from").get("impressions").asInt() > 60, trained.toString());
        node.call("POST", "/_semantic_ranking/profiles/_build", """
            {"products_index":"shop","interactions_index":"taste-log","vector_field":"vec","affinity_fields":["colour"]}""");
        // the query's clicks as a search reads them: every lamp was shown, the two colours shoppers choose out-click
        // their slots and the others do not
        JsonNode logged = node.call("POST", "/shop/_search", """
            {"size":12,"query":{"match":{"title":"lamp"}},
             "rescore":{"window_size":12,"learned_rank":{"params":{"query":"lamp"},"features":[
               {"name":"coec","clicks":{"measure":"coec","index":"taste-log"}},
               {"name":"shown","clicks":{"measure":"impressions","index":"taste-log"}}]}}}""");
        double chosen = 0, other = 0;
        int chosenHits = 0, otherHits = 0;
        for (JsonNode hit : logged.get("hits").get("hits")) {
            JsonNode values = hit.get("fields").get("_learned_rank").get(0).get("features");
            assertTrue(values.get("shown").asDouble() > 0, logged.toString());
            String id = hit.get("_id").asText();
            if (id.contains("-red-") || id.contains("-blue-")) {
                chosen += values.get("coec").asDouble();
                chosenHits++;
            } else {
                other += values.get("coec").asDouble();
                otherHits++;
            }
        }
        assertTrue(chosenHits > 0 && otherHits > 0, logged.toString());
        assertTrue(chosen / chosenHits > 1 && other / otherHits < 1, logged.toString());
        for (String colour : List.of("red", "blue")) {
            JsonNode served = node.call("POST", "/shop/_search", String.format(Locale.ROOT, """
                {"size":3,"query":{"match":{"title":"lamp"}},
                 "rescore":{"window_size":12,"learned_rank":{"ranker_id":"colour-taste","score_breakdown":true,
                   "params":{"query":"lamp","user_id":"%s-fan-0"}}}}""", colour));
            for (JsonNode hit : served.get("hits").get("hits")) {
                assertTrue(hit.get("_id").asText().contains("-" + colour + "-"), colour + ": " + served);
            }
        }
    }
}
