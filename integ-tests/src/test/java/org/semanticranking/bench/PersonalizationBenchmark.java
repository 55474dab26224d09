package org.semanticranking.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.semanticranking.integ.RealNode;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.model.BinaryMetrics;
import org.semanticranking.personalization.model.ModelTrainer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.semanticranking.bench.ChorusQueryBenchmark.Judged;
import static org.semanticranking.bench.ChorusQueryBenchmark.ids;
import static org.semanticranking.bench.ChorusQueryBenchmark.json;
import static org.semanticranking.bench.ChorusQueryBenchmark.percentile;

/**
 * The personalization simulation and the rescore latency benchmark, on a real node with the Chorus catalogue.
 *
 * <p>No real sessions come with the catalogue, so shoppers are simulated: each has four interests (Chorus queries) and
 * hidden preferences, two favourite brands and a price band (+-0.5 in log price), drawn from the first two BM25 pages
 * of those interests (see {@link #shoppers}). No product type preference: Chorus gives a {@code product_type} to
 * 31% of the products, and 3,171 of those are toner cartridges typed {@code Original}. Each runs
 * searches on Chorus queries; the first page (BM25 top 10) is logged as an impression, and clicks are drawn from
 * a position-based click model: P(click at rank r) = examination(r) x attractiveness, with examination
 * 1 / (r + 1)^0.8 and attractiveness = relevance(judged grade) x preference(shopper, product). Profiles are built
 * and a model is trained with 20% of the shoppers held out. The held-out shoppers then run new searches, ranked
 * without and with {@code personalized_blend}; the gain of a product is (2^grade - 1) x preference.
 * Run with {@code mvn -Pbench verify -Dit.test=PersonalizationBenchmark}; the report goes to stdout and
 * {@code target/benchmarks/personalization.md}. Asserts only that the runs completed.
 */
class PersonalizationBenchmark {

    static final int SHOPPERS = Integer.getInteger("bench.shoppers", 500);
    static final int SEARCHES = Integer.getInteger("bench.searches", 20);
    static final int EVAL_SEARCHES = 10;
    /** How attractive a product that matches none of a shopper's preferences is, against 1 for one that matches all. */
    static final double PREFERENCE_FLOOR = Double.parseDouble(System.getProperty("bench.preference_floor", "0.1"));

    static final double HOLDOUT = 0.2;
    static final int LATENCY_ROUNDS = 3;
    static final List<Integer> ORACLE_LABELS = new ArrayList<>();
    static final List<Double> ORACLE_PREFERENCE = new ArrayList<>();
    static final List<Double> ORACLE_PREFERENCE_AND_RELEVANCE = new ArrayList<>();
    /** The same for every shown product (the trainer's {@code negatives: all_shown}), with the exact click probability too. */
    static final OracleExamples ORACLE_ALL_SHOWN = new OracleExamples();

    /** Held-out examples scored by what the simulation knows: the true preference, x relevance, x examination of the slot. */
    static final class OracleExamples {
        final List<Integer> labels = new ArrayList<>();
        final List<double[]> scores = new ArrayList<>();

        void add(boolean clicked, double preference, double relevance, double examination) {
            labels.add(clicked ? 1 : 0);
            scores.add(new double[] {preference, preference * relevance, preference * relevance * examination});
        }

        double auc(int score) {
            return BinaryMetrics.auc(scores.stream().mapToDouble(s -> s[score]).toArray(), labels);
        }
    }

    record Product(String id, String brand, double price) {}

    record Shopper(String id, List<Judged> interests, List<String> brands, double logLow, double logHigh) {
        double preference(Product p) {
            double match = (p != null && brands.contains(p.brand()) ? 0.6 : 0)
                    + (p != null && Math.log(p.price()) >= logLow && Math.log(p.price()) <= logHigh ? 0.4 : 0);
            return PREFERENCE_FLOOR + (1 - PREFERENCE_FLOOR) * match;
        }
    }

    static double relevance(Integer grade) {
        if (grade == null) {
            return 0.1; // unjudged: unknown, assumed mostly off-topic
        }
        return new double[] {0.05, 0.25, 0.6, 0.9}[grade];
    }

    static double examination(int rank) {
        return 1 / Math.pow(rank + 1, 0.8);
    }

    @Test
    void simulateTrainEvaluateAndTime() throws Exception {
        List<Judged> queries = ChorusQueryBenchmark.loadQueries();
        StringBuilder report = new StringBuilder();
        try (RealNode node = RealNode.installAndStart("bench-personalization", 9254)) {
            Map<String, Product> products = indexCatalogue(node);
            Map<String, List<String>> firstPages = new HashMap<>();
            for (Judged q : queries) {
                firstPages.put(q.id(), ids(node.call("POST", "/chorus/_search", bm25(q.text(), 20, TIE_BREAK))));
            }
            List<Shopper> shoppers = shoppers(queries, firstPages, products, new Random(42));
            long clicks = logSessions(node, queries, shoppers, products, firstPages, new Random(7));
            // taste features only; with popularity; and with click lift, the two global signals
            String tasteOnly = """
                "products_index":"chorus","vector_field":"product_vector","affinity_fields":["brand.keyword"],"price_field":"price\"""";
            String noClickLift = tasteOnly + ",\"popularity_field\":\"popularity\"";
            String learn = noClickLift + ",\"click_lift_field\":\"click_stats\"";
            JsonNode built = node.call("POST", "/_semantic_ranking/profiles/_build", "{" + learn + "}");
            report.append("## Personalization simulation\n\n");
            report.append(String.format(
                    Locale.ROOT,
                    "%d shoppers x %d searches (%d clicks), preference floor %s; profiles: %s users in %s ms%n%n",
                    shoppers.size(),
                    SEARCHES,
                    clicks,
                    PREFERENCE_FLOOR,
                    built.get("users"),
                    built.get("took_ms")));
            // the defaults (skipped above the last click, no conditioning); the same fitted given slot and query match;
            // and
            // every shown product a negative (the definition), given the slot
            train(
                    node,
                    learn,
                    "sim",
                    "",
                    "the defaults (conditioned on the slot; with `click_lift`, so `negatives: all_shown`)",
                    report);
            train(
                    node,
                    learn,
                    "sim_skipped",
                    ",\"negatives\":\"skipped_above_click\"",
                    "conditioned on the slot, products skipped above the lowest click as negatives (the default without `click_lift`)",
                    report);
            train(
                    node,
                    noClickLift,
                    "sim_all_shown_no_click_lift",
                    ",\"negatives\":\"all_shown\"",
                    "conditioned on the slot, every shown product a negative, without `click_lift`",
                    report);
            train(
                    node,
                    learn,
                    "sim_unconditioned",
                    ",\"condition_on\":[]",
                    "not conditioned (so `negatives: skipped_above_click`; the default before stop 11)",
                    report);
            train(
                    node,
                    learn,
                    "sim_conditioned",
                    ",\"condition_on\":[\"position\",\"query\"]",
                    "the defaults, conditioned on slot and query match",
                    report);
            // the defaults without click_lift (clicks against the clicks expected of the product's slots): what it adds
            train(
                    node,
                    noClickLift,
                    "sim_no_click_lift",
                    "",
                    "the defaults without `click_lift` (so `negatives: skipped_above_click`: the configuration of stop 11)",
                    report);
            // taste features only (no popularity or click lift), given slot and query
            train(
                    node,
                    tasteOnly,
                    "sim_taste",
                    ",\"condition_on\":[\"position\",\"query\"]",
                    "taste features only (no popularity), conditioned on slot and query match",
                    report);
            // the same two without price_lift (clicks against the slots' expected clicks at the product's price): what
            // it adds
            train(node, learn, "sim_no_lift", ",\"price_lift\":false", "the defaults without `price_lift`", report);
            train(
                    node,
                    tasteOnly,
                    "sim_taste_no_lift",
                    ",\"condition_on\":[\"position\",\"query\"],\"price_lift\":false",
                    "taste features only, conditioned, without `price_lift`",
                    report);
            servingWithoutPopularity(node);
            // the taste model served with brand affinity and price fit alone: the profile and session vectors (mean of
            // products clicked for other queries) vary within a query's window for reasons that are not taste
            servedWithout(
                    node, "sim_taste", "sim_taste_no_vectors", Set.of("user_vector_cosine", "session_vector_cosine"));
            report.append(String.format(
                    Locale.ROOT,
                    "held-out AUC of the simulation's own knowledge on every shown product (%d; the examples of `sim`): "
                            + "true preference %.3f, x relevance of the judged grade %.3f, x examination of the slot (the exact click probability) %.3f%n%n",
                    ORACLE_ALL_SHOWN.labels.size(),
                    ORACLE_ALL_SHOWN.auc(0),
                    ORACLE_ALL_SHOWN.auc(1),
                    ORACLE_ALL_SHOWN.auc(2)));
            report.append(String.format(
                    Locale.ROOT,
                    "the same on clicks against products skipped above the last click (%d; the examples of `sim_skipped` and `sim_unconditioned`): true preference %.3f, "
                            + "x relevance %.3f%n%n",
                    ORACLE_LABELS.size(),
                    BinaryMetrics.auc(
                            ORACLE_PREFERENCE.stream()
                                    .mapToDouble(Double::doubleValue)
                                    .toArray(),
                            ORACLE_LABELS),
                    BinaryMetrics.auc(
                            ORACLE_PREFERENCE_AND_RELEVANCE.stream()
                                    .mapToDouble(Double::doubleValue)
                                    .toArray(),
                            ORACLE_LABELS)));
            evaluate(node, queries, shoppers, products, report);
            latency(node, queries, shoppers, report);
        }
        System.out.println(report);
        Path out = Path.of("target/benchmarks/personalization.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    }

    /** Trains {@code modelId} on the logged events with the extra {@code options} and reports its weights and held-out AUC. */
    static JsonNode train(
            RealNode node, String learn, String modelId, String options, String what, StringBuilder report)
            throws Exception {
        JsonNode model = node.call(
                "POST",
                "/_semantic_ranking/personalization/" + modelId + "/_train",
                "{" + learn + ",\"holdout\":" + HOLDOUT + options + "}");
        JsonNode training = model.get("training");
        report.append("### `" + modelId + "`: " + what + "\n\n" + training
                + "\n\n| feature | weight (standardised) |\n|---|---|\n");
        model.get("features")
                .forEach(f -> report.append(String.format(
                        Locale.ROOT,
                        "| %s | %.3f |%n",
                        f.get("name").asText(),
                        f.get("weight").asDouble())));
        if (training.has("context_weights")) {
            training.get("context_weights")
                    .fields()
                    .forEachRemaining(f -> report.append(String.format(
                            Locale.ROOT,
                            "| %s (training only) | %.3f |%n",
                            f.getKey(),
                            f.getValue().asDouble())));
        }
        report.append(String.format(
                Locale.ROOT,
                "%nheld-out AUC of the served score %.3f, log loss %.3f%s (user-vector cosine alone: %.3f); over every shown product (%d examples) %.3f%n%n",
                training.get("auc").asDouble(),
                training.get("log_loss").asDouble(),
                training.has("auc_with_context")
                        ? String.format(
                                Locale.ROOT,
                                "; of the whole fit, context included, %.3f",
                                training.get("auc_with_context").asDouble())
                        : "",
                training.get("auc_user_vector_cosine_only").asDouble(),
                training.get("examples_holdout_every_shown").asInt(),
                training.get("auc_every_shown").asDouble()));
        return model;
    }

    /** The catalogue as {@link ChorusQueryBenchmark} indexes it, without its title-only vector. */
    static Map<String, Product> indexCatalogue(RealNode node) throws Exception {
        List<Map<String, Object>> catalogue = ChorusQueryBenchmark.indexCatalogue(node, false);
        Map<String, Product> products = new HashMap<>();
        for (Map<String, Object> p : catalogue) {
            products.put(
                    (String) p.get("id"),
                    new Product(
                            (String) p.get("id"), (String) p.get("brand"), ((Number) p.get("price")).doubleValue()));
        }
        return products;
    }

    /**
     * Shoppers come back for what they need: each has four interests (Chorus queries with a relevant product) and
     * searches them most of the time. Their favourite brands (two) and their price band (+-0.5 in log price around
     * a product's) are drawn from the first two pages of their interests, so that a taste can show in what they
     * are shown; a preference for brands they never meet could not be learned by anyone.
     */
    static List<Shopper> shoppers(
            List<Judged> queries, Map<String, List<String>> firstPages, Map<String, Product> products, Random random) {
        List<Judged> answerable = queries.stream()
                .filter(q -> q.grades().values().stream().anyMatch(g -> g > 0))
                .toList();
        List<Shopper> shoppers = new ArrayList<>();
        for (int i = 0; i < SHOPPERS; i++) {
            List<Judged> interests = new ArrayList<>();
            while (interests.size() < 4) {
                Judged q = answerable.get(random.nextInt(answerable.size()));
                if (interests.contains(q) == false) {
                    interests.add(q);
                }
            }
            List<Product> seen = interests.stream()
                    .flatMap(q -> firstPages.get(q.id()).stream())
                    .map(products::get)
                    .toList();
            SEEN.put("shopper-" + i, seen);
            String a = seen.get(random.nextInt(seen.size())).brand(), b = a;
            for (int tries = 0; tries < 50 && b.equals(a); tries++) {
                b = seen.get(random.nextInt(seen.size())).brand();
            }
            double center =
                    Math.log(Math.max(1, seen.get(random.nextInt(seen.size())).price()));
            shoppers.add(new Shopper("shopper-" + i, interests, List.of(a, b), center - 0.5, center + 0.5));
        }
        return shoppers;
    }

    /** Mostly one of the shopper's interests, sometimes any query. */
    static Judged nextQuery(Shopper shopper, List<Judged> queries, Random random) {
        return random.nextDouble() < 0.8
                ? shopper.interests().get(random.nextInt(shopper.interests().size()))
                : queries.get(random.nextInt(queries.size()));
    }

    /**
     * BM25 ties broken by product id, not by Lucene's document order (which follows the concurrent bulk's order and
     * changes from run to run): the pages shoppers are shown, the BM25 baseline and the windows the oracle and the bound
     * re-rank are the same in every run. A rescored search cannot be sorted; it breaks ties by document order.
     */
    static final String TIE_BREAK = ",\"sort\":[{\"_score\":\"desc\"},{\"id\":\"asc\"}]";

    static String bm25(String text, int size, String rescore) throws Exception {
        return String.format(Locale.ROOT, """
            {"size":%d,"_source":false,"query":{"multi_match":{"query":%s,"fields":["title","name","brand","product_type","description"]}}%s}""", size, json(text), rescore);
    }

    /** Every shopper's searches: the first page as an impression (views with positions) and the drawn clicks, carts and purchases. */
    static long logSessions(
            RealNode node,
            List<Judged> queries,
            List<Shopper> shoppers,
            Map<String, Product> products,
            Map<String, List<String>> firstPages,
            Random random)
            throws Exception {
        node.call("PUT", "/_ingest/pipeline/events", "{\"processors\":[{\"interaction_event\":{}}]}");
        node.call(
                "PUT",
                "/interactions",
                "{\"settings\":{\"number_of_shards\":1,\"default_pipeline\":\"events\"},\"mappings\":"
                        + InteractionEvent.MAPPING + "}");
        long t = java.time.Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
        long clicks = 0;
        StringBuilder bulk = new StringBuilder();
        for (int s = 0; s < SEARCHES; s++) {
            for (Shopper shopper : shoppers) {
                Judged q = nextQuery(shopper, queries, random);
                String impression = shopper.id() + "-" + s;
                List<String> page = firstPages
                        .get(q.id())
                        .subList(0, Math.min(10, firstPages.get(q.id()).size()));
                t += 1000;
                for (int r = 0; r < page.size(); r++) {
                    event(bulk, shopper.id(), page.get(r), "view", t, impression, r, q.text());
                }
                int lowestClick = -1;
                boolean[] clicked = new boolean[page.size()];
                for (int r = 0; r < page.size(); r++) {
                    String id = page.get(r);
                    double pref = shopper.preference(products.get(id));
                    if (random.nextDouble()
                            < examination(r) * relevance(q.grades().get(id)) * pref) {
                        clicked[r] = true;
                        lowestClick = r;
                        clicks++;
                        event(bulk, shopper.id(), id, "click", t + 10 + r, impression, r, q.text());
                        if (random.nextDouble() < 0.3 * pref) {
                            event(bulk, shopper.id(), id, "add_to_cart", t + 20 + r, impression, r, q.text());
                            if (random.nextDouble() < 0.5) {
                                event(bulk, shopper.id(), id, "purchase", t + 30 + r, impression, r, q.text());
                            }
                        }
                    }
                }
                for (int r = 0; r < page.size(); r++) {
                    LOGGED.computeIfAbsent(shopper.id(), k -> new ArrayList<>())
                            .add(new TastePosterior.View(
                                    products.get(page.get(r)),
                                    r,
                                    relevance(q.grades().get(page.get(r))),
                                    clicked[r]));
                }
                // the same examples as training (clicks against products skipped above the last click), scored by what
                // the
                // simulation knows and no model can: how high the best possible personalization features could go
                if (ModelTrainer.isHeldOut(shopper.id(), 0, HOLDOUT)) {
                    for (int r = 0; r < page.size(); r++) {
                        ORACLE_ALL_SHOWN.add(
                                clicked[r],
                                shopper.preference(products.get(page.get(r))),
                                relevance(q.grades().get(page.get(r))),
                                examination(r));
                    }
                    for (int r = 0; r <= lowestClick; r++) {
                        double pref = shopper.preference(products.get(page.get(r)));
                        ORACLE_LABELS.add(clicked[r] ? 1 : 0);
                        ORACLE_PREFERENCE.add(pref);
                        ORACLE_PREFERENCE_AND_RELEVANCE.add(
                                pref * relevance(q.grades().get(page.get(r))));
                    }
                }
                if (bulk.length() > 2_000_000) {
                    flush(node, bulk);
                }
            }
        }
        flush(node, bulk);
        node.call("POST", "/interactions/_refresh", null);
        return clicks;
    }

    static void event(
            StringBuilder bulk,
            String user,
            String product,
            String type,
            long t,
            String impression,
            int position,
            String query)
            throws Exception {
        bulk.append("{\"index\":{}}\n{\"user_id\":\"")
                .append(user)
                .append("\",\"product_id\":\"")
                .append(product)
                .append("\",\"type\":\"")
                .append(type)
                .append("\",\"@timestamp\":")
                .append(t)
                .append(",\"query\":")
                .append(json(query))
                .append(",\"impression_id\":\"")
                .append(impression)
                .append("\",\"position\":")
                .append(position)
                .append("}\n");
    }

    static void flush(RealNode node, StringBuilder bulk) throws Exception {
        if (bulk.length() > 0) {
            JsonNode r = node.call("POST", "/interactions/_bulk", bulk.toString());
            assertFalse(r.get("errors").asBoolean(), () -> r.toString().substring(0, 2000));
            bulk.setLength(0);
        }
    }

    static String blend(String user, double query, double personalization, String modelId, int window) {
        return String.format(
                Locale.ROOT,
                """
            ,"rescore":{"window_size":%d,"personalized_blend":{"user_id":"%s",%s"vector_field":"product_vector",
              "weights":{"query":%s,"vector":0,"personalization":%s}}}""",
                window,
                user,
                modelId == null ? "" : "\"model_id\":\"" + modelId + "\",",
                query,
                personalization);
    }

    /** nDCG@10 with gain (2^grade - 1) x the shopper's preference; the ideal ranking is the query's judged products by that gain. */
    static double personalNdcg(List<String> ranking, Judged q, Shopper shopper, Map<String, Product> products) {
        List<Double> ideal = q.grades().entrySet().stream()
                .map(e -> (Math.pow(2, e.getValue()) - 1) * shopper.preference(products.get(e.getKey())))
                .sorted(Comparator.reverseOrder())
                .toList();
        double idcg = 0, dcg = 0;
        for (int i = 0; i < Math.min(10, ideal.size()); i++) {
            idcg += ideal.get(i) / (Math.log(i + 2) / Math.log(2));
        }
        for (int i = 0; i < Math.min(10, ranking.size()); i++) {
            Integer g = q.grades().get(ranking.get(i));
            double gain = g == null ? 0 : (Math.pow(2, g) - 1) * shopper.preference(products.get(ranking.get(i)));
            dcg += gain / (Math.log(i + 2) / Math.log(2));
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    static void evaluate(
            RealNode node,
            List<Judged> queries,
            List<Shopper> shoppers,
            Map<String, Product> products,
            StringBuilder report)
            throws Exception {
        List<Shopper> heldOut = shoppers.stream()
                .filter(s -> ModelTrainer.isHeldOut(s.id(), 0, HOLDOUT))
                .toList();
        Map<String, String> runs = new LinkedHashMap<>();
        runs.put("BM25 (no rescore)", null);
        runs.put("personalized_blend, model, weights query 0.5 / personalization 0.5", "0.5,0.5,sim");
        runs.put("personalized_blend, model, weights query 0.7 / personalization 0.3", "0.7,0.3,sim");
        runs.put("personalized_blend, model, weights query 0.3 / personalization 0.7", "0.3,0.7,sim");
        runs.put("personalized_blend, model, weights query 0.8 / personalization 0.2", "0.8,0.2,sim");
        runs.put("personalized_blend, model, weights query 0.9 / personalization 0.1", "0.9,0.1,sim");
        runs.put("personalized_blend, skipped above the lowest click as negatives, 0.7 / 0.3", "0.7,0.3,sim_skipped");
        runs.put("personalized_blend, skipped above the lowest click as negatives, 0.5 / 0.5", "0.5,0.5,sim_skipped");
        runs.put(
                "personalized_blend, every shown product a negative, without click_lift, 0.7 / 0.3",
                "0.7,0.3,sim_all_shown_no_click_lift");
        runs.put(
                "personalized_blend, every shown product a negative, without click_lift, 0.5 / 0.5",
                "0.5,0.5,sim_all_shown_no_click_lift");
        runs.put("personalized_blend, model without click_lift (stop 11), 0.7 / 0.3", "0.7,0.3,sim_no_click_lift");
        runs.put("personalized_blend, model without click_lift (stop 11), 0.5 / 0.5", "0.5,0.5,sim_no_click_lift");
        runs.put("personalized_blend, model without price_lift, 0.7 / 0.3", "0.7,0.3,sim_no_lift");
        runs.put("personalized_blend, model without price_lift, 0.5 / 0.5", "0.5,0.5,sim_no_lift");
        runs.put(
                "personalized_blend, taste only, conditioned, without price_lift, 0.7 / 0.3",
                "0.7,0.3,sim_taste_no_lift");
        runs.put(
                "personalized_blend, model served without popularity and click_lift, 0.7 / 0.3",
                "0.7,0.3,sim_personal");
        runs.put(
                "personalized_blend, model served without popularity and click_lift, 0.5 / 0.5",
                "0.5,0.5,sim_personal");
        runs.put("personalized_blend, conditioned on slot and query match, 0.7 / 0.3", "0.7,0.3,sim_conditioned");
        runs.put("personalized_blend, conditioned on slot and query match, 0.5 / 0.5", "0.5,0.5,sim_conditioned");
        runs.put(
                "personalized_blend, not conditioned (the default before stop 11), 0.7 / 0.3",
                "0.7,0.3,sim_unconditioned");
        runs.put(
                "personalized_blend, not conditioned (the default before stop 11), 0.5 / 0.5",
                "0.5,0.5,sim_unconditioned");
        runs.put("personalized_blend, taste only (no popularity), conditioned, 0.7 / 0.3", "0.7,0.3,sim_taste");
        runs.put("personalized_blend, taste only (no popularity), conditioned, 0.5 / 0.5", "0.5,0.5,sim_taste");
        runs.put(
                "personalized_blend, brand affinity and price fit only, conditioned, 0.7 / 0.3",
                "0.7,0.3,sim_taste_no_vectors");
        runs.put(
                "personalized_blend, brand affinity and price fit only, conditioned, 0.5 / 0.5",
                "0.5,0.5,sim_taste_no_vectors");
        runs.put("personalized_blend, no model (profile vector cosine), 0.5 / 0.5", "0.5,0.5,");
        // the learned model given the shopper's true tastes as an inline profile: how much of the gap to the oracle is
        // the profile's estimate of the tastes, and how much the model and the blend
        runs.put("personalized_blend, model, true tastes as an inline profile, 0.7 / 0.3", "0.7,0.3,sim,true");
        runs.put("personalized_blend, model, true tastes as an inline profile, 0.5 / 0.5", "0.5,0.5,sim,true");
        runs.put(
                "personalized_blend, conditioned on slot and query match, true tastes as an inline profile, 0.5 / 0.5",
                "0.5,0.5,sim_conditioned,true");
        runs.put(
                "personalized_blend, skipped above the lowest click, true tastes as an inline profile, 0.5 / 0.5",
                "0.5,0.5,sim_skipped,true");
        runs.put(
                "personalized_blend, taste only, conditioned, true tastes as an inline profile, 0.7 / 0.3",
                "0.7,0.3,sim_taste,true");
        runs.put(
                "personalized_blend, taste only, conditioned, true tastes as an inline profile, 0.5 / 0.5",
                "0.5,0.5,sim_taste,true");
        runs.put(
                "personalized_blend, taste only, conditioned, inline: true brands, built price, 0.7 / 0.3",
                "0.7,0.3,sim_taste,brands");
        runs.put(
                "personalized_blend, taste only, conditioned, inline: built brands, true price, 0.7 / 0.3",
                "0.7,0.3,sim_taste,price");
        runs.put(
                "personalized_blend, taste only, conditioned, inline: built brands and price (no vectors), 0.7 / 0.3",
                "0.7,0.3,sim_taste,built");
        // The ceiling of any personalization part: the same blend over the same window of 100, with the shopper's true
        // (hidden) preference in place of the model's score, computed here (min-max normalised within the window, as
        // the rescorer does)
        double[][] oracleWeights = {{0.9, 0.1}, {0.8, 0.2}, {0.7, 0.3}, {0.5, 0.5}, {0.3, 0.7}};
        Map<String, Double> sums = new LinkedHashMap<>();
        runs.keySet().forEach(k -> sums.put(k, 0.0));
        for (double[] w : oracleWeights) {
            sums.put(oracleRun(w), 0.0);
        }
        // The bound of any profile built from these events: the posterior expected preference given the shopper's own
        // logged clicks and non-clicks, under the simulation's exact click model and prior (TastePosterior)
        double[][] boundWeights = {{0.8, 0.2}, {0.7, 0.3}, {0.5, 0.5}};
        for (double[] w : boundWeights) {
            sums.put(boundRun(w), 0.0);
        }
        // With the popularity the build wrote (a relevance signal from every shopper's clicks, not taste): alone, and
        // added to the true preference and to the bound, each min-max normalised within the window. The bound and the
        // oracle score taste only; a model may add what popularity knows about relevance.
        double[][] blendWeights = {{0.7, 0.3}, {0.5, 0.5}, {0.3, 0.7}};
        for (double[] w : blendWeights) {
            for (String with : List.of(
                    "popularity alone",
                    "true preference + popularity",
                    "bound + popularity",
                    "click lift alone",
                    "true preference + click lift",
                    "bound + click lift")) {
                sums.put(withPopularityRun(with, w), 0.0);
            }
        }
        // the same two sums over a grid of popularity's share (beta) and the blend's weights, to report the best of
        // each
        double[] betas = {0.25, 0.5, 1, 2};
        double[] personalWeights = {0.2, 0.3, 0.4, 0.5, 0.6, 0.7};
        Map<String, Double> grid = new LinkedHashMap<>();
        Map<String, TastePosterior> posteriors = new HashMap<>();
        Random random = new Random(99);
        int n = 0;
        for (Shopper shopper : heldOut) {
            for (int s = 0; s < EVAL_SEARCHES; s++) {
                Judged q = nextQuery(shopper, queries, random);
                // queries whose judged products all have grade 0 have no gain to rank: skip them
                if (q.grades().values().stream().allMatch(g -> g == 0)) {
                    continue;
                }
                n++;
                for (Map.Entry<String, String> run : runs.entrySet()) {
                    String rescore = TIE_BREAK;
                    if (run.getValue() != null) {
                        String[] w = run.getValue().split(",", -1);
                        rescore = blend(
                                shopper.id(),
                                Double.parseDouble(w[0]),
                                Double.parseDouble(w[1]),
                                w[2].isEmpty() ? null : w[2],
                                100);
                        if (w.length > 3) {
                            rescore = rescore.replace(
                                    "\"user_id\":\"" + shopper.id() + "\"",
                                    "\"user\":" + inlineProfile(node, shopper, w[3]));
                        }
                    }
                    List<String> ranking = ids(node.call("POST", "/chorus/_search", bm25(q.text(), 10, rescore)));
                    sums.merge(run.getKey(), personalNdcg(ranking, q, shopper, products), Double::sum);
                }
                JsonNode window = node.call(
                                "POST",
                                "/chorus/_search",
                                bm25(
                                        q.text(),
                                        100,
                                        TIE_BREAK
                                                + ",\"docvalue_fields\":[\"popularity\",\"click_stats.clicks\",\"click_stats.expected\"]"))
                        .get("hits")
                        .get("hits");
                for (double[] w : oracleWeights) {
                    sums.merge(
                            oracleRun(w),
                            personalNdcg(oracleRanking(window, shopper, products, w[0], w[1]), q, shopper, products),
                            Double::sum);
                }
                TastePosterior posterior = posteriors.computeIfAbsent(
                        shopper.id(),
                        id -> TastePosterior.of(
                                SEEN.get(id),
                                LOGGED.getOrDefault(id, List.of()),
                                PREFERENCE_FLOOR,
                                PersonalizationBenchmark::examination));
                for (double[] w : boundWeights) {
                    List<String> ranking =
                            rankedBy(window, p -> posterior.expectedPreference(products.get(p)), w[0], w[1]);
                    sums.merge(boundRun(w), personalNdcg(ranking, q, shopper, products), Double::sum);
                }
                Map<String, Double> popularity = windowScores(window, popularities(window)::get);
                Map<String, Double> clickLift = windowScores(window, clickLifts(window)::get);
                Map<String, Double> preference = windowScores(window, id -> shopper.preference(products.get(id)));
                Map<String, Double> bound = windowScores(window, id -> posterior.expectedPreference(products.get(id)));
                for (double[] w : blendWeights) {
                    Map<String, java.util.function.ToDoubleFunction<String>> personal = Map.of(
                            "popularity alone", popularity::get,
                            "true preference + popularity", id -> preference.get(id) + popularity.get(id),
                            "bound + popularity", id -> bound.get(id) + popularity.get(id),
                            "click lift alone", clickLift::get,
                            "true preference + click lift", id -> preference.get(id) + clickLift.get(id),
                            "bound + click lift", id -> bound.get(id) + clickLift.get(id));
                    personal.forEach((with, score) -> sums.merge(
                            withPopularityRun(with, w),
                            personalNdcg(rankedBy(window, score, w[0], w[1]), q, shopper, products),
                            Double::sum));
                }
                for (double beta : betas) {
                    for (double wp : personalWeights) {
                        String key = String.format(
                                Locale.ROOT, "beta %.2f, query %.1f / personalization %.1f", beta, 1 - wp, wp);
                        grid.merge(
                                "true preference + beta x popularity|" + key,
                                personalNdcg(
                                        rankedBy(
                                                window,
                                                id -> preference.get(id) + beta * popularity.get(id),
                                                1 - wp,
                                                wp),
                                        q,
                                        shopper,
                                        products),
                                Double::sum);
                        grid.merge(
                                "bound + beta x popularity|" + key,
                                personalNdcg(
                                        rankedBy(window, id -> bound.get(id) + beta * popularity.get(id), 1 - wp, wp),
                                        q,
                                        shopper,
                                        products),
                                Double::sum);
                        grid.merge(
                                "true preference + beta x click lift|" + key,
                                personalNdcg(
                                        rankedBy(
                                                window,
                                                id -> preference.get(id) + beta * clickLift.get(id),
                                                1 - wp,
                                                wp),
                                        q,
                                        shopper,
                                        products),
                                Double::sum);
                        grid.merge(
                                "bound + beta x click lift|" + key,
                                personalNdcg(
                                        rankedBy(window, id -> bound.get(id) + beta * clickLift.get(id), 1 - wp, wp),
                                        q,
                                        shopper,
                                        products),
                                Double::sum);
                    }
                }
            }
        }
        double base = sums.get("BM25 (no rescore)") / n;
        report.append(String.format(
                Locale.ROOT,
                "Held-out shoppers: %d, searches evaluated: %d (window 100, first pass BM25)%n%n",
                heldOut.size(),
                n));
        report.append("| run | personalized nDCG@10 | vs BM25 |\n|---|---|---|\n");
        for (Map.Entry<String, Double> e : sums.entrySet()) {
            double v = e.getValue() / n;
            report.append(String.format(Locale.ROOT, "| %s | %.4f | %+.1f%% |%n", e.getKey(), v, 100 * (v / base - 1)));
        }
        report.append('\n');
        // the best of each grid
        int searches = n;
        for (String kind : List.of(
                "true preference + beta x popularity",
                "bound + beta x popularity",
                "true preference + beta x click lift",
                "bound + beta x click lift")) {
            grid.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(kind + "|"))
                    .max(Map.Entry.comparingByValue())
                    .ifPresent(best -> report.append(String.format(
                            Locale.ROOT,
                            "best of %s over beta %s and personalization weights %s: %s, %+.1f%%%n%n",
                            kind,
                            Arrays.toString(betas),
                            Arrays.toString(personalWeights),
                            best.getKey().substring(kind.length() + 1),
                            100 * (best.getValue() / searches / base - 1))));
        }
    }

    /**
     * The trained model stored again as {@code sim_personal} with the popularity and click lift weights set to 0: trained
     * with the global signals, so that the other weights are what taste adds beyond it, and served without it (the query part
     * already carries what is globally relevant).
     */
    static void servingWithoutPopularity(RealNode node) throws Exception {
        servedWithout(node, "sim", "sim_personal", Set.of("popularity", "click_lift"));
    }

    /** Model {@code from} stored again as {@code to} with the weights of {@code features} set to 0 (served without them). */
    static void servedWithout(RealNode node, String from, String to, Set<String> features) throws Exception {
        ObjectNode source = (ObjectNode)
                node.call("GET", "/semantic-ranking-models/_doc/" + from, null).get("_source");
        source.put("model_id", to);
        for (JsonNode feature : source.get("features")) {
            if (features.contains(feature.get("name").asText())) {
                ((ObjectNode) feature).put("weight", 0.0);
            }
        }
        node.call("PUT", "/semantic-ranking-models/_doc/" + to + "?refresh=true", source.toString());
    }

    /**
     * An inline profile without vectors: {@code true} the shopper's hidden tastes; {@code brands} the true brands with the
     * built profile's price statistics and price taste; {@code price} the built brand affinities with the true price band
     * (and no price taste); {@code built} the built profile's affinities, price statistics and price taste. Which
     * estimate costs the lift.
     */
    static String inlineProfile(RealNode node, Shopper shopper, String mode) throws Exception {
        if (mode.equals("true")) {
            return trueTastes(shopper);
        }
        JsonNode built = BUILT_PROFILES.computeIfAbsent(shopper.id(), id -> {
            try {
                return node.call("GET", "/user_profiles/_doc/" + id, null).get("_source");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ObjectNode truth = (ObjectNode) JSON.readTree(trueTastes(shopper));
        ObjectNode profile = JSON.createObjectNode();
        profile.set("affinities", mode.equals("brands") ? truth.get("affinities") : built.get("affinities"));
        profile.set("price", mode.equals("price") ? truth.get("price") : built.get("price"));
        if (mode.equals("price") == false && built.has("price_taste")) {
            profile.set("price_taste", built.get("price_taste"));
        }
        return profile.toString();
    }

    static final Map<String, JsonNode> BUILT_PROFILES = new HashMap<>();
    /** Per shopper: the products their tastes were drawn from, and every product they were shown in their logged searches. */
    static final Map<String, List<Product>> SEEN = new HashMap<>();

    static final Map<String, List<TastePosterior.View>> LOGGED = new HashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shopper's hidden tastes as a profile: the two favourite brands, and the price band as the price statistics. */
    static String trueTastes(Shopper shopper) throws Exception {
        Map<String, Double> brands = new LinkedHashMap<>();
        shopper.brands().forEach(b -> brands.put(b, 1.0 / shopper.brands().size()));
        double mean = (shopper.logLow() + shopper.logHigh()) / 2, std = (shopper.logHigh() - shopper.logLow()) / 4;
        return json(Map.of(
                "affinities", Map.of("brand.keyword", brands), "price", Map.of("log_mean", mean, "log_std", std)));
    }

    static String withPopularityRun(String with, double[] w) {
        return String.format(
                Locale.ROOT, "%s (each min-max in the window), query %.1f / personalization %.1f", with, w[0], w[1]);
    }

    /** log(1 + each hit's popularity) as the window carries it (0 when the build wrote none). */
    static Map<String, Double> popularities(JsonNode window) {
        Map<String, Double> popularity = new HashMap<>();
        for (JsonNode hit : window) {
            JsonNode values = hit.path("fields").path("popularity");
            popularity.put(
                    hit.get("_id").asText(),
                    values.isArray() && values.size() > 0
                            ? Math.log1p(values.get(0).asDouble())
                            : 0);
        }
        return popularity;
    }

    /** Each hit's click lift as the rescorer computes it from what the window carries (0 when the build wrote none). */
    static Map<String, Double> clickLifts(JsonNode window) {
        Map<String, Double> lift = new HashMap<>();
        for (JsonNode hit : window) {
            JsonNode clicks = hit.path("fields").path("click_stats.clicks"),
                    expected = hit.path("fields").path("click_stats.expected");
            boolean written = clicks.isArray() && clicks.size() > 0 && expected.isArray() && expected.size() > 0;
            lift.put(
                    hit.get("_id").asText(),
                    written
                            ? Math.log((clicks.get(0).asDouble() + 1)
                                    / (expected.get(0).asDouble() + 1))
                            : 0);
        }
        return lift;
    }

    /** A score of every hit of the window, min-max normalised within it. */
    static Map<String, Double> windowScores(JsonNode window, java.util.function.ToDoubleFunction<String> score) {
        double[] raw = new double[window.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = score.applyAsDouble(window.get(i).get("_id").asText());
        }
        double[] normalised = minMax(raw);
        Map<String, Double> scores = new HashMap<>();
        for (int i = 0; i < raw.length; i++) {
            scores.put(window.get(i).get("_id").asText(), normalised[i]);
        }
        return scores;
    }

    static String boundRun(double[] w) {
        return String.format(
                Locale.ROOT,
                "bound: posterior of the tastes from the shopper's own logged searches, knowing the click model, query %.1f / personalization %.1f",
                w[0],
                w[1]);
    }

    static String oracleRun(double[] w) {
        return String.format(
                Locale.ROOT,
                "oracle: true preference instead of the model, query %.1f / personalization %.1f",
                w[0],
                w[1]);
    }

    /** The window re-ranked by query x min-max(BM25 score) + personalization x min-max(true preference); its top 10. */
    static List<String> oracleRanking(
            JsonNode hits, Shopper shopper, Map<String, Product> products, double query, double personalization) {
        return rankedBy(hits, p -> shopper.preference(products.get(p)), query, personalization);
    }

    /** The window re-ranked by query x min-max(BM25 score) + personalization x min-max(the given score of a product id). */
    static List<String> rankedBy(
            JsonNode hits, java.util.function.ToDoubleFunction<String> personal, double query, double personalization) {
        int n = hits.size();
        double[] score = new double[n];
        double[] pref = new double[n];
        for (int i = 0; i < n; i++) {
            score[i] = hits.get(i).get("_score").asDouble();
            pref[i] = personal.applyAsDouble(hits.get(i).get("_id").asText());
        }
        double[] s = minMax(score), p = minMax(pref);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -(query * s[i] + personalization * p[i])));
        return order.subList(0, Math.min(10, n)).stream()
                .map(i -> hits.get(i).get("_id").asText())
                .toList();
    }

    private static double[] minMax(double[] values) {
        double min = Arrays.stream(values).min().orElse(0),
                max = Arrays.stream(values).max().orElse(0);
        return Arrays.stream(values)
                .map(v -> max > min ? (v - min) / (max - min) : 0)
                .toArray();
    }

    static void latency(RealNode node, List<Judged> queries, List<Shopper> shoppers, StringBuilder report)
            throws Exception {
        String user = shoppers.get(0).id();
        int[] windows = {100, 500, 1000};
        // warm up the JIT on every path
        for (int i = 0; i < 200; i++) {
            String text = queries.get(i % queries.size()).text();
            node.call("POST", "/chorus/_search", bm25(text, 10, ""));
            node.call("POST", "/chorus/_search", bm25(text, 10, blend(user, 0.5, 0.5, "sim", windows[i % 3])));
        }
        int rounds = queries.size() * LATENCY_ROUNDS;
        double[] plain = new double[rounds];
        double[][] rescored = new double[windows.length][rounds];
        for (int r = 0; r < LATENCY_ROUNDS; r++) {
            for (int i = 0; i < queries.size(); i++) {
                String text = queries.get(i).text();
                plain[r * queries.size() + i] = timed(node, bm25(text, 10, ""));
                for (int w = 0; w < windows.length; w++) {
                    rescored[w][r * queries.size() + i] =
                            timed(node, bm25(text, 10, blend(user, 0.5, 0.5, "sim", windows[w])));
                }
            }
        }
        report.append("## Rescore latency (135 Chorus queries x " + LATENCY_ROUNDS
                + ", BM25 first pass, size 10, client-side ms)\n\n");
        report.append("| run | p50 | p99 | p50 added |\n|---|---|---|---|\n");
        double p50 = percentile(plain, 50);
        report.append(String.format(Locale.ROOT, "| BM25, no rescore | %.2f | %.2f | |%n", p50, percentile(plain, 99)));
        for (int w = 0; w < windows.length; w++) {
            report.append(String.format(
                    Locale.ROOT,
                    "| personalized_blend window %d (model, profile, session) | %.2f | %.2f | %+.2f |%n",
                    windows[w],
                    percentile(rescored[w], 50),
                    percentile(rescored[w], 99),
                    percentile(rescored[w], 50) - p50));
        }
    }

    static double timed(RealNode node, String body) throws Exception {
        long start = System.nanoTime();
        node.call("POST", "/chorus/_search", body);
        return (System.nanoTime() - start) / 1e6;
    }
}
