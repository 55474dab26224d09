package org.semanticranking;

import org.elasticsearch.client.ResponseException;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.rest.ObjectPath;
import org.semanticranking.exploration.Exploration;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The {@code explore} retriever on 2 nodes over real HTTP: the page is its child's ranking with the page's last slots
 * drawn as {@link Exploration} draws them for the seed (on one shard and on three), each hit says where its child
 * ranked it and whether it was drawn; bad options are a 400 with the reason.
 */
@ESIntegTestCase.ClusterScope(
        scope = ESIntegTestCase.Scope.SUITE,
        numDataNodes = 2,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class ExploreClusterTests extends SemanticRankingIntegTestCase {

    /** The child's ranking: 30 of the 48 products, scored without ties. */
    static final List<String> RANKING = ranking();

    static List<String> ranking() {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < LearnedRankClusterTests.CATEGORIES.length && out.size() < 30; c++) {
            for (int b = 0; b < LearnedRankClusterTests.BRANDS.length && out.size() < 30; b++) {
                for (int s = 0; s < LearnedRankClusterTests.STYLES.length && out.size() < 30; s++) {
                    out.add(LearnedRankClusterTests.id(c, b, s));
                }
            }
        }
        return out;
    }

    static String explore(String seed, String options) {
        return String.format(Locale.ROOT, """
            {"size":12,"_source":false,"retriever":{"explore":{"retriever":%s,"seed":"%s"%s}}}""", InterleaveClusterTests.retriever(RANKING), seed, options);
    }

    @SuppressWarnings("unchecked")
    public void testThePageIsTheChildsRankingWithItsLastSlotsDrawnForTheSeed() throws Exception {
        LearnedRankClusterTests.indexProducts();
        String options = ",\"rate\":0.5,\"page_size\":10,\"slots\":3,\"rank_window_size\":25";
        int exploring = 0;
        for (String index : List.of("shop", "shop3")) {
            for (int i = 0; i < 12; i++) {
                String seed = "imp-" + i;
                ObjectPath response = call("POST", "/" + index + "/_search", explore(seed, options));
                List<Map<String, Object>> hits = response.evaluate("hits.hits");
                List<Exploration.Shown> expected = Exploration.order(25, 10, 3, 0.5, Exploration.seed(seed));
                assertThat(hits.size(), equalTo(12));
                List<String> ids = new ArrayList<>();
                for (int k = 0; k < hits.size(); k++) {
                    String id = (String) hits.get(k).get("_id");
                    ids.add(id);
                    assertThat(
                            seed + " rank " + k,
                            id,
                            equalTo(RANKING.get(expected.get(k).rank())));
                    Map<String, Object> shown = ((List<Map<String, Object>>)
                                    ((Map<String, Object>) hits.get(k).get("fields")).get("_explore"))
                            .get(0);
                    assertThat(shown.get("ranked_at"), equalTo(RANKING.indexOf(id) + 1));
                    assertThat(shown.get("explored"), equalTo(expected.get(k).explored()));
                }
                assertThat("no product twice", new HashSet<>(ids).size(), equalTo(ids.size()));
                if (expected.get(9).explored()) {
                    exploring++;
                } else {
                    assertThat("a page that does not explore is the child's", ids, equalTo(RANKING.subList(0, 12)));
                }
                List<Map<String, Object>> again = call("POST", "/" + index + "/_search", explore(seed, options))
                        .evaluate("hits.hits");
                assertThat(
                        "the same seed, the same page",
                        again.stream().map(h -> h.get("_id")).toList(),
                        equalTo(ids));
            }
        }
        assertThat("some of the seeds explored", exploring > 0, equalTo(true));
        assertThat("some did not", exploring < 24, equalTo(true));
    }

    public void testBadOptionsAre400sWithTheReason() throws Exception {
        LearnedRankClusterTests.indexProducts();
        String child = InterleaveClusterTests.retriever(RANKING);
        assertBadRequest(
                "{\"retriever\":{\"explore\":{\"seed\":\"s\"}}}",
                "[explore] requires a [retriever]: the ranking it explores");
        assertBadRequest(
                "{\"retriever\":{\"explore\":{\"retriever\":" + child + "}}}",
                "[explore] requires a [seed]: the impression id");
        assertBadRequest(
                "{\"retriever\":{\"explore\":{\"retriever\":" + child + ",\"seed\":\"s\",\"rate\":2}}}",
                "[explore] [rate] is the share of impressions that explore, from 0 to 1, got [2.0]");
        assertBadRequest(
                "{\"retriever\":{\"explore\":{\"retriever\":" + child + ",\"seed\":\"s\",\"slots\":11}}}",
                "[explore] [slots] are the page's last slots that explore: from 1 to [page_size] (10), got [11]");
        assertBadRequest(
                "{\"retriever\":{\"explore\":{\"retriever\":" + child + ",\"seed\":\"s\",\"rank_window_size\":10}}}",
                "[explore] [rank_window_size] (10) must be larger than [page_size] (10)");
    }

    private static void assertBadRequest(String body, String reason) {
        ResponseException e = expectThrows(ResponseException.class, () -> call("POST", "/shop/_search", body));
        assertThat(e.getMessage(), e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(e.getMessage(), containsString(reason));
    }
}
