package org.semanticranking.personalization;

import java.util.List;
import java.util.Map;

/**
 * What personalization knows of one product: its vector, the values of its affinity fields
 * (brand, product type, ...), its price, its popularity and its clicks against the clicks expected where it was
 * shown. Read from the source at build and training time and from doc values and vectors on the shards at rescore
 * time, so both sides compute the same features.
 *
 * @param vector         the product vector, or {@code null} when the product has none
 * @param values         affinity field to the product's values for it (absent when it has none)
 * @param price          the price, or {@code NaN}
 * @param popularity     the popularity value, or {@code NaN}
 * @param clicks         its clicks in result lists over all shoppers (see {@link ProductStatsWriter}), or {@code NaN}
 * @param expectedClicks the clicks its slots in those lists would get on average, or {@code NaN}
 */
public record ProductSignals(
        float[] vector,
        Map<String, List<String>> values,
        double price,
        double popularity,
        double clicks,
        double expectedClicks) {

    /** A product without click statistics (no {@code click_lift_field}). */
    public ProductSignals(float[] vector, Map<String, List<String>> values, double price, double popularity) {
        this(vector, values, price, popularity, Double.NaN, Double.NaN);
    }

    public List<String> values(String field) {
        return values.getOrDefault(field, List.of());
    }
}
