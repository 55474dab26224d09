package org.semanticranking.ranking.training;

import org.semanticranking.personalization.ProductSignals;
import org.semanticranking.personalization.Vectors;
import org.semanticranking.personalization.context.ShopperContext;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.PositionClickRates;
import org.semanticranking.personalization.profile.ProfileAccumulator;
import org.semanticranking.personalization.profile.ProfileSettings;
import org.semanticranking.personalization.profile.ShopperTimeline;

import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One shopper's events replayed in time order into training impressions: at each impression with a click, the products
 * clicked (grade 1), carted (2) or bought (3), the weight of the impression, and the shopper as they were just before it
 * (the profile a build at that moment would give, the session of their latest events), so that no impression's
 * features see its own clicks or anything after it. The profile and the session are folded as the profiles' build and
 * the rescorer fold them ({@link ProfileAccumulator}, the latest events that are not exposures).
 *
 * <p>The weight is the mean, over the clicked products, of the inverse examination propensity of the slot each was
 * clicked in (propensities relative to the top slot, clipped below at {@code floor}): a click low on the page, where few
 * shoppers look, stands for the many shoppers who would have clicked had they looked. XGBoost weighs ranking examples
 * per group, so an impression with several clicks weighs their mean; a click without a logged slot weighs 1.
 */
final class ImpressionReplay {

    /** One impression with a click, as a training request. */
    record LoggedImpression(
            String id,
            String userId,
            String query,
            Set<String> shown,
            Map<String, Integer> grades,
            float weight,
            ShopperContext shopper) {}

    private final ProfileSettings settings;
    private final PositionClickRates slotRates;
    private final long until;
    private final List<String> affinityFields;
    private final int sessionSize;
    private final double[] propensities;
    private final double floor;

    /**
     * @param slotRates    each slot's click rate over all shoppers, for the profile's price taste ({@code NONE}: none)
     * @param propensities each slot's examination relative to the top slot (index 0 is position 0)
     * @param sessionSize  how many latest events make the session vector; 0 for none
     */
    ImpressionReplay(
            ProfileSettings settings,
            PositionClickRates slotRates,
            long until,
            List<String> affinityFields,
            int sessionSize,
            double[] propensities,
            double floor) {
        this.settings = settings;
        this.slotRates = slotRates;
        this.until = until;
        this.affinityFields = List.copyOf(affinityFields);
        this.sessionSize = sessionSize;
        this.propensities = propensities.clone();
        this.floor = floor;
    }

    /** Replays one user's events (oldest first); {@code products} gives each event's product ({@code null}: unknown). */
    void replay(
            String userId,
            List<InteractionEvent> events,
            Function<String, ProductSignals> products,
            Consumer<LoggedImpression> into) {
        ShopperTimeline.replay(
                events,
                new ProfileAccumulator(settings, until, affinityFields, slotRates),
                sessionSize,
                products,
                (moment, impression, profile, session) -> {
                    if (impression != null) {
                        LoggedImpression logged = impression(impression, userId, moment, profile, session);
                        if (logged != null) {
                            into.accept(logged);
                        }
                    }
                });
    }

    private LoggedImpression impression(
            String id,
            String userId,
            List<InteractionEvent> moment,
            ProfileAccumulator profile,
            Deque<float[]> session) {
        Map<String, Integer> grades = new LinkedHashMap<>();
        Map<String, Integer> slots = new HashMap<>();
        for (InteractionEvent e : moment) {
            if (e.position() != null) {
                slots.merge(e.productId(), e.position(), Math::min);
            }
            if (e.type().positive()) {
                grades.merge(e.productId(), e.type().ordinal(), Math::max);
            }
        }
        String query = moment.stream()
                .map(InteractionEvent::query)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
        if (grades.isEmpty() || query == null) {
            return null;
        }
        double inverse = 0;
        for (String clicked : grades.keySet()) {
            Integer slot = slots.get(clicked);
            inverse += slot == null ? 1 : 1 / propensity(slot);
        }
        ShopperContext before = new ShopperContext(
                profile.events() > 0 ? profile.snapshot(userId) : null,
                Vectors.meanDirection(session),
                distinct(session),
                null,
                List.of());
        return new LoggedImpression(
                id, userId, query, Set.copyOf(slots.keySet()), grades, (float) (inverse / grades.size()), before);
    }

    /**
     * The session's vectors, each product once, as the loader reads the latest events' products by id: the product
     * cache gives one product the same array every time, so identity is the product.
     */
    private static List<float[]> distinct(Deque<float[]> session) {
        java.util.Set<float[]> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<float[]> out = new java.util.ArrayList<>();
        for (float[] v : session) {
            if (seen.add(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /** The slot's propensity relative to the top, clipped below at the floor; slots past the estimate take the last. */
    double propensity(int slot) {
        double p = propensities.length == 0 ? 1 : propensities[Math.min(Math.max(slot, 0), propensities.length - 1)];
        return Math.max(floor, Double.isFinite(p) ? Math.min(p, 1) : 1);
    }
}
