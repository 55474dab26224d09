package org.semanticranking;

import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.rest.ObjectPath;
import org.semanticranking.judgments.QueryClicks;
import org.semanticranking.judgments.action.ClickTable;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionFields;
import org.semanticranking.personalization.events.InteractionType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/**
 * The {@code clicks} features on 2 nodes over real HTTP: what a logging {@code learned_rank} reads for each hit is the
 * query's clicks over expected clicks, impressions and clicks, as this test counts them from the events it logged; a
 * product never shown for the query and an events index that does not exist read as no evidence; a training's table
 * without one shopper's impressions is the table of everyone else's; and a ranker trained from impressions with them.
 */
@ESIntegTestCase.ClusterScope(
        scope = ESIntegTestCase.Scope.SUITE,
        numDataNodes = 2,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class ClicksFeatureClusterTests extends SemanticRankingIntegTestCase {

    /**
     * Each test's own events index: the nodes keep a query's clicks for {@code clicks_refresh} (a minute), and the
     * suite's cluster outlives a test, so an index of the same name logged again by another test would read as before.
     */
    private static final java.util.concurrent.atomic.AtomicInteger TESTS =
            new java.util.concurrent.atomic.AtomicInteger();

    private final String events = "click-events-" + TESTS.incrementAndGet();

    /** A query's clicks are read again once a second old, so that a test can see a refresh. */
    static final long REFRESH_MILLIS = 1000;

    @Override
    protected org.elasticsearch.common.settings.Settings nodeSettings(
            int nodeOrdinal, org.elasticsearch.common.settings.Settings otherSettings) {
        return org.elasticsearch.common.settings.Settings.builder()
                .put(super.nodeSettings(nodeOrdinal, otherSettings))
                .put("semantic_ranking.ranking.clicks_refresh", REFRESH_MILLIS + "ms")
                .build();
    }

    private String events() {
        return events;
    }

    /** One logged impression: its shopper, query, the products in its slots and the slots clicked. */
    record Impression(String user, String query, List<String> page, List<Integer> clicked) {}

    /**
     * Impressions of two queries by three shoppers: each page a shuffle of four of the query's products, the first slot
     * clicked at 0.5, the second at 0.3, and {@code -nova-} products at 0.8 wherever they are.
     */
    static List<Impression> impressions(Random random) {
        List<Impression> out = new ArrayList<>();
        for (int n = 0; n < 60; n++) {
            int c = n % 2 == 0 ? 1 : 3; // speaker, cable
            List<String> products = new ArrayList<>();
            for (int b = 0; b < LearnedRankClusterTests.BRANDS.length; b++) {
                products.add(LearnedRankClusterTests.id(c, b, random.nextInt(2)));
            }
            Collections.shuffle(products, random);
            List<Integer> clicked = new ArrayList<>();
            for (int k = 0; k < products.size(); k++) {
                double p = products.get(k).contains("-nova-") ? 0.8 : k == 0 ? 0.5 : k == 1 ? 0.3 : 0.02;
                if (random.nextDouble() < p) {
                    clicked.add(k);
                }
            }
            out.add(new Impression("u" + (n % 3), LearnedRankClusterTests.CATEGORIES[c], products, clicked));
        }
        return out;
    }

    static void log(String index, List<Impression> impressions) throws IOException {
        call(
                "PUT",
                "/" + index,
                "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},\"mappings\":"
                        + InteractionEvent.MAPPING + "}");
        StringBuilder bulk = new StringBuilder();
        long time = 1_700_000_000_000L;
        int n = 0;
        for (Impression i : impressions) {
            String id = index + "-" + n++;
            time += 1000;
            for (int k = 0; k < i.page().size(); k++) {
                ImpressionTrainingClusterTests.event(bulk, i.user(), i.page().get(k), "view", i.query(), time, id, k);
            }
            for (int k : i.clicked()) {
                ImpressionTrainingClusterTests.event(
                        bulk, i.user(), i.page().get(k), "click", i.query(), time + 1 + k, id, k);
            }
        }
        PersonalizedBlendClusterTests.bulk(bulk.toString(), "/" + index + "/_bulk");
        call("POST", "/" + index + "/_refresh", null);
    }

    /** This test's own count: per product of the query, {clicked, expected clicks at each slot's rate, shown}. */
    static Map<String, double[]> counted(List<Impression> impressions, String query) {
        double[] views = new double[10], clicks = new double[10];
        for (Impression i : impressions) {
            for (int k = 0; k < i.page().size(); k++) {
                views[k]++;
                clicks[k] += i.clicked().contains(k) ? 1 : 0;
            }
        }
        Map<String, double[]> out = new HashMap<>();
        for (Impression i : impressions) {
            if (i.query().equals(query)) {
                for (int k = 0; k < i.page().size(); k++) {
                    double[] c = out.computeIfAbsent(i.page().get(k), p -> new double[3]);
                    c[0] += i.clicked().contains(k) ? 1 : 0;
                    c[1] += clicks[k] / views[k];
                    c[2]++;
                }
            }
        }
        return out;
    }

    static final String FEATURES = """
        [{"name":"coec","clicks":{"measure":"coec","index":"%i"}},
         {"name":"shown","clicks":{"measure":"impressions","index":"%i"}},
         {"name":"clicked","clicks":{"measure":"clicks","index":"%i"}},
         {"name":"coec_prior_5","clicks":{"measure":"coec","index":"%i","prior":5}}]""";

    @SuppressWarnings("unchecked")
    public void testEachHitReadsTheQuerysClicksOverExpectedClicks() throws Exception {
        LearnedRankClusterTests.indexProducts();
        List<Impression> impressions = impressions(random());
        log(events(), impressions);
        Map<String, double[]> counted = counted(impressions, "speaker");
        // the query as the shopper typed it: matched as logged, ignoring case
        ObjectPath logged = call("POST", "/shop/_search", """
            {"size":8,"query":{"match":{"title":"speaker"}},
             "rescore":{"window_size":8,"learned_rank":{"params":{"query":"Speaker"},"features":%s}}}""".replace("%s", FEATURES.replace("%i", events())));
        List<Map<String, Object>> hits = logged.evaluate("hits.hits");
        assertThat(hits.size(), equalTo(8));
        int shownHits = 0;
        for (Map<String, Object> hit : hits) {
            String id = (String) hit.get("_id");
            Map<String, Object> values =
                    (Map<String, Object>) LearnedRankClusterTests.learned(hit).get("features");
            double[] c = counted.getOrDefault(id, new double[3]);
            shownHits += c[2] > 0 ? 1 : 0;
            assertThat(id, number(values, "coec"), closeTo((c[0] + 1) / (c[1] + 1), 1e-4));
            assertThat(id, number(values, "coec_prior_5"), closeTo((c[0] + 5) / (c[1] + 5), 1e-4));
            assertThat(id, number(values, "shown"), closeTo(Math.log1p(c[2]), 1e-6));
            assertThat(id, number(values, "clicked"), closeTo(Math.log1p(c[0]), 1e-6));
        }
        assertThat("some hits were shown for the query, some never", shownHits, greaterThan(0));
        assertThat(shownHits < 8 || counted.size() >= 8, equalTo(true));
        // what shoppers choose wherever it is shown clicks more than its slots expect
        for (Map<String, Object> hit : hits) {
            String id = (String) hit.get("_id");
            Map<String, Object> values =
                    (Map<String, Object>) LearnedRankClusterTests.learned(hit).get("features");
            if (id.contains("-nova-") && counted.containsKey(id) && counted.get(id)[2] >= 5) {
                assertThat(id, number(values, "coec"), greaterThan(1.0));
            }
        }

        // no events index: no evidence for any hit, and the search answers
        ObjectPath none = call("POST", "/shop/_search", """
            {"size":8,"query":{"match":{"title":"speaker"}},
             "rescore":{"window_size":8,"learned_rank":{"params":{"query":"speaker"},"features":%s}}}""".replace("%s", FEATURES.replace("%i", "no-such-events")));
        for (Map<String, Object> hit : (List<Map<String, Object>>) none.evaluate("hits.hits")) {
            Map<String, Object> values =
                    (Map<String, Object>) LearnedRankClusterTests.learned(hit).get("features");
            assertThat(number(values, "coec"), equalTo(1.0));
            assertThat(number(values, "shown"), equalTo(0.0));
        }
    }

    /**
     * Clicks logged after a query's were read reach its searches without a search waiting for them: once the clicks
     * are older than the refresh, a search is answered with them as they were and reads them again in the background;
     * a later search gets what was logged since. Every node coordinates searches here (the REST client takes the nodes
     * in turns), so each keeps the query's clicks.
     */
    @SuppressWarnings("unchecked")
    public void testClicksLoggedSinceAreServedAfterARefreshThatNoSearchWaitsFor() throws Exception {
        LearnedRankClusterTests.indexProducts();
        List<Impression> first = impressions(random());
        log(events(), first);
        String search = """
            {"size":8,"query":{"match":{"title":"speaker"}},
             "rescore":{"window_size":8,"learned_rank":{"params":{"query":"speaker"},"features":%s}}}""".replace("%s", FEATURES.replace("%i", events()));
        Map<String, double[]> before = counted(first, "speaker");
        for (int n = 0; n < 2 * cluster().size(); n++) {
            assertShown(call("POST", "/shop/_search", search), before);
        }
        // every speaker page again: each product shown for the query is now shown twice as often
        List<Impression> again = new ArrayList<>(first);
        StringBuilder bulk = new StringBuilder();
        long time = 1_800_000_000_000L;
        int id = 0;
        for (Impression i : first) {
            if (i.query().equals("speaker")) {
                time += 1000;
                for (int k = 0; k < i.page().size(); k++) {
                    ImpressionTrainingClusterTests.event(
                            bulk, i.user(), i.page().get(k), "view", i.query(), time, "again-" + id, k);
                }
                id++;
                again.add(i);
            }
        }
        PersonalizedBlendClusterTests.bulk(bulk.toString(), "/" + events() + "/_bulk");
        call("POST", "/" + events() + "/_refresh", null);
        Map<String, double[]> after = counted(again, "speaker");
        safeSleep(REFRESH_MILLIS + 200);
        for (int n = 0; n < cluster().size(); n++) {
            // older than the refresh: served as they were, read again behind this search
            assertShown(call("POST", "/shop/_search", search), before);
        }
        assertBusy(() -> {
            for (int n = 0; n < cluster().size(); n++) {
                assertShown(call("POST", "/shop/_search", search), after);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static void assertShown(ObjectPath response, Map<String, double[]> counted) throws IOException {
        int shownHits = 0;
        for (Map<String, Object> hit : (List<Map<String, Object>>) response.evaluate("hits.hits")) {
            String id = (String) hit.get("_id");
            Map<String, Object> values =
                    (Map<String, Object>) LearnedRankClusterTests.learned(hit).get("features");
            double[] c = counted.getOrDefault(id, new double[3]);
            shownHits += c[2] > 0 ? 1 : 0;
            assertThat(id, number(values, "shown"), closeTo(Math.log1p(c[2]), 1e-6));
        }
        assertThat(shownHits, greaterThan(0));
    }

    static double number(Map<String, Object> values, String name) {
        return ((Number) values.get(name)).doubleValue();
    }

    /** A training's table without one shopper's impressions is the table of everyone else's impressions alone. */
    public void testATrainingReadsEveryoneElsesClicks() throws Exception {
        List<Impression> impressions = impressions(random());
        log(events(), impressions);
        List<Impression> others =
                impressions.stream().filter(i -> i.user().equals("u0") == false).toList();
        log("others-events", others);
        InteractionFields fields = InteractionFields.DOCUMENTED;
        ClickTable all = ClickTable.load(client(), events(), fields, "query.keyword", 10);
        ClickTable theirs = ClickTable.load(client(), "others-events", fields, "query.keyword", 10);
        List<InteractionEvent> own = new ArrayList<>();
        long time = 0;
        int n = 0;
        for (Impression i : impressions) {
            String id = events() + "-" + n++;
            if (i.user().equals("u0")) {
                for (int k = 0; k < i.page().size(); k++) {
                    own.add(new InteractionEvent(
                            "u0", i.page().get(k), InteractionType.VIEW, time++, i.query(), k, id));
                    if (i.clicked().contains(k)) {
                        own.add(new InteractionEvent(
                                "u0", i.page().get(k), InteractionType.CLICK, time++, i.query(), k, id));
                    }
                }
            }
        }
        Map<String, QueryClicks> u0 = all.own(own);
        for (String query : List.of("speaker", "cable")) {
            QueryClicks without = all.without(query, u0);
            QueryClicks expected = theirs.of(query);
            assertThat(
                    without.byProduct().keySet(), equalTo(expected.byProduct().keySet()));
            without.byProduct().forEach((id, c) -> {
                QueryClicks.Counts e = expected.byProduct().get(id);
                assertThat(id, c.clicked(), closeTo(e.clicked(), 1e-9));
                assertThat(id, c.shown(), closeTo(e.shown(), 1e-9));
            });
            assertThat(all.of(query).byProduct().isEmpty(), equalTo(false));
        }
    }

    @SuppressWarnings("unchecked")
    public void testARankerTrainedFromImpressionsReadsTheQuerysClicks() throws Exception {
        LearnedRankClusterTests.indexProducts();
        log(events(), impressions(random()));
        // the text's match and the query's COEC only: what the shoppers choose wherever it is shown is what it learns
        String features = """
            [{"name":"title_bm25","query":{"match":{"title":"{{query}}"}}},
             {"name":"coec","clicks":{"measure":"coec","index":"%i"}}]""".replace("%i", events());
        ObjectPath trained = call("POST", "/shop/_semantic_ranking/rankers/clicked/_train", """
            {"template":{"query":{"match":{"title":"{{query}}"}}},"window_size":8,"folds":2,"model":{"type":"linear"},
             "features":%s,"impressions_from":{"events":{"index":"%i","slots":4}}}""".replace("%s", features)
                .replace("%i", events()));
        assertThat(((Number) trained.evaluate("impressions_from.impressions")).intValue(), greaterThan(30));
        Map<String, Number> importance = trained.evaluate("training.importance");
        assertThat(importance.keySet().contains("coec"), equalTo(true));
        ObjectPath served = call("POST", "/shop/_search", """
            {"size":8,"query":{"match":{"title":"speaker"}},
             "rescore":{"window_size":8,"learned_rank":{"ranker_id":"clicked","score_breakdown":true,
               "params":{"query":"speaker"}}}}""");
        List<Map<String, Object>> hits = served.evaluate("hits.hits");
        assertThat(hits.size(), equalTo(8));
        Map<String, Object> parts = (Map<String, Object>)
                LearnedRankClusterTests.learned(hits.get(0)).get("contributions");
        assertThat(parts.containsKey("coec"), equalTo(true));
        // the brand every shopper chooses wherever it is shown comes first
        assertThat((String) hits.get(0).get("_id"), org.hamcrest.Matchers.containsString("-nova-"));

        // a clicks feature reading other events than the impressions' is refused with the reason
        String elsewhere = features.replace("\"index\":\"" + events() + "\"", "\"index\":\"other-events\"");
        org.elasticsearch.client.ResponseException e = expectThrows(
                org.elasticsearch.client.ResponseException.class,
                () -> call("POST", "/shop/_semantic_ranking/rankers/clicked/_train", """
                    {"template":{"query":{"match":{"title":"{{query}}"}}},"window_size":8,"folds":2,
                     "model":{"type":"linear"},"features":%s,"impressions_from":{"events":{"index":"%i"}}}""".replace("%s", elsewhere)
                        .replace("%i", events())));
        assertThat(e.getResponse().getStatusLine().getStatusCode(), equalTo(400));
        assertThat(
                e.getMessage(),
                org.hamcrest.Matchers.containsString(
                        "reads the clicks of [other-events] but the impressions come from [" + events() + "]"));
    }
}
