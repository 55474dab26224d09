package org.semanticranking.personalization.profile;

import org.elasticsearch.core.TimeValue;
import org.semanticranking.personalization.PersonalizationSettings;
import org.semanticranking.personalization.events.InteractionType;

import java.util.EnumMap;
import java.util.Map;

/**
 * How events count in a profile: the half-life of their time decay and a weight per event type. The cluster
 * settings give the defaults ({@link PersonalizationSettings}); a build or training request may override them.
 */
public record ProfileSettings(TimeValue halfLife, Map<InteractionType, Double> weights) {

    public ProfileSettings {
        if (halfLife.millis() <= 0) {
            throw new IllegalArgumentException("[half_life] must be positive but was [" + halfLife + "]");
        }
        weights = Map.copyOf(weights);
        for (InteractionType type : InteractionType.values()) {
            Double w = weights.get(type);
            if (w == null || w.isNaN() || w.isInfinite() || w < 0) {
                throw new IllegalArgumentException(
                        "the weight of [" + type.value() + "] events must be a finite number >= 0 but was [" + w + "]");
            }
        }
    }

    public static ProfileSettings fromSettings(PersonalizationSettings.Source settings) {
        Map<InteractionType, Double> weights = new EnumMap<>(InteractionType.class);
        weights.put(InteractionType.VIEW, settings.get(PersonalizationSettings.VIEW_WEIGHT));
        weights.put(InteractionType.CLICK, settings.get(PersonalizationSettings.CLICK_WEIGHT));
        weights.put(InteractionType.ADD_TO_CART, settings.get(PersonalizationSettings.ADD_TO_CART_WEIGHT));
        weights.put(InteractionType.PURCHASE, settings.get(PersonalizationSettings.PURCHASE_WEIGHT));
        return new ProfileSettings(settings.get(PersonalizationSettings.HALF_LIFE), weights);
    }

    /** This with the given overrides (a request's {@code half_life} and {@code weights}, either may be null). */
    public ProfileSettings with(TimeValue halfLife, Map<String, Double> weightOverrides) {
        Map<InteractionType, Double> merged = new EnumMap<>(weights);
        if (weightOverrides != null) {
            weightOverrides.forEach((type, w) -> merged.put(InteractionType.parse(type), w));
        }
        return new ProfileSettings(halfLife == null ? this.halfLife : halfLife, merged);
    }

    /** The weight of an event of this type and age: its type's weight halved every half-life. */
    public double weight(InteractionType type, long ageMillis) {
        return weights.get(type) * decay(ageMillis);
    }

    /** What an event of this age still counts for: halved every half-life. */
    public double decay(long ageMillis) {
        return Math.pow(0.5, Math.max(0, ageMillis) / (double) halfLife.millis());
    }
}
