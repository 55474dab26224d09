package org.semanticranking.personalization;

import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.core.TimeValue;
import org.semanticranking.personalization.events.InteractionType;

import java.util.List;

/** The node settings of personalization ({@code elasticsearch.yml} or the cluster settings API: all dynamic). */
public final class PersonalizationSettings {

    private PersonalizationSettings() {}

    /** The age at which an event counts half in a profile. */
    public static final Setting<TimeValue> HALF_LIFE = Setting.positiveTimeSetting(
            "semantic_ranking.profiles.half_life",
            TimeValue.timeValueDays(30),
            Setting.Property.NodeScope,
            Setting.Property.Dynamic);

    public static final Setting<Double> VIEW_WEIGHT = weight(InteractionType.VIEW, 0.1);
    public static final Setting<Double> CLICK_WEIGHT = weight(InteractionType.CLICK, 1.0);
    public static final Setting<Double> ADD_TO_CART_WEIGHT = weight(InteractionType.ADD_TO_CART, 3.0);
    public static final Setting<Double> PURCHASE_WEIGHT = weight(InteractionType.PURCHASE, 5.0);

    public static final Setting<String> PROFILES_INDEX = Setting.simpleString(
            "semantic_ranking.profiles.index", "user_profiles", Setting.Property.NodeScope, Setting.Property.Dynamic);
    public static final Setting<String> INTERACTIONS_INDEX = Setting.simpleString(
            "semantic_ranking.interactions.index",
            "interactions",
            Setting.Property.NodeScope,
            Setting.Property.Dynamic);

    /** Where trained models are stored. */
    public static final Setting<String> MODELS_INDEX = Setting.simpleString(
            "semantic_ranking.personalization.models_index",
            "semantic-ranking-models",
            Setting.Property.NodeScope,
            Setting.Property.Dynamic);

    private static Setting<Double> weight(InteractionType type, double defaultValue) {
        return Setting.doubleSetting(
                "semantic_ranking.profiles.weights." + type.value(),
                defaultValue,
                0.0,
                Setting.Property.NodeScope,
                Setting.Property.Dynamic);
    }

    public static List<Setting<?>> all() {
        return List.of(
                HALF_LIFE,
                VIEW_WEIGHT,
                CLICK_WEIGHT,
                ADD_TO_CART_WEIGHT,
                PURCHASE_WEIGHT,
                PROFILES_INDEX,
                INTERACTIONS_INDEX,
                MODELS_INDEX);
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
}
