package org.semanticranking.personalization.profile;

import org.elasticsearch.core.TimeValue;
import org.semanticranking.personalization.FeatureSpec;
import org.semanticranking.personalization.PersonalizationSettings;
import org.semanticranking.personalization.events.InteractionFields;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the profile build and the training read, parsed from a request body: the product index and its
 * fields, the interactions and profiles indices, and how events weigh. Unknown keys and wrong types are
 * refused with their name, so a typo does not silently build something else.
 */
public record LearningRequest(
        String productsIndex,
        FeatureSpec spec,
        String interactionsIndex,
        InteractionFields interactionFields,
        String profilesIndex,
        ProfileSettings profileSettings,
        Map<String, Object> options) {

    /** The same request reading the interactions index through {@code fields} (resolved from its mapping). */
    public LearningRequest withInteractionFields(InteractionFields fields) {
        return new LearningRequest(
                productsIndex, spec, interactionsIndex, fields, profilesIndex, profileSettings, options);
    }

    static final Set<String> COMMON = Set.of(
            "products_index",
            "vector_field",
            "affinity_fields",
            "price_field",
            "popularity_field",
            "click_lift_field",
            "interactions_index",
            "profiles_index",
            "half_life",
            "weights");

    /**
     * @param body          the request body
     * @param extraOptions  the keys this API takes besides the common ones (left in {@link #options})
     * @param settings      the node's settings, for the defaults
     */
    @SuppressWarnings("unchecked")
    public static LearningRequest parse(
            String api, Map<String, Object> body, Set<String> extraOptions, PersonalizationSettings.Source settings) {
        for (String key : body.keySet()) {
            if (COMMON.contains(key) == false && extraOptions.contains(key) == false) {
                throw new IllegalArgumentException("[" + api + "] unknown parameter [" + key + "]");
            }
        }
        String products = string(api, body, "products_index", true);
        String vectorField = string(api, body, "vector_field", true);
        List<String> affinityFields = new ArrayList<>();
        Object affinities = body.get("affinity_fields");
        if (affinities instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s && s.isBlank() == false) {
                    affinityFields.add(s);
                } else {
                    throw new IllegalArgumentException(
                            "[" + api + "] [affinity_fields] must be an array of field names");
                }
            }
        } else if (affinities != null) {
            throw new IllegalArgumentException("[" + api + "] [affinity_fields] must be an array of field names");
        }
        FeatureSpec spec = new FeatureSpec(
                vectorField,
                affinityFields,
                string(api, body, "price_field", false),
                string(api, body, "popularity_field", false),
                string(api, body, "click_lift_field", false));
        requireOwnField(api, spec);
        String halfLife = string(api, body, "half_life", false);
        Map<String, Double> weights = null;
        if (body.get("weights") instanceof Map<?, ?> w) {
            weights = new HashMap<>();
            for (Map.Entry<?, ?> e : w.entrySet()) {
                if (e.getValue() instanceof Number n) {
                    weights.put(e.getKey().toString(), n.doubleValue());
                } else {
                    throw new IllegalArgumentException("[" + api + "] [weights." + e.getKey() + "] must be a number");
                }
            }
        } else if (body.get("weights") != null) {
            throw new IllegalArgumentException("[" + api + "] [weights] must be an object of event type to weight");
        }
        ProfileSettings profileSettings = ProfileSettings.fromSettings(settings)
                .with(halfLife == null ? null : TimeValue.parseTimeValue(halfLife, "half_life"), weights);
        String interactions = string(api, body, "interactions_index", false);
        String profiles = string(api, body, "profiles_index", false);
        Map<String, Object> options = new HashMap<>(body);
        options.keySet().removeAll(COMMON);
        // an option given as null is an option not given: its default
        options.values().removeIf(java.util.Objects::isNull);
        return new LearningRequest(
                products,
                spec,
                interactions != null ? interactions : settings.get(PersonalizationSettings.INTERACTIONS_INDEX),
                InteractionFields.DOCUMENTED,
                profiles != null ? profiles : settings.get(PersonalizationSettings.PROFILES_INDEX),
                profileSettings,
                Map.copyOf(options));
    }

    /** The build writes the popularity and click fields into the products: they must not be a field a feature reads. */
    private static void requireOwnField(String api, FeatureSpec spec) {
        Map<String, String> read = new java.util.LinkedHashMap<>();
        read.put(spec.vectorField(), "vector_field");
        spec.affinityFields().forEach(f -> read.put(f, "affinity_fields"));
        if (spec.priceField() != null) {
            read.put(spec.priceField(), "price_field");
        }
        if (spec.popularityField() != null) {
            String other = read.get(spec.popularityField());
            if (other != null) {
                throw new IllegalArgumentException("[" + api + "] [popularity_field] [" + spec.popularityField()
                        + "] is also the [" + other + "]");
            }
            read.put(spec.popularityField(), "popularity_field");
        }
        if (spec.clickLiftField() != null && read.containsKey(spec.clickLiftField())) {
            throw new IllegalArgumentException("[" + api + "] [click_lift_field] [" + spec.clickLiftField()
                    + "] is also the [" + read.get(spec.clickLiftField()) + "]");
        }
    }

    private static String string(String api, Map<String, Object> body, String key, boolean required) {
        Object value = body.get(key);
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException("[" + api + "] requires [" + key + "]");
            }
            return null;
        }
        if (value instanceof String s && s.isBlank() == false) {
            return s;
        }
        throw new IllegalArgumentException("[" + api + "] [" + key + "] must be a non-empty string");
    }

    public int intOption(String key, int defaultValue, int min, int max) {
        Object value = options.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Integer || value instanceof Long) {
            long v = ((Number) value).longValue();
            if (v >= min && v <= max) {
                return (int) v;
            }
        }
        throw new IllegalArgumentException(
                "[" + key + "] must be an integer between " + min + " and " + max + " but was [" + value + "]");
    }

    public double doubleOption(String key, double defaultValue, double min, double max) {
        Object value = options.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number n
                && Double.isFinite(n.doubleValue())
                && n.doubleValue() >= min
                && n.doubleValue() <= max) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(
                "[" + key + "] must be a number between " + min + " and " + max + " but was [" + value + "]");
    }

    public boolean booleanOption(String key, boolean defaultValue) {
        Object value = options.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("[" + key + "] must be true or false but was [" + value + "]");
    }
}
