package org.semanticranking.personalization.profile;

import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.core.TimeValue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.semanticranking.personalization.events.InteractionType;

/**
 * How events count in a profile: the half-life of their time decay and a weight per event type. Cluster
 * settings give the defaults ({@code semantic_ranking.profiles.*}); a build or training request may override them.
 */
public record ProfileSettings(TimeValue halfLife, Map<InteractionType, Double> weights) {

    public static final Setting<TimeValue> HALF_LIFE = Setting.positiveTimeSetting(
        "semantic_ranking.profiles.half_life",
        TimeValue.timeValueDays(30),
        Setting.Property.NodeScope,
        Setting.Property.Dynamic
    );
    public static final Setting<Double> VIEW_WEIGHT = weight(InteractionType.VIEW, 0.1);
    public static final Setting<Double> CLICK_WEIGHT = weight(InteractionType.CLICK, 1.0);
    public static final Setting<Double> ADD_TO_CART_WEIGHT = weight(InteractionType.ADD_TO_CART, 3.0);
    public static final Setting<Double> PURCHASE_WEIGHT = weight(InteractionType.PURCHASE, 5.0);

    public static final Setting<String> PROFILES_INDEX = Setting.simpleString(
        "semantic_ranking.profiles.index",
        "user_profiles",
        Setting.Property.NodeScope,
        Setting.Property.Dynamic
    );
    public static final Setting<String> INTERACTIONS_INDEX = Setting.simpleString(
        "semantic_ranking.interactions.index",
        "interactions",
        Setting.Property.NodeScope,
        Setting.Property.Dynamic
    );

    public ProfileSettings {
        if (halfLife.millis() <= 0) {
            throw new IllegalArgumentException("[half_life] must be positive but was [" + halfLife + "]");
        }
        weights = Map.copyOf(weights);
        for (InteractionType type : InteractionType.values()) {
            Double w = weights.get(type);
            if (w == null || w.isNaN() || w.isInfinite() || w < 0) {
                throw new IllegalArgumentException("the weight of [" + type.value() + "] events must be a finite number >= 0 but was [" + w + "]");
            }
        }
    }

    private static Setting<Double> weight(InteractionType type, double defaultValue) {
        return Setting.doubleSetting(
            "semantic_ranking.profiles.weights." + type.value(),
            defaultValue,
            0.0,
            Setting.Property.NodeScope,
            Setting.Property.Dynamic
        );
    }

    public static List<Setting<?>> all() {
        return List.of(HALF_LIFE, VIEW_WEIGHT, CLICK_WEIGHT, ADD_TO_CART_WEIGHT, PURCHASE_WEIGHT, PROFILES_INDEX, INTERACTIONS_INDEX);
    }

    /** Reads a setting's current value: {@code clusterSettings::get} for the dynamic value, or from static settings. */
    public interface Source {
        <T> T get(Setting<T> setting);

        static Source of(Settings settings) {
            return new Source() {
                @Override
                public <T> T get(Setting<T> setting) {
                    return setting.get(settings);
                }
            };
        }
    }

    public static ProfileSettings fromSettings(Source settings) {
        Map<InteractionType, Double> weights = new EnumMap<>(InteractionType.class);
        weights.put(InteractionType.VIEW, settings.get(VIEW_WEIGHT));
        weights.put(InteractionType.CLICK, settings.get(CLICK_WEIGHT));
        weights.put(InteractionType.ADD_TO_CART, settings.get(ADD_TO_CART_WEIGHT));
        weights.put(InteractionType.PURCHASE, settings.get(PURCHASE_WEIGHT));
        return new ProfileSettings(settings.get(HALF_LIFE), weights);
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
