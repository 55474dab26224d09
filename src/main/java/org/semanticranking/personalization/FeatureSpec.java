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
 */
public record FeatureSpec(String vectorField, List<String> affinityFields, String priceField, String popularityField) implements Writeable {

    public static final String USER_VECTOR = "user_vector_cosine";
    public static final String SESSION_VECTOR = "session_vector_cosine";
    public static final String AFFINITY_PREFIX = "affinity.";
    public static final String PRICE_FIT = "price_fit";
    public static final String POPULARITY = "popularity";

    public FeatureSpec {
        affinityFields = List.copyOf(affinityFields);
    }

    public FeatureSpec(StreamInput in) throws IOException {
        this(in.readString(), in.readStringCollectionAsList(), in.readOptionalString(), in.readOptionalString());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(vectorField);
        out.writeStringCollection(affinityFields);
        out.writeOptionalString(priceField);
        out.writeOptionalString(popularityField);
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
        if (popularityField != null) {
            names.add(POPULARITY);
        }
        return names;
    }

    /** Every product field a feature reads (for source filtering). */
    public List<String> productFields() {
        List<String> fields = new ArrayList<>();
        fields.add(vectorField);
        fields.addAll(affinityFields);
        if (priceField != null) {
            fields.add(priceField);
        }
        if (popularityField != null) {
            fields.add(popularityField);
        }
        return fields;
    }
}
