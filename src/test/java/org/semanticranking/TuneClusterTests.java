package org.semanticranking;

import org.elasticsearch.client.ResponseException;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.rest.ObjectPath;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * {@code _tune} on 3 nodes over real HTTP: shoppers here rate Sony products best, and a template whose Sony boost
 * starts at 0 should learn to raise it, in and out of sample; also as a background task, and bad input.
 */
@ESIntegTestCase.ClusterScope(
        scope = ESIntegTestCase.Scope.SUITE,
        numDataNodes = 3,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class TuneClusterTests extends SemanticRankingIntegTestCase {

    static final String TEMPLATE = """
        {"query":{"bool":{"should":[{"match":{"title":{"query":"{{query}}","boost":1}}},{"term":{"brand":{"value":"sony","boost":0}}}],
          "minimum_should_match":1}}}""";

    static String tune(String params, String extra) {
        StringBuilder ratings = new StringBuilder();
        String[] queries = {"wireless", "speaker", "earbuds", "headphones"};
        for (String q : queries) {
            for (String[] p : PersonalizedBlendClusterTests.PRODUCTS) {
                if (p[1].toLowerCase(java.util.Locale.ROOT).contains(q.replace("wireless", "wireless"))) {
                    ratings.append(ratings.length() == 0 ? "" : ",")
                            .append(String.format(
                                    Locale.ROOT,
                                    "{\"request\":\"%s\",\"_id\":\"%s\",\"grade\":%s}",
                                    q,
                                    p[0],
                                    p[2].equals("sony") ? "3" : "1"));
                }
            }
        }
        return String.format(Locale.ROOT, """
            {"template":%s,
             "requests":[{"id":"wireless","params":{"query":"wireless"}},{"id":"speaker","params":{"query":"speaker"}},
                         {"id":"earbuds","params":{"query":"earbuds"}},{"id":"headphones","params":{"query":"headphones"}}],
             "ratings":[%s],"metrics":["ndcg@3"],"params":%s %s}""", TEMPLATE, ratings, params, extra);
    }

    static final String BOOST = """
        {"query.bool.should.1.term.brand.boost":{"min":0,"max":10}}""";

    public void testTuningRaisesTheBoostThatTheRatingsReward() throws Exception {
        PersonalizedBlendClusterTests.indexProducts();
        ObjectPath result =
                call("POST", "/products_one/_semantic_ranking/_tune", tune(BOOST, ",\"folds\":2,\"budget\":8"));
        double baseline = ((Number) result.evaluate("baseline.mean")).doubleValue();
        double best = ((Number) result.evaluate("best.mean")).doubleValue();
        assertThat(result.evaluate("metric"), equalTo("ndcg@3"));
        assertThat(result.evaluate("baseline.params.query\\.bool\\.should\\.1\\.term\\.brand\\.boost"), equalTo(0));
        assertThat(best, greaterThan(baseline));
        assertThat(
                ((Number) result.evaluate("best.params.query\\.bool\\.should\\.1\\.term\\.brand\\.boost"))
                        .doubleValue(),
                greaterThan(0.0));
        // out of sample, each fold's search saw only the other fold
        List<Map<String, Object>> folds = result.evaluate("cross_validation.per_fold");
        assertThat(folds.size(), equalTo(2));
        assertThat(
                ((Number) result.evaluate("cross_validation.tuned_out_of_fold")).doubleValue(),
                greaterThanOrEqualTo(
                        ((Number) result.evaluate("cross_validation.baseline_out_of_fold")).doubleValue()));
        int evaluations = result.evaluate("evaluations");
        assertThat(evaluations, lessThanOrEqualTo(1 + 8 * 3));
        List<Map<String, Object>> leaderboard = result.evaluate("leaderboard");
        assertThat(((Number) leaderboard.get(0).get("mean")).doubleValue(), equalTo(best));
        assertThat(((List<?>) leaderboard.get(0).get("per_fold")).size(), equalTo(2));
        // the body to paste: the best value in place, the first request's text filled in
        Object boost = result.evaluate("search_body.query.bool.should.1.term.brand.boost");
        assertThat(
                ((Number) boost).doubleValue(),
                equalTo(((Number) result.evaluate("best.params.query\\.bool\\.should\\.1\\.term\\.brand\\.boost"))
                        .doubleValue()));
        assertThat(result.evaluate("search_body.query.bool.should.0.match.title.query"), equalTo("wireless"));
        assertThat(result.evaluate("template.query.bool.should.0.match.title.query"), equalTo("{{query}}"));
        // and the pasted body does what the leaderboard says
        ObjectPath pasted = call(
                "POST",
                "/products_one/_search",
                org.elasticsearch.common.Strings.toString(org.elasticsearch.xcontent.json.JsonXContent.contentBuilder()
                        .map(result.evaluate("search_body"))));
        assertThat(pasted.evaluate("hits.hits.0._source.brand"), equalTo("sony"));
    }

    public void testARunInTheBackgroundIsATask() throws Exception {
        PersonalizedBlendClusterTests.indexProducts();
        ObjectPath started = call(
                "POST",
                "/products_one/_semantic_ranking/_tune?wait_for_completion=false",
                tune(BOOST, ",\"folds\":2,\"budget\":5"));
        String task = started.evaluate("task");
        ObjectPath done = call("GET", "/_tasks/" + task + "?wait_for_completion=true&timeout=60s", null);
        assertThat(done.evaluate("completed"), equalTo(true));
        assertThat(done.evaluate("task.action"), equalTo("indices:data/read/semantic_ranking/tune"));
        assertThat(
                ((Number) done.evaluate("response.best.mean")).doubleValue(),
                greaterThan(((Number) done.evaluate("response.baseline.mean")).doubleValue()));
    }

    public void testABackgroundRunCanBeCancelled() throws Exception {
        PersonalizedBlendClusterTests.indexProducts();
        // a space far larger than the time the test waits: three fine ranges, a large budget
        String space = """
            {"query.bool.should.1.term.brand.boost":{"min":0,"max":10,"steps":50},
             "query.bool.should.0.match.title.boost":{"min":0,"max":10,"steps":50}}""";
        String task = call(
                        "POST",
                        "/products_one/_semantic_ranking/_tune?wait_for_completion=false",
                        tune(space, ",\"folds\":4,\"budget\":1000"))
                .evaluate("task");
        ObjectPath running = call("GET", "/_tasks/" + task, null);
        assertThat(running.evaluate("task.cancellable"), equalTo(true));
        call("POST", "/_tasks/" + task + "/_cancel", null);
        ObjectPath done = call("GET", "/_tasks/" + task + "?wait_for_completion=true&timeout=60s", null);
        assertThat(done.evaluate("completed"), equalTo(true));
        assertThat(done.toString(), done.evaluate("error.type"), equalTo("task_cancelled_exception"));
    }

    private static void assertBadRequest(String body, String reason) {
        ResponseException e = expectThrows(
                ResponseException.class, () -> call("POST", "/products_one/_semantic_ranking/_tune", body));
        assertThat(e.getMessage(), e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(e.getMessage(), containsString(reason));
    }

    public void testBadInputIsA400WithTheReason() throws Exception {
        PersonalizedBlendClusterTests.indexProducts();
        assertBadRequest(tune("{}", ""), "[_tune] requires [params]");
        assertBadRequest(
                tune("{\"query.bool.should.1.term.brand.weight\":[1,2]}", ""),
                "parameter [query.bool.should.1.term.brand.weight] is not in the template");
        assertBadRequest(tune("{\"query.bool.should.1.term.brand.boost\":[]}", ""), "has no values to try");
        assertBadRequest(
                tune("{\"query.bool.should.1.term.brand.boost\":{\"min\":3,\"max\":1}}", ""),
                "a range needs finite numbers [min] <= [max]");
        assertBadRequest(
                tune("{\"query.bool.should.1.term.brand.value\":{\"min\":0,\"max\":1}}", ""),
                "is a range but the template's value there is not a number");
        assertBadRequest(tune(BOOST, ",\"folds\":9"), "[folds] (9) cannot exceed the number of requests (4)");
        assertBadRequest(tune(BOOST, ",\"budget\":0"), "[_tune] [budget] must be an integer between 1 and 1000");
    }
}
