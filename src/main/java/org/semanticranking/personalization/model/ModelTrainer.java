package org.semanticranking.personalization.model;

import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.ResourceAlreadyExistsException;
import org.elasticsearch.action.admin.indices.create.CreateIndexRequest;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.support.WriteRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.tasks.TaskCancelledException;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.semanticranking.personalization.FeatureSpec;
import org.semanticranking.common.JobTask;
import org.semanticranking.personalization.ProductCache;
import org.semanticranking.personalization.ProductLookup;
import org.semanticranking.personalization.ProductSignals;
import org.semanticranking.personalization.Vectors;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionStream;
import org.semanticranking.personalization.events.InteractionType;
import org.semanticranking.personalization.events.PositionClickRates;
import org.semanticranking.personalization.profile.LearningRequest;
import org.semanticranking.personalization.profile.ProfileAccumulator;
import org.semanticranking.personalization.profile.ProfileSettings;
import org.semanticranking.personalization.profile.UserProfile;

/**
 * {@code POST _semantic_ranking/personalization/<model_id>/_train}: learns which signals predict that a
 * shopper clicks (or carts, or buys) a product.
 *
 * <p>Each user's events are replayed in time order. At every impression (events sharing an
 * {@code impression_id}) the products the user clicked are positives and the products shown but not clicked
 * are negatives; a click outside any impression is a positive with {@code negatives_per_positive} products
 * sampled from the catalogue as negatives. Features are computed from the profile and the session vector of the
 * events <em>before</em> that moment, as the rescorer will see them at query time, so no example sees its own
 * click (popularity and click lift leave out the user's own events). A share of users ({@code holdout}) is kept out of training and gives the reported AUC and log loss.
 * Blocking; runs on the plugin's jobs pool; bounded by {@code max_examples} (reservoir samples).
 */
public final class ModelTrainer {

    public static final String API = "personalization/_train";
    public static final Set<String> OPTIONS = Set.of(
        "session_size",
        "holdout",
        "l2",
        "negatives_per_positive",
        "max_examples",
        "max_events_per_user",
        "users_per_batch",
        "seed",
        "negatives",
        "condition_on",
        "price_lift"
    );

    /**
     * Which shown-but-not-clicked products of an impression are negatives. A product below the lowest click was passed
     * over for reasons that are mostly not taste: the shopper likely never looked that far, and what is chosen there is
     * what is relevant. Every shown product is a negative by default only when the fit has both to explain them: the slot
     * ({@code condition_on} with {@code position}, the default) and the product's clicks against its slots'
     * ({@code click_lift}). Otherwise the products below the lowest click are left out. On the simulated shoppers
     * (PersonalizationBenchmark, runs K and L) every shown product ranked better than the skipped ones with click lift
     * (+1.2 and +2.0 points at weights 0.5 / 0.5, about even at 0.7 / 0.3) and worse or even without it (-2.5 to +0.4).
     */
    enum Negatives {
        /** With positions logged, those at or above the lowest click (the shopper looked at them and passed); else all shown. */
        SKIPPED_ABOVE_CLICK,
        /** Every product shown: every impression without a click is a negative. */
        ALL_SHOWN;

        static Negatives parse(Object value, boolean slotAndClickLift) {
            if (value == null) {
                return slotAndClickLift ? ALL_SHOWN : SKIPPED_ABOVE_CLICK;
            }
            for (Negatives n : values()) {
                if (n.name().toLowerCase(java.util.Locale.ROOT).equals(value)) {
                    return n;
                }
            }
            throw new IllegalArgumentException("[negatives] must be one of [skipped_above_click, all_shown] but was [" + value + "]");
        }
    }

    private ModelTrainer() {}

    /** Examples of one split, kept as a reservoir sample of at most {@code max} rows. */
    static final class Examples {
        final List<double[]> x = new ArrayList<>();
        final List<Integer> y = new ArrayList<>();
        final int max;
        final Random random;
        long seen;
        long positives;

        Examples(int max, Random random) {
            this.max = max;
            this.random = random;
        }

        void add(double[] features, int label) {
            seen++;
            positives += label;
            if (x.size() < max) {
                x.add(features);
                y.add(label);
            } else {
                long slot = (long) (random.nextDouble() * seen);
                if (slot < max) {
                    x.set((int) slot, features);
                    y.set((int) slot, label);
                }
            }
        }

        long keptPositives() {
            return y.stream().filter(v -> v == 1).count();
        }
    }

    public static PersonalizationModel train(Client client, String modelId, LearningRequest request, JobTask task, String modelsIndex, long now) {
        List<TrainingContext.Kind> conditionOn = TrainingContext.parse(request.options().get("condition_on"));
        return train(
            client,
            modelId,
            request,
            task,
            modelsIndex,
            now,
            new TrainingContext(conditionOn, new LoggedQueryVectors(client, request.productsIndex(), request.spec().vectorField()))
        );
    }

    /**
     * @param context what the fit conditions on besides the served features (see {@link TrainingContext}); the
     *                stored model keeps the served features' weights only
     */
    static PersonalizationModel train(
        Client client,
        String modelId,
        LearningRequest request,
        JobTask task,
        String modelsIndex,
        long now,
        TrainingContext context
    ) {
        int sessionSize = request.intOption("session_size", PersonalizationModel.DEFAULT_SESSION_SIZE, 0, 100);
        double holdout = request.doubleOption("holdout", 0.2, 0.0, 0.9);
        double l2 = request.doubleOption("l2", 1.0, 0.0, 1e6);
        int negativesPerPositive = request.intOption("negatives_per_positive", 3, 1, 100);
        int maxExamples = request.intOption("max_examples", 500_000, 100, 10_000_000);
        int maxEventsPerUser = request.intOption("max_events_per_user", 10_000, 1, 1_000_000);
        int usersPerBatch = request.intOption("users_per_batch", 500, 1, 10_000);
        int seed = request.intOption("seed", 0, 0, Integer.MAX_VALUE);
        Negatives negatives = Negatives.parse(
            request.options().get("negatives"),
            context.kinds().contains(TrainingContext.Kind.POSITION) && request.spec().clickLiftField() != null
        );
        // "price_lift": false trains without it (to measure what it adds, or for events logged without impressions)
        boolean priceLift = request.booleanOption("price_lift", true);
        long start = System.nanoTime();

        long until = InteractionStream.latestEvent(client, request.interactionsIndex(), request.interactionFields());
        if (until == Long.MIN_VALUE) {
            throw new IllegalArgumentException("no interactions in [" + request.interactionsIndex() + "] to train on");
        }
        FeatureSpec spec = priceLift ? request.spec() : request.spec().withoutPriceLift();
        FeatureExtractor extractor = new FeatureExtractor(spec);
        PositionClickRates slotRates = spec.priceLift() || spec.clickLiftField() != null
            ? PositionClickRates.load(client, request.interactionsIndex(), request.interactionFields(), until)
            : PositionClickRates.NONE;
        Random random = new Random(seed);
        List<ProductSignals> negativePool = samplePool(client, request.productsIndex(), spec, seed);
        ProductCache products = new ProductCache(client, request.productsIndex(), spec, 100_000);
        Examples train = new Examples(maxExamples, new Random(seed + 1L));
        Examples test = new Examples(maxExamples, new Random(seed + 2L));
        // the held-out impressions with every product shown but not clicked as a negative, whatever the training's
        // negatives: one AUC comparable across configurations, with negatives as impressions without a click
        Examples testEveryShown = new Examples(maxExamples, new Random(seed + 3L));
        long[] users = { 0, 0 }, events = { 0 }, skipped = { 0 };
        InteractionStream stream = new InteractionStream(client, request.interactionsIndex(), request.interactionFields(), Long.MIN_VALUE, until);
        stream.forEachUserPage(usersPerBatch, task::isCancelled, page -> {
            stream.forEachUser(page, maxEventsPerUser, skipped, (userId, userEvents) -> {
                products.load(userEvents.stream().map(InteractionEvent::productId).distinct().toList());
                boolean heldOut = isHeldOut(userId, seed, holdout);
                users[heldOut ? 1 : 0]++;
                events[0] += userEvents.size();
                replay(userId, userEvents, request.profileSettings(), slotRates, until, spec, sessionSize, products, negativePool,
                    negativesPerPositive, negatives, random, extractor, context, heldOut ? test : train, heldOut ? testEveryShown : null);
            });
            task.progress("reading interactions", "users", users[0] + users[1], "events", events[0], "products_fetched", products.fetched());
        });
        if (task.isCancelled()) {
            throw new TaskCancelledException("training cancelled");
        }
        if (train.keptPositives() == 0 || train.keptPositives() == train.y.size()) {
            throw new IllegalArgumentException(
                "training needs clicked and not clicked examples; the interactions of [" + request.interactionsIndex() + "] gave ["
                    + train.keptPositives() + "] positives and [" + (train.y.size() - train.keptPositives()) + "] negatives"
            );
        }
        task.progress("fitting", "users", users[0] + users[1], "events", events[0], "products_fetched", products.fetched());
        LogisticRegression.Fit fitted = LogisticRegression.fit(train.x, train.y, l2, 50);
        // served without the context features: they are evaluated at their training mean (see TrainingContext)
        LogisticRegression.Fit fit = servedPart(fitted, extractor.size());
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("trained_at", now);
        stats.put("events_until", until);
        stats.put("users_train", users[0]);
        stats.put("users_holdout", users[1]);
        stats.put("events", events[0]);
        stats.put("skipped_events", skipped[0]);
        stats.put("examples_train", train.y.size());
        stats.put("positives_train", train.keptPositives());
        stats.put("examples_holdout", test.y.size());
        stats.put("positives_holdout", test.keptPositives());
        stats.put("train_auc", finite(auc(fit, train)));
        stats.put("auc", finite(test.y.isEmpty() ? null : auc(fit, test)));
        stats.put("examples_holdout_every_shown", testEveryShown.y.size());
        stats.put("auc_every_shown", finite(testEveryShown.y.isEmpty() ? null : auc(fit, testEveryShown)));
        stats.put("log_loss", finite(test.y.isEmpty() ? null : logLoss(fit, test)));
        stats.put("auc_user_vector_cosine_only", finite(test.y.isEmpty() ? null : featureAuc(test, 0)));
        if (context.isEmpty() == false) {
            // "auc" above is the served score's; this one is the whole fit's, position and query match included
            stats.put("conditioned_on", context.featureNames());
            stats.put("auc_with_context", finite(test.y.isEmpty() ? null : auc(fitted, test)));
            Map<String, Object> contextWeights = new LinkedHashMap<>();
            for (int i = 0; i < context.featureNames().size(); i++) {
                contextWeights.put(context.featureNames().get(i), fitted.weights()[extractor.size() + i]);
            }
            stats.put("context_weights", contextWeights);
        }
        stats.put("l2", l2);
        stats.put("holdout", holdout);
        stats.put("negatives", negatives.name().toLowerCase(java.util.Locale.ROOT) + " in impressions; " + negativesPerPositive + " sampled per click outside impressions");
        stats.put("half_life", request.profileSettings().halfLife().getStringRep());
        stats.put("took_ms", (System.nanoTime() - start) / 1_000_000);
        PersonalizationModel model = new PersonalizationModel(modelId, nextVersion(client, modelsIndex, modelId), spec, sessionSize, fit, stats);
        store(client, modelsIndex, model);
        return model;
    }

    /** A user's place in the split depends only on the id and the seed, so a retrain keeps the same split. */
    public static boolean isHeldOut(String userId, int seed, double holdout) {
        int h = (userId.hashCode() * 31 + seed) * 0x9E3779B9;
        return ((h >>> 8) & 0xFFFF) / 65536.0 < holdout;
    }

    static void replay(
        String userId,
        List<InteractionEvent> events,
        ProfileSettings settings,
        PositionClickRates slotRates,
        long until,
        FeatureSpec spec,
        int sessionSize,
        ProductCache products,
        List<ProductSignals> negativePool,
        int negativesPerPositive,
        Negatives negatives,
        Random random,
        FeatureExtractor extractor,
        TrainingContext context,
        Examples into,
        Examples everyShownInto
    ) {
        ProfileAccumulator profile = new ProfileAccumulator(settings, until, spec.affinityFields(), slotRates);
        Deque<float[]> session = new ArrayDeque<>();
        // popularity and click lift count every user's events: an example must not see this user's own
        Map<String, OwnStats> own = OwnStats.of(events, slotRates);
        int i = 0;
        while (i < events.size()) {
            // one moment: the events of one impression, or a single event outside any
            int j = i + 1;
            String impression = events.get(i).impressionId();
            if (impression != null) {
                while (j < events.size() && impression.equals(events.get(j).impressionId())) {
                    j++;
                }
            }
            List<InteractionEvent> moment = events.subList(i, j);
            UserProfile before = profile.events() > 0 ? profile.snapshot(userId) : null;
            float[] sessionVector = Vectors.meanDirection(session);
            if (impression != null) {
                Set<String> clicked = new LinkedHashSet<>(), shown = new LinkedHashSet<>();
                Map<String, Integer> positions = new java.util.HashMap<>();
                for (InteractionEvent e : moment) {
                    (e.type().positive() ? clicked : shown).add(e.productId());
                    if (e.position() != null) {
                        positions.merge(e.productId(), e.position(), Math::min);
                    }
                }
                shown.removeAll(clicked);
                String query = moment.stream().map(InteractionEvent::query).filter(java.util.Objects::nonNull).findFirst().orElse(null);
                Impression page = new Impression(clicked, positions, context.queryVector(query), before, sessionVector, new java.util.HashMap<>());
                if (everyShownInto != null) {
                    page.examples(shown, extractor, context, products, own, everyShownInto);
                }
                if (negatives == Negatives.SKIPPED_ABOVE_CLICK && positions.isEmpty() == false) {
                    // position bias: a product below the last click was likely never looked at, so it says nothing
                    int lowestClick = clicked.stream().mapToInt(id -> positions.getOrDefault(id, -1)).max().orElse(-1);
                    shown.removeIf(id -> positions.getOrDefault(id, Integer.MAX_VALUE) > lowestClick);
                }
                page.examples(shown, extractor, context, products, own, into);
            } else if (moment.get(0).type().positive()) {
                InteractionEvent e = moment.get(0);
                example(extractor, context, before, sessionVector, othersOnly(products.get(e.productId()), own.get(e.productId())), 1, into);
                for (int n = 0; n < negativesPerPositive && negativePool.isEmpty() == false; n++) {
                    example(extractor, context, before, sessionVector, negativePool.get(random.nextInt(negativePool.size())), 0, into);
                }
            }
            for (InteractionEvent e : moment) {
                ProductSignals p = products.get(e.productId());
                profile.add(e, p);
                if (e.isExposure() == false && p != null && p.vector() != null && sessionSize > 0) {
                    session.addLast(p.vector());
                    if (session.size() > sessionSize) {
                        session.removeFirst();
                    }
                }
            }
            i = j;
        }
    }

    /**
     * One impression's clicks and what the user knew and was shown then, as examples: clicks positive, {@code notClicked}
     * negative. A held-out impression feeds two example sets; {@code rows} keeps each product's row so it is computed once.
     */
    private record Impression(
        Set<String> clicked,
        Map<String, Integer> positions,
        float[] queryVector,
        UserProfile profile,
        float[] session,
        Map<String, double[]> rows
    ) {
        void examples(
            Set<String> notClicked,
            FeatureExtractor extractor,
            TrainingContext context,
            ProductCache products,
            Map<String, OwnStats> own,
            Examples into
        ) {
            for (String id : clicked) {
                add(id, 1, extractor, context, products, own, into);
            }
            for (String id : notClicked) {
                add(id, 0, extractor, context, products, own, into);
            }
        }

        private void add(String id, int label, FeatureExtractor extractor, TrainingContext context, ProductCache products, Map<String, OwnStats> own,
            Examples into) {
            double[] row = rows.computeIfAbsent(id, k -> {
                ProductSignals product = othersOnly(products.get(k), own.get(k));
                return product == null ? null : context.append(extractor.extract(profile, session, product), positions.get(k), queryVector, product);
            });
            if (row != null) {
                into.add(row, label);
            }
        }
    }

    /**
     * A user's own part of a product's statistics in the product documents: their clicks, carts and purchases of it
     * (popularity), and their clicks on it in result lists and the clicks its slots there would get on average (click lift).
     */
    record OwnStats(int positives, int clicks, double expectedClicks) {

        static Map<String, OwnStats> of(List<InteractionEvent> events, PositionClickRates rates) {
            Map<String, OwnStats> own = new java.util.HashMap<>();
            for (InteractionEvent e : events) {
                int positive = e.type().positive() ? 1 : 0;
                boolean inList = e.impressionId() != null;
                int click = inList && e.type() == InteractionType.CLICK ? 1 : 0;
                double expected = inList && e.type() == InteractionType.VIEW ? rates.expectedClicks(e.position()) : 0;
                if (positive + click > 0 || expected > 0) {
                    own.merge(e.productId(), new OwnStats(positive, click, expected), OwnStats::plus);
                }
            }
            return own;
        }

        OwnStats plus(OwnStats other) {
            return new OwnStats(positives + other.positives, clicks + other.clicks, expectedClicks + other.expectedClicks);
        }
    }

    /** The product with its statistics less this user's own events on it. */
    static ProductSignals othersOnly(ProductSignals p, OwnStats own) {
        if (p == null || own == null) {
            return p;
        }
        return new ProductSignals(
            p.vector(),
            p.values(),
            p.price(),
            less(p.popularity(), own.positives()),
            less(p.clicks(), own.clicks()),
            less(p.expectedClicks(), own.expectedClicks())
        );
    }

    /** NaN (not written) stays NaN. */
    private static double less(double total, double own) {
        return Double.isFinite(total) ? Math.max(0, total - own) : total;
    }

    /** An example outside any impression: there is no slot and no list the product was chosen from, so the context is unknown (0). */
    private static void example(
        FeatureExtractor extractor,
        TrainingContext context,
        UserProfile profile,
        float[] session,
        ProductSignals product,
        int label,
        Examples into
    ) {
        if (product != null) {
            into.add(context.append(extractor.extract(profile, session, product), null, null, product), label);
        }
    }

    /** The fit of the first {@code served} features: the rest are left at their training mean. */
    static LogisticRegression.Fit servedPart(LogisticRegression.Fit fit, int served) {
        if (fit.weights().length == served) {
            return fit;
        }
        return new LogisticRegression.Fit(
            Arrays.copyOf(fit.means(), served),
            Arrays.copyOf(fit.stds(), served),
            Arrays.copyOf(fit.weights(), served),
            fit.bias(),
            fit.iterations()
        );
    }

    /** NaN (a split with one class only) is stored as null: JSON has no NaN. */
    private static Double finite(Double value) {
        return value == null || Double.isFinite(value) == false ? null : value;
    }

    private static double auc(LogisticRegression.Fit fit, Examples examples) {
        double[] scores = examples.x.stream().mapToDouble(fit::logit).toArray();
        return BinaryMetrics.auc(scores, examples.y);
    }

    private static double logLoss(LogisticRegression.Fit fit, Examples examples) {
        double[] p = examples.x.stream().mapToDouble(fit::probability).toArray();
        return BinaryMetrics.logLoss(p, examples.y);
    }

    private static double featureAuc(Examples examples, int feature) {
        return BinaryMetrics.auc(examples.x.stream().mapToDouble(row -> row[feature]).toArray(), examples.y);
    }

    private static List<ProductSignals> samplePool(Client client, String index, FeatureSpec spec, int seed) {
        SearchResponse response = client.search(ProductLookup.sampleRequest(index, 2000, seed, spec)).actionGet();
        try {
            return new ArrayList<>(ProductLookup.signals(response, spec).values());
        } finally {
            response.decRef();
        }
    }

    private static long nextVersion(Client client, String index, String modelId) {
        try {
            GetResponse existing = client.get(new GetRequest(index, modelId)).actionGet();
            return existing.isExists() ? ((Number) existing.getSourceAsMap().get("version")).longValue() + 1 : 1;
        } catch (IndexNotFoundException e) {
            return 1;
        }
    }

    static void store(Client client, String index, PersonalizationModel model) {
        try {
            client.admin().indices().create(new CreateIndexRequest(index).mapping(PersonalizationModels.MAPPING)).actionGet();
        } catch (Exception e) {
            if (ExceptionsHelper.unwrapCause(e) instanceof ResourceAlreadyExistsException == false) {
                throw e;
            }
        }
        try {
            client.index(
                new IndexRequest(index).id(model.modelId())
                    .source(model.toXContent(XContentFactory.jsonBuilder(), ToXContent.EMPTY_PARAMS))
                    .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE)
            ).actionGet();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
