package org.semanticranking.personalization.model;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;
import org.semanticranking.personalization.FeatureSpec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained personalization model: the features it reads ({@link FeatureSpec}), the logistic regression
 * over them, how many recent events make the session vector, and the statistics of its training. Stored as a
 * document of the models index (so every node reads the same model, and it survives restarts); travels to the
 * shards inside the rescorer.
 */
public final class PersonalizationModel implements Writeable, ToXContentObject {

    /** How many of the shopper's latest events make the session vector, unless a request or a model says otherwise. */
    public static final int DEFAULT_SESSION_SIZE = 10;

    private final String modelId;
    private final long version;
    private final FeatureSpec spec;
    private final int sessionSize;
    private final LogisticRegression.Fit fit;
    private final Map<String, Object> trainingStats;

    public PersonalizationModel(
            String modelId,
            long version,
            FeatureSpec spec,
            int sessionSize,
            LogisticRegression.Fit fit,
            Map<String, Object> trainingStats) {
        if (fit.weights().length != spec.featureNames().size()) {
            throw new IllegalArgumentException("model [" + modelId + "] has [" + fit.weights().length
                    + "] weights for [" + spec.featureNames().size() + "] features");
        }
        this.modelId = modelId;
        this.version = version;
        this.spec = spec;
        this.sessionSize = sessionSize;
        this.fit = fit;
        this.trainingStats = trainingStats;
    }

    public PersonalizationModel(StreamInput in) throws IOException {
        this.modelId = in.readString();
        this.version = in.readVLong();
        this.spec = new FeatureSpec(in);
        this.sessionSize = in.readVInt();
        this.fit = new LogisticRegression.Fit(
                in.readDoubleArray(), in.readDoubleArray(), in.readDoubleArray(), in.readDouble(), in.readVInt());
        this.trainingStats = in.readGenericMap();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(modelId);
        out.writeVLong(version);
        spec.writeTo(out);
        out.writeVInt(sessionSize);
        out.writeDoubleArray(fit.means());
        out.writeDoubleArray(fit.stds());
        out.writeDoubleArray(fit.weights());
        out.writeDouble(fit.bias());
        out.writeVInt(fit.iterations());
        out.writeGenericMap(trainingStats);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("model_id", modelId);
        builder.field("version", version);
        builder.field("vector_field", spec.vectorField());
        builder.field("affinity_fields", spec.affinityFields());
        if (spec.priceField() != null) {
            builder.field("price_field", spec.priceField());
        }
        if (spec.popularityField() != null) {
            builder.field("popularity_field", spec.popularityField());
        }
        if (spec.clickLiftField() != null) {
            builder.field("click_lift_field", spec.clickLiftField());
            // what the products' views per slot expect: the rates over all shoppers when the model was trained
            builder.field("slot_rates", spec.slotRates());
        }
        builder.field("session_size", sessionSize);
        builder.startArray("features");
        List<String> names = spec.featureNames();
        for (int i = 0; i < names.size(); i++) {
            builder.startObject()
                    .field("name", names.get(i))
                    .field("weight", fit.weights()[i])
                    .field("mean", fit.means()[i])
                    .field("std", fit.stds()[i])
                    .endObject();
        }
        builder.endArray();
        builder.field("bias", fit.bias());
        builder.field("iterations", fit.iterations());
        builder.field("training", trainingStats);
        return builder.endObject();
    }

    /** Reads a model back from its document in the models index. */
    @SuppressWarnings("unchecked")
    public static PersonalizationModel fromMap(Map<String, Object> source) {
        List<Map<String, Object>> features = (List<Map<String, Object>>) source.get("features");
        int d = features.size();
        double[] weights = new double[d], means = new double[d], stds = new double[d];
        for (int i = 0; i < d; i++) {
            weights[i] = ((Number) features.get(i).get("weight")).doubleValue();
            means[i] = ((Number) features.get(i).get("mean")).doubleValue();
            stds[i] = ((Number) features.get(i).get("std")).doubleValue();
        }
        List<String> stored = new ArrayList<>();
        features.forEach(f -> stored.add((String) f.get("name")));
        // a model trained before price_lift existed (or without it) lists no price_lift
        FeatureSpec spec = new FeatureSpec(
                (String) source.get("vector_field"),
                (List<String>) source.get("affinity_fields"),
                (String) source.get("price_field"),
                (String) source.get("popularity_field"),
                (String) source.get("click_lift_field"),
                stored.contains(FeatureSpec.PRICE_LIFT),
                // a model trained before the products held views per slot has none: its click lift reads 0
                ((List<Number>) source.getOrDefault("slot_rates", List.of()))
                        .stream().map(Number::doubleValue).toList());
        if (stored.equals(spec.featureNames()) == false) {
            throw new IllegalStateException("model [" + source.get("model_id") + "] lists features " + stored
                    + " but its fields give " + spec.featureNames());
        }
        return new PersonalizationModel(
                (String) source.get("model_id"),
                ((Number) source.get("version")).longValue(),
                spec,
                ((Number) source.get("session_size")).intValue(),
                new LogisticRegression.Fit(
                        means,
                        stds,
                        weights,
                        ((Number) source.get("bias")).doubleValue(),
                        ((Number) source.get("iterations")).intValue()),
                new LinkedHashMap<>((Map<String, Object>) source.getOrDefault("training", Map.of())));
    }

    public String modelId() {
        return modelId;
    }

    public long version() {
        return version;
    }

    public FeatureSpec spec() {
        return spec;
    }

    public int sessionSize() {
        return sessionSize;
    }

    public LogisticRegression.Fit fit() {
        return fit;
    }

    public Map<String, Object> trainingStats() {
        return trainingStats;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (o instanceof PersonalizationModel == false) return false;
        PersonalizationModel other = (PersonalizationModel) o;
        return modelId.equals(other.modelId)
                && version == other.version
                && spec.equals(other.spec)
                && sessionSize == other.sessionSize
                && Arrays.equals(fit.means(), other.fit.means())
                && Arrays.equals(fit.stds(), other.fit.stds())
                && Arrays.equals(fit.weights(), other.fit.weights())
                && fit.bias() == other.fit.bias()
                && trainingStats.equals(other.trainingStats);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelId, version, spec, sessionSize, Arrays.hashCode(fit.weights()), fit.bias());
    }
}
