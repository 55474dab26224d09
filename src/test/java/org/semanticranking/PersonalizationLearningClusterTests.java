package org.semanticranking;

import org.elasticsearch.client.ResponseException;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.rest.ObjectPath;
import org.semanticranking.personalization.events.InteractionEvent;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

/**
 * The learning loop on 3 nodes over real HTTP: events checked by {@code interaction_event}, profiles built
 * (full and incremental), a model trained with held-out users and stored, and used by the rescorer.
 */
@ESIntegTestCase.ClusterScope(
        scope = ESIntegTestCase.Scope.SUITE,
        numDataNodes = 3,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class PersonalizationLearningClusterTests extends SemanticRankingIntegTestCase {

    static final List<String> SHOWN = List.of("b1", "b2", "b3", "s1", "s2", "s3", "j1", "j2", "j3");
    static final long START = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    static void createInteractions() throws IOException {
        call("PUT", "/_ingest/pipeline/events", """
            {"processors":[{"interaction_event":{}}]}""");
        call("PUT", "/interactions", String.format(Locale.ROOT, """
            {"settings":{"number_of_shards":2,"default_pipeline":"events"},"mappings":%s}""", InteractionEvent.MAPPING));
    }

    /**
     * Shoppers who each like one brand: in every impression of the nine audio products they click one product of
     * their brand (and, once in a while, another one).
     */
    static void logShoppers(int perBrand, int impressions) throws IOException {
        StringBuilder bulk = new StringBuilder();
        long t = START;
        for (String brand : List.of("b", "s", "j")) {
            for (int u = 0; u < perBrand; u++) {
                String user = brand + "-fan-" + u;
                for (int i = 0; i < impressions; i++) {
                    String impression = user + "-" + i;
                    for (int pos = 0; pos < SHOWN.size(); pos++) {
                        event(
                                bulk,
                                user,
                                SHOWN.get((pos + i) % SHOWN.size()),
                                "view",
                                t,
                                impression,
                                pos,
                                i % 2 == 0 ? "wireless headphones" : "speaker");
                    }
                    String clicked = brand + (1 + (u + i) % 3);
                    if ((u + i) % 5 == 4) {
                        clicked = SHOWN.get((u * 7 + i) % SHOWN.size()); // noise
                    }
                    event(bulk, user, clicked, "click", t + 1000, impression, null, null);
                    t += 60_000;
                }
            }
        }
        PersonalizedBlendClusterTests.bulk(bulk.toString(), "/interactions/_bulk?refresh=true");
    }

    static void event(
            StringBuilder bulk,
            String user,
            String product,
            String type,
            long t,
            String impression,
            Integer position,
            String query) {
        bulk.append("{\"index\":{}}\n");
        bulk.append("{\"user_id\":\"")
                .append(user)
                .append("\",\"product_id\":\"")
                .append(product)
                .append("\",\"type\":\"")
                .append(type)
                .append("\",\"@timestamp\":\"")
                .append(Instant.ofEpochMilli(t))
                .append("\",\"impression_id\":\"")
                .append(impression)
                .append("\"");
        if (position != null) {
            bulk.append(",\"position\":").append(position);
        }
        if (query != null) {
            bulk.append(",\"query\":\"").append(query).append("\"");
        }
        bulk.append("}\n");
    }

    static final String LEARN = """
        "products_index":"products","vector_field":"vec","affinity_fields":["brand"],"price_field":"price\"""";

    public void testBadEventsAreRejectedWithTheirReason() throws Exception {
        createInteractions();
        ObjectPath result = call("POST", "/interactions/_bulk?refresh=true", """
            {"index":{}}
            {"user_id":"u1","product_id":"p1","type":"Click"}
            {"index":{}}
            {"product_id":"p1","type":"click","@timestamp":"2026-11-01T00:00:00Z"}
            {"index":{}}
            {"user_id":"u1","product_id":"p1","type":"like","@timestamp":"2026-11-01T00:00:00Z"}
            """);
        assertThat(result.evaluate("items.0.index.status"), equalTo(201));
        assertThat(result.evaluate("items.1.index.status"), equalTo(400));
        assertThat(
                result.evaluate("items.1.index.error.reason"),
                containsString("interaction event is missing [user_id]"));
        assertThat(result.evaluate("items.2.index.status"), equalTo(400));
        assertThat(result.evaluate("items.2.index.error.reason"), containsString("unknown interaction type [like]"));
        ObjectPath stored = call("GET", "/interactions/_search", null);
        assertThat(stored.evaluate("hits.hits.0._source.type"), equalTo("click"));
        assertThat(stored.evaluate("hits.hits.0._source.@timestamp"), startsWith("20")); // stamped with the ingest time
    }

    public void testBuildTrainAndRescore() throws Exception {
        PersonalizedBlendClusterTests.indexProducts();
        createInteractions();
        logShoppers(8, 6);

        ObjectPath built = call("POST", "/_semantic_ranking/profiles/_build", "{" + LEARN + "}");
        assertThat(built.evaluate("users"), equalTo(24));
        assertThat(built.evaluate("events"), equalTo(24 * 6 * 10));
        assertThat(built.evaluate("full"), equalTo(true));
        ObjectPath profile = call("GET", "/user_profiles/_doc/s-fan-0", null);
        double sonyShare = ((Number) profile.evaluate("_source.affinities.brand.sony")).doubleValue();
        assertThat("mostly Sony clicks; the views of impressions do not count", sonyShare, greaterThan(0.6));
        assertThat(((List<?>) profile.evaluate("_source.vector")).size(), equalTo(384));
        // the price taste: clicks in impressions against the slots' click rates, per bin of log price
        List<?> bins = profile.evaluate("_source.price_taste.bins");
        assertThat(bins.size(), greaterThan(0));
        assertThat(((List<?>) profile.evaluate("_source.price_taste.expected")).size(), equalTo(bins.size()));
        double clicks = ((List<?>) profile.evaluate("_source.price_taste.clicks"))
                .stream().mapToDouble(c -> ((Number) c).doubleValue()).sum();
        assertEquals("one click per impression, all recent (half-life 30 days)", 6.0, clicks, 0.5);

        // nothing new: nothing to do; one user with a new click: that user only
        assertThat(
                call("POST", "/_semantic_ranking/profiles/_build", "{" + LEARN + "}")
                        .evaluate("users"),
                equalTo(0));
        call("POST", "/interactions/_doc?refresh=true", """
            {"user_id":"s-fan-0","product_id":"k1","type":"purchase","@timestamp":"2026-12-01T00:00:00Z"}""");
        ObjectPath incremental = call("POST", "/_semantic_ranking/profiles/_build", "{" + LEARN + "}");
        assertThat(incremental.evaluate("users"), equalTo(1));
        assertThat(incremental.evaluate("full"), equalTo(false));
        ObjectPath updated = call("GET", "/user_profiles/_doc/s-fan-0", null);
        assertThat(((Number) updated.evaluate("_source.affinities.brand.philips")).doubleValue(), greaterThan(0.0));
        assertThat(
                call("POST", "/_semantic_ranking/profiles/_build", "{" + LEARN + ",\"full\":true}")
                        .evaluate("users"),
                equalTo(24));

        ObjectPath model = call(
                "POST",
                "/_semantic_ranking/personalization/shop/_train",
                "{" + LEARN + ",\"holdout\":0.3,\"session_size\":5}");
        assertThat(model.evaluate("model_id"), equalTo("shop"));
        // the defaults: the slot is fitted beside the features (training only), and the products below the lowest click
        // are left out of the negatives; "condition_on": [] fits the features alone
        assertThat(model.evaluate("training.negatives"), startsWith("skipped_above_click in impressions"));
        assertThat(model.evaluate("training.conditioned_on"), equalTo(List.of("context.position")));
        ObjectPath plain = call(
                "POST",
                "/_semantic_ranking/personalization/shop_plain/_train",
                "{" + LEARN + ",\"holdout\":0.3,\"condition_on\":[]}");
        assertThat(plain.evaluate("training.conditioned_on"), org.hamcrest.Matchers.nullValue());
        assertThat(plain.evaluate("training.negatives"), startsWith("skipped_above_click in impressions"));
        assertThat(
                ((List<?>) plain.evaluate("features")).size(), equalTo(((List<?>) model.evaluate("features")).size()));
        assertThat(model.evaluate("version"), equalTo(1));
        assertThat(model.evaluate("features.2.name"), equalTo("affinity.brand"));
        assertThat(
                "brand affinity predicts the clicks",
                ((Number) model.evaluate("features.2.weight")).doubleValue(),
                greaterThan(0.0));
        int holdoutUsers = model.evaluate("training.users_holdout");
        assertThat(holdoutUsers, greaterThan(0));
        assertThat(holdoutUsers, lessThan(24));
        double auc = ((Number) model.evaluate("training.auc")).doubleValue();
        // the ceiling is about 0.85: two products of the shopper's brand are shown but not clicked in every impression
        // (same features as the click), and one click in five is noise; chance is 0.5
        assertThat("held-out AUC " + auc, auc, greaterThan(0.7));
        assertThat(((Number) model.evaluate("training.log_loss")).doubleValue(), greaterThan(0.0));
        // also measured with every product shown but not clicked as a negative: more examples than the default's
        int everyShown = model.evaluate("training.examples_holdout_every_shown");
        assertThat(everyShown, greaterThan((Integer) model.evaluate("training.examples_holdout")));
        assertThat(((Number) model.evaluate("training.auc_every_shown")).doubleValue(), greaterThan(0.7));

        // stored in the cluster: any node reads it; a retrain is a new version
        assertThat(call("GET", "/_semantic_ranking/personalization/shop", null).evaluate("version"), equalTo(1));
        call(
                "POST",
                "/_semantic_ranking/personalization/shop/_train",
                "{" + LEARN + ",\"holdout\":0.3,\"session_size\":5}");
        assertThat(call("GET", "/_semantic_ranking/personalization/shop", null).evaluate("version"), equalTo(2));

        // fitted given the slot and the query match, served without them: the stored features are the served ones only
        ObjectPath conditioned = call(
                "POST",
                "/_semantic_ranking/personalization/shop_given/_train",
                "{" + LEARN + ",\"holdout\":0.3,\"session_size\":5,\"condition_on\":[\"position\",\"query\"]}");
        assertThat(
                conditioned.evaluate("training.conditioned_on"), equalTo(List.of("context.position", "context.query")));
        Map<String, Object> contextWeights = conditioned.evaluate("training.context_weights");
        assertThat(contextWeights.keySet(), equalTo(java.util.Set.of("context.position", "context.query")));
        assertThat(
                ((List<?>) conditioned.evaluate("features")).size(),
                equalTo(((List<?>) model.evaluate("features")).size()));
        assertThat(conditioned.evaluate("features.2.name"), equalTo("affinity.brand"));
        assertThat(
                "brand affinity still predicts the clicks",
                ((Number) conditioned.evaluate("features.2.weight")).doubleValue(),
                greaterThan(0.0));
        assertThat(((Number) conditioned.evaluate("training.auc_with_context")).doubleValue(), greaterThan(0.5));
        assertThat(
                call("GET", "/_semantic_ranking/personalization/shop_given", null)
                        .evaluate("features.2.name"),
                equalTo("affinity.brand"));

        // the trained model ranks a Bose fan's products first
        ObjectPath search = call("POST", "/products_one/_search", """
            {"size":5,"query":{"match":{"title":"wireless"}},
             "rescore":{"window_size":20,"personalized_blend":{"user_id":"b-fan-1","model_id":"shop","vector_field":"vec",
               "weights":{"query":0.2,"vector":0,"personalization":1},"score_breakdown":true}}}""");
        assertThat(search.evaluate("hits.hits.0._id"), startsWith("b"));
        assertThat(search.evaluate("hits.hits.1._id"), startsWith("b"));
        Map<String, Object> features =
                search.evaluate("hits.hits.0.fields._personalized_blend.0.personalization.features");
        assertThat(
                features.keySet(),
                equalTo(java.util.Set.of(
                        "user_vector_cosine", "session_vector_cosine", "affinity.brand", "price_fit", "price_lift")));

        // "price_lift": false trains and serves without it
        ObjectPath withoutLift = call(
                "POST",
                "/_semantic_ranking/personalization/shop_no_lift/_train",
                "{" + LEARN + ",\"holdout\":0.3,\"session_size\":5,\"price_lift\":false}");
        List<Map<String, Object>> served = withoutLift.evaluate("features");
        assertThat(
                served.stream().map(f -> f.get("name")).toList(),
                equalTo(List.of("user_vector_cosine", "session_vector_cosine", "affinity.brand", "price_fit")));
        ObjectPath searchWithoutLift = call("POST", "/products_one/_search", """
            {"size":1,"query":{"match":{"title":"wireless"}},
             "rescore":{"window_size":20,"personalized_blend":{"user_id":"b-fan-1","model_id":"shop_no_lift","vector_field":"vec",
               "weights":{"query":0.2,"vector":0,"personalization":1},"score_breakdown":true}}}""");
        Map<String, Object> featuresWithoutLift =
                searchWithoutLift.evaluate("hits.hits.0.fields._personalized_blend.0.personalization.features");
        assertThat(
                featuresWithoutLift.keySet(),
                equalTo(java.util.Set.of(
                        "user_vector_cosine", "session_vector_cosine", "affinity.brand", "price_fit")));

        // "click_lift_field": the build writes each product's clicks in result lists and its views in each slot, in the
        // same pass and update as the popularity: counts of the product's own events, no rate of anyone else's
        ObjectPath withClickStats = call(
                "POST",
                "/_semantic_ranking/profiles/_build",
                "{" + LEARN + ",\"full\":true,\"popularity_field\":\"pop\",\"click_lift_field\":\"ctr\"}");
        assertThat(withClickStats.evaluate("products_with_click_lift"), equalTo(SHOWN.size()));
        // the nine products clicked in lists, and the kettle bought outside any
        assertThat(withClickStats.evaluate("products_with_popularity"), equalTo(SHOWN.size() + 1));
        assertThat(call("GET", "/products/_doc/k1", null).evaluate("_source.pop"), equalTo(1));
        // every product was shown in all 144 impressions; the purchase outside any list is no click
        long clicksInLists = 0;
        for (String id : SHOWN) {
            ObjectPath product = call("GET", "/products/_doc/" + id, null);
            long views = 0;
            for (int slot = 0; slot < 10; slot++) {
                views += ((Number) product.evaluate("_source.ctr.views_" + slot)).longValue();
            }
            views += ((Number) product.evaluate("_source.ctr.views_deeper")).longValue();
            assertEquals(id, 144, views);
            clicksInLists += ((Number) product.evaluate("_source.ctr.clicks")).longValue();
        }
        assertEquals(24 * 6, clicksInLists);
        assertThat(call("GET", "/products/_doc/k1", null).evaluate("_source.ctr"), org.hamcrest.Matchers.nullValue());
        // the same events built again: every product already holds its counts, so none is rewritten (no-op updates)
        ObjectPath again = call(
                "POST",
                "/_semantic_ranking/profiles/_build",
                "{" + LEARN + ",\"full\":true,\"popularity_field\":\"pop\",\"click_lift_field\":\"ctr\"}");
        assertThat(again.evaluate("products_with_click_lift"), equalTo(SHOWN.size()));
        assertThat(again.evaluate("products_rewritten"), equalTo(0));
        assertThat(withClickStats.evaluate("products_rewritten"), equalTo(SHOWN.size() + 1));
        // one more impression of one product, clicked: an incremental build rewrites that product only
        call("POST", "/interactions/_bulk?refresh=true", """
            {"index":{}}
            {"user_id":"b-fan-0","product_id":"b1","type":"view","impression_id":"late-1","position":0,"query":"speaker","@timestamp":"2027-01-01T00:00:00Z"}
            {"index":{}}
            {"user_id":"b-fan-0","product_id":"b1","type":"click","impression_id":"late-1","position":0,"query":"speaker","@timestamp":"2027-01-01T00:00:01Z"}
            """);
        ObjectPath oneMore = call(
                "POST",
                "/_semantic_ranking/profiles/_build",
                "{" + LEARN + ",\"popularity_field\":\"pop\",\"click_lift_field\":\"ctr\"}");
        assertThat(oneMore.evaluate("full"), equalTo(false));
        assertThat(
                "only the product with events since the last build is counted again",
                oneMore.evaluate("products_with_click_lift"),
                equalTo(1));
        assertThat("only the product with new events changed", oneMore.evaluate("products_rewritten"), equalTo(1));
        assertThat(call("GET", "/products/_doc/b1", null).evaluate("_source.ctr.views_0"), greaterThan(0));
        // a field the products map as something else cannot take the statistics: a 400 naming it, not a 500
        assertStatus(
                "POST",
                "/_semantic_ranking/profiles/_build",
                "{" + LEARN + ",\"full\":true,\"click_lift_field\":\"title\"}",
                400,
                "writing [title] to [products] failed");
        ObjectPath clickModel = call(
                "POST",
                "/_semantic_ranking/personalization/shop_ctr/_train",
                "{" + LEARN + ",\"holdout\":0.3,\"click_lift_field\":\"ctr\"}");
        assertThat(clickModel.evaluate("click_lift_field"), equalTo("ctr"));
        // with the slot and the click lift to explain a product passed over, every shown product is a negative
        assertThat(clickModel.evaluate("training.negatives"), startsWith("all_shown in impressions"));
        assertThat(
                clickModel.evaluate("training.examples_holdout_every_shown"),
                equalTo(clickModel.evaluate("training.examples_holdout")));
        List<Map<String, Object>> clickFeatures = clickModel.evaluate("features");
        assertThat(clickFeatures.get(clickFeatures.size() - 1).get("name"), equalTo("click_lift"));
        // served from doc values: the same log((clicks + 1) / (expected + 1)) as the source says, 0 for a product never
        // shown
        ObjectPath searchWithClicks = call("POST", "/products/_search", """
            {"size":10,"query":{"match":{"title":"wireless"}},
             "rescore":{"window_size":20,"personalized_blend":{"user_id":"b-fan-1","model_id":"shop_ctr","vector_field":"vec",
               "weights":{"query":0.2,"vector":0,"personalization":1},"score_breakdown":true}}}""");
        List<Map<String, Object>> hits = searchWithClicks.evaluate("hits.hits");
        assertThat(hits.size(), greaterThan(SHOWN.size() / 2));
        // the expected clicks: the product's views in each slot at the slots' click rates the model was trained with;
        // most clicks were logged without their slot, so every slot has the overall rate: 145 clicks in 1,297 views
        // (the late impression above included)
        List<Number> rates = clickModel.evaluate("slot_rates");
        assertThat(rates.size(), equalTo(11));
        for (Number rate : rates) {
            assertEquals(145.0 / 1297, rate.doubleValue(), 1e-9);
        }
        for (int i = 0; i < hits.size(); i++) {
            ObjectPath product = call("GET", "/products/_doc/" + hits.get(i).get("_id"), null);
            Number productClicks = product.evaluate("_source.ctr.clicks");
            double productExpected = 0;
            for (int slot = 0; slot <= 10; slot++) {
                Number views = product.evaluate("_source.ctr." + (slot < 10 ? "views_" + slot : "views_deeper"));
                productExpected += views == null
                        ? 0
                        : views.doubleValue() * rates.get(slot).doubleValue();
            }
            double lift =
                    productClicks == null ? 0 : Math.log((productClicks.doubleValue() + 1) / (productExpected + 1));
            Map<String, Object> hitFeatures = searchWithClicks.evaluate(
                    "hits.hits." + i + ".fields._personalized_blend.0.personalization.features");
            assertEquals(
                    hits.get(i).get("_id").toString(),
                    lift,
                    ((Number) hitFeatures.get("click_lift")).doubleValue(),
                    1e-6);
        }
    }

    /**
     * The README's events bulk-indexed before its mapping was read: Elasticsearch maps {@code user_id}, {@code type} and
     * the rest as {@code text} with a {@code .keyword} sub-field. The build, the training and the rescorer's session read
     * them through the sub-fields; a {@code text} field without one is a 400 naming it, with the mapping to create.
     */
    public void testEventsIndexedWithADynamicMapping() throws Exception {
        PersonalizedBlendClusterTests.indexProducts();
        call("PUT", "/_ingest/pipeline/events", """
            {"processors":[{"interaction_event":{}}]}""");
        call("PUT", "/interactions", """
            {"settings":{"number_of_shards":2,"default_pipeline":"events"}}""");
        logShoppers(8, 6);
        ObjectPath mapping = call("GET", "/interactions/_mapping", null);
        assertThat(mapping.evaluate("interactions.mappings.properties.user_id.type"), equalTo("text"));
        assertThat(
                mapping.evaluate("interactions.mappings.properties.user_id.fields.keyword.type"), equalTo("keyword"));

        ObjectPath built =
                call("POST", "/_semantic_ranking/profiles/_build", "{" + LEARN + ",\"popularity_field\":\"pop\"}");
        assertThat(built.evaluate("users"), equalTo(24));
        assertThat(built.evaluate("events"), equalTo(24 * 6 * 10));
        assertThat(built.evaluate("products_with_popularity"), equalTo(SHOWN.size()));
        ObjectPath profile = call("GET", "/user_profiles/_doc/s-fan-0", null);
        assertThat(((Number) profile.evaluate("_source.affinities.brand.sony")).doubleValue(), greaterThan(0.6));
        ObjectPath model =
                call("POST", "/_semantic_ranking/personalization/dyn/_train", "{" + LEARN + ",\"holdout\":0.3}");
        assertThat(((Number) model.evaluate("training.auc")).doubleValue(), greaterThan(0.7));
        // the rescorer finds the shopper's latest events through user_id.keyword: a session vector, not 0
        ObjectPath search = call("POST", "/products_one/_search", """
            {"size":3,"query":{"match":{"title":"wireless"}},
             "rescore":{"window_size":20,"personalized_blend":{"user_id":"b-fan-1","model_id":"dyn","vector_field":"vec",
               "weights":{"query":0.2,"vector":0,"personalization":1},"score_breakdown":true}}}""");
        Number session = search.evaluate(
                "hits.hits.0.fields._personalized_blend.0.personalization.features.session_vector_cosine");
        assertThat(session.doubleValue() != 0, equalTo(true));
        assertThat(search.evaluate("hits.hits.0._id"), startsWith("b"));

        // text without a keyword sub-field cannot be aggregated, sorted or matched exactly: a 400 that says what to
        // create
        call("PUT", "/events_text", """
            {"mappings":{"properties":{"user_id":{"type":"text"},"product_id":{"type":"keyword"},"type":{"type":"text"},
              "@timestamp":{"type":"date"}}}}""");
        call("POST", "/events_text/_doc?refresh=true", """
            {"user_id":"u1","product_id":"b1","type":"click","@timestamp":"2026-11-20T10:00:00Z"}""");
        for (String api :
                List.of("/_semantic_ranking/profiles/_build", "/_semantic_ranking/personalization/m/_train")) {
            assertStatus(
                    "POST",
                    api,
                    "{" + LEARN + ",\"interactions_index\":\"events_text\"}",
                    400,
                    "the interactions index [events_text] cannot be read as events: [user_id] is [text] with no [keyword] sub-field in [events_text]; "
                            + "[type] is [text] with no [keyword] sub-field in [events_text]");
            assertStatus(
                    "POST",
                    api,
                    "{" + LEARN + ",\"interactions_index\":\"events_text\"}",
                    400,
                    // the mapping to create, JSON-escaped in the error's reason
                    "PUT events_text {\\\"mappings\\\":{\\\"dynamic\\\":\\\"strict\\\",\\\"properties\\\":{\\\"user_id\\\":{\\\"type\\\":\\\"keyword\\\"}");
        }
        // the rescorer does not fail the shopper's search over it: no session vector, and a note says why
        ObjectPath noSession = call("POST", "/products_one/_search", """
            {"size":1,"query":{"match":{"title":"wireless"}},
             "rescore":{"window_size":20,"personalized_blend":{"user_id":"u1","vector_field":"vec","interactions_index":"events_text",
               "weights":{"query":0.2,"vector":0,"personalization":1},"score_breakdown":true}}}""");
        assertThat(noSession.evaluate("hits.hits.0._id") != null, equalTo(true));
    }

    /**
     * Statistics written by an earlier build from a bigger log: a full build over a log of two clicks leaves only the
     * two clicked products with a popularity and only the products shown in lists with click statistics; an
     * incremental build touches only products with events and says so.
     */
    public void testAFullBuildRemovesStatisticsNoEventGivesAnyMore() throws Exception {
        PersonalizedBlendClusterTests.indexProducts();
        createInteractions();
        logShoppers(2, 3);
        String stats = ",\"popularity_field\":\"pop\",\"click_lift_field\":\"ctr\"";
        ObjectPath first = call("POST", "/_semantic_ranking/profiles/_build", "{" + LEARN + stats + "}");
        assertThat(first.evaluate("products_with_popularity"), equalTo(SHOWN.size()));
        assertThat(first.evaluate("products_with_click_lift"), equalTo(SHOWN.size()));
        assertThat(first.evaluate("products_reset"), equalTo(0));

        call("PUT", "/small_log", String.format(Locale.ROOT, """
            {"settings":{"default_pipeline":"events"},"mappings":%s}""", InteractionEvent.MAPPING));
        StringBuilder bulk = new StringBuilder();
        event(bulk, "u1", "b1", "click", START, "imp-1", 0, null);
        event(bulk, "u1", "s1", "view", START, "imp-1", 1, null);
        event(bulk, "u2", "k1", "purchase", START + 1, "none", null, null);
        // a view outside any list counts for neither statistic: j1 has events, and gets nothing
        event(bulk, "u2", "j1", "view", START + 2, "none", null, null);
        PersonalizedBlendClusterTests.bulk(
                bulk.toString().replace(",\"impression_id\":\"none\"", ""), "/small_log/_bulk?refresh=true");
        ObjectPath full = call(
                "POST",
                "/_semantic_ranking/profiles/_build",
                "{" + LEARN + stats
                        + ",\"interactions_index\":\"small_log\",\"profiles_index\":\"small_profiles\",\"full\":true}");
        assertThat(full.evaluate("products_with_popularity"), equalTo(2)); // b1 clicked, k1 bought
        assertThat(full.evaluate("products_with_click_lift"), equalTo(2)); // b1 and s1 in the list
        // all nine shown products had both; b1 keeps both, s1 keeps its click statistics: seven lose everything, s1 its
        // popularity
        assertThat(full.evaluate("products_reset"), equalTo(SHOWN.size() - 1));
        assertThat(full.evaluate("product_stats"), containsString("products without any had theirs removed"));
        for (String id : SHOWN) {
            ObjectPath product = call("GET", "/products/_doc/" + id, null);
            assertThat(id, product.evaluate("_source.pop") != null, equalTo(id.equals("b1")));
            assertThat(id, product.evaluate("_source.ctr") != null, equalTo(id.equals("b1") || id.equals("s1")));
            assertThat(
                    id, product.evaluate("_source.title") != null, equalTo(true)); // a partial update: the rest stays
        }
        assertThat(call("GET", "/products/_doc/k1", null).evaluate("_source.pop"), equalTo(1));
        assertThat(call("GET", "/products/_doc/j1", null).evaluate("_source.pop"), org.hamcrest.Matchers.nullValue());
        assertThat(call("GET", "/products/_doc/j1", null).evaluate("_source.ctr"), org.hamcrest.Matchers.nullValue());
        // searched like a product never shown: no doc value
        ObjectPath withPop = call("POST", "/products/_search", """
            {"size":0,"query":{"exists":{"field":"pop"}}}""");
        assertThat(withPop.evaluate("hits.total.value"), equalTo(2));

        call("POST", "/small_log/_doc?refresh=true", """
            {"user_id":"u3","product_id":"j1","type":"click","@timestamp":"2026-12-01T00:00:00Z"}""");
        ObjectPath incremental = call(
                "POST",
                "/_semantic_ranking/profiles/_build",
                "{" + LEARN + stats + ",\"interactions_index\":\"small_log\",\"profiles_index\":\"small_profiles\"}");
        assertThat(incremental.evaluate("full"), equalTo(false));
        // only j1 has events since the last build: it alone is counted again, b1 and k1 keep what they hold
        assertThat(incremental.evaluate("products_with_popularity"), equalTo(1));
        assertThat(call("GET", "/products/_doc/j1", null).evaluate("_source.pop"), equalTo(1));
        assertThat(call("GET", "/products/_doc/k1", null).evaluate("_source.pop"), equalTo(1));
        assertThat(incremental.evaluate("products_reset"), equalTo(0));
        assertThat(
                incremental.evaluate("product_stats"),
                containsString("products without any keep what an earlier build wrote"));
    }

    private static void assertStatus(String method, String path, String body, int status, String reason) {
        ResponseException e = expectThrows(ResponseException.class, () -> call(method, path, body));
        assertThat(e.getMessage(), e.getResponse().getStatusLine().getStatusCode(), equalTo(status));
        assertThat(e.getMessage(), containsString(reason));
    }

    public void testBadInputIsA4xxWithTheReason() throws Exception {
        createInteractions();
        assertStatus(
                "POST",
                "/_semantic_ranking/profiles/_build",
                "{\"vector_field\":\"vec\"}",
                400,
                "[profiles/_build] requires [products_index]");
        assertStatus(
                "POST",
                "/_semantic_ranking/profiles/_build",
                "{" + LEARN + ",\"colour\":1}",
                400,
                "unknown parameter [colour]");
        assertStatus(
                "POST",
                "/_semantic_ranking/profiles/_build",
                "{" + LEARN + ",\"weights\":{\"like\":1}}",
                400,
                "unknown interaction type [like]");
        assertStatus(
                "POST",
                "/_semantic_ranking/profiles/_build",
                "{" + LEARN + ",\"half_life\":\"soon\"}",
                400,
                "half_life");
        assertStatus(
                "POST",
                "/_semantic_ranking/profiles/_build",
                "{" + LEARN + ",\"users_per_batch\":0}",
                400,
                "[users_per_batch] must be an integer");
        assertStatus("POST", "/_semantic_ranking/profiles/_build", null, 400, "request body is required");
        assertStatus(
                "POST",
                "/_semantic_ranking/personalization/m/_train",
                "{" + LEARN + ",\"holdout\":2}",
                400,
                "[holdout] must be a number between");
        assertStatus(
                "POST",
                "/_semantic_ranking/personalization/m/_train",
                "{" + LEARN + ",\"price_lift\":1}",
                400,
                "[price_lift] must be true or false");
        assertStatus(
                "POST",
                "/_semantic_ranking/profiles/_build",
                "{" + LEARN + ",\"click_lift_field\":1}",
                400,
                "[profiles/_build] [click_lift_field] must be a non-empty string");
        // the build writes these two into the products: they must not overwrite a field a feature reads
        assertStatus(
                "POST",
                "/_semantic_ranking/profiles/_build",
                "{" + LEARN + ",\"popularity_field\":\"pop\",\"click_lift_field\":\"pop\"}",
                400,
                "[profiles/_build] [click_lift_field] [pop] is also the [popularity_field]");
        assertStatus(
                "POST",
                "/_semantic_ranking/personalization/m/_train",
                "{" + LEARN + ",\"popularity_field\":\"price\"}",
                400,
                "[personalization/_train] [popularity_field] [price] is also the [price_field]");
        assertStatus(
                "POST",
                "/_semantic_ranking/personalization/m/_train",
                "{" + LEARN + "}",
                400,
                "no interactions in [interactions] to train on");
        assertStatus(
                "POST",
                "/_semantic_ranking/personalization/m/_train",
                "{" + LEARN + ",\"condition_on\":[\"grade\"]}",
                400,
                "[condition_on] values must be [position] or [query] but was [grade]");
        assertStatus(
                "POST",
                "/_semantic_ranking/personalization/m/_train",
                "{" + LEARN + ",\"condition_on\":\"position\"}",
                400,
                "[condition_on] must be a list of [position] and [query]");
        assertStatus(
                "POST",
                "/_semantic_ranking/personalization/m/_train",
                "{" + LEARN + ",\"interactions_index\":\"nope\"}",
                404,
                "no such index [nope]");
        assertStatus(
                "GET",
                "/_semantic_ranking/personalization/never-trained",
                null,
                404,
                "personalization model [never-trained] not found");
        assertStatus(
                "POST",
                "/_semantic_ranking/personalization/_bad/_train",
                "{" + LEARN + "}",
                400,
                "invalid model_id [_bad]");
    }
}
