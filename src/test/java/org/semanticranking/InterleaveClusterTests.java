package org.semanticranking;

import org.elasticsearch.client.ResponseException;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.rest.ObjectPath;
import org.semanticranking.interleaving.InterleavingOutcome;
import org.semanticranking.interleaving.OptimizedInterleaving;
import org.semanticranking.interleaving.TeamDraft;
import org.semanticranking.personalization.events.InteractionEvent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

/**
 * The {@code interleave} retriever and {@code interleaving/_results} on 2 nodes over real HTTP: the list is the
 * team draft of the two sides' own results (the same for the same seed, on one shard and on three), each hit names
 * its side in {@code fields}; an experiment's logged clicks give its wins, losses and ties; bad input is a 400.
 */
@ESIntegTestCase.ClusterScope(
        scope = ESIntegTestCase.Scope.SUITE,
        numDataNodes = 2,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class InterleaveClusterTests extends SemanticRankingIntegTestCase {

    /** Side a's ranking and side b's: overlapping, each scored without ties (a constant score per product). */
    static final List<String> RANKING_A = List.of(
            "kettle-acme-classic",
            "kettle-zeta-classic",
            "kettle-nova-classic",
            "kettle-orbit-classic",
            "speaker-acme-classic",
            "speaker-zeta-classic",
            "lamp-acme-classic",
            "lamp-nova-classic",
            "cable-acme-classic",
            "mouse-acme-classic");

    static final List<String> RANKING_B = List.of(
            "kettle-nova-classic",
            "kettle-nova-compact",
            "speaker-nova-classic",
            "kettle-acme-classic",
            "lamp-nova-classic",
            "lamp-nova-compact",
            "cable-nova-classic",
            "kettle-zeta-classic",
            "mouse-nova-classic",
            "headphones-nova-classic");
    static final String A = retriever(RANKING_A);
    static final String B = retriever(RANKING_B);

    static String retriever(List<String> ranking) {
        StringBuilder should = new StringBuilder();
        for (int i = 0; i < ranking.size(); i++) {
            should.append(i == 0 ? "" : ",")
                    .append("{\"constant_score\":{\"filter\":{\"ids\":{\"values\":[\"")
                    .append(ranking.get(i))
                    .append("\"]}},\"boost\":")
                    .append(ranking.size() - i)
                    .append("}}");
        }
        return "{\"standard\":{\"query\":{\"bool\":{\"should\":[" + should + "]}}}}";
    }

    static String interleave(String seed, String index) {
        return String.format(Locale.ROOT, """
            {"size":10,"_source":false,"retriever":{"interleave":{"a":%s,"b":%s,"seed":"%s",
              "experiment":"brand-boost","rank_window_size":10}}}""", A, B, seed);
    }

    static List<String> ids(ObjectPath response) throws IOException {
        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> hits = response.evaluate("hits.hits");
        hits.forEach(h -> ids.add((String) h.get("_id")));
        return ids;
    }

    @SuppressWarnings("unchecked")
    public void testTheListIsTheTeamDraftOfBothSidesAndEachHitNamesItsSide() throws Exception {
        LearnedRankClusterTests.indexProducts();
        for (String index : List.of("shop", "shop3")) {
            List<String> a = RANKING_A, b = RANKING_B;
            for (String seed : List.of("imp-1", "imp-2", "imp-3", "imp-" + randomAlphaOfLength(5))) {
                ObjectPath response = call("POST", "/" + index + "/_search", interleave(seed, index));
                List<Map<String, Object>> hits = response.evaluate("hits.hits");
                List<TeamDraft.Pick<String>> expected = TeamDraft.interleave(a, b, 10, TeamDraft.seed(seed));
                assertThat(
                        ids(response),
                        equalTo(expected.stream().map(TeamDraft.Pick::key).toList()));
                int[] team = new int[2];
                for (int i = 0; i < hits.size(); i++) {
                    Map<String, Object> side = ((List<Map<String, Object>>)
                                    ((Map<String, Object>) hits.get(i).get("fields")).get("_interleave"))
                            .get(0);
                    assertThat(side.get("experiment"), equalTo("brand-boost"));
                    assertThat(
                            seed + " rank " + (i + 1),
                            side.get("side"),
                            equalTo(expected.get(i).side() == 0 ? "a" : "b"));
                    String id = (String) hits.get(i).get("_id");
                    List<String> own = side.get("side").equals("a") ? a : b;
                    assertThat("picked by a side that has it", own.contains(id), equalTo(true));
                    assertThat(side.get("side_rank"), equalTo(own.indexOf(id) + 1));
                    team[side.get("side").equals("a") ? 0 : 1]++;
                }
                assertThat(Math.abs(team[0] - team[1]) <= 1, equalTo(true));
                assertThat(
                        "the same seed, the same list",
                        ids(call("POST", "/" + index + "/_search", interleave(seed, index))),
                        equalTo(ids(response)));
            }
        }
    }

    public void testAnExperimentsClicksGiveItsWinsLossesAndTies() throws Exception {
        LearnedRankClusterTests.indexProducts();
        createInteractions();
        StringBuilder bulk = new StringBuilder();
        // 30 impressions: side a clicked more in 20, side b in 6, as many in 2, nothing clicked in 2
        String[] outcomes = new String[30];
        for (int i = 0; i < 30; i++) {
            outcomes[i] = i < 20 ? "a" : i < 26 ? "b" : i < 28 ? "tie" : "none";
        }
        for (int i = 0; i < 30; i++) {
            String impression = "imp-" + i;
            ObjectPath page = call("POST", "/shop/_search", interleave(impression, "shop"));
            List<Map<String, Object>> hits = page.evaluate("hits.hits");
            String firstA = null, firstB = null;
            for (int k = 0; k < hits.size(); k++) {
                String side = page.evaluate("hits.hits." + k + ".fields._interleave.0.side");
                String id = (String) hits.get(k).get("_id");
                bulk.append(event(id, "view", impression, k, side));
                if (side.equals("a") && firstA == null) {
                    firstA = id;
                } else if (side.equals("b") && firstB == null) {
                    firstB = id;
                }
            }
            switch (outcomes[i]) {
                case "a" ->
                    bulk.append(event(firstA, "click", impression, 0, "a"))
                            .append(event(firstA, "purchase", impression, 0, "a"));
                case "b" -> bulk.append(event(firstB, "click", impression, 0, "b"));
                case "tie" ->
                    bulk.append(event(firstA, "click", impression, 0, "a"))
                            .append(event(firstB, "click", impression, 1, "b"));
                default -> {}
            }
        }
        // another experiment's events do not count
        bulk.append(event("kettle-acme-classic", "click", "other-1", 0, "b").replace("brand-boost", "other"));
        PersonalizedBlendClusterTests.bulk(bulk.toString(), "/interactions/_bulk?refresh=true");
        ObjectPath results = call("POST", "/shop/_semantic_ranking/interleaving/_results", """
            {"experiment":"brand-boost","index":"interactions"}""");
        assertThat(results.evaluate("results.a.wins"), equalTo(20));
        assertThat(results.evaluate("results.a.losses"), equalTo(6));
        assertThat(results.evaluate("results.b.wins"), equalTo(6));
        assertThat(results.evaluate("results.a.ties"), equalTo(2));
        assertThat(results.evaluate("results.impressions_without_clicks"), equalTo(2));
        assertThat(
                ((Number) results.evaluate("results.preference")).doubleValue(), closeTo((20 + 1) / 28.0 - 0.5, 1e-9));
        assertThat(results.evaluate("results.preferred"), equalTo("a"));
        // 20 against 6: two-sided sign test
        double p = ((Number) results.evaluate("results.sign_test.p_value")).doubleValue();
        assertThat(p, closeTo(0.00936, 0.0001));
        // a's wins were a click and a purchase each (2 - 0), b's a click (0 - 1), the ties one each (0): by default the
        // preferred side is the click difference's, a paired t-test over the 28 impressions with a click on a side
        assertThat(results.evaluate("results.test"), equalTo("click_difference"));
        assertThat(results.evaluate("results.a.clicks"), equalTo(20 * 2 + 2));
        assertThat(results.evaluate("results.b.clicks"), equalTo(6 + 2));
        assertThat(
                ((Number) results.evaluate("results.click_difference.mean")).doubleValue(),
                closeTo((20 * 2 - 6) / 28.0, 1e-9));
        double clickP = ((Number) results.evaluate("results.click_difference.p_value")).doubleValue();
        assertThat(clickP, lessThan(1e-4));
        assertThat(((Number) results.evaluate("results.p_value")).doubleValue(), closeTo(clickP, 1e-12));
        ObjectPath bySign = call("POST", "/shop/_semantic_ranking/interleaving/_results", """
            {"experiment":"brand-boost","index":"interactions","test":"sign"}""");
        assertThat(bySign.evaluate("results.test"), equalTo("sign"));
        assertThat(((Number) bySign.evaluate("results.p_value")).doubleValue(), closeTo(0.00936, 0.0001));
        assertThat(bySign.evaluate("results.preferred"), equalTo("a"));
    }

    static String optimized(String seed) {
        return String.format(Locale.ROOT, """
            {"size":10,"_source":false,"retriever":{"interleave":{"a":%s,"b":%s,"seed":"%s",
              "experiment":"brand-boost","rank_window_size":10,"method":"optimized","page_size":10}}}""", A, B, seed);
    }

    @SuppressWarnings("unchecked")
    public void testAnOptimizedListIsADrawOfItsPlanAndEachHitSaysWhatAClickCredits() throws Exception {
        LearnedRankClusterTests.indexProducts();
        OptimizedInterleaving.Plan<String> plan =
                OptimizedInterleaving.plan(RANKING_A, RANKING_B, 10, OptimizedInterleaving.CREDIT);
        for (String index : List.of("shop", "shop3")) {
            java.util.Set<List<String>> pages = new java.util.HashSet<>();
            for (int i = 0; i < 12; i++) {
                String seed = "imp-" + i;
                ObjectPath response = call("POST", "/" + index + "/_search", optimized(seed));
                OptimizedInterleaving.Page<String> expected = plan.draw(TeamDraft.seed(seed));
                assertThat(seed, ids(response), equalTo(expected.keys()));
                pages.add(ids(response));
                List<Map<String, Object>> hits = response.evaluate("hits.hits");
                for (int k = 0; k < hits.size(); k++) {
                    Map<String, Object> side = ((List<Map<String, Object>>)
                                    ((Map<String, Object>) hits.get(k).get("fields")).get("_interleave"))
                            .get(0);
                    double credit = ((Number) side.get("credit")).doubleValue();
                    assertThat(credit, closeTo(expected.credits()[k], 1e-9));
                    String id = (String) hits.get(k).get("_id");
                    int rankA = RANKING_A.contains(id) ? RANKING_A.indexOf(id) + 1 : 11;
                    int rankB = RANKING_B.contains(id) ? RANKING_B.indexOf(id) + 1 : 11;
                    assertThat(side.get("side"), equalTo(rankA < rankB ? "a" : rankB < rankA ? "b" : "both"));
                }
                assertThat(ids(call("POST", "/" + index + "/_search", optimized(seed))), equalTo(ids(response)));
            }
            assertThat("the seeds draw different lists", pages.size() > 1, equalTo(true));
        }
    }

    /** The clicks of optimized pages, logged with the credit of their hits' fields, are counted by their credit. */
    public void testAnOptimizedExperimentIsCountedByItsCredits() throws Exception {
        LearnedRankClusterTests.indexProducts();
        createInteractions();
        StringBuilder bulk = new StringBuilder();
        InterleavingOutcome.Counter expected = new InterleavingOutcome.Counter();
        for (int i = 0; i < 40; i++) {
            String impression = "opt-" + i;
            ObjectPath page = call("POST", "/shop/_search", optimized(impression));
            List<Map<String, Object>> hits = page.evaluate("hits.hits");
            long[] clicks = new long[2];
            double[] credit = new double[2];
            for (int k = 0; k < hits.size(); k++) {
                String side = page.evaluate("hits.hits." + k + ".fields._interleave.0.side");
                double c = ((Number) page.evaluate("hits.hits." + k + ".fields._interleave.0.credit")).doubleValue();
                String id = (String) hits.get(k).get("_id");
                bulk.append(event(id, "view", impression, k, side, c));
                // a shopper who clicks the kettles of the first four slots
                if (k < 4 && id.startsWith("kettle-") && side.equals("both") == false) {
                    bulk.append(event(id, "click", impression, k, side, c));
                    int s = side.equals("a") ? 0 : 1;
                    clicks[s]++;
                    credit[s] += Math.abs((float) c);
                }
            }
            expected.add(clicks[0], clicks[1], credit[0], credit[1]);
        }
        PersonalizedBlendClusterTests.bulk(bulk.toString(), "/interactions/_bulk?refresh=true");
        InterleavingOutcome outcome = expected.outcome();
        ObjectPath results = call("POST", "/shop/_semantic_ranking/interleaving/_results", """
            {"experiment":"brand-boost","index":"interactions"}""");
        assertThat(results.evaluate("results.a.wins"), equalTo((int) outcome.winsA()));
        assertThat(results.evaluate("results.b.wins"), equalTo((int) outcome.winsB()));
        assertThat(results.evaluate("results.a.ties"), equalTo((int) outcome.ties()));
        assertThat(results.evaluate("results.a.clicks"), equalTo((int) outcome.clicksA()));
        assertThat(((Number) results.evaluate("results.a.credit")).doubleValue(), closeTo(outcome.creditA(), 1e-4));
        assertThat(((Number) results.evaluate("results.b.credit")).doubleValue(), closeTo(outcome.creditB(), 1e-4));
        assertThat(outcome.creditA() + outcome.creditB(), org.hamcrest.Matchers.greaterThan(0.0));
        assertThat(
                ((Number) results.evaluate("results.click_difference.mean")).doubleValue(),
                closeTo(outcome.clickDifference(), 1e-4));
        assertThat(
                ((Number) results.evaluate("results.click_difference.p_value")).doubleValue(),
                closeTo(outcome.clickDifferencePValue(), 1e-3));
    }

    private static String event(String product, String type, String impression, int position, String side, double c) {
        return String.format(Locale.ROOT, """
            {"index":{}}
            {"user_id":"u1","product_id":"%s","type":"%s","impression_id":"%s","position":%d,"experiment":"brand-boost",\
            "side":"%s","credit":%s,"@timestamp":"2026-11-20T10:00:00Z"}
            """, product, type, impression, position, side, c);
    }

    /** The events index, with the documented mapping, on two shards. */
    private static void createInteractions() throws IOException {
        call(
                "PUT",
                "/interactions",
                "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},\"mappings\":"
                        + InteractionEvent.MAPPING + "}");
    }

    private static String event(String product, String type, String impression, int position, String side) {
        return String.format(Locale.ROOT, """
            {"index":{}}
            {"user_id":"u1","product_id":"%s","type":"%s","impression_id":"%s","position":%d,"experiment":"brand-boost",\
            "side":"%s","@timestamp":"2026-11-20T10:00:00Z"}
            """, product, type, impression, position, side);
    }

    public void testOneSideNoSeedAndUnknownExperimentsAre400sWithTheReason() throws Exception {
        LearnedRankClusterTests.indexProducts();
        assertBadRequest(
                "/shop/_search",
                "{\"retriever\":{\"interleave\":{\"a\":" + A + ",\"seed\":\"s\"}}}",
                "[interleave] compares two rankings: it requires both an [a] and a [b] retriever, but has only [a]");
        assertBadRequest(
                "/shop/_search",
                "{\"retriever\":{\"interleave\":{\"a\":" + A + ",\"b\":" + B + "}}}",
                "[interleave] requires a [seed]: the impression id");
        assertBadRequest(
                "/shop/_search",
                "{\"retriever\":{\"interleave\":{\"a\":" + A + ",\"b\":" + B
                        + ",\"seed\":\"s\",\"method\":\"balanced\"}}}",
                "[interleave] [method] must be one of [team_draft, optimized] but was [balanced]");
        assertBadRequest(
                "/shop/_search",
                "{\"retriever\":{\"interleave\":{\"a\":" + A + ",\"b\":" + B
                        + ",\"seed\":\"s\",\"method\":\"optimized\",\"page_size\":20}}}",
                "[page_size] must be between 1 and 10");
        call("PUT", "/interactions", "{\"mappings\":" + InteractionEvent.MAPPING + "}");
        assertBadRequest(
                "/shop/_semantic_ranking/interleaving/_results",
                "{\"experiment\":\"nope\",\"index\":\"interactions\"}",
                "no impressions of experiment [nope] in [interactions]");
        assertBadRequest(
                "/shop/_semantic_ranking/interleaving/_results",
                "{\"index\":\"interactions\"}",
                "requires [experiment]");
        assertBadRequest(
                "/shop/_semantic_ranking/interleaving/_results",
                "{\"experiment\":\"x\",\"side\":\"a\"}",
                "unknown parameter [side]");
        assertBadRequest(
                "/shop/_semantic_ranking/interleaving/_results",
                "{\"experiment\":\"brand-boost\",\"index\":\"interactions\",\"test\":\"wilcoxon\"}",
                "[test] must be one of [click_difference, sign] but was [wilcoxon]");
    }

    private static void assertBadRequest(String path, String body, String reason) {
        ResponseException e = expectThrows(ResponseException.class, () -> call("POST", path, body));
        assertThat(e.getMessage(), e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(e.getMessage(), containsString(reason));
    }
}
