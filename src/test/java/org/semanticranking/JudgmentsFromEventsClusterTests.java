package org.semanticranking;

import org.elasticsearch.client.ResponseException;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.rest.ObjectPath;
import org.semanticranking.personalization.events.InteractionEvent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/**
 * Judgments from logged impressions and clicks on 2 nodes over real HTTP: clicks simulated from a known position-based
 * model over {@link LearnedRankClusterTests}'s catalogue (a category's cheap products are clicked far more when seen),
 * the propensities and grades {@code _from_events} recovers from them, the same judgments as {@code ratings_from} in
 * {@code _evaluate}, {@code _tune} and a ranker's {@code _train}, and bad logs and options as 400s with the reason.
 */
@ESIntegTestCase.ClusterScope(
        scope = ESIntegTestCase.Scope.SUITE,
        numDataNodes = 2,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class JudgmentsFromEventsClusterTests extends SemanticRankingIntegTestCase {

    static final int SLOTS = 8;
    static final int IMPRESSIONS_PER_QUERY = 150;

    static double examination(int position) {
        return 1.0 / (position + 1);
    }

    /** The queries of the judged requests, with their products (a category's eight), cheap first. */
    static Map<String, List<String>> queries() {
        Map<String, List<String>> queries = new java.util.LinkedHashMap<>();
        String[] categories = LearnedRankClusterTests.CATEGORIES;
        for (int c = 0; c < categories.length; c++) {
            List<String> products = new ArrayList<>();
            for (int b = 0; b < LearnedRankClusterTests.BRANDS.length; b++) {
                for (int s = 0; s < LearnedRankClusterTests.STYLES.length; s++) {
                    products.add(LearnedRankClusterTests.id(c, b, s));
                }
            }
            queries.put(categories[c], products);
            queries.put(
                    LearnedRankClusterTests.BRANDS[c % LearnedRankClusterTests.BRANDS.length] + " " + categories[c],
                    products);
        }
        return queries;
    }

    static boolean cheap(String productId) {
        String[] parts = productId.split("-");
        int c = List.of(LearnedRankClusterTests.CATEGORIES).indexOf(parts[0]);
        int b = List.of(LearnedRankClusterTests.BRANDS).indexOf(parts[1]);
        int s = List.of(LearnedRankClusterTests.STYLES).indexOf(parts[2]);
        return LearnedRankClusterTests.price(c, b, s) < 50;
    }

    /** Each query's lists shown in random orders, clicked by the position-based model; clicks logged as the README says. */
    static void logEvents(Random random, boolean withImpressions) throws IOException {
        logEvents(random, withImpressions, IMPRESSIONS_PER_QUERY);
    }

    static void logEvents(Random random, boolean withImpressions, int impressionsPerQuery) throws IOException {
        // no replica: the cleanup's check of sequence numbers would wait for the replicas' global checkpoint sync
        call(
                "PUT",
                "/interactions",
                "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0}," + "\"mappings\":"
                        + InteractionEvent.MAPPING + "}");
        StringBuilder bulk = new StringBuilder();
        int impression = 0;
        for (Map.Entry<String, List<String>> q : queries().entrySet()) {
            for (int i = 0; i < impressionsPerQuery; i++) {
                List<String> page = new ArrayList<>(q.getValue());
                Collections.shuffle(page, random);
                String id = "imp-" + impression++;
                String user = "u" + random.nextInt(20);
                for (int k = 0; k < SLOTS; k++) {
                    String product = page.get(k);
                    String where = withImpressions
                            ? String.format(Locale.ROOT, ",\"impression_id\":\"%s\",\"position\":%d", id, k)
                            : "";
                    if (withImpressions) {
                        bulk.append("{\"index\":{}}\n")
                                .append(String.format(
                                        Locale.ROOT,
                                        "{\"user_id\":\"%s\",\"product_id\":\"%s\",\"type\":\"view\",\"query\":\"%s\","
                                                + "\"@timestamp\":%d%s}%n",
                                        user,
                                        product,
                                        q.getKey(),
                                        1_700_000_000_000L + impression * 1000L,
                                        where));
                    }
                    double relevance = cheap(product) ? 0.9 : 0.15;
                    if (random.nextDouble() < examination(k) && random.nextDouble() < relevance) {
                        bulk.append("{\"index\":{}}\n")
                                .append(String.format(
                                        Locale.ROOT,
                                        "{\"user_id\":\"%s\",\"product_id\":\"%s\",\"type\":\"click\",\"query\":\"%s\","
                                                + "\"@timestamp\":%d%s}%n",
                                        user,
                                        product,
                                        q.getKey(),
                                        1_700_000_000_500L + impression * 1000L,
                                        where));
                    }
                }
                // bulks of about 2,000 events: one of 20,000 may outlast the client's timeout on a busy machine
                if (bulk.length() > 400_000) {
                    PersonalizedBlendClusterTests.bulk(bulk.toString(), "/interactions/_bulk");
                    bulk.setLength(0);
                }
            }
        }
        if (bulk.length() > 0) {
            PersonalizedBlendClusterTests.bulk(bulk.toString(), "/interactions/_bulk");
        }
        call("POST", "/interactions/_refresh", null);
    }

    @SuppressWarnings("unchecked")
    public void testPropensitiesAndGradesAreRecoveredFromTheClicks() throws Exception {
        LearnedRankClusterTests.indexProducts();
        // three times the other tests' impressions: at 1,800 a slot the deepest slot's estimate missed the bound at
        // about one seed in fifty (its clicks are few); the bound stays, the sample grows
        logEvents(new Random(randomLong()), true, 3 * IMPRESSIONS_PER_QUERY);
        ObjectPath judged = call("POST", "/shop/_semantic_ranking/judgments/_from_events", """
            {"index":"interactions","min_impressions":20,"slots":8,"max_iterations":3000,"tolerance":1e-7}""");
        assertThat(judged.evaluate("click_model"), equalTo("pbm"));
        List<Map<String, Object>> propensities = judged.evaluate("propensities");
        assertThat(propensities.size(), equalTo(SLOTS));
        for (int k = 0; k < SLOTS; k++) {
            double estimated = ((Number) propensities.get(k).get("propensity")).doubleValue();
            // 5,400 impressions a slot: within a quarter of the truth (the unit tests hold 10% on 150,000)
            assertThat("position " + k, estimated, closeTo(examination(k), 0.25 * examination(k)));
        }
        List<Map<String, Object>> ratings = judged.evaluate("ratings");
        assertThat(ratings.size(), equalTo(12 * 8));
        List<Map<String, Object>> requests = judged.evaluate("requests");
        assertThat(requests.size(), equalTo(12));
        assertThat(
                requests.get(0).get("params"),
                equalTo(Map.of("query", requests.get(0).get("id"))));
        Map<String, List<Integer>> cheapGrades = new HashMap<>(), dearGrades = new HashMap<>();
        for (Map<String, Object> r : ratings) {
            (cheap((String) r.get("_id")) ? cheapGrades : dearGrades)
                    .computeIfAbsent((String) r.get("request"), q -> new ArrayList<>())
                    .add((Integer) r.get("grade"));
        }
        long ordered = 0, pairs = 0;
        for (String query : cheapGrades.keySet()) {
            double cheapMean =
                    cheapGrades.get(query).stream().mapToInt(g -> g).average().orElseThrow();
            double dearMean =
                    dearGrades.get(query).stream().mapToInt(g -> g).average().orElseThrow();
            assertThat(
                    query + ": cheap products (clicked 0.9 when seen) graded above dear ones (0.15)",
                    cheapMean,
                    greaterThan(dearMean + 1));
            for (int cheapGrade : cheapGrades.get(query)) {
                for (int dearGrade : dearGrades.get(query)) {
                    pairs++;
                    ordered += cheapGrade > dearGrade ? 1 : 0;
                }
            }
        }
        assertThat("cheap above dear in " + ordered + " of " + pairs, ordered, greaterThan(pairs * 9 / 10));

        // _evaluate with ratings_from is _evaluate with the ratings _from_events returned
        // the price breaks BM25's ties: with tied scores the order follows doc ids, which a merge may change between
        // the two searches
        String template = "\"template\":{\"query\":{\"function_score\":{\"query\":{\"match\":{\"title\":"
                + "\"{{query}}\"}},\"functions\":[{\"field_value_factor\":{\"field\":\"price\"}}],"
                + "\"boost_mode\":\"sum\"}}},\"metrics\":[\"ndcg@10\"]";
        String options = "{\"index\":\"interactions\",\"min_impressions\":20,\"slots\":8,\"max_iterations\":3000,"
                + "\"tolerance\":1e-7}";
        ObjectPath fromEvents = call(
                "POST",
                "/shop/_semantic_ranking/_evaluate",
                "{" + template + ",\"ratings_from\":{\"events\":" + options + "}}");
        String pasted =
                org.elasticsearch.common.Strings.toString(org.elasticsearch.xcontent.json.JsonXContent.contentBuilder()
                        .map(Map.of("requests", requests, "ratings", ratings)));
        ObjectPath given =
                call("POST", "/shop/_semantic_ranking/_evaluate", "{" + template + "," + pasted.substring(1));
        double ndcg = ((Number) fromEvents.evaluate("metrics.ndcg@10")).doubleValue();
        assertThat(
                fromEvents.evaluate("requests") + " vs " + given.evaluate("requests"),
                ndcg,
                equalTo(((Number) given.evaluate("metrics.ndcg@10")).doubleValue()));
        assertThat(ndcg, greaterThan(0.0));
        // the body's own requests are graded by their query parameter, whatever their ids
        ObjectPath mine = call(
                "POST",
                "/shop/_semantic_ranking/_evaluate",
                "{" + template
                        + ",\"requests\":[{\"id\":\"k\",\"params\":{\"query\":\" Kettle \"}},{\"id\":\"none\",\"params\":"
                        + "{\"query\":\"acme lamp kettle\"}}],\"ratings_from\":{\"events\":" + options + "}}");
        assertThat("every kettle is rated", mine.evaluate("requests.k.unrated_docs"), equalTo(List.of()));
        assertThat(((Number) mine.evaluate("requests.k.metrics.ndcg@10")).doubleValue(), greaterThan(0.0));
        assertThat(
                "a query nobody searched has no judgments: " + mine.evaluate("requests"),
                ((List<?>) mine.evaluate("requests.none.unrated_docs")).size(),
                equalTo(10));
    }

    /**
     * What is read over the whole log counts the events of impressions in the first {@code slots} slots alone: views
     * and clicks below the slots, and clicks without an impression, change neither the propensities nor the grades.
     */
    public void testEventsBelowTheSlotsOrOutsideImpressionsAreNotCounted() throws Exception {
        LearnedRankClusterTests.indexProducts();
        logEvents(random(), true, 300);
        String options = "{\"index\":\"interactions\",\"min_impressions\":20,\"slots\":8,\"max_iterations\":200}";
        ObjectPath before = call("POST", "/shop/_semantic_ranking/judgments/_from_events", options);
        StringBuilder bulk = new StringBuilder();
        long time = 1_800_000_000_000L;
        for (String query : queries().keySet()) {
            String product = queries().get(query).get(0);
            for (int n = 0; n < 50; n++) {
                time += 1000;
                for (String type : List.of("view", "click")) {
                    // shown in slot 9 of a longer page, clicked there
                    bulk.append("{\"index\":{}}\n")
                            .append(String.format(Locale.ROOT, """
                        {"user_id":"u1","product_id":"%s","type":"%s","query":"%s","@timestamp":%d,\
                        "impression_id":"deep-%d","position":9}
                        """, product, type, query, time, n));
                }
                // a click with a slot and a query but no impression
                bulk.append("{\"index\":{}}\n").append(String.format(Locale.ROOT, """
                    {"user_id":"u2","product_id":"%s","type":"click","query":"%s","@timestamp":%d,"position":0}
                    """, product, query, time + 1));
            }
        }
        PersonalizedBlendClusterTests.bulk(bulk.toString(), "/interactions/_bulk");
        call("POST", "/interactions/_refresh", null);
        ObjectPath after = call("POST", "/shop/_semantic_ranking/judgments/_from_events", options);
        assertThat(after.evaluate("propensities"), equalTo(before.evaluate("propensities")));
        assertThat(after.evaluate("ratings"), equalTo(before.evaluate("ratings")));
    }

    public void testARankerTrainsAndATemplateTunesOnJudgmentsFromEvents() throws Exception {
        LearnedRankClusterTests.indexProducts();
        logEvents(new Random(randomLong()), true);
        String events = "\"ratings_from\":{\"events\":{\"index\":\"interactions\",\"min_impressions\":20,\"slots\":8}}";
        ObjectPath trained = call(
                "POST",
                "/shop/_semantic_ranking/rankers/clicks/_train",
                String.format(Locale.ROOT, """
            {"template":{"query":{"match":{"title":"{{query}}"}}},"window_size":20,"folds":3,
             "features":%s,"model":{"type":"linear"},%s}""", LearnedRankClusterTests.FEATURES, events));
        assertThat(trained.evaluate("training.requests"), equalTo(12));
        ObjectPath served = call("POST", "/shop/_search", """
            {"size":4,"query":{"match":{"title":"lamp"}},
             "rescore":{"window_size":20,"learned_rank":{"ranker_id":"clicks","params":{"query":"lamp"}}}}""");
        List<Map<String, Object>> hits = served.evaluate("hits.hits");
        for (Map<String, Object> hit : hits) {
            assertTrue("the clicked (cheap) lamps come first: " + hit.get("_id"), cheap((String) hit.get("_id")));
        }
        ObjectPath tuned = call("POST", "/shop/_semantic_ranking/_tune", String.format(Locale.ROOT, """
            {"template":{"query":{"match":{"title":{"query":"{{query}}","boost":1.0}}}},"folds":1,"budget":2,
             "params":{"query.match.title.boost":{"min":0.5,"max":2.0}},%s}""", events));
        assertThat(((Number) tuned.evaluate("baseline.mean")).doubleValue(), greaterThan(0.5));
    }

    public void testLogsAndOptionsThatCannotMakeJudgmentsAre400sWithTheReason() throws Exception {
        LearnedRankClusterTests.indexProducts();
        logEvents(new Random(randomLong()), false, 20);
        assertBadRequest(
                "{\"index\":\"interactions\"}",
                "the events index [interactions] has no impressions in the "
                        + "first 10 positions: log each shown product as a [view] with the result list's [impression_id], its "
                        + "[position] (0-based) and the [query]");
        call("DELETE", "/interactions", null);
        logEvents(new Random(randomLong()), true, 30);
        assertBadRequest(
                "{\"index\":\"interactions\",\"min_impressions\":1000}",
                "too few impressions in "
                        + "[interactions]: no (query, product) pair was shown [min_impressions] = 1000 times");
        assertBadRequest("{\"click_model\":\"dbn\"}", "unknown [click_model] [dbn]; expected one of [pbm, coec]");
        assertBadRequest("{\"slots\":500}", "[slots] must be an integer between 1 and 100 but was [500]");
        String template = "\"template\":{\"query\":{\"match\":{\"title\":\"{{query}}\"}}}";
        assertBadRequest(
                "/shop/_semantic_ranking/_evaluate",
                "{" + template + ",\"ratings\":[],\"ratings_from\":{\"events\":{}}}",
                "takes [ratings] or [ratings_from], not both");
        assertBadRequest(
                "/shop/_semantic_ranking/_evaluate",
                "{" + template + ",\"ratings_from\":{\"clicks\":{}}}",
                "[ratings_from] must be {");
        assertBadRequest(
                "/shop/_semantic_ranking/_evaluate",
                "{" + template + ",\"requests\":[{\"id\":\"a\",\"params\":{\"text\":\"lamp\",\"query\":\"x\"}}],"
                        + "\"ratings_from\":{\"events\":{\"index\":\"interactions\",\"min_impressions\":20,\"slots\":8}}}",
                "none of the 1 requests' [query] is a query of the 12 queries judged from [interactions]");
        ResponseException missing = expectThrows(
                ResponseException.class,
                () -> call("POST", "/shop/_semantic_ranking/judgments/_from_events", "{\"index\":\"no-such-events\"}"));
        assertThat(missing.getResponse().getStatusLine().getStatusCode(), equalTo(404));
    }

    private static void assertBadRequest(String body, String reason) {
        assertBadRequest("/shop/_semantic_ranking/judgments/_from_events", body, reason);
    }

    private static void assertBadRequest(String path, String body, String reason) {
        ResponseException e = expectThrows(ResponseException.class, () -> call("POST", path, body));
        assertThat(e.getMessage(), e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(e.getMessage(), containsString(reason));
    }
}
