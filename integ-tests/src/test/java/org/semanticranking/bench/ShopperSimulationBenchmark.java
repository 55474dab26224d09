package org.semanticranking.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.semanticranking.exploration.Exploration;
import org.semanticranking.integ.RealNode;
import org.semanticranking.personalization.events.InteractionEvent;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

import static org.semanticranking.bench.LearnedRankingBenchmark.format;
import static org.semanticranking.bench.LearnedRankingBenchmark.json;
import static org.semanticranking.bench.LearnedRankingBenchmark.map;
import static org.semanticranking.bench.ShopperSimulation.ClickModel;
import static org.semanticranking.bench.ShopperSimulation.Kind;
import static org.semanticranking.bench.ShopperSimulation.Product;
import static org.semanticranking.bench.ShopperSimulation.Shopper;
import static org.semanticranking.bench.ShopperSimulation.Window;

/**
 * Personalization measured on shoppers it was not fitted to (issue 17): four kinds of taste in one shop
 * ({@link ShopperSimulation}), two click models, the pages shown ranked by the hybrid (the product's default), the
 * learned rankers trained from the logged impressions alone, and every row reported for each kind and click model.
 *
 * <p>Per click model: every shopper's 20 searches are logged (the hybrid's first page as an impression, the clicks and
 * carts the model draws); profiles are built from all of them; a fifth of the shoppers are held out of every
 * training; {@code personalized_blend}'s model (the README's request) and the click-trained {@code learned_rank}
 * ({@code impressions_from}) learn from the others' events. Each held-out shopper then runs 10 new searches, and each
 * row ranks the hybrid's window of 50: the hybrid alone; the blend with the shopper's profile and with another
 * shopper's (of the same kind); the ranker with the shopper's profile and with another's; the oracle (the window by
 * the metric's gain, (2^grade - 1) x true preference), the oracle by clicks (by the grade's click probability x true
 * preference, the ideal of expected clicks) and the oracle of relevance alone (no taste). nDCG@10 has gain (2^grade - 1) x the shopper's preference, and expected clicks are the
 * click model's on the top 10.
 *
 * <p>{@code mvn -Pbench verify -Dit.test=ShopperSimulationBenchmark [-Dbench.shoppers.per_kind=100]
 * [-Dbench.shoppers.floor=0.1] [-Dbench.shoppers.seed=0] [-Dbench.shoppers.click_features=false]}; the report goes to stdout and
 * {@code target/benchmarks/shopper-simulation.md}.
 */
public class ShopperSimulationBenchmark {

    static final int PER_KIND = Integer.getInteger("bench.shoppers.per_kind", 250);
    static final int SEED = Integer.getInteger("bench.shoppers.seed", 0);
    /** Whether the ranker also reads the query's logged clicks ({@code clicks} features); off: the stop-26 features. */
    static final boolean CLICK_FEATURES =
            Boolean.parseBoolean(System.getProperty("bench.shoppers.click_features", "true"));

    /**
     * The loggers, each its own shop of every click model, separated by {@code ;}: {@code none} for the hybrid's top 10
     * every time (the default), or {@code rate,slots}: the plugin's {@code explore} page ({@link Exploration}), the last
     * {@code slots} of the page drawn from the window below them in a share {@code rate} of the impressions.
     */
    static final List<String> LOGGERS =
            List.of(System.getProperty("bench.shoppers.explore", "none").split(";"));

    static final int SEARCHES = 20, EVAL_SEARCHES = 10, WINDOW = 50, BATCH = 50;
    static final String INDEX = "chorus";

    @Test
    void personalRankersOnSimulatedShoppers() throws Exception {
        StringBuilder report = new StringBuilder("## Personal rankers on simulated shoppers\n\n");
        Path out = Path.of("target/benchmarks/shopper-simulation.md");
        Files.createDirectories(out.getParent());
        long started = System.nanoTime();
        try (RealNode node = RealNode.install("bench-shoppers", 9266)) {
            Files.writeString(
                    node.home().resolve("config/jvm.options.d/heap.options"),
                    "-Xms4g\n-Xmx4g\n",
                    StandardCharsets.UTF_8);
            node.start();
            ChorusQueryBenchmark.indexCatalogue(node, false);
            List<ChorusQueryBenchmark.Judged> queries = ChorusQueryBenchmark.loadQueries();
            Map<String, String> texts = new LinkedHashMap<>();
            Map<String, Map<String, Integer>> grades = new HashMap<>();
            for (ChorusQueryBenchmark.Judged q : queries) {
                texts.put(q.id(), q.text());
                grades.put(q.id(), q.grades());
            }
            Map<String, List<String>> windowIds = new LinkedHashMap<>();
            List<String> ids = new ArrayList<>(texts.keySet());
            List<JsonNode> responses = msearch(
                    node, ids.stream().map(id -> hybrid(texts.get(id), "")).toList());
            for (int i = 0; i < ids.size(); i++) {
                windowIds.put(ids.get(i), LearnedRankingBenchmark.ids(responses.get(i)));
            }
            Set<String> needed = new LinkedHashSet<>();
            windowIds.values().forEach(needed::addAll);
            grades.values().forEach(g -> needed.addAll(g.keySet()));
            Map<String, Product> products = products(node, needed);
            Map<String, Window> windows = new LinkedHashMap<>();
            windowIds.forEach((q, w) ->
                    windows.put(q, new Window(q, w.stream().map(products::get).toList())));
            List<String> answerable = ids.stream()
                    .filter(q -> grades.get(q).values().stream().anyMatch(g -> g > 0))
                    .toList();
            report.append(format(
                    "Chorus, %d queries (%d with a relevant product), %d products fetched; hybrid window %d; %d shoppers "
                            + "of each kind, %d searches each, a fifth held out; preference floor %s; seed %d.%n%n",
                    ids.size(),
                    answerable.size(),
                    products.size(),
                    WINDOW,
                    PER_KIND,
                    SEARCHES,
                    ShopperSimulation.FLOOR,
                    SEED));
            for (String logger : LOGGERS) {
                for (ClickModel model : ClickModel.values()) {
                    new Shop(node, model, logger.trim(), texts, grades, windows, products, ids, answerable).run(report);
                    Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
                }
            }
        }
        report.append(format("%nTook %.1f min in all.%n", (System.nanoTime() - started) / 60e9));
        System.out.println(report);
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    }

    static String hybridTemplate(String extra) {
        return "{\"retriever\":{\"semantic_hybrid\":{\"lexical\":{\"standard\":{\"query\":{\"multi_match\":{\"query\":"
                + "\"{{query}}\",\"type\":\"cross_fields\",\"fields\":" + LearnedRankingSetup.CHORUS_FIELDS
                + "}}}},\"semantic\":{\"standard\":{\"query\":{\"semantic_intent\":{\"query\":\"{{query}}\","
                + "\"field\":\"product_vector\",\"k\":" + WINDOW + ",\"num_candidates\":" + 2 * WINDOW + "}}}},"
                + "\"rank_window_size\":" + WINDOW + extra + "}}}";
    }

    /** The hybrid's window for the text, rescored by {@code rescore} (empty: none). */
    static String hybrid(String text, String rescore) {
        return hybrid(text, rescore, WINDOW);
    }

    /** The first {@code size} hits of the hybrid for the text, rescored by {@code rescore}. */
    static String hybrid(String text, String rescore, int size) {
        try {
            return "{\"size\":" + size + ",\"_source\":false,"
                    + LearnedRankingBenchmark.fill(hybridTemplate(rescore), text)
                            .substring(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<JsonNode> msearch(RealNode node, List<String> bodies) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int from = 0; from < bodies.size(); from += BATCH) {
            StringBuilder ndjson = new StringBuilder();
            for (String body : bodies.subList(from, Math.min(bodies.size(), from + BATCH))) {
                ndjson.append("{}\n").append(body).append('\n');
            }
            JsonNode responses = node.call("POST", "/" + INDEX + "/_msearch", ndjson.toString());
            int i = from;
            for (JsonNode r : responses.get("responses")) {
                if (r.has("error")) {
                    throw new IllegalStateException("a search failed: " + r + "\nits body: " + bodies.get(i));
                }
                out.add(r);
                i++;
            }
        }
        return out;
    }

    /** The products' brand, type, price and vector, as indexed. */
    static Map<String, Product> products(RealNode node, Set<String> ids) throws Exception {
        Map<String, Product> out = new HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += 500) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + 500));
            JsonNode r = node.call(
                    "POST",
                    "/" + INDEX + "/_search",
                    json(map(
                            "size",
                            batch.size(),
                            "query",
                            map("ids", map("values", batch)),
                            "_source",
                            map(
                                    "includes",
                                    List.of("brand", "product_type", "price", "product_vector"),
                                    "exclude_vectors",
                                    false))));
            for (JsonNode hit : r.get("hits").get("hits")) {
                JsonNode s = hit.get("_source");
                JsonNode v = s.get("product_vector");
                if (v == null) {
                    throw new IllegalStateException(
                            "product [" + hit.get("_id").asText() + "] came without its vector");
                }
                float[] vector = new float[v.size()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = (float) v.get(i).asDouble();
                }
                out.put(
                        hit.get("_id").asText(),
                        new Product(
                                hit.get("_id").asText(),
                                s.hasNonNull("brand") ? s.get("brand").asText() : null,
                                s.hasNonNull("product_type")
                                        ? s.get("product_type").asText()
                                        : null,
                                s.hasNonNull("price") ? s.get("price").asDouble() : Double.NaN,
                                vector));
            }
        }
        return out;
    }

    /** One click model's shop: its shoppers, their logged searches, the trainings and the held-out rows. */
    static final class Shop {
        final RealNode node;
        final ClickModel clicks;
        final Map<String, String> texts;
        final Map<String, Map<String, Integer>> grades;
        final Map<String, Window> windows;
        final Map<String, Product> products;
        final List<String> queries, answerable;
        final String logger, name, eventsAll, eventsTrain, model, ranker;
        /** Each shopper's clicked products, as logged (for the plain-Elasticsearch rows). */
        final Map<String, List<Product>> history = new HashMap<>();
        /** Per query and shown product of the training shoppers' pages: views, clicks, expected clicks (for COEC). */
        final Map<String, Map<String, double[]>> shownStats = new HashMap<>();
        /** What the logger cost the shoppers it showed pages to (the report's line). */
        String loggerCost = "";

        Shop(
                RealNode node,
                ClickModel clicks,
                String logger,
                Map<String, String> texts,
                Map<String, Map<String, Integer>> grades,
                Map<String, Window> windows,
                Map<String, Product> products,
                List<String> queries,
                List<String> answerable) {
            this.node = node;
            this.clicks = clicks;
            this.texts = texts;
            this.grades = grades;
            this.windows = windows;
            this.products = products;
            this.queries = queries;
            this.answerable = answerable;
            this.logger = logger;
            this.name = clicks.name().toLowerCase(java.util.Locale.ROOT)
                    + (logger.equals("none") ? "" : "-explore-" + logger.replace(',', '-'));
            this.eventsAll = "events-all-" + name;
            this.eventsTrain = "events-train-" + name;
            this.model = "shop-" + name;
            this.ranker = "personal-" + name;
        }

        void run(StringBuilder report) throws Exception {
            long started = System.nanoTime();
            List<Shopper> shoppers = new ArrayList<>();
            for (Kind kind : Kind.values()) {
                shoppers.addAll(ShopperSimulation.shoppers(
                        kind, PER_KIND, name + "-", answerable, windows, new Random(SEED * 31L + kind.ordinal())));
            }
            int[] logged = log(shoppers, new Random(SEED + 7L));
            node.call(
                    "PUT",
                    "/_cluster/settings",
                    "{\"persistent\":{\"semantic_ranking.interactions.index\":\"" + eventsAll + "\"}}");
            String fields = "\"products_index\":\"" + INDEX + "\",\"vector_field\":\"product_vector\","
                    + "\"affinity_fields\":[\"brand.keyword\",\"product_type.keyword\"],\"price_field\":\"price\"";
            JsonNode built = node.call(
                    "POST",
                    "/_semantic_ranking/profiles/_build",
                    "{" + fields + ",\"interactions_index\":\"" + eventsAll + "\",\"full\":true}");
            JsonNode blend = node.call(
                    "POST",
                    "/_semantic_ranking/personalization/" + model + "/_train",
                    "{" + fields + ",\"interactions_index\":\"" + eventsTrain + "\",\"holdout\":0.2}");
            // the default (candidates: every hit of the window), and the same on the products shown only
            JsonNode trained = node.call(
                    "POST",
                    "/" + INDEX + "/_semantic_ranking/rankers/" + ranker + "/_train",
                    json(rankerTraining(null)));
            JsonNode shown = node.call(
                    "POST",
                    "/" + INDEX + "/_semantic_ranking/rankers/" + ranker + "-shown/_train",
                    json(rankerTraining("shown")));
            // the default without the query's clicks (stop 26's features): what the clicks features add, in this run
            JsonNode withoutClicks = CLICK_FEATURES
                    ? node.call(
                            "POST",
                            "/" + INDEX + "/_semantic_ranking/rankers/" + ranker + "-noclicks/_train",
                            json(rankerTraining(null, false)))
                    : null;
            report.append(format(
                    "### %s clicks, %s%n%nLogger: %s; %s.%n%n%d searches logged, %d clicks, %d carts; profiles of %s users (%s ms); "
                            + "the blend's model: held-out AUC %.3f (%s ms); the ranker: %s impressions with a click "
                            + "of %s shoppers, propensities %s, chose %s (out-of-fold click nDCG %.4f against the "
                            + "hybrid's %.4f), %s ms.%n%n",
                    clicks,
                    loggerName(),
                    logger.equals("none") ? "the hybrid's top 10" : "explore (rate, slots) " + logger,
                    loggerCost,
                    logged[0],
                    logged[1],
                    logged[2],
                    built.get("users"),
                    built.get("took_ms"),
                    blend.get("training").get("auc").asDouble(),
                    blend.get("training").get("took_ms"),
                    trained.get("impressions_from").get("impressions"),
                    trained.get("impressions_from").get("users"),
                    rounded(trained.get("impressions_from").get("propensities")),
                    trained.get("model").get("type").asText(),
                    trained.get("training")
                            .get("cross_validation")
                            .get("ranker")
                            .get("mean")
                            .asDouble(),
                    trained.get("training")
                            .get("cross_validation")
                            .get("first_stage")
                            .get("mean")
                            .asDouble(),
                    trained.get("took_ms")));
            report.append("Ranker importance: ")
                    .append(trained.get("training").get("importance"))
                    .append(format(
                            "%n%nThe same trained on the products shown only (candidates: shown): chose %s "
                                    + "(out-of-fold click nDCG %.4f against the hybrid's %.4f).%n%n",
                            shown.get("model").get("type").asText(),
                            shown.get("training")
                                    .get("cross_validation")
                                    .get("ranker")
                                    .get("mean")
                                    .asDouble(),
                            shown.get("training")
                                    .get("cross_validation")
                                    .get("first_stage")
                                    .get("mean")
                                    .asDouble()));
            if (withoutClicks != null) {
                report.append(format(
                        "Without the clicks features: chose %s (out-of-fold click nDCG %.4f against the hybrid's %.4f)."
                                + "%n%n",
                        withoutClicks.get("model").get("type").asText(),
                        withoutClicks
                                .get("training")
                                .get("cross_validation")
                                .get("ranker")
                                .get("mean")
                                .asDouble(),
                        withoutClicks
                                .get("training")
                                .get("cross_validation")
                                .get("first_stage")
                                .get("mean")
                                .asDouble()));
            }
            evaluate(shoppers, report);
            report.append(format("(%s clicks: %.1f min)%n%n", clicks, (System.nanoTime() - started) / 60e9));
        }

        static String rounded(JsonNode values) {
            List<String> out = new ArrayList<>();
            values.forEach(v -> out.add(format("%.2f", v.asDouble())));
            return String.join(" ", out);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> rankerTraining(String candidates) throws Exception {
            return rankerTraining(candidates, CLICK_FEATURES);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> rankerTraining(String candidates, boolean clickFeatures) throws Exception {
            List<Map<String, Object>> features = new ArrayList<>(LearnedRankingSetup.firstPass());
            features.add(LearnedRankingSetup.query("title_bm25", LearnedRankingSetup.match("title")));
            features.add(LearnedRankingSetup.feature("query_cosine", "vector", map("field", "product_vector")));
            features.add(shopper("profile_cosine", "profile_cosine", "product_vector"));
            features.add(shopper("session_cosine", "session_cosine", "product_vector"));
            // the nearest of the latest 30 products: more than one interest's clicks
            Map<String, Object> nearest = shopper("session_max_cosine", "session_max_cosine", "product_vector");
            ((Map<String, Object>) nearest.get("shopper")).put("session_size", 30);
            features.add(nearest);
            features.add(shopper("brand_affinity", "affinity", "brand.keyword"));
            features.add(shopper("type_affinity", "affinity", "product_type.keyword"));
            features.add(shopper("price_fit", "price_fit", "price"));
            features.add(shopper("price_taste", "price_taste", "price"));
            features.add(shopper("price_position", "price_position", "price"));
            // each shopper measure that varies by hit, relative to the window too (learning to rank's query-level
            // normalisation): one rule for every measure, not one per kind of shopper
            for (String measure : List.of(
                    "profile_cosine",
                    "session_cosine",
                    "session_max_cosine",
                    "brand_affinity",
                    "type_affinity",
                    "price_fit",
                    "price_taste")) {
                features.add(LearnedRankingSetup.feature(
                        measure + "_in_window", "window", map("feature", measure, "measure", "percentile")));
            }
            if (clickFeatures) {
                // what the training shoppers' impressions of the query say of each hit: the plain-ES COEC row's
                // signal, learned beside the shopper's (the training reads them without each impression's own shopper)
                for (String measure : List.of("coec", "impressions", "clicks")) {
                    features.add(LearnedRankingSetup.feature(
                            "query_" + measure, "clicks", map("measure", measure, "index", eventsTrain)));
                }
            }
            return map(
                    "template",
                    LearnedRankingBenchmark.JSON.readValue(hybridTemplate(""), Map.class),
                    "window_size",
                    WINDOW,
                    "features",
                    features,
                    "model",
                    List.of(map("type", "linear"), map("type", "lambdamart")),
                    "folds",
                    3,
                    "impressions_from",
                    candidates == null
                            ? map("events", map("index", eventsTrain, "max_impressions", 20_000))
                            : map(
                                    "events",
                                    map("index", eventsTrain, "max_impressions", 20_000, "candidates", candidates)));
        }

        static Map<String, Object> shopper(String name, String measure, String field) {
            return LearnedRankingSetup.feature(name, "shopper", map("measure", measure, "field", field));
        }

        static boolean heldOut(int index) {
            return index % 5 == 0;
        }

        /** Logs every shopper's searches into both indices (the held-out shoppers' into the profiles' only). */
        int[] log(List<Shopper> shoppers, Random random) throws Exception {
            for (String index : List.of(eventsAll, eventsTrain)) {
                node.call(
                        "PUT",
                        "/" + index,
                        "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},\"mappings\":"
                                + InteractionEvent.MAPPING + "}");
            }
            int searches = 0, clicked = 0, carts = 0;
            double[] slotViews = new double[10], slotClicks = new double[10];
            record ShownPage(String query, List<Product> page) {}
            List<ShownPage> trainPages = new ArrayList<>();
            // what exploring costs the shoppers it is shown to: the logged pages against the hybrid's top 10
            double[] cost = new double[4];
            StringBuilder bulk = new StringBuilder();
            long t0 = 1_760_000_000_000L;
            for (int s = 0; s < shoppers.size(); s++) {
                Shopper shopper = shoppers.get(s);
                boolean train = heldOut(s % PER_KIND) == false;
                for (int j = 0; j < SEARCHES; j++) {
                    String q = ShopperSimulation.nextQuery(shopper, queries, random);
                    Window w = windows.get(q);
                    long at = t0 + j * 3_600_000L + s * 100L;
                    String impression = shopper.id() + "-" + j;
                    List<Product> page = shownPage(w, impression);
                    List<Product> top =
                            w.products().subList(0, Math.min(10, w.products().size()));
                    cost[0] += ndcg(shopper, q, page);
                    cost[1] += ndcg(shopper, q, top);
                    cost[2] += clicks.expectedClicks(attractions(shopper, q, page));
                    cost[3] += clicks.expectedClicks(attractions(shopper, q, top));
                    for (int r = 0; r < page.size(); r++) {
                        event(bulk, train, shopper.id(), page.get(r).id(), "view", texts.get(q), at, impression, r);
                    }
                    List<Integer> clickedSlots = clicks.clicks(attractions(shopper, q, page), random);
                    if (train) {
                        for (int r = 0; r < page.size(); r++) {
                            shownStats.computeIfAbsent(q, k -> new HashMap<>())
                                    .computeIfAbsent(page.get(r).id(), k -> new double[3])[0]++;
                            slotViews[r]++;
                        }
                        for (int r : clickedSlots) {
                            shownStats.get(q).get(page.get(r).id())[1]++;
                            slotClicks[r]++;
                        }
                        trainPages.add(new ShownPage(q, page));
                    }
                    for (int r : clickedSlots) {
                        Product p = page.get(r);
                        event(bulk, train, shopper.id(), p.id(), "click", texts.get(q), at + 1 + r, impression, r);
                        history.computeIfAbsent(shopper.id(), id -> new ArrayList<>())
                                .add(p);
                        clicked++;
                        if (random.nextDouble() < ShopperSimulation.CART_GIVEN_CLICK * shopper.preference(p, w)) {
                            event(
                                    bulk,
                                    train,
                                    shopper.id(),
                                    p.id(),
                                    "add_to_cart",
                                    texts.get(q),
                                    at + 20 + r,
                                    impression,
                                    r);
                            carts++;
                        }
                    }
                    searches++;
                    if (bulk.length() > 2_000_000) {
                        flush(bulk);
                    }
                }
            }
            flush(bulk);
            // each view's expected clicks: its slot's mean click rate over the training pages
            for (ShownPage shown : trainPages) {
                for (int r = 0; r < shown.page().size(); r++) {
                    shownStats.get(shown.query()).get(shown.page().get(r).id())[2] += slotClicks[r] / slotViews[r];
                }
            }
            node.call("POST", "/" + eventsAll + "," + eventsTrain + "/_refresh", null);
            loggerCost = format(
                    "the logged pages' nDCG@10 %.4f against the hybrid's top 10's %.4f (%+.1f%%), expected clicks %.3f "
                            + "against %.3f (%+.1f%%)",
                    cost[0] / searches,
                    cost[1] / searches,
                    100 * (cost[0] / cost[1] - 1),
                    cost[2] / searches,
                    cost[3] / searches,
                    100 * (cost[2] / cost[3] - 1));
            return new int[] {searches, clicked, carts};
        }

        String loggerName() {
            return logger.equals("none") ? "the hybrid's pages" : "explore " + logger;
        }

        /** The page the logger shows for the impression: the hybrid's top 10, or the {@code explore} page of it. */
        List<Product> shownPage(Window w, String impression) {
            List<Product> window = w.products();
            if (logger.equals("none")) {
                return window.subList(0, Math.min(10, window.size()));
            }
            String[] options = logger.split(",");
            List<Product> page = new ArrayList<>();
            for (Exploration.Shown shown : Exploration.order(
                    window.size(),
                    10,
                    Integer.parseInt(options[1].trim()),
                    Double.parseDouble(options[0].trim()),
                    Exploration.seed(impression))) {
                if (page.size() < 10) {
                    page.add(window.get(shown.rank()));
                }
            }
            return page;
        }

        double[] attractions(Shopper shopper, String q, List<Product> ranking) {
            Window w = windows.get(q);
            Map<String, Integer> g = grades.get(q);
            double[] a = new double[ranking.size()];
            for (int r = 0; r < a.length; r++) {
                Product p = ranking.get(r);
                a[r] = ShopperSimulation.relevance(g.get(p.id())) * shopper.preference(p, w);
            }
            return a;
        }

        void event(
                StringBuilder bulk,
                boolean train,
                String user,
                String product,
                String type,
                String query,
                long at,
                String impression,
                int slot)
                throws Exception {
            String doc = json(map(
                    "user_id",
                    user,
                    "product_id",
                    product,
                    "type",
                    type,
                    "query",
                    query,
                    "@timestamp",
                    at,
                    "impression_id",
                    impression,
                    "position",
                    slot));
            bulk.append("{\"index\":{\"_index\":\"")
                    .append(eventsAll)
                    .append("\"}}\n")
                    .append(doc)
                    .append('\n');
            if (train) {
                bulk.append("{\"index\":{\"_index\":\"")
                        .append(eventsTrain)
                        .append("\"}}\n")
                        .append(doc)
                        .append('\n');
            }
        }

        void flush(StringBuilder bulk) throws Exception {
            if (bulk.length() == 0) {
                return;
            }
            JsonNode r = node.call("POST", "/_bulk", bulk.toString());
            if (r.get("errors").asBoolean()) {
                throw new IllegalStateException(
                        "a bulk of events failed: " + r.toString().substring(0, 500));
            }
            bulk.setLength(0);
        }

        static final List<String> ROWS = List.of(
                "hybrid alone",
                "personalized_blend, own profile",
                "personalized_blend, another shopper's profile",
                "personalized_blend at 0.7 / 0 / 0.3, own profile",
                "learned_rank trained on the shown products only, own profile",
                "learned_rank from clicks (the default), own profile",
                "learned_rank from clicks (the default), another shopper's profile",
                "learned_rank from clicks (the default), given the true taste inline (price: its list position)",
                "learned_rank trained on the shown products only, another shopper's profile",
                "learned_rank trained on the shown products only, re-ranking the top 20, own profile",
                "learned_rank trained on the shown products only, given the true taste inline",
                "oracle (window by the metric's gain: (2^grade - 1) x true preference)",
                "oracle by clicks (window by the click probability of the grade x true preference; the ideal of "
                        + "expected clicks, stops 22-23's oracle)",
                "oracle of relevance alone (window by relevance, no taste: the oracle's part no profile can give)",
                "plain Elasticsearch, personal: the window fused client-side (RRF) with the shopper's own clicks, "
                        + "weight 0.1",
                "plain Elasticsearch, personal, weight 0.25",
                "plain Elasticsearch, personal, weight 0.5",
                "plain Elasticsearch, personal, weight 1",
                "plain Elasticsearch, personal, another shopper's clicks, weight 0.1",
                "plain Elasticsearch, personal, another shopper's clicks, weight 0.25",
                "plain Elasticsearch, personal, another shopper's clicks, weight 0.5",
                "plain Elasticsearch, personal, another shopper's clicks, weight 1",
                "oracle of relevance alone within the shown page (the hybrid's top 10 by relevance; what clicks on the "
                        + "logged pages can reveal at most)",
                "oracle within the shown page (the hybrid's top 10 by the metric's gain)",
                "plain Elasticsearch, the shop's clicks: the shown page by the training shoppers' clicks over expected"
                        + " clicks for the query (COEC; no taste)",
                "learned_rank from clicks without the clicks features (stop 26's features), own profile",
                "learned_rank from clicks without the clicks features, another shopper's profile",
                "plain Elasticsearch, the shop's clicks: the whole window by COEC for the query (a product never shown"
                        + " for it reads the prior, 1; ties in the hybrid's order)",
                "plain Elasticsearch, the shop's clicks: the window by COEC fused with the hybrid's order by reciprocal"
                        + " rank (k 60, both weights 1)");
        /** The weights of the plain-Elasticsearch personal list in its fusion with the hybrid's (whose weight is 1). */
        static final double[] PLAIN_WEIGHTS = {0.1, 0.25, 0.5, 1};
        /** The rows' places in {@link #ROWS}. */
        static final int HYBRID = 0,
                BLEND = 1,
                BLEND_OTHER = 2,
                BLEND_07 = 3,
                RANKER_SHOWN = 4,
                RANKER = 5,
                RANKER_OTHER = 6,
                RANKER_INFORMED = 7,
                RANKER_SHOWN_OTHER = 8,
                RANKER_SHOWN_20 = 9,
                RANKER_SHOWN_INFORMED = 10,
                ORACLE = 11,
                CLICK_ORACLE = 12,
                RELEVANCE_ORACLE = 13,
                PLAIN_PERSONAL = 14,
                PLAIN_PERSONAL_OTHER = 18,
                RELEVANCE_ORACLE_SHOWN = 22,
                ORACLE_SHOWN = 23,
                COEC_SHOWN = 24,
                RANKER_NO_CLICKS = 25,
                RANKER_NO_CLICKS_OTHER = 26,
                COEC_WINDOW = 27,
                COEC_FUSED = 28;

        /** Each held-out shopper's new searches, ranked by every row. */
        void evaluate(List<Shopper> shoppers, StringBuilder report) throws Exception {
            Random random = new Random(SEED + 11L);
            record Search(Shopper shopper, Shopper other, String query) {}
            List<Search> searches = new ArrayList<>();
            for (Kind kind : Kind.values()) {
                List<Shopper> held = new ArrayList<>();
                for (int s = 0; s < PER_KIND; s++) {
                    if (heldOut(s)) {
                        held.add(shoppers.get(kind.ordinal() * PER_KIND + s));
                    }
                }
                for (int i = 0; i < held.size(); i++) {
                    Shopper other = held.get((i + 1) % held.size());
                    for (int j = 0; j < EVAL_SEARCHES; j++) {
                        searches.add(new Search(
                                held.get(i), other, ShopperSimulation.nextQuery(held.get(i), queries, random)));
                    }
                }
            }
            List<String> bodies = new ArrayList<>();
            for (Search s : searches) {
                String text = texts.get(s.query());
                bodies.add(hybrid(text, blend(s.shopper().id(), ""), 10));
                bodies.add(hybrid(text, blend(s.other().id(), ""), 10));
                bodies.add(hybrid(
                        text,
                        blend(s.shopper().id(), ",\"weights\":{\"query\":0.7,\"vector\":0,\"personalization\":0.3}"),
                        10));
                bodies.add(hybrid(text, learned(text, s.shopper().id(), ranker + "-shown"), 10));
                bodies.add(hybrid(text, learned(text, s.shopper().id(), ranker), 10));
                bodies.add(hybrid(text, learned(text, s.other().id(), ranker), 10));
                bodies.add(hybrid(
                        text,
                        learned(text, s.shopper().id(), ranker, ",\"shopper\":" + json(trueTaste(s.shopper()))),
                        10));
                bodies.add(hybrid(text, learned(text, s.other().id(), ranker + "-shown"), 10));
                bodies.add(hybrid(
                        text,
                        learned(text, s.shopper().id(), ranker + "-shown")
                                .replace("\"window_size\":" + WINDOW, "\"window_size\":20"),
                        10));
                // what the shown-only ranker does with the taste itself: is its ceiling the features or the learning?
                bodies.add(hybrid(
                        text,
                        learned(
                                text,
                                s.shopper().id(),
                                ranker + "-shown",
                                ",\"shopper\":" + json(trueTaste(s.shopper()))),
                        10));
                // the ranker without the clicks features (the default's own when it has none)
                String noClicks = CLICK_FEATURES ? ranker + "-noclicks" : ranker;
                bodies.add(hybrid(text, learned(text, s.shopper().id(), noClicks), 10));
                bodies.add(hybrid(text, learned(text, s.other().id(), noClicks), 10));
            }
            List<JsonNode> served = msearch(node, bodies);
            // a hit outside the windows read at the start (a merge since then can move the kNN side's approximate list)
            Set<String> unseen = new LinkedHashSet<>();
            served.forEach(r -> LearnedRankingBenchmark.ids(r).stream()
                    .filter(id -> products.containsKey(id) == false)
                    .forEach(unseen::add));
            if (unseen.isEmpty() == false) {
                products.putAll(products(node, unseen));
                report.append(
                        format("(%d products served were outside the windows read at the start.)%n%n", unseen.size()));
            }
            // per kind, per row: nDCG@10, expected clicks, judged@10 of each search
            Map<Kind, double[][][]> byKind = new LinkedHashMap<>();
            Map<Kind, Integer> count = new HashMap<>();
            for (Kind kind : Kind.values()) {
                long n = searches.stream()
                        .filter(s -> s.shopper().kind() == kind)
                        .count();
                byKind.put(kind, new double[ROWS.size()][3][(int) n]);
            }
            for (int i = 0; i < searches.size(); i++) {
                Search s = searches.get(i);
                Window w = windows.get(s.query());
                List<List<Product>> rankings = new ArrayList<>();
                rankings.add(w.products());
                for (int k = 0; k < SERVED; k++) {
                    rankings.add(LearnedRankingBenchmark.ids(served.get(i * BODIES + k)).stream()
                            .map(products::get)
                            .toList());
                }
                rankings.add(gainOracle(s.shopper(), s.query()));
                rankings.add(oracle(s.shopper(), s.query()));
                rankings.add(relevanceOracle(s.query()));
                for (double weight : PLAIN_WEIGHTS) {
                    rankings.add(plainPersonal(history.get(s.shopper().id()), w, weight));
                }
                for (double weight : PLAIN_WEIGHTS) {
                    rankings.add(plainPersonal(history.get(s.other().id()), w, weight));
                }
                rankings.add(shownFirst(w, relevanceOracle(s.query())));
                rankings.add(shownFirst(w, gainOracle(s.shopper(), s.query())));
                rankings.add(byCoec(s.query(), w));
                for (int k = SERVED; k < BODIES; k++) {
                    rankings.add(LearnedRankingBenchmark.ids(served.get(i * BODIES + k)).stream()
                            .map(products::get)
                            .toList());
                }
                rankings.add(byCoecWindow(s.query(), w));
                rankings.add(fusedWithHybrid(w, byCoecWindow(s.query(), w)));
                int at = count.merge(s.shopper().kind(), 1, Integer::sum) - 1;
                double[][][] cells = byKind.get(s.shopper().kind());
                for (int row = 0; row < rankings.size(); row++) {
                    List<Product> top = rankings.get(row)
                            .subList(0, Math.min(10, rankings.get(row).size()));
                    cells[row][0][at] = ndcg(s.shopper(), s.query(), top);
                    cells[row][1][at] = clicks.expectedClicks(attractions(s.shopper(), s.query(), top));
                    cells[row][2][at] = top.stream()
                                    .filter(p -> grades.get(s.query()).containsKey(p.id()))
                                    .count()
                            / 10.0;
                }
            }
            for (Kind kind : Kind.values()) {
                table(kind, byKind.get(kind), report);
            }
        }

        /** {@code ranking} restricted to the window's first page, followed by the rest of the window in its order. */
        static List<Product> shownFirst(Window w, List<Product> ranking) {
            List<Product> page =
                    w.products().subList(0, Math.min(10, w.products().size()));
            List<Product> out =
                    new ArrayList<>(ranking.stream().filter(page::contains).toList());
            w.products().stream().filter(p -> page.contains(p) == false).forEach(out::add);
            return out;
        }

        /**
         * The shown page by the training shoppers' clicks over expected clicks (COEC, as OpenSearch's Search Relevance
         * Workbench computes it: a slot's expected clicks are its mean click rate over all logged pages), one pseudo
         * impression at the slot's rate as a prior. What a shop on plain Elasticsearch can compute from its log and
         * apply by pinning; the rest of the window follows unchanged.
         */
        List<Product> byCoec(String q, Window w) {
            Map<String, double[]> seen = shownStats.getOrDefault(q, Map.of());
            java.util.function.ToDoubleFunction<Product> coec = p -> {
                double[] s = seen.get(p.id());
                return s == null ? 1 : (s[1] + 1) / (s[2] + 1);
            };
            List<Product> page = new ArrayList<>(
                    w.products().subList(0, Math.min(10, w.products().size())));
            page.sort((a, b) -> Double.compare(coec.applyAsDouble(b), coec.applyAsDouble(a)));
            return shownFirst(w, page);
        }

        /** The whole window by the training shoppers' COEC for the query (stable: ties keep the hybrid's order). */
        List<Product> byCoecWindow(String q, Window w) {
            Map<String, double[]> seen = shownStats.getOrDefault(q, Map.of());
            java.util.function.ToDoubleFunction<Product> coec = p -> {
                double[] s = seen.get(p.id());
                return s == null ? 1 : (s[1] + 1) / (s[2] + 1);
            };
            List<Product> window = new ArrayList<>(w.products());
            window.sort((a, b) -> Double.compare(coec.applyAsDouble(b), coec.applyAsDouble(a)));
            return window;
        }

        /** {@code ranking} of the window fused with the hybrid's order by reciprocal rank (k 60, weights 1). */
        static List<Product> fusedWithHybrid(Window w, List<Product> ranking) {
            Map<Product, Double> fused = new HashMap<>();
            for (int r = 0; r < w.products().size(); r++) {
                fused.merge(w.products().get(r), 1.0 / (60 + r + 1), Double::sum);
                fused.merge(ranking.get(r), 1.0 / (60 + r + 1), Double::sum);
            }
            List<Product> out = new ArrayList<>(w.products());
            out.sort((a, b) -> Double.compare(fused.get(b), fused.get(a)));
            return out;
        }

        /** The README's blend ({@code weights}: empty for its defaults) for the user. */
        String blend(String user, String weights) {
            return ",\"rescore\":{\"window_size\":" + WINDOW + ",\"personalized_blend\":{\"user_id\":\"" + user
                    + "\",\"model_id\":\"" + model + "\",\"vector_field\":\"product_vector\"" + weights + "}}";
        }

        static final int SERVED = ORACLE - 1;
        /** The searches served per held-out search: the rows before the oracle, and the two after the COEC row. */
        static final int BODIES = SERVED + 2;

        /**
         * What a shop on plain Elasticsearch can assemble from the same log: the shopper's two most clicked brands and
         * types (a terms aggregation of their clicks and carts) and the mean vector of those products (the vector of a
         * kNN search), each hit of the window scored 1 per favourite brand or type plus its
         * cosine with that vector, and the ranking fused with the hybrid's by reciprocal rank (k 60; the personal
         * list's weight {@code weight}, the hybrid's 1), client-side. No training, no plugin. The report gives every
         * weight; the best of them, read off the held-out searches, flatters this baseline.
         */
        static List<Product> plainPersonal(List<Product> clicked, Window w, double weight) {
            List<Product> window = w.products();
            if (clicked == null || clicked.isEmpty()) {
                return window;
            }
            Set<String> brands = top(clicked.stream().map(Product::brand).toList(), 2);
            Set<String> types = top(clicked.stream().map(Product::type).toList(), 2);
            float[] mean = null;
            for (Product p : clicked) {
                if (p.vector() != null) {
                    mean = mean == null ? new float[p.vector().length] : mean;
                    for (int d = 0; d < mean.length; d++) {
                        mean[d] += p.vector()[d];
                    }
                }
            }
            double[] personal = new double[window.size()];
            for (int i = 0; i < personal.length; i++) {
                Product p = window.get(i);
                personal[i] = (brands.contains(p.brand()) ? 1 : 0)
                        + (types.contains(p.type()) ? 1 : 0)
                        + (mean == null || p.vector() == null ? 0 : ShopperSimulation.cosine(mean, p.vector()));
            }
            Integer[] byPersonal = new Integer[personal.length];
            for (int i = 0; i < byPersonal.length; i++) {
                byPersonal[i] = i;
            }
            Arrays.sort(byPersonal, (a, b) -> Double.compare(personal[b], personal[a]));
            double[] fused = new double[personal.length];
            for (int r = 0; r < byPersonal.length; r++) {
                fused[r] += 1.0 / (60 + r + 1); // the hybrid's own rank
                fused[byPersonal[r]] += weight / (60 + r + 1);
            }
            Integer[] order = new Integer[fused.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(fused[b], fused[a]));
            return Arrays.stream(order).map(window::get).toList();
        }

        /** The {@code n} most frequent non-null values (ties by value). */
        static Set<String> top(List<String> values, int n) {
            Map<String, Integer> counts = new HashMap<>();
            values.stream().filter(Objects::nonNull).forEach(v -> counts.merge(v, 1, Integer::sum));
            return counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue()
                            .reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(n)
                    .map(Map.Entry::getKey)
                    .collect(java.util.stream.Collectors.toSet());
        }

        /** What the profile would say if it knew the taste: the anchors' vectors, the favourite brands or types. */
        static Map<String, Object> trueTaste(Shopper shopper) {
            Map<String, Object> affinities = new LinkedHashMap<>();
            Map<String, Object> taste = new LinkedHashMap<>();
            switch (shopper.kind()) {
                case EMBEDDING -> taste.put("session_vectors", shopper.anchors());
                case BRAND -> affinities.put("brand.keyword", shares(shopper.brands()));
                case CATEGORY -> affinities.put("product_type.keyword", shares(shopper.types()));
                case PRICE -> {}
            }
            Map<String, Object> profile = map("affinities", affinities);
            if (shopper.kind() == ShopperSimulation.Kind.PRICE) {
                // a hundred clicks all at the cheap (or the dear) end of their lists: a list position of -0.99 (0.99)
                profile.put(
                        "price_taste",
                        map(
                                "bins",
                                List.of(),
                                "clicks",
                                List.of(),
                                "expected",
                                List.of(),
                                "list_position",
                                map("sum", shopper.cheap() ? -100 : 100, "clicks", 100)));
            }
            taste.put("profile", profile);
            return taste;
        }

        static Map<String, Object> shares(List<String> values) {
            Map<String, Object> out = new LinkedHashMap<>();
            values.forEach(v -> out.put(v, 1.0 / values.size()));
            return out;
        }

        String learned(String text, String user, String ranker) throws Exception {
            return learned(text, user, ranker, "");
        }

        /** {@code extra}: more options of the {@code learned_rank} (an inline shopper). */
        String learned(String text, String user, String ranker, String extra) throws Exception {
            return ",\"rescore\":{\"window_size\":" + WINDOW + ",\"learned_rank\":{\"ranker_id\":\"" + ranker
                    + "\",\"params\":{\"query\":" + json(text) + ",\"user_id\":\"" + user + "\"}" + extra + "}}";
        }

        List<Product> oracle(Shopper shopper, String q) {
            Window w = windows.get(q);
            Map<String, Integer> g = grades.get(q);
            List<Product> sorted = new ArrayList<>(w.products());
            sorted.sort((a, b) -> Double.compare(
                    ShopperSimulation.relevance(g.get(b.id())) * shopper.preference(b, w),
                    ShopperSimulation.relevance(g.get(a.id())) * shopper.preference(a, w)));
            return sorted;
        }

        /**
         * The window by the metric's own gain, {@code (2^grade - 1)} x preference (ties, the ungraded among them, by the
         * click probability x preference): the best order of the window for the nDCG the rows are scored with.
         */
        List<Product> gainOracle(Shopper shopper, String q) {
            Window w = windows.get(q);
            Map<String, Integer> g = grades.get(q);
            java.util.function.ToDoubleFunction<Product> gain = p -> {
                Integer grade = g.get(p.id());
                return (grade == null ? 0 : Math.pow(2, grade) - 1) * shopper.preference(p, w);
            };
            List<Product> sorted = new ArrayList<>(oracle(shopper, q));
            // stable: the click oracle's order breaks the ties
            sorted.sort((a, b) -> Double.compare(gain.applyAsDouble(b), gain.applyAsDouble(a)));
            return sorted;
        }

        /** The window by relevance alone (ties in the hybrid's order): what the oracle knows that is not taste. */
        List<Product> relevanceOracle(String q) {
            Window w = windows.get(q);
            Map<String, Integer> g = grades.get(q);
            List<Product> sorted = new ArrayList<>(w.products());
            sorted.sort((a, b) -> Double.compare(
                    ShopperSimulation.relevance(g.get(b.id())), ShopperSimulation.relevance(g.get(a.id()))));
            return sorted;
        }

        /** Gain (2^grade - 1) x preference; the ideal is the query's judged products by that gain. */
        double ndcg(Shopper shopper, String q, List<Product> top) {
            Window w = windows.get(q);
            Map<String, Integer> g = grades.get(q);
            double dcg = 0;
            for (int r = 0; r < top.size(); r++) {
                Integer grade = g.get(top.get(r).id());
                if (grade != null && grade > 0) {
                    dcg += (Math.pow(2, grade) - 1) * shopper.preference(top.get(r), w) / log2(r + 2);
                }
            }
            List<Double> gains = new ArrayList<>();
            g.forEach((id, grade) -> {
                Product p = products.get(id);
                if (grade > 0 && p != null) {
                    gains.add((Math.pow(2, grade) - 1) * shopper.preference(p, w));
                }
            });
            gains.sort((a, b) -> Double.compare(b, a));
            double ideal = 0;
            for (int r = 0; r < Math.min(10, gains.size()); r++) {
                ideal += gains.get(r) / log2(r + 2);
            }
            return ideal == 0 ? 0 : dcg / ideal;
        }

        static double log2(double x) {
            return Math.log(x) / Math.log(2);
        }

        void table(Kind kind, double[][][] cells, StringBuilder report) {
            int n = cells[0][0].length;
            report.append(format(
                    "#### %s, %s (%d held-out searches)%n%n"
                            + "| row | nDCG@10 | lift | expected clicks | lift | judged@10 |%n|---|---|---|---|---|---|%n",
                    kind.label(), clicks + " clicks, " + loggerName(), n));
            double[] base = {mean(cells[0][0]), mean(cells[0][1])};
            for (int row = 0; row < ROWS.size(); row++) {
                double ndcg = mean(cells[row][0]), expected = mean(cells[row][1]);
                report.append(format(
                        "| %s | %.4f | %s | %.3f | %s | %.2f |%n",
                        ROWS.get(row),
                        ndcg,
                        row == 0 ? "" : format("%+.1f%%", 100 * (ndcg / base[0] - 1)),
                        expected,
                        row == 0 ? "" : format("%+.1f%%", 100 * (expected / base[1] - 1)),
                        mean(cells[row][2])));
            }
            double own = mean(cells[RANKER][0]) / base[0] - 1, other = mean(cells[RANKER_OTHER][0]) / base[0] - 1;
            double oracle = mean(cells[ORACLE][0]) / base[0] - 1;
            double relevanceOnly = mean(cells[RELEVANCE_ORACLE][0]) / base[0] - 1;
            double byClicks = mean(cells[CLICK_ORACLE][0]) / base[0] - 1;
            double blendOwn = mean(cells[BLEND][0]) / base[0] - 1;
            double blendOther = mean(cells[BLEND_OTHER][0]) / base[0] - 1;
            // the definition: (own - another's) / own; without a lift there is no share to speak of
            double personal = own < 0.005 ? Double.NaN : (own - other) / own;
            report.append(format(
                    "%nlearned_rank: lift %+.1f%% against the oracle's %+.1f%% (%.0f%% of it; target >= 50%%: %s); "
                            + "personal part %s of its lift (own %+.1f%% - another's %+.1f%%; target >= 60%%: %s); "
                            + "own - another's nDCG %s; own - the best other row's (but the oracle) %s. "
                            + "personalized_blend: lift %+.1f%%, of which "
                            + "%s personal. The oracle's lift without taste (relevance alone): %+.1f%%; the oracle by "
                            + "clicks (stops 22-23's): %+.1f%%, of which the ranker has %.0f%%.%n%n",
                    100 * own,
                    100 * oracle,
                    oracle <= 0 ? 0 : 100 * own / oracle,
                    oracle > 0 && own >= oracle / 2 ? "met" : "not met",
                    share(personal),
                    100 * own,
                    100 * other,
                    personal >= 0.6 ? "met" : Double.isNaN(personal) ? "no lift" : "not met",
                    paired(cells[RANKER][0], cells[RANKER_OTHER][0]),
                    paired(cells[RANKER][0], bestOther(cells)),
                    100 * blendOwn,
                    share(blendOwn < 0.005 ? Double.NaN : (blendOwn - blendOther) / blendOwn),
                    100 * relevanceOnly,
                    100 * byClicks,
                    byClicks <= 0 ? 0 : 100 * own / byClicks));
            pairAcrossLoggers(kind, cells, report);
        }

        /**
         * The first logger's per-search nDCG of the ranker (own profile) and of the hybrid, per click model and kind:
         * the next logger's shop, with the same shoppers and held-out searches, is paired against it.
         */
        static final Map<String, double[][]> FIRST_LOGGER = new HashMap<>();

        /** The ranker here against the same cell under the first logger, search by search. */
        void pairAcrossLoggers(Kind kind, double[][][] cells, StringBuilder report) {
            String key = clicks + "|" + kind;
            double[][] first = FIRST_LOGGER.get(key);
            if (first == null) {
                FIRST_LOGGER.put(key, new double[][] {cells[RANKER][0].clone(), cells[0][0].clone()});
                return;
            }
            boolean sameSearches = Arrays.equals(first[1], cells[0][0]);
            report.append(format(
                    "Against the first logger's shop (same shoppers and held-out searches%s): learned_rank with the"
                            + " shopper's profile here - there, per search: %s.%n%n",
                    sameSearches
                            ? ": the hybrid's per-search nDCG is identical"
                            : ", but the hybrid's per-search nDCG differs",
                    sameSearches ? paired(cells[RANKER][0], first[0]) : "not paired"));
        }

        static String share(double share) {
            return Double.isNaN(share) ? "n/a (no lift)" : format("%.0f%%", 100 * share);
        }

        /** The per-search nDCG of the best row other than the ranker with the shopper's profile and the oracle. */
        static double[] bestOther(double[][][] cells) {
            int best = 0;
            for (int row : new int[] {
                BLEND,
                BLEND_OTHER,
                BLEND_07,
                RANKER_SHOWN,
                RANKER_OTHER,
                RANKER_SHOWN_20,
                PLAIN_PERSONAL,
                PLAIN_PERSONAL + 1,
                PLAIN_PERSONAL + 2,
                PLAIN_PERSONAL + 3,
                COEC_SHOWN,
                COEC_WINDOW,
                COEC_FUSED,
                RANKER_NO_CLICKS,
                RANKER_NO_CLICKS_OTHER
            }) {
                if (mean(cells[row][0]) > mean(cells[best][0])) {
                    best = row;
                }
            }
            return cells[best][0];
        }

        /** The mean paired difference with its 95% interval (normal approximation over searches). */
        static String paired(double[] a, double[] b) {
            int n = a.length;
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += (a[i] - b[i]) / n;
            }
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += Math.pow(a[i] - b[i] - mean, 2) / Math.max(1, n - 1);
            }
            double half = 1.96 * Math.sqrt(var / n);
            return format("%+.4f [%+.4f, %+.4f]", mean, mean - half, mean + half);
        }

        static double mean(double[] values) {
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            return values.length == 0 ? 0 : sum / values.length;
        }
    }
}
