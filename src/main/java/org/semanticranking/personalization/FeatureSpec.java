package org.semanticranking.personalization;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;

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
 * expected from the slots it was shown in ({@link ProductStatsWriter} writes both into that object field): popularity
 * without the pull of the top slots.
 */
public record FeatureSpec(
        String vectorField,
        List<String> affinityFields,
        String priceField,
        String popularityField,
        String clickLiftField,
        boolean priceLift)
        implements Writeable {

    public static final String USER_VECTOR = "user_vector_cosine";
    public static final String SESSION_VECTOR = "session_vector_cosine";
    public static final String AFFINITY_PREFIX = "affinity.";
    public static final String PRICE_FIT = "price_fit";
    public static final String PRICE_LIFT = "price_lift";
    public static final String POPULARITY = "popularity";
    public static final String CLICK_LIFT = "click_lift";
    /** The sub-fields of the {@code click_lift_field} object. */
    public static final String CLICKS = "clicks", EXPECTED = "expected";

    public FeatureSpec {
        affinityFields = List.copyOf(affinityFields);
        priceLift = priceLift && priceField != null;
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
                in.readBoolean());
    }

    public FeatureSpec withoutPriceLift() {
        return new FeatureSpec(vectorField, affinityFields, priceField, popularityField, clickLiftField, false);
    }

    /** The numeric field holding the product's clicks in result lists, or {@code null}. */
    public String clicksField() {
        return clickLiftField == null ? null : clickLiftField + "." + CLICKS;
    }

    /** The numeric field holding the clicks expected from the slots the product was shown in, or {@code null}. */
    public String expectedClicksField() {
        return clickLiftField == null ? null : clickLiftField + "." + EXPECTED;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(vectorField);
        out.writeStringCollection(affinityFields);
        out.writeOptionalString(priceField);
        out.writeOptionalString(popularityField);
        out.writeOptionalString(clickLiftField);
        out.writeBoolean(priceLift);
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
            fields.add(expectedClicksField());
        }
        return fields;
    }
}
