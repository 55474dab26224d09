package org.semanticranking.ranking.feature;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Set;

/**
 * Another feature of the list, relative to the rest of the shard's window: {@code {"window": {"feature": "price",
 * "measure": "percentile"}}}. Learning to rank's query-level normalisation: "the cheapest of these hits" or "the nearest
 * of these to what the shopper clicked" is a value no absolute feature holds, and one set of weights cannot learn it
 * from prices or cosines whose ranges differ from one query to the next.
 */
public record WindowFeature(String name, String feature, Measure measure) implements Feature {

    public static final String KIND = "window";

    public enum Measure {
        /** the share of the window's other hits with a lower value (ties count half): 0 the lowest, 1 the highest */
        PERCENTILE,
        /** the value minus the window's mean, over the window's standard deviation (0 when all are equal) */
        ZSCORE;

        public static Measure parse(String feature, String value) {
            return FeatureOptions.parse(Measure.class, feature, "measure", value);
        }

        public String value() {
            return FeatureOptions.value(this);
        }

        /** The measure of every value of a window, in place. */
        public void apply(double[] values) {
            int n = values.length;
            if (n == 0) {
                return;
            }
            double[] out = new double[n];
            switch (this) {
                case PERCENTILE -> {
                    if (n == 1) {
                        out[0] = 0.5;
                        break;
                    }
                    Integer[] order = new Integer[n];
                    for (int i = 0; i < n; i++) {
                        order[i] = i;
                    }
                    java.util.Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
                    for (int i = 0; i < n; ) {
                        int j = i;
                        while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
                            j++;
                        }
                        // a run of ties from i to j: i hits below each, j - i ties of which half count
                        double p = (i + (j - i) / 2.0) / (n - 1);
                        for (int k = i; k <= j; k++) {
                            out[order[k]] = p;
                        }
                        i = j + 1;
                    }
                }
                case ZSCORE -> {
                    double mean = 0;
                    for (double v : values) {
                        mean += v;
                    }
                    mean /= n;
                    double var = 0;
                    for (double v : values) {
                        var += (v - mean) * (v - mean);
                    }
                    double std = Math.sqrt(var / n);
                    for (int i = 0; i < n; i++) {
                        out[i] = std > 0 ? (values[i] - mean) / std : 0;
                    }
                }
            }
            System.arraycopy(out, 0, values, 0, n);
        }
    }

    WindowFeature(String name, StreamInput in) throws IOException {
        this(name, in.readString(), in.readEnum(Measure.class));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<String> placeholders() {
        return Set.of();
    }

    @Override
    public void kindToXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(KIND)
                .field("feature", feature)
                .field("measure", measure.value())
                .endObject();
    }

    @Override
    public void writeKind(StreamOutput out) throws IOException {
        out.writeString(feature);
        out.writeEnum(measure);
    }
}
