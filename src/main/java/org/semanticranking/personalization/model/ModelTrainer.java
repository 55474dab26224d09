package org.semanticranking.personalization.model;

import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.tasks.TaskCancelledException;
import org.semanticranking.common.JobTask;
import org.semanticranking.personalization.FeatureSpec;
import org.semanticranking.personalization.ProductCache;
import org.semanticranking.personalization.ProductLookup;
import org.semanticranking.personalization.ProductSignals;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionStream;
import org.semanticranking.personalization.events.PositionClickRates;
import org.semanticranking.personalization.profile.LearningRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

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
            "price_lift");

    /**
     * Which shown-but-not-clicked products of an impression are negatives. A product below the lowest click was passed
     * over for reasons that are mostly not taste: the shopper likely never looked that far, and what is chosen there is
     * what is relevant. Every shown product is a negative by default only when the fit has both to explain them: the slot
     * ({@code condition_on} with {@code position}, the default) and the product's clicks against its slots'
     * ({@code click_lift}). Otherwise the products below the lowest click are left out. The runs behind this default
     * are in benchmarks/README.md ("Personalization", stop 12).
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
            throw new IllegalArgumentException(
                    "[negatives] must be one of [skipped_above_click, all_shown] but was [" + value + "]");
        }
    }

    private ModelTrainer() {}

    public static PersonalizationModel train(
            Client client, String modelId, LearningRequest request, JobTask task, String modelsIndex, long now) {
        List<TrainingContext.Kind> conditionOn =
                TrainingContext.parse(request.options().get("condition_on"));
        return train(
                client,
                modelId,
                request,
                task,
                modelsIndex,
                now,
                new TrainingContext(
                        conditionOn,
                        new LoggedQueryVectors(
                                client, request.productsIndex(), request.spec().vectorField())));
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
            TrainingContext context) {
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
                context.kinds().contains(TrainingContext.Kind.POSITION)
                        && request.spec().clickLiftField() != null);
        // "price_lift": false trains without it (to measure what it adds, or for events logged without impressions)
        boolean priceLift = request.booleanOption("price_lift", true);
        long start = System.nanoTime();

        long until = InteractionStream.latestEvent(client, request.interactionsIndex(), request.interactionFields());
        if (until == Long.MIN_VALUE) {
            throw new IllegalArgumentException("no interactions in [" + request.interactionsIndex() + "] to train on");
        }
        FeatureSpec requested = priceLift ? request.spec() : request.spec().withoutPriceLift();
        PositionClickRates slotRates = requested.priceLift() || requested.clickLiftField() != null
                ? PositionClickRates.load(client, request.interactionsIndex(), request.interactionFields(), until)
                : PositionClickRates.NONE;
        // the products hold their views per slot; the model keeps the rates their expected clicks are computed with
        FeatureSpec spec = requested.clickLiftField() != null ? requested.withSlotRates(slotRates) : requested;
        FeatureExtractor extractor = new FeatureExtractor(spec);
        Random random = new Random(seed);
        List<ProductSignals> negativePool = samplePool(client, request.productsIndex(), spec, seed);
        ProductCache products = new ProductCache(client, request.productsIndex(), spec, 100_000);
        Examples train = new Examples(maxExamples, new Random(seed + 1L));
        Examples test = new Examples(maxExamples, new Random(seed + 2L));
        // the held-out impressions with every product shown but not clicked as a negative, whatever the training's
        // negatives: one AUC comparable across configurations, with negatives as impressions without a click
        Examples testEveryShown = new Examples(maxExamples, new Random(seed + 3L));
        TrainingReplay replay = new TrainingReplay(
                request.profileSettings(),
                slotRates,
                until,
                spec,
                sessionSize,
                products,
                negativePool,
                negativesPerPositive,
                negatives,
                random,
                extractor,
                context);
        long[] users = {0, 0}, events = {0}, skipped = {0};
        InteractionStream stream = new InteractionStream(
                client, request.interactionsIndex(), request.interactionFields(), Long.MIN_VALUE, until);
        stream.forEachUserPage(usersPerBatch, task::isCancelled, page -> {
            stream.forEachUser(page, maxEventsPerUser, skipped, (userId, userEvents) -> {
                products.load(userEvents.stream()
                        .map(InteractionEvent::productId)
                        .distinct()
                        .toList());
                boolean heldOut = isHeldOut(userId, seed, holdout);
                users[heldOut ? 1 : 0]++;
                events[0] += userEvents.size();
                replay.replay(userId, userEvents, heldOut ? test : train, heldOut ? testEveryShown : null);
            });
            task.progress(
                    "reading interactions",
                    "users",
                    users[0] + users[1],
                    "events",
                    events[0],
                    "products_fetched",
                    products.fetched());
        });
        if (task.isCancelled()) {
            throw new TaskCancelledException("training cancelled");
        }
        if (train.keptPositives() == 0 || train.keptPositives() == train.y.size()) {
            throw new IllegalArgumentException("training needs clicked and not clicked examples; the interactions of ["
                    + request.interactionsIndex() + "] gave [" + train.keptPositives() + "] positives and ["
                    + (train.y.size() - train.keptPositives()) + "] negatives");
        }
        task.progress(
                "fitting", "users", users[0] + users[1], "events", events[0], "products_fetched", products.fetched());
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
        stats.put(
                "negatives",
                negatives.name().toLowerCase(java.util.Locale.ROOT) + " in impressions; " + negativesPerPositive
                        + " sampled per click outside impressions");
        stats.put("half_life", request.profileSettings().halfLife().getStringRep());
        stats.put("took_ms", (System.nanoTime() - start) / 1_000_000);
        PersonalizationModel model = new PersonalizationModel(
                modelId, ModelStore.nextVersion(client, modelsIndex, modelId), spec, sessionSize, fit, stats);
        ModelStore.store(client, modelsIndex, model);
        return model;
    }

    /** A user's place in the split depends only on the id and the seed, so a retrain keeps the same split. */
    public static boolean isHeldOut(String userId, int seed, double holdout) {
        int h = (userId.hashCode() * 31 + seed) * 0x9E3779B9;
        return ((h >>> 8) & 0xFFFF) / 65536.0 < holdout;
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
                fit.iterations());
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
        return BinaryMetrics.auc(
                examples.x.stream().mapToDouble(row -> row[feature]).toArray(), examples.y);
    }

    private static List<ProductSignals> samplePool(Client client, String index, FeatureSpec spec, int seed) {
        SearchResponse response = client.search(ProductLookup.sampleRequest(index, 2000, seed, spec))
                .actionGet();
        try {
            return new ArrayList<>(ProductLookup.signals(response, spec).values());
        } finally {
            response.decRef();
        }
    }
}
