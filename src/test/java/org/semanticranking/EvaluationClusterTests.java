package org.semanticranking;

import org.elasticsearch.client.ResponseException;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.rest.ObjectPath;

import java.util.List;
import java.util.Locale;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/** {@code _evaluate} on 3 nodes over real HTTP: metrics by hand, templates of every kind, and bad input. */
@ESIntegTestCase.ClusterScope(
        scope = ESIntegTestCase.Scope.SUITE,
        numDataNodes = 3,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class EvaluationClusterTests extends SemanticRankingIntegTestCase {

    static String evaluate(String template, String extra) {
        return String.format(Locale.ROOT, """
            {"template":%s,
             "requests":[{"id":"kettle","params":{"query":"kettle"}},{"id":"speaker","params":{"query":"speaker"}}],
             "ratings":[{"request":"kettle","_id":"k1","grade":3},
                        {"request":"speaker","_id":"s2","grade":3},{"request":"speaker","_id":"b2","grade":1},{"request":"speaker","_id":"k3","grade":2}]
             %s}""", template, extra);
    }

    public void testMetricsByHandAndTheUnratedDocuments() throws Exception {
        PersonalizedBlendClusterTests.indexProducts();
        ObjectPath result = call("POST", "/products_one/_semantic_ranking/_evaluate", evaluate("""
            {"query":{"match":{"title":"{{query}}"}}}""", """
            ,"metrics":["ndcg@3","mrr@3","precision@3","recall@5","judged@3"],"relevant_grade":2"""));
        // kettle: one product matches, rated 3: everything perfect but precision (1 of 3 places)
        assertThat(result.evaluate("requests.kettle.metrics.ndcg@3"), equalTo(1.0));
        assertThat(result.evaluate("requests.kettle.metrics.mrr@3"), equalTo(1.0));
        assertThat(
                ((Number) result.evaluate("requests.kettle.metrics.precision@3")).doubleValue(),
                closeTo(1.0 / 3, 1e-12));
        // speaker: three products match (b2, s2, j2); k3 (grade 2, "printer") cannot be found by this query
        List<String> ids = PersonalizedBlendClusterTests.ids(call("POST", "/products_one/_search", """
            {"size":3,"query":{"match":{"title":"speaker"}}}"""));
        double dcg = 0;
        for (int i = 0; i < ids.size(); i++) {
            int grade = ids.get(i).equals("s2") ? 3 : ids.get(i).equals("b2") ? 1 : 0;
            dcg += (Math.pow(2, grade) - 1) / (Math.log(i + 2) / Math.log(2));
        }
        double ideal = 7 + 3 / (Math.log(3) / Math.log(2)) + 1 / (Math.log(4) / Math.log(2));
        assertThat(
                ((Number) result.evaluate("requests.speaker.metrics.ndcg@3")).doubleValue(),
                closeTo(dcg / ideal, 1e-12));
        assertThat(
                ((Number) result.evaluate("requests.speaker.metrics.recall@5")).doubleValue(),
                closeTo(0.5, 1e-12)); // s2 of s2, k3
        assertThat(result.evaluate("requests.speaker.unrated_docs"), equalTo(List.of("j2")));
        assertThat(
                ((Number) result.evaluate("requests.speaker.metrics.judged@3")).doubleValue(), closeTo(2.0 / 3, 1e-12));
        double meanNdcg = (1.0 + dcg / ideal) / 2;
        assertThat(((Number) result.evaluate("metrics.ndcg@3")).doubleValue(), closeTo(meanNdcg, 1e-12));
    }

    public void testTemplatesWithPluginQueriesRetrieversNumbersAndQuotes() throws Exception {
        PersonalizedBlendClusterTests.indexProducts();
        ObjectPath semantic = call(
                "POST",
                "/products/_semantic_ranking/_evaluate",
                evaluate("""
            {"query":{"semantic_intent":{"query":"an electric {{query}}","field":"vec","k":"{{k}}","num_candidates":20}}}""", "")
                        .replace("\"params\":{\"query\":\"kettle\"}", "\"params\":{\"query\":\"kettle\",\"k\":5}")
                        .replace(
                                "\"params\":{\"query\":\"speaker\"}",
                                "\"params\":{\"query\":\"speaker \\\"loud\\\"\",\"k\":5}"));
        assertThat(semantic.evaluate("requests.kettle.metrics.ndcg@10"), equalTo(1.0));
        ObjectPath hybrid = call("POST", "/products_one/_semantic_ranking/_evaluate", evaluate("""
            {"retriever":{"semantic_hybrid":{
               "lexical":{"standard":{"query":{"match":{"title":"{{query}}"}}}},
               "semantic":{"standard":{"query":{"semantic_intent":{"query":"{{query}}","field":"vec","k":10,"num_candidates":20}}}}}}}""", ""));
        assertThat(hybrid.evaluate("requests.kettle.metrics.ndcg@10"), equalTo(1.0));
    }

    public void testJudgmentCandidatesAreWhereTheRankersDisagree() throws Exception {
        PersonalizedBlendClusterTests.indexProducts();
        String body = """
            {"lexical":{"query":{"match":{"title":"{{query}}"}}},
             "semantic":{"query":{"semantic_intent":{"query":"{{query}}","field":"vec","k":5,"num_candidates":20}}},
             "requests":[{"id":"music","params":{"query":"wireless music"}}],
             "ratings":[{"request":"music","_id":"b1","grade":3}],
             "k":5,"size":20,"fields":["title","brand"]}""";
        ObjectPath result = call("POST", "/products_one/_semantic_ranking/_judgment_candidates", body);
        List<java.util.Map<String, Object>> candidates = result.evaluate("candidates");
        assertThat(candidates.isEmpty(), equalTo(false));
        int previous = Integer.MAX_VALUE;
        for (java.util.Map<String, Object> c : candidates) {
            assertThat("rated documents are not candidates", c.get("_id").equals("b1"), equalTo(false));
            Integer lexical = (Integer) c.get("lexical_rank"), semantic = (Integer) c.get("semantic_rank");
            int expected = Math.abs((lexical == null ? 6 : lexical) - (semantic == null ? 6 : semantic));
            assertThat(c.get("disagreement"), equalTo(expected));
            assertThat(expected <= previous, equalTo(true)); // most disagreement first
            previous = expected;
            assertThat(((java.util.Map<?, ?>) c.get("fields")).containsKey("title"), equalTo(true));
            assertThat(c.get("request"), equalTo("music"));
        }
        ResponseException e = expectThrows(
                ResponseException.class,
                () -> call(
                        "POST",
                        "/products_one/_semantic_ranking/_judgment_candidates",
                        body.replace("\"k\":5", "\"k\":0")));
        assertThat(e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(e.getMessage(), containsString("[k] must be an integer between 1 and 10000"));
        e = expectThrows(
                ResponseException.class,
                () -> call(
                        "POST",
                        "/products_one/_semantic_ranking/_judgment_candidates",
                        body.replace("\"semantic\":", "\"vector\":")));
        assertThat(e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
    }

    /**
     * More rated documents than the index's {@code max_result_window}, some of them missing: the check looks them up a
     * page at a time, and by default names the missing ones in a 400; {@code report} evaluates and counts them,
     * {@code ignore} does not look. The same for {@code _tune} and {@code _judgment_candidates}.
     */
    public void testMoreRatingsThanTheResultWindowAndMissingDocuments() throws Exception {
        call("PUT", "/small_window", """
            {"settings":{"number_of_shards":2,"number_of_replicas":0,"index.max_result_window":20},
             "mappings":{"properties":{"title":{"type":"text"}}}}""");
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 90; i++) {
            bulk.append("{\"index\":{\"_id\":\"d").append(i).append("\"}}\n");
            bulk.append("{\"title\":\"")
                    .append(i % 3 == 0 ? "kettle" : i % 3 == 1 ? "toaster" : "blender")
                    .append(" number ")
                    .append(i)
                    .append("\"}\n");
        }
        org.elasticsearch.client.Request request =
                new org.elasticsearch.client.Request("POST", "/small_window/_bulk?refresh=true");
        request.setJsonEntity(bulk.toString());
        assertThat(
                ObjectPath.createFromResponse(getRestClient().performRequest(request))
                        .evaluate("errors"),
                equalTo(false));
        // 3 requests, each rating all 90 documents (270 ratings, 90 distinct), and 7 documents that are not in the
        // index
        StringBuilder ratings = new StringBuilder();
        for (String q : List.of("kettle", "toaster", "blender")) {
            for (int i = 0; i < 97; i++) {
                String grade = (i % 3 == 0) == q.equals("kettle") || (i % 3 == 1) == q.equals("toaster") ? "1" : "0";
                ratings.append(ratings.length() == 0 ? "" : ",")
                        .append("{\"request\":\"" + q + "\",\"_id\":\"d" + i + "\",\"grade\":" + grade + "}");
            }
        }
        String body = String.format(Locale.ROOT, """
            {"template":{"query":{"match":{"title":"{{query}}"}}},
             "requests":[{"id":"kettle","params":{"query":"kettle"}},{"id":"toaster","params":{"query":"toaster"}},{"id":"blender","params":{"query":"blender"}}],
             "ratings":[%s] %%s}""", ratings);
        ResponseException refused = expectThrows(
                ResponseException.class,
                () -> call("POST", "/small_window/_semantic_ranking/_evaluate", String.format(Locale.ROOT, body, "")));
        assertThat(refused.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(
                refused.getMessage(),
                containsString(
                        "[ratings] name 7 document(s) that are not in [small_window]: [d90, d91, d92, d93, d94, d95, d96]"));

        ObjectPath reported = call(
                "POST",
                "/small_window/_semantic_ranking/_evaluate",
                String.format(Locale.ROOT, body, ",\"missing_rated_docs\":\"report\""));
        assertThat(reported.evaluate("rated_docs.distinct"), equalTo(97));
        assertThat(reported.evaluate("rated_docs.checked"), equalTo(true));
        assertThat(reported.evaluate("rated_docs.missing"), equalTo(7));
        assertThat(
                reported.evaluate("rated_docs.missing_sample"),
                equalTo(List.of("d90", "d91", "d92", "d93", "d94", "d95", "d96")));
        assertThat(((Number) reported.evaluate("requests.kettle.metrics.ndcg@10")).doubleValue(), greaterThan(0.0));

        ObjectPath unchecked = call(
                "POST",
                "/small_window/_semantic_ranking/_evaluate",
                String.format(Locale.ROOT, body, ",\"missing_rated_docs\":\"ignore\""));
        assertThat(unchecked.evaluate("rated_docs.checked"), equalTo(false));
        assertThat(unchecked.evaluate("rated_docs.missing"), org.hamcrest.Matchers.nullValue());
        assertThat(unchecked.evaluate("metrics"), equalTo(reported.evaluate("metrics")));

        ObjectPath complete = call(
                "POST",
                "/small_window/_semantic_ranking/_evaluate",
                String.format(Locale.ROOT, body, "")
                        .replaceAll(",\\{\"request\":\"[a-z]+\",\"_id\":\"d9[0-6]\",\"grade\":[01]\\}", ""));
        assertThat(complete.evaluate("rated_docs.missing"), equalTo(0));
        assertThat(complete.evaluate("rated_docs.distinct"), equalTo(90));

        ObjectPath tuned = call("POST", "/small_window/_semantic_ranking/_tune", String.format(Locale.ROOT, body, """
            ,"missing_rated_docs":"report","params":{"query.match.title":["{{query}}","{{query}} number"]},"folds":1,"budget":2"""));
        assertThat(tuned.evaluate("rated_docs.missing"), equalTo(7));
        ResponseException tuneRefused = expectThrows(
                ResponseException.class,
                () -> call("POST", "/small_window/_semantic_ranking/_tune", String.format(Locale.ROOT, body, """
            ,"params":{"query.match.title":["{{query}}","{{query}} number"]},"folds":1,"budget":2""")));
        assertThat(tuneRefused.getMessage(), containsString("[ratings] name 7 document(s)"));

        ObjectPath candidates = call("POST", "/small_window/_semantic_ranking/_judgment_candidates", """
            {"lexical":{"query":{"match":{"title":"{{query}}"}}},"semantic":{"query":{"match":{"title":"number {{query}}"}}},
             "requests":[{"id":"kettle","params":{"query":"kettle"}}],
             "ratings":[{"request":"kettle","_id":"d0","grade":1},{"request":"kettle","_id":"gone","grade":1}]}""");
        assertThat(candidates.evaluate("rated_docs.missing"), equalTo(1));
        assertThat(candidates.evaluate("rated_docs.missing_sample"), equalTo(List.of("gone")));
        ResponseException bad = expectThrows(
                ResponseException.class,
                () -> call(
                        "POST",
                        "/small_window/_semantic_ranking/_evaluate",
                        String.format(Locale.ROOT, body, ",\"missing_rated_docs\":\"skip\"")));
        assertThat(bad.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(
                bad.getMessage(),
                containsString(
                        "[_evaluate] [missing_rated_docs] must be one of [fail, report, ignore] but was [skip]"));
    }

    private static void assertBadRequest(String index, String body, String reason) {
        ResponseException e = expectThrows(
                ResponseException.class, () -> call("POST", "/" + index + "/_semantic_ranking/_evaluate", body));
        assertThat(e.getMessage(), e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(e.getMessage(), containsString(reason));
    }

    public void testBadInputIsA400WithTheReason() throws Exception {
        PersonalizedBlendClusterTests.indexProducts();
        String match = """
            {"query":{"match":{"title":"{{query}}"}}}""";
        assertBadRequest(
                "products", evaluate("""
            {"query":{"match":{"title":"{{query}} {{colour}}"}}}""", ""), "request [kettle] gives no value for the placeholder [{{colour}}]");
        assertBadRequest("products", """
            {"template":{"query":{"match_all":{}}},"requests":[]}""", "requires [requests]");
        assertBadRequest(
                "products",
                evaluate(match, "").replace("\"_id\":\"k1\"", "\"_id\":\"no-such-product\""),
                "[ratings] name 1 document(s) that are not in [products]: [no-such-product]");
        assertBadRequest("products", evaluate(match, ",\"metrics\":[\"ndcg@0\"]"), "k must be between 1 and 10000");
        assertBadRequest("products", evaluate(match, ",\"metrics\":[\"map@10\"]"), "unknown metric [map@10]");
        assertBadRequest("products", evaluate("""
            {"query":{"no_such_query":{"title":"{{query}}"}}}""", ""), "[template] is not a valid search for request [kettle]");
        assertBadRequest("products", evaluate(match, ",\"colour\":1"), "[_evaluate] unknown parameter [colour]");
        assertBadRequest(
                "products",
                evaluate(match, "").replace("\"request\":\"kettle\"", "\"request\":\"toaster\""),
                "a rating names request [toaster], which is not in [requests]");
        assertBadRequest("products", """
            {"requests":[{"id":"a"}]}""", "requires [template]");
        ResponseException missing = expectThrows(
                ResponseException.class,
                () -> call("POST", "/no-such-index/_semantic_ranking/_evaluate", evaluate(match, "")));
        assertThat(missing.getResponse().getStatusLine().getStatusCode(), equalTo(404));
    }
}
