package org.semanticranking;

import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.rest.ObjectPath;
import org.semanticranking.personalization.profile.ProfilesIndex;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/**
 * Shopper features in {@code learned_rank} on 2 nodes over real HTTP: the profile's affinity and price fit as logged
 * values checked by hand, a ranker trained on requests of two shoppers with opposite tastes ranking the same query
 * differently for each, its breakdown showing the shopper's part, and a shopper with no profile ranked by the
 * non-personal part with a warning.
 */
@ESIntegTestCase.ClusterScope(
        scope = ESIntegTestCase.Scope.SUITE,
        numDataNodes = 2,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class ShopperFeaturesClusterTests extends SemanticRankingIntegTestCase {

    static final double NOVA_LOG_MEAN = Math.log(20), NOVA_LOG_STD = 0.3;

    static void profiles() throws IOException {
        call("PUT", "/user_profiles", "{\"mappings\":" + ProfilesIndex.MAPPING + "}");
        call(
                "PUT",
                "/user_profiles/_doc/nova-fan?refresh=true",
                String.format(java.util.Locale.ROOT, """
            {"user_id":"nova-fan","affinities":{"brand":{"nova":0.9,"acme":0.1}},
             "price":{"log_mean":%s,"log_std":%s}}""", NOVA_LOG_MEAN, NOVA_LOG_STD));
        call("PUT", "/user_profiles/_doc/acme-fan?refresh=true", """
            {"user_id":"acme-fan","affinities":{"brand":{"acme":1.0}}}""");
    }

    static final String FEATURES = """
        [{"name":"title_bm25","query":{"match":{"title":"{{query}}"}}},
         {"name":"brand_affinity","shopper":{"measure":"affinity","field":"brand"}},
         {"name":"price_fit","shopper":{"measure":"price_fit","field":"price"}},
         {"name":"taste","shopper":{"measure":"profile_cosine","field":"vec"}}]""";

    @SuppressWarnings("unchecked")
    public void testShopperFeaturesAreWhatTheProfileSays() throws Exception {
        LearnedRankClusterTests.indexProducts();
        profiles();
        ObjectPath logged = call("POST", "/shop/_search", """
            {"size":8,"query":{"match":{"title":"kettle"}},
             "rescore":{"window_size":8,"learned_rank":{"params":{"query":"kettle","user_id":"nova-fan"},
               "features":%s}}}""".replace("%s", FEATURES));
        List<Map<String, Object>> hits = logged.evaluate("hits.hits");
        assertThat(hits.size(), equalTo(8));
        for (Map<String, Object> hit : hits) {
            String id = (String) hit.get("_id");
            String[] parts = id.split("-");
            Map<String, Object> values =
                    (Map<String, Object>) LearnedRankClusterTests.learned(hit).get("features");
            double affinity = ((Number) values.get("brand_affinity")).doubleValue();
            assertThat(id, affinity, closeTo(parts[1].equals("nova") ? 0.9 : parts[1].equals("acme") ? 0.1 : 0, 1e-6));
            int c = List.of(LearnedRankClusterTests.CATEGORIES).indexOf(parts[0]);
            int b = List.of(LearnedRankClusterTests.BRANDS).indexOf(parts[1]);
            int s = List.of(LearnedRankClusterTests.STYLES).indexOf(parts[2]);
            double z = (Math.log(LearnedRankClusterTests.price(c, b, s)) - NOVA_LOG_MEAN) / NOVA_LOG_STD;
            assertThat(id, ((Number) values.get("price_fit")).doubleValue(), closeTo(Math.exp(-0.5 * z * z), 1e-5));
            assertThat("no profile vector: 0", ((Number) values.get("taste")).doubleValue(), equalTo(0.0));
        }
    }

    /** A shopper for the cheap end of their lists: each hit's place in the window's prices, times -0.5. */
    @SuppressWarnings("unchecked")
    public void testPricePositionIsTheHitsPlaceInTheWindowTimesTheShoppersInTheirLists() throws Exception {
        LearnedRankClusterTests.indexProducts();
        // three clicks, each the cheapest of its list: -3 over 3 clicks and the prior's 1, -0.75
        ObjectPath logged = call("POST", "/shop/_search", """
            {"size":8,"query":{"match":{"title":"kettle"}},
             "rescore":{"window_size":8,"learned_rank":{"params":{"query":"kettle"},
               "shopper":{"profile":{"price_taste":{"bins":[],"clicks":[],"expected":[],
                  "list_position":{"sum":-3,"clicks":3}}}},
               "features":[{"name":"price","field":{"name":"price"}},
                 {"name":"position","shopper":{"measure":"price_position","field":"price"}}]}}}""");
        List<Map<String, Object>> hits = logged.evaluate("hits.hits");
        assertThat(hits.size(), equalTo(8));
        double[] prices = new double[hits.size()];
        for (int i = 0; i < prices.length; i++) {
            prices[i] = ((Number) ((Map<String, Object>)
                                    LearnedRankClusterTests.learned(hits.get(i)).get("features"))
                            .get("price"))
                    .doubleValue();
        }
        double cheapest = Double.NaN, dearest = Double.NaN;
        for (int i = 0; i < prices.length; i++) {
            double below = 0;
            for (int j = 0; j < prices.length; j++) {
                below += j == i ? 0 : prices[j] < prices[i] ? 1 : prices[j] == prices[i] ? 0.5 : 0;
            }
            double position = ((Number) ((Map<String, Object>)
                                    LearnedRankClusterTests.learned(hits.get(i)).get("features"))
                            .get("position"))
                    .doubleValue();
            assertThat(position, closeTo(-0.75 * (2 * below / 7 - 1), 1e-6));
            if (below == 0) {
                cheapest = position;
            }
            if (below == 7) {
                dearest = position;
            }
        }
        assertThat("the cheapest kettle is where this shopper clicks", cheapest, closeTo(0.75, 1e-6));
        assertThat(dearest, closeTo(-0.75, 1e-6));
    }

    /** Each shopper's requests: every category, the shopper's brand rated 3 and the others 0. */
    static String judgments() {
        StringBuilder requests = new StringBuilder(), ratings = new StringBuilder();
        for (String fan : List.of("nova", "acme")) {
            for (int c = 0; c < LearnedRankClusterTests.CATEGORIES.length; c++) {
                String category = LearnedRankClusterTests.CATEGORIES[c];
                String rid = category + "-" + fan;
                requests.append(requests.length() == 0 ? "" : ",")
                        .append("{\"id\":\"")
                        .append(rid)
                        .append("\",\"params\":{\"query\":\"")
                        .append(category)
                        .append("\",\"user_id\":\"")
                        .append(fan)
                        .append("-fan\"}}");
                for (int b = 0; b < LearnedRankClusterTests.BRANDS.length; b++) {
                    for (int s = 0; s < LearnedRankClusterTests.STYLES.length; s++) {
                        ratings.append(ratings.length() == 0 ? "" : ",")
                                .append("{\"request\":\"")
                                .append(rid)
                                .append("\",\"_id\":\"")
                                .append(LearnedRankClusterTests.id(c, b, s))
                                .append("\",\"grade\":")
                                .append(LearnedRankClusterTests.BRANDS[b].equals(fan) ? 3 : 0)
                                .append("}");
                    }
                }
            }
        }
        return "\"requests\":[" + requests + "],\"ratings\":[" + ratings + "]";
    }

    @SuppressWarnings("unchecked")
    public void testARankerWithShopperFeaturesRanksTheSameQueryByEachShoppersTaste() throws Exception {
        LearnedRankClusterTests.indexProducts();
        profiles();
        call(
                "POST",
                "/shop/_semantic_ranking/rankers/taste/_train",
                "{\"template\":{\"query\":{\"match\":{\"title\":"
                        + "\"{{query}}\"}}},\"window_size\":20,\"folds\":1,\"model\":{\"type\":\"linear\"},\"features\":"
                        + FEATURES + "," + judgments() + "}");
        for (String fan : List.of("nova", "acme")) {
            ObjectPath served = call("POST", "/shop/_search", """
                {"size":2,"query":{"match":{"title":"lamp"}},
                 "rescore":{"window_size":20,"learned_rank":{"ranker_id":"taste","score_breakdown":true,
                   "params":{"query":"lamp","user_id":"%s-fan"}}}}""".replace("%s", fan));
            List<Map<String, Object>> hits = served.evaluate("hits.hits");
            for (Map<String, Object> hit : hits) {
                assertThat(fan + "'s lamps come first", ((String) hit.get("_id")).split("-")[1], equalTo(fan));
                Map<String, Object> parts = (Map<String, Object>)
                        LearnedRankClusterTests.learned(hit).get("contributions");
                assertThat(
                        "the shopper's part of the score",
                        ((Number) parts.get("brand_affinity")).doubleValue(),
                        greaterThan(0.0));
            }
        }
        Request request = new Request("POST", "/shop/_search");
        request.setJsonEntity("""
            {"size":8,"query":{"match":{"title":"lamp"}},
             "rescore":{"window_size":20,"learned_rank":{"ranker_id":"taste","score_breakdown":true,
               "params":{"query":"lamp","user_id":"stranger"}}}}""");
        Response response = getRestClient().performRequest(request);
        assertThat(
                String.join("\n", response.getWarnings()),
                containsString(
                        "[learned_rank] shopper [stranger] has no profile: the ranker's profile features are 0"));
        ObjectPath stranger = ObjectPath.createFromResponse(response);
        List<Map<String, Object>> hits = stranger.evaluate("hits.hits");
        assertThat(hits.size(), equalTo(8));
        for (Map<String, Object> hit : hits) {
            Map<String, Object> values =
                    (Map<String, Object>) LearnedRankClusterTests.learned(hit).get("features");
            assertThat(((Number) values.get("brand_affinity")).doubleValue(), equalTo(0.0));
            assertThat(((Number) values.get("price_fit")).doubleValue(), equalTo(0.0));
        }
    }

    public void testAShopperFeatureWithoutItsUserIsA400() throws Exception {
        LearnedRankClusterTests.indexProducts();
        org.elasticsearch.client.ResponseException e = expectThrows(
                org.elasticsearch.client.ResponseException.class, () -> call("POST", "/shop/_search", """
                    {"query":{"match":{"title":"lamp"}},"rescore":{"learned_rank":{"params":{"query":"lamp"},
                      "features":[{"name":"a","shopper":{"measure":"affinity","field":"brand"}}]}}}"""));
        assertThat(e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(e.getMessage(), containsString("feature [a] reads [{{user_id}}], which [params] does not give"));
        e = expectThrows(org.elasticsearch.client.ResponseException.class, () -> call("POST", "/shop/_search", """
                    {"query":{"match":{"title":"lamp"}},"rescore":{"learned_rank":{"params":{"query":"lamp"},
                      "features":[{"name":"a","shopper":{"measure":"likes","field":"brand"}}]}}}"""));
        assertThat(e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(
                e.getMessage(),
                containsString(
                        "[shopper] [measure] must be one of [profile_cosine, session_cosine, session_max_cosine, "
                                + "affinity, price_fit, price_taste, price_position] but was [likes]"));
    }
}
