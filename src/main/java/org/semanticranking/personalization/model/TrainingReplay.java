package org.semanticranking.personalization.model;

import org.semanticranking.personalization.FeatureSpec;
import org.semanticranking.personalization.ProductCache;
import org.semanticranking.personalization.ProductSignals;
import org.semanticranking.personalization.Vectors;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionType;
import org.semanticranking.personalization.events.PositionClickRates;
import org.semanticranking.personalization.profile.ProfileAccumulator;
import org.semanticranking.personalization.profile.ProfileSettings;
import org.semanticranking.personalization.profile.ShopperTimeline;
import org.semanticranking.personalization.profile.UserProfile;

import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * A training run's replay of each user's events in time order, apart from the fit: at each impression, the products
 * clicked (or carted, or bought) are positives and those shown but not clicked are negatives, each with the features
 * of the profile and the session of the events <i>before</i> that moment, as the rescorer sees them; a click outside
 * any impression is a positive with products sampled from the catalogue as negatives.
 *
 * @param negativePool products sampled from the catalogue, the negatives of clicks outside impressions
 */
record TrainingReplay(
        ProfileSettings settings,
        PositionClickRates slotRates,
        long until,
        FeatureSpec spec,
        int sessionSize,
        ProductCache products,
        List<ProductSignals> negativePool,
        int negativesPerPositive,
        ModelTrainer.Negatives negatives,
        Random random,
        FeatureExtractor extractor,
        TrainingContext context) {

    /** Replays one user's events (oldest first) into {@code into}, and with {@code everyShownInto} their impressions again with every shown product a negative. */
    void replay(String userId, List<InteractionEvent> events, Examples into, Examples everyShownInto) {
        // popularity and click lift count every user's events: an example must not see this user's own
        Map<String, OwnStats> own = OwnStats.of(events, spec);
        ShopperTimeline.replay(
                events,
                new ProfileAccumulator(settings, until, spec.affinityFields(), slotRates),
                sessionSize,
                products::get,
                (moment, impression, profile, session) ->
                        moment(userId, moment, impression, profile, session, own, into, everyShownInto));
    }

    /** The examples of one moment (an impression, or one event outside any), from what was known just before it. */
    private void moment(
            String userId,
            List<InteractionEvent> moment,
            String impression,
            ProfileAccumulator profile,
            Deque<float[]> session,
            Map<String, OwnStats> own,
            Examples into,
            Examples everyShownInto) {
        UserProfile before = profile.events() > 0 ? profile.snapshot(userId) : null;
        float[] sessionVector = Vectors.meanDirection(session);
        if (impression != null) {
            Set<String> clicked = new LinkedHashSet<>(), shown = new LinkedHashSet<>();
            Map<String, Integer> positions = new HashMap<>();
            for (InteractionEvent e : moment) {
                (e.type().positive() ? clicked : shown).add(e.productId());
                if (e.position() != null) {
                    positions.merge(e.productId(), e.position(), Math::min);
                }
            }
            shown.removeAll(clicked);
            String query = moment.stream()
                    .map(InteractionEvent::query)
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElse(null);
            Impression page = new Impression(
                    clicked, positions, context.queryVector(query), before, sessionVector, new HashMap<>());
            if (everyShownInto != null) {
                page.examples(shown, extractor, context, products, own, everyShownInto);
            }
            if (negatives == ModelTrainer.Negatives.SKIPPED_ABOVE_CLICK && positions.isEmpty() == false) {
                // position bias: a product below the last click was likely never looked at, so it says nothing
                int lowestClick = clicked.stream()
                        .mapToInt(id -> positions.getOrDefault(id, -1))
                        .max()
                        .orElse(-1);
                shown.removeIf(id -> positions.getOrDefault(id, Integer.MAX_VALUE) > lowestClick);
            }
            page.examples(shown, extractor, context, products, own, into);
        } else if (moment.get(0).type().positive()) {
            InteractionEvent e = moment.get(0);
            example(
                    extractor,
                    context,
                    before,
                    sessionVector,
                    othersOnly(products.get(e.productId()), own.get(e.productId())),
                    1,
                    into);
            for (int n = 0; n < negativesPerPositive && negativePool.isEmpty() == false; n++) {
                example(
                        extractor,
                        context,
                        before,
                        sessionVector,
                        negativePool.get(random.nextInt(negativePool.size())),
                        0,
                        into);
            }
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
            Map<String, double[]> rows) {
        void examples(
                Set<String> notClicked,
                FeatureExtractor extractor,
                TrainingContext context,
                ProductCache products,
                Map<String, OwnStats> own,
                Examples into) {
            for (String id : clicked) {
                add(id, 1, extractor, context, products, own, into);
            }
            for (String id : notClicked) {
                add(id, 0, extractor, context, products, own, into);
            }
        }

        private void add(
                String id,
                int label,
                FeatureExtractor extractor,
                TrainingContext context,
                ProductCache products,
                Map<String, OwnStats> own,
                Examples into) {
            double[] row = rows.computeIfAbsent(id, k -> {
                ProductSignals product = othersOnly(products.get(k), own.get(k));
                return product == null
                        ? null
                        : context.append(
                                extractor.extract(profile, session, product), positions.get(k), queryVector, product);
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

        /** With the spec's slot rates, the ones the products' expected clicks are computed with. */
        static Map<String, OwnStats> of(List<InteractionEvent> events, FeatureSpec spec) {
            Map<String, OwnStats> own = new HashMap<>();
            for (InteractionEvent e : events) {
                int positive = e.type().positive() ? 1 : 0;
                boolean inList = e.impressionId() != null;
                int click = inList && e.type() == InteractionType.CLICK ? 1 : 0;
                double rate = spec.slotRate(e.position() == null ? FeatureSpec.SLOTS : e.position());
                double expected = inList && e.type() == InteractionType.VIEW && Double.isFinite(rate) ? rate : 0;
                if (positive + click > 0 || expected > 0) {
                    own.merge(e.productId(), new OwnStats(positive, click, expected), OwnStats::plus);
                }
            }
            return own;
        }

        OwnStats plus(OwnStats other) {
            return new OwnStats(
                    positives + other.positives, clicks + other.clicks, expectedClicks + other.expectedClicks);
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
                less(p.expectedClicks(), own.expectedClicks()));
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
            Examples into) {
        if (product != null) {
            into.add(context.append(extractor.extract(profile, session, product), null, null, product), label);
        }
    }
}
