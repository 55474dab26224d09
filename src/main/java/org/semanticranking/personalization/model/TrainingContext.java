package org.semanticranking.personalization.model;

import org.semanticranking.personalization.ProductSignals;
import org.semanticranking.personalization.Vectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Training-only features: what made a product likely to be clicked that is not the shopper's taste. A click
 * depends on where the product was shown and on how well it matched the query as much as on taste; fitted
 * without them, the taste features absorb part of those effects (popularity, a proxy for relevance, took the
 * largest weight). Fitted with them and served without them, the model ranks by taste given position and
 * relevance, which is what the rescorer's personalization part is for: its query and vector parts already
 * carry relevance.
 *
 * <p>Dropping a standardised feature at serving time evaluates it at its training mean, so the served score is
 * the fitted logit of an average position and relevance.
 */
public final class TrainingContext {

    /** What the fit may condition on. */
    public enum Kind {
        /** The examination of the slot: {@code 1 / log2(2 + position)} (0 for an unknown position). */
        POSITION,
        /** The match with the query typed: cosine(query vector, product vector) (0 when no query is logged). */
        QUERY;

        public String featureName() {
            return "context." + name().toLowerCase(Locale.ROOT);
        }

        static Kind parse(Object value) {
            for (Kind kind : values()) {
                if (kind.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException(
                    "[condition_on] values must be [position] or [query] but was [" + value + "]");
        }
    }

    public static final TrainingContext NONE = new TrainingContext(List.of(), text -> null);

    private final List<Kind> kinds;
    private final Function<String, float[]> queryVectors;

    /** @param queryVectors the vector of a logged query text (the model of the product vectors), or {@code null} */
    public TrainingContext(List<Kind> kinds, Function<String, float[]> queryVectors) {
        this.kinds = List.copyOf(kinds);
        this.queryVectors = queryVectors;
    }

    /**
     * What a fit conditions on when the request does not say: the slot. It costs nothing (the position is in the event)
     * and helped the simulated shoppers as much as adding the query match, which costs an encode per distinct logged
     * query (benchmarks/README.md, "Personalization", stop 11).
     * Without logged positions the feature is constant and keeps weight 0.
     */
    public static final List<Kind> DEFAULT = List.of(Kind.POSITION);

    /** The {@code condition_on} option: absent ({@link #DEFAULT}), or a list of {@code position} and {@code query} ({@code []} for none). */
    public static List<Kind> parse(Object option) {
        if (option == null) {
            return DEFAULT;
        }
        if (option instanceof List<?> values) {
            List<Kind> kinds = new ArrayList<>();
            for (Object value : values) {
                Kind kind = Kind.parse(value);
                if (kinds.contains(kind) == false) {
                    kinds.add(kind);
                }
            }
            return kinds;
        }
        throw new IllegalArgumentException(
                "[condition_on] must be a list of [position] and [query] but was [" + option + "]");
    }

    public List<Kind> kinds() {
        return kinds;
    }

    public boolean isEmpty() {
        return kinds.isEmpty();
    }

    public List<String> featureNames() {
        return kinds.stream().map(Kind::featureName).toList();
    }

    /**
     * The vector of an impression's logged query when the fit conditions on the query match, else {@code null}: read
     * once per impression, not per product shown.
     */
    public float[] queryVector(String query) {
        return kinds.contains(Kind.QUERY) && query != null && query.isBlank() == false
                ? queryVectors.apply(query)
                : null;
    }

    /**
     * {@code features} followed by the context's values for a product shown at {@code position} for a query whose
     * vector is {@code queryVector} ({@link #queryVector}).
     */
    public double[] append(double[] features, Integer position, float[] queryVector, ProductSignals product) {
        if (kinds.isEmpty()) {
            return features;
        }
        double[] row = new double[features.length + kinds.size()];
        System.arraycopy(features, 0, row, 0, features.length);
        int i = features.length;
        for (Kind kind : kinds) {
            row[i++] = switch (kind) {
                case POSITION -> position == null ? 0 : 1 / (Math.log(2 + Math.max(0, position)) / Math.log(2));
                case QUERY -> Vectors.cosine(queryVector, product.vector()); // 0 without a vector
            };
        }
        return row;
    }
}
