package org.semanticranking.personalization;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.semanticranking.personalization.events.PositionClickRates;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which product fields the personalization features read: the vector field, the keyword fields of the
 * affinities, the price field and an optional numeric popularity field. A trained model carries its spec,
 * so the rescorer computes exactly the features the model was trained on.
 *
 * <p>With a price field there are two price features: {@code price_fit} (the Gaussian of the user's clicked
 * prices) and, unless {@code priceLift} is off, {@code price_lift} (their clicks against expected clicks at the
 * product's price, {@link PriceTaste}). Models stored before {@code price_lift} existed read back without it.
 *
 * <p>With a {@code clickLiftField}, {@code click_lift} compares the product's clicks over all shoppers with the clicks
 * expected from the slots it was shown in: popularity without the pull of the top slots. {@link ProductStatsWriter}
 * writes the product's own counts into that object field, its clicks and its views per slot ({@value #SLOTS} slots and
 * the ones below them together), which change only when the product's own events do; the expected clicks are computed
 * where they are read, from the views and the slots' click rates over all shoppers ({@code slotRates}, estimated when
 * the model is trained and kept with it). Stored expected clicks would move with every impression of any product, and
 * every build would rewrite every product ever shown.
 *
 * @param slotRates the click rate of each of the {@value #SLOTS} slots and of the ones below (the last), over all
 *                  shoppers; empty when not known (then there are no expected clicks)
 */
public record FeatureSpec(
        String vectorField,
        List<String> affinityFields,
        String priceField,
        String popularityField,
        String clickLiftField,
        boolean priceLift,
        List<Double> slotRates)
        implements Writeable {

    public static final String USER_VECTOR = "user_vector_cosine";
    public static final String SESSION_VECTOR = "session_vector_cosine";
    public static final String AFFINITY_PREFIX = "affinity.";
    public static final String PRICE_FIT = "price_fit";
    public static final String PRICE_LIFT = "price_lift";
    public static final String POPULARITY = "popularity";
    public static final String CLICK_LIFT = "click_lift";
    /** The sub-fields of the {@code click_lift_field} object ({@code expected}: as builds before stop 22 wrote it). */
    public static final String CLICKS = "clicks", VIEWS = "views_", DEEPER = "views_deeper", EXPECTED = "expected";
    /** Slots counted one by one; the views below them are counted together. */
    public static final int SLOTS = 10;

    public FeatureSpec {
        affinityFields = List.copyOf(affinityFields);
        priceLift = priceLift && priceField != null;
        slotRates = List.copyOf(slotRates);
        if (slotRates.isEmpty() == false && slotRates.size() != SLOTS + 1) {
            throw new IllegalArgumentException("[slot_rates] holds the rates of " + SLOTS + " slots and of the ones "
                    + "below them (" + (SLOTS + 1) + " numbers) but has " + slotRates.size());
        }
    }

    public FeatureSpec(
            String vectorField,
            List<String> affinityFields,
            String priceField,
            String popularityField,
            String clickLiftField,
            boolean priceLift) {
        this(vectorField, affinityFields, priceField, popularityField, clickLiftField, priceLift, List.of());
    }

    /** Every feature its fields allow, {@code price_lift} included. */
    public FeatureSpec(
            String vectorField,
            List<String> affinityFields,
            String priceField,
            String popularityField,
            String clickLiftField) {
        this(vectorField, affinityFields, priceField, popularityField, clickLiftField, true);
    }

    /** Every feature its fields allow, without click statistics. */
    public FeatureSpec(String vectorField, List<String> affinityFields, String priceField, String popularityField) {
        this(vectorField, affinityFields, priceField, popularityField, null);
    }

    public FeatureSpec(StreamInput in) throws IOException {
        this(
                in.readString(),
                in.readStringCollectionAsList(),
                in.readOptionalString(),
                in.readOptionalString(),
                in.readOptionalString(),
                in.readBoolean(),
                in.readCollectionAsList(StreamInput::readDouble));
    }

    public FeatureSpec withoutPriceLift() {
        return new FeatureSpec(
                vectorField, affinityFields, priceField, popularityField, clickLiftField, false, slotRates);
    }

    /** This spec with the slots' click rates over all shoppers, which the expected clicks are computed from. */
    public FeatureSpec withSlotRates(PositionClickRates rates) {
        List<Double> bySlot = new ArrayList<>();
        for (int s = 0; s < SLOTS; s++) {
            bySlot.add(rates.expectedClicks(s));
        }
        bySlot.add(rates.expectedClicksBelow(SLOTS));
        return new FeatureSpec(
                vectorField, affinityFields, priceField, popularityField, clickLiftField, priceLift, bySlot);
    }

    /** The rate a view in this slot expects ({@code null} or unknown rates: {@code NaN}). */
    public double slotRate(Integer position) {
        if (position == null || slotRates.isEmpty()) {
            return Double.NaN;
        }
        return slotRates.get(Math.min(Math.max(position, 0), SLOTS));
    }

    /**
     * The clicks a product's views expect: {@code views[s]} views in slot s ({@value #SLOTS} slots, then those below),
     * each at that slot's rate; {@code NaN} without rates or without any view counted.
     */
    public double expectedClicks(double[] views) {
        if (slotRates.isEmpty()) {
            return Double.NaN;
        }
        double expected = 0;
        boolean any = false;
        for (int s = 0; s <= SLOTS; s++) {
            if (Double.isFinite(views[s])) {
                expected += views[s] * slotRates.get(s);
                any = true;
            }
        }
        return any ? expected : Double.NaN;
    }

    /** The numeric fields of the product's views per slot (the last: the slots below), or an empty list. */
    public List<String> viewsFields() {
        if (clickLiftField == null) {
            return List.of();
        }
        List<String> fields = new ArrayList<>();
        for (int s = 0; s < SLOTS; s++) {
            fields.add(clickLiftField + "." + VIEWS + s);
        }
        fields.add(clickLiftField + "." + DEEPER);
        return fields;
    }

    /** The object a build writes into the {@code click_lift_field}: the clicks and the views of each slot. */
    public static java.util.Map<String, Object> clickStats(long clicks, long[] viewsBySlot) {
        java.util.Map<String, Object> stats = new java.util.LinkedHashMap<>();
        stats.put(CLICKS, clicks);
        for (int s = 0; s < SLOTS; s++) {
            stats.put(VIEWS + s, viewsBySlot[s]);
        }
        stats.put(DEEPER, viewsBySlot[SLOTS]);
        return stats;
    }

    /** The numeric field holding the product's clicks in result lists, or {@code null}. */
    public String clicksField() {
        return clickLiftField == null ? null : clickLiftField + "." + CLICKS;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(vectorField);
        out.writeStringCollection(affinityFields);
        out.writeOptionalString(priceField);
        out.writeOptionalString(popularityField);
        out.writeOptionalString(clickLiftField);
        out.writeBoolean(priceLift);
        out.writeCollection(slotRates, StreamOutput::writeDouble);
    }

    /** The feature names, in the order of {@link FeatureExtractor#extract}. */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        names.add(USER_VECTOR);
        names.add(SESSION_VECTOR);
        affinityFields.forEach(f -> names.add(AFFINITY_PREFIX + f));
        if (priceField != null) {
            names.add(PRICE_FIT);
        }
        if (priceLift) {
            names.add(PRICE_LIFT);
        }
        if (popularityField != null) {
            names.add(POPULARITY);
        }
        if (clickLiftField != null) {
            names.add(CLICK_LIFT);
        }
        return names;
    }

    /** Every product field a feature reads (for source filtering). */
    public List<String> productFields() {
        List<String> fields = new ArrayList<>();
        if (vectorField != null) {
            fields.add(vectorField);
        }
        fields.addAll(affinityFields);
        if (priceField != null) {
            fields.add(priceField);
        }
        if (popularityField != null) {
            fields.add(popularityField);
        }
        if (clickLiftField != null) {
            fields.add(clicksField());
            fields.addAll(viewsFields());
        }
        return fields;
    }
}
