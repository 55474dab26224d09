package org.semanticranking.ranking.model;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code score = sum(weights[i] * (x[i] - means[i]) / stds[i])}: standardised features, each weighed once. The means
 * are those of the training candidates, so a feature's part says how far the hit is above or below the average one.
 */
public record LinearModel(double[] means, double[] stds, double[] weights) implements RankerModel {

    public static final String TYPE = "linear";

    public LinearModel {
        if (means.length != stds.length || means.length != weights.length) {
            throw new IllegalArgumentException("means, stds and weights must have one value per feature");
        }
    }

    LinearModel(StreamInput in) throws IOException {
        this(in.readDoubleArray(), in.readDoubleArray(), in.readDoubleArray());
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int featureCount() {
        return weights.length;
    }

    @Override
    public double score(float[] x) {
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            s += weights[i] * (x[i] - means[i]) / stds[i];
        }
        return s;
    }

    @Override
    public Contributions contributions(float[] x) {
        double[] parts = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            parts[i] = weights[i] * (x[i] - means[i]) / stds[i];
        }
        return new Contributions(0, parts);
    }

    @Override
    public void writeModel(StreamOutput out) throws IOException {
        out.writeDoubleArray(means);
        out.writeDoubleArray(stds);
        out.writeDoubleArray(weights);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject()
                .field("type", TYPE)
                .array("means", means)
                .array("stds", stds)
                .array("weights", weights)
                .endObject();
    }

    static LinearModel fromMap(Map<String, Object> map) {
        return new LinearModel(doubles(map.get("means")), doubles(map.get("stds")), doubles(map.get("weights")));
    }

    static double[] doubles(Object list) {
        return ((List<?>) list)
                .stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinearModel m
                && Arrays.equals(means, m.means)
                && Arrays.equals(stds, m.stds)
                && Arrays.equals(weights, m.weights);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(weights) * 31 + Arrays.hashCode(means);
    }

    @Override
    public String toString() {
        return "LinearModel" + Arrays.toString(weights);
    }
}
