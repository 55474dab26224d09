package org.semanticranking;

import org.elasticsearch.client.ResponseException;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.rest.ObjectPath;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.profile.PriceTaste;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * A ranker trained from logged impressions and clicks on 2 nodes over real HTTP ({@code impressions_from} in place of
 * requests and ratings): shoppers who click their favourite brand under a position bias, the propensities the training
 * estimated, the shopper's brand learned from the profile as it was before each impression, and the ranker serving each
 * shopper their brand first; the inline shopper a training gives each impression, read by a logging
 * {@code learned_rank}; and the bad input of such a training answered 400 with the reason.
 */
@ESIntegTestCase.ClusterScope(
        scope = ESIntegTestCase.Scope.SUITE,
        numDataNodes = 2,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class ImpressionTrainingClusterTests extends SemanticRankingIntegTestCase {

    static final int SLOTS = 8, IMPRESSIONS_PER_USER = 40, USERS_PER_BRAND = 10;

    static double examination(int slot) {
        return 1.0 / (slot + 1);
    }

    /**
     * Shoppers of two brands ({@code nova-u<i>}, {@code acme-u<i>}), each searching the categories in turn and shown all
     * eight of the category's products in a random order: they click their brand's at 0.9 and another at 0.05 of the
     * times they look at the slot.
     */
    static void logEvents(Random random) throws IOException {
        call(
                "PUT",
                "/shop-events",
                "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},\"mappings\":"
                        + InteractionEvent.MAPPING + "}");
        StringBuilder bulk = new StringBuilder();
        long time = 1_700_000_000_000L;
        for (String brand : List.of("nova", "acme")) {
            for (int u = 0; u < USERS_PER_BRAND; u++) {
                String user = brand + "-u" + u;
                for (int i = 0; i < IMPRESSIONS_PER_USER; i++) {
                    int c = (i + u) % LearnedRankClusterTests.CATEGORIES.length;
                    String query = LearnedRankClusterTests.CATEGORIES[c];
                    List<String> page = new ArrayList<>();
                    for (int b = 0; b < LearnedRankClusterTests.BRANDS.length; b++) {
                        for (int s = 0; s < LearnedRankClusterTests.STYLES.length; s++) {
                            page.add(LearnedRankClusterTests.id(c, b, s));
                        }
                    }
                    Collections.shuffle(page, random);
                    String impression = user + "-" + i;
                    time += 10_000;
                    for (int k = 0; k < SLOTS; k++) {
                        event(bulk, user, page.get(k), "view", query, time, impression, k);
                    }
                    for (int k = 0; k < SLOTS; k++) {
                        boolean favourite = page.get(k).split("-")[1].equals(brand);
                        if (random.nextDouble() < examination(k) * (favourite ? 0.9 : 0.05)) {
                            event(bulk, user, page.get(k), "click", query, time + 1 + k, impression, k);
                        }
                    }
                }
            }
        }
        PersonalizedBlendClusterTests.bulk(bulk.toString(), "/shop-events/_bulk");
        call("POST", "/shop-events/_refresh", null);
    }

    static void event(
            StringBuilder bulk,
            String user,
            String product,
            String type,
            String query,
            long at,
            String impression,
            int slot) {
        bulk.append("{\"index\":{}}\n")
                .append(String.format(
                        Locale.ROOT,
                        "{\"user_id\":\"%s\",\"product_id\":\"%s\",\"type\":\"%s\",\"query\":\"%s\",\"@timestamp\":%d,"
                                + "\"impression_id\":\"%s\",\"position\":%d}%n",
                        user,
                        product,
                        type,
                        query,
                        at,
                        impression,
                        slot));
    }

    /** Clicked four times as often as expected near exp(3.05) = 21, a quarter as often near exp(4.55) = 95. */
    static final PriceTaste TASTE = new PriceTaste(new int[] {30, 45}, new double[] {8, 1}, new double[] {2, 4});

    static final String FEATURES_WITH_TASTE = ShopperFeaturesClusterTests.FEATURES.replace(
            "]",
            ",{\"name\":\"price_taste\",\"shopper\":{\"measure\":\"price_taste\",\"field\":\"price\"}},"
                    + "{\"name\":\"session_max\",\"shopper\":{\"measure\":\"session_max_cosine\",\"field\":\"vec\"}}]");

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static final String TRAINING = """
        {"template":{"query":{"match":{"title":"{{query}}"}}},"window_size":20,"folds":2,"model":{"type":"linear"},
         "features":%s,"impressions_from":{"events":{"index":"shop-events","slots":8}}}""";

    @SuppressWarnings("unchecked")
    public void testARankerTrainedFromImpressionsRanksEachShoppersBrandFirst() throws Exception {
        LearnedRankClusterTests.indexProducts();
        ShopperFeaturesClusterTests.profiles();
        logEvents(random());
        ObjectPath trained = call(
                "POST",
                "/shop/_semantic_ranking/rankers/from-clicks/_train",
                String.format(Locale.ROOT, TRAINING, ShopperFeaturesClusterTests.FEATURES));
        int impressions = trained.evaluate("impressions_from.impressions");
        assertThat(
                "impressions with a click",
                impressions,
                allOf(greaterThan(300), lessThanOrEqualTo(2 * 10 * IMPRESSIONS_PER_USER)));
        assertThat(trained.evaluate("impressions_from.users"), equalTo(20));
        List<Number> propensities = trained.evaluate("impressions_from.propensities");
        assertThat(propensities.size(), equalTo(SLOTS));
        assertThat(propensities.get(0).doubleValue(), closeTo(1.0, 1e-9));
        // the simulated examination: 1 / (slot + 1); the estimate from these eight thousand events is rough
        assertThat(propensities.get(3).doubleValue(), closeTo(examination(3), 0.12));
        assertThat(propensities.get(7).doubleValue(), closeTo(examination(7), 0.12));
        double maxWeight = ((Number) trained.evaluate("impressions_from.max_weight")).doubleValue();
        assertThat("a click low on the page weighs more", maxWeight, greaterThan(3.0));
        assertThat(maxWeight, lessThanOrEqualTo(1 / 0.05 + 1e-6));
        Map<String, Number> importance = trained.evaluate("training.importance");
        assertThat(
                "the brand the shopper clicked before is what predicts their clicks",
                importance.get("brand_affinity").doubleValue(),
                greaterThan(importance.get("title_bm25").doubleValue()));

        // served in a hybrid's own rescore section, fewer hits asked for than the window re-ranks
        for (int size : new int[] {2, 10, 20}) {
            ObjectPath inHybrid = call("POST", "/shop/_search", """
                {"size":%d,"retriever":{"semantic_hybrid":{
                   "lexical":{"standard":{"query":{"match":{"title":"speaker"}}}},
                   "semantic":{"standard":{"query":{"semantic_intent":{"query":"speaker","field":"vec","k":20,"num_candidates":48}}}},
                   "rank_window_size":20,
                   "rescore":{"window_size":%w,"learned_rank":{"ranker_id":"from-clicks",
                     "params":{"query":"speaker","user_id":"nova-fan"}}}}}}""".replace("%d", Integer.toString(size))
                    .replace("%w", Integer.toString(Math.max(size, 10))));
            List<Map<String, Object>> top = inHybrid.evaluate("hits.hits");
            assertThat(
                    "in a hybrid, asking for " + size, ((String) top.get(0).get("_id")).split("-")[1], equalTo("nova"));
        }
        for (String fan : List.of("nova", "acme")) {
            ObjectPath served = call("POST", "/shop/_search", """
                {"size":2,"query":{"match":{"title":"speaker"}},
                 "rescore":{"window_size":20,"learned_rank":{"ranker_id":"from-clicks","score_breakdown":true,
                   "params":{"query":"speaker","user_id":"%s-fan"}}}}""".replace("%s", fan));
            List<Map<String, Object>> hits = served.evaluate("hits.hits");
            for (Map<String, Object> hit : hits) {
                assertThat(fan + "'s speakers come first", ((String) hit.get("_id")).split("-")[1], equalTo(fan));
                Map<String, Object> parts = (Map<String, Object>)
                        LearnedRankClusterTests.learned(hit).get("contributions");
                assertThat(((Number) parts.get("brand_affinity")).doubleValue(), greaterThan(0.0));
            }
        }
    }

    /**
     * A training on some of the logged queries (to hold the others out and measure the ranker there) trains on their
     * impressions alone: as many as the log has impressions of those queries with a click, named as the shopper typed
     * them (matched as the log is, ignoring case), while the propensities come from every query's.
     */
    public void testATrainingOnSomeQueriesTrainsOnTheirImpressionsAlone() throws Exception {
        LearnedRankClusterTests.indexProducts();
        logEvents(random());
        String training = """
            {"template":{"query":{"match":{"title":"{{query}}"}}},"window_size":20,"folds":1,"model":{"type":"linear"},
             "features":[{"name":"title","query":{"match":{"title":"{{query}}"}}}],
             "impressions_from":{"events":{"index":"shop-events","slots":8%s}}}""";
        ObjectPath all = call("POST", "/shop/_semantic_ranking/rankers/all/_train", training.replace("%s", ""));
        ObjectPath some = call(
                "POST",
                "/shop/_semantic_ranking/rankers/some/_train",
                training.replace("%s", ",\"queries\":[\" Speaker\",\"LAMP\"]"));
        long clicked = 0;
        for (String query : List.of("speaker", "lamp")) {
            ObjectPath counted = call("POST", "/shop-events/_search", """
                {"size":0,"query":{"bool":{"filter":[{"term":{"type":"click"}},{"term":{"query":"%s"}}]}},
                 "aggs":{"impressions":{"cardinality":{"field":"impression_id"}}}}""".replace("%s", query));
            clicked += ((Number) counted.evaluate("aggregations.impressions.value")).longValue();
        }
        assertThat(clicked, greaterThan(0L));
        assertThat(((Number) some.evaluate("impressions_from.impressions")).longValue(), equalTo(clicked));
        assertThat(
                "two of the six queries",
                ((Number) all.evaluate("impressions_from.impressions")).longValue(),
                greaterThan(2 * clicked));
        assertThat(
                "the propensities are every query's",
                some.evaluate("impressions_from.propensities"),
                equalTo(all.evaluate("impressions_from.propensities")));
        assertBadRequest(
                "/shop/_semantic_ranking/rankers/none/_train",
                training.replace("%s", ",\"queries\":[\"sofa\"]"),
                "no impression of [shop-events] has a click on a product it showed and a query of [queries]");
    }

    @SuppressWarnings("unchecked")
    public void testAnInlineShopperIsWhatTheShopperFeaturesRead() throws Exception {
        LearnedRankClusterTests.indexProducts();
        // two products' vectors as the index holds them: the shopper's latest events
        Map<String, String> vectors = new HashMap<>();
        ObjectPath two = call("POST", "/shop/_search", """
            {"query":{"ids":{"values":["cable-zeta-classic","lamp-nova-compact"]}},
             "_source":{"includes":["vec"],"exclude_vectors":false}}""");
        List<Map<String, Object>> docs = two.evaluate("hits.hits");
        Map<String, float[]> byId = new HashMap<>();
        for (Map<String, Object> doc : docs) {
            List<Number> v = (List<Number>) ((Map<String, Object>) doc.get("_source")).get("vec");
            vectors.put((String) doc.get("_id"), v.toString());
            float[] f = new float[v.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = v.get(i).floatValue();
            }
            byId.put((String) doc.get("_id"), f);
        }
        ObjectPath own = call("POST", "/shop/_search", """
            {"size":8,"query":{"match":{"title":"cable"}},"_source":{"includes":["vec"],"exclude_vectors":false}}""");
        Map<String, float[]> hitVectors = new HashMap<>();
        for (Map<String, Object> doc : (List<Map<String, Object>>) own.evaluate("hits.hits")) {
            List<Number> v = (List<Number>) ((Map<String, Object>) doc.get("_source")).get("vec");
            float[] f = new float[v.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = v.get(i).floatValue();
            }
            hitVectors.put((String) doc.get("_id"), f);
        }
        ObjectPath logged = call("POST", "/shop/_search", """
            {"size":8,"query":{"match":{"title":"cable"}},
             "rescore":{"window_size":8,"learned_rank":{"params":{"query":"cable","user_id":"nobody"},
               "shopper":{"profile":{"affinities":{"brand":{"zeta":0.7,"orbit":0.3}},
                 "price_taste":{"bins":[30,45],"clicks":[8,1],"expected":[2,4]}},
                 "session_vectors":[%v]},
               "features":%s}}}""".replace("%s", FEATURES_WITH_TASTE)
                .replace("%v", vectors.get("cable-zeta-classic") + "," + vectors.get("lamp-nova-compact")));
        List<Map<String, Object>> hits = logged.evaluate("hits.hits");
        assertThat(hits.size(), equalTo(8));
        for (Map<String, Object> hit : hits) {
            String brand = ((String) hit.get("_id")).split("-")[1];
            Map<String, Object> values =
                    (Map<String, Object>) LearnedRankClusterTests.learned(hit).get("features");
            assertThat(
                    ((Number) values.get("brand_affinity")).doubleValue(),
                    closeTo(brand.equals("zeta") ? 0.7 : brand.equals("orbit") ? 0.3 : 0, 1e-6));
            assertThat(
                    "the inline profile has no price", ((Number) values.get("price_fit")).doubleValue(), equalTo(0.0));
        }
    }

    public void testATrainingFromImpressionsThatCannotRunIsA400WithTheReason() throws Exception {
        LearnedRankClusterTests.indexProducts();
        String path = "/shop/_semantic_ranking/rankers/r/_train";
        String template =
                "\"template\":{\"query\":{\"match\":{\"title\":\"{{query}}\"}}},\"model\":{\"type\":\"linear\"},"
                        + "\"folds\":1,\"features\":" + ShopperFeaturesClusterTests.FEATURES;
        assertBadRequest(
                path,
                "{" + template + ",\"requests\":[{\"id\":\"a\"}],\"impressions_from\":{\"events\":{}}}",
                "takes [impressions_from] or [requests], not both");
        assertBadRequest(
                path, "{" + template + ",\"impressions_from\":{\"clicks\":{}}}", "[impressions_from] must be {");
        assertBadRequest(
                path,
                "{" + template + ",\"impressions_from\":{\"events\":{\"propensity_floor\":0}}}",
                "[impressions_from.events.propensity_floor] must be a number between 0.001 and 1 but was [0]");
        assertBadRequest(
                path,
                "{" + template + ",\"impressions_from\":{\"events\":{\"min_clicks\":3}}}",
                "unknown parameter [min_clicks] of [impressions_from.events]");
        assertBadRequest(
                path,
                "{" + template + ",\"impressions_from\":{\"events\":{\"queries\":[]}}}",
                "[impressions_from.events.queries] must be a list of 1 to 65536 logged queries but was [[]]");
        assertBadRequest(
                path,
                "{" + template + ",\"impressions_from\":{\"events\":{\"queries\":[\"lamp\",7]}}}",
                "[impressions_from.events.queries] must hold query texts but held [7]");
        assertBadRequest(
                path,
                "{\"template\":{\"query\":{\"match\":{\"title\":\"{{text}}\"}}},\"features\":"
                        + ShopperFeaturesClusterTests.FEATURES + ",\"impressions_from\":{\"events\":{}}}",
                "filled with [query] (the logged query) and [user_id] (the shopper) only: request [impressions_from] "
                        + "gives no value for the placeholder [{{text}}]");
        // logged clicks, but no result list: nothing says what the shopper passed over
        call(
                "PUT",
                "/bare-events",
                "{\"settings\":{\"number_of_replicas\":0},\"mappings\":" + InteractionEvent.MAPPING + "}");
        call("POST", "/bare-events/_doc?refresh=true", """
            {"user_id":"u1","product_id":"lamp-acme-classic","type":"click","@timestamp":1700000000000}""");
        assertBadRequest(
                path,
                "{" + template + ",\"impressions_from\":{\"events\":{\"index\":\"bare-events\"}}}",
                "the events index [bare-events] has no impressions");
        ResponseException missing = expectThrows(
                ResponseException.class,
                () -> call(
                        "POST",
                        path,
                        "{" + template + ",\"impressions_from\":{\"events\":{\"index\":\"no-such-events\"}}}"));
        assertThat(missing.getResponse().getStatusLine().getStatusCode(), equalTo(404));
    }

    private static void assertBadRequest(String path, String body, String reason) {
        ResponseException e = expectThrows(ResponseException.class, () -> call("POST", path, body));
        assertThat(e.getMessage(), e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(e.getMessage(), containsString(reason));
    }
}
