package org.semanticranking.personalization.profile;

import org.semanticranking.personalization.ProductSignals;
import org.semanticranking.personalization.Vectors;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionType;
import org.semanticranking.personalization.events.PositionClickRates;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds one user's events into a {@link UserProfile}. Each event weighs its type's weight halved every
 * half-life of its age at {@code asOfMillis}. The result lists the user was shown (views in an impression) and
 * their clicks in them make the {@link PriceTaste}, against the slots' click rates over all shoppers. Because the profile holds weighted means and shares, the
 * choice of {@code asOfMillis} only scales all weights alike: a snapshot taken midway (as training does,
 * to see only the events before an impression) is the profile that a build at that moment would give.
 */
public final class ProfileAccumulator {

    private final ProfileSettings settings;
    private final long asOfMillis;
    private final List<String> affinityFields;
    private double[] vectorSum;
    private double vectorWeight;
    private double weight;
    private long events;
    private final Map<String, Map<String, Double>> affinitySums = new HashMap<>();
    private final Map<String, Double> affinityTotals = new HashMap<>();
    private double priceWeight;
    private double priceSum;
    private double priceSquares;
    private long lastEventMillis;
    private final PositionClickRates slotRates;
    private final PriceTaste.Accumulator priceTaste = new PriceTaste.Accumulator();

    /** A profile without a price taste (no slot click rates to expect clicks from). */
    public ProfileAccumulator(ProfileSettings settings, long asOfMillis, List<String> affinityFields) {
        this(settings, asOfMillis, affinityFields, PositionClickRates.NONE);
    }

    public ProfileAccumulator(
            ProfileSettings settings, long asOfMillis, List<String> affinityFields, PositionClickRates slotRates) {
        this.settings = settings;
        this.asOfMillis = asOfMillis;
        this.affinityFields = affinityFields;
        this.slotRates = slotRates;
    }

    /**
     * Adds one event on a product; a product that is not known ({@code null}) still counts as an event, and so
     * does an exposure (a view inside an impression), which adds nothing else.
     */
    public void add(InteractionEvent event, ProductSignals product) {
        events++;
        lastEventMillis = Math.max(lastEventMillis, event.timestampMillis());
        if (product != null && event.impressionId() != null && slotRates.isEmpty() == false) {
            // clicks and expected clicks decay alike, so the lift is of recent behaviour without favouring either
            double decay = settings.decay(asOfMillis - event.timestampMillis());
            if (event.type() == InteractionType.VIEW) {
                priceTaste.shown(product.price(), decay * slotRates.expectedClicks(event.position()));
                priceTaste.inList(event.impressionId(), product.price());
            } else if (event.type() == InteractionType.CLICK) {
                priceTaste.clicked(product.price(), decay);
                priceTaste.clickedInList(event.impressionId(), product.price(), decay);
            }
        }
        if (event.isExposure()) {
            return;
        }
        double w = settings.weight(event.type(), asOfMillis - event.timestampMillis());
        if (w == 0 || product == null) {
            return;
        }
        weight += w;
        if (product.vector() != null) {
            if (vectorSum == null) {
                vectorSum = new double[product.vector().length];
            }
            if (vectorSum.length == product.vector().length) {
                float[] v = product.vector();
                for (int i = 0; i < v.length; i++) {
                    vectorSum[i] += w * v[i];
                }
                vectorWeight += w;
            }
        }
        for (String field : affinityFields) {
            List<String> values = product.values(field);
            if (values.isEmpty()) {
                continue;
            }
            Map<String, Double> sums = affinitySums.computeIfAbsent(field, f -> new HashMap<>());
            for (String value : values) {
                sums.merge(value, w / values.size(), Double::sum);
            }
            affinityTotals.merge(field, w, Double::sum);
        }
        if (Double.isFinite(product.price()) && product.price() > 0) {
            double log = Math.log(product.price());
            priceWeight += w;
            priceSum += w * log;
            priceSquares += w * log * log;
        }
    }

    public long events() {
        return events;
    }

    public UserProfile snapshot(String userId) {
        float[] vector = null;
        if (vectorSum != null && vectorWeight > 0) {
            vector = Vectors.unit(vectorSum);
        }
        Map<String, Map<String, Double>> affinities = new TreeMap<>();
        affinitySums.forEach((field, sums) -> {
            double total = affinityTotals.get(field);
            Map<String, Double> shares = new TreeMap<>();
            sums.forEach((value, sum) -> shares.put(value, sum / total));
            affinities.put(field, Map.copyOf(shares));
        });
        UserProfile.PriceStats price = null;
        if (priceWeight > 0) {
            double mean = priceSum / priceWeight;
            price = new UserProfile.PriceStats(mean, Math.sqrt(Math.max(0, priceSquares / priceWeight - mean * mean)));
        }
        return new UserProfile(
                userId, vector, weight, events, Map.copyOf(affinities), price, priceTaste.snapshot(), lastEventMillis);
    }
}
