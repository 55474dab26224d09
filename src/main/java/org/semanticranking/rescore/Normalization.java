package org.semanticranking.rescore;

import java.util.Arrays;
import java.util.Locale;

/** How each part's values are made comparable within the rescore window before they are weighted. */
public enum Normalization {
    /** (x - min) / (max - min); every value 0 when all are equal (a part that tells hits apart in nothing adds nothing). */
    MIN_MAX {
        @Override
        public double[] apply(double[] values) {
            double min = Arrays.stream(values).min().orElse(0), max = Arrays.stream(values).max().orElse(0);
            double[] out = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = max > min ? (values[i] - min) / (max - min) : 0;
            }
            return out;
        }
    },
    /** (x - mean) / standard deviation; 0 when all are equal. */
    Z_SCORE {
        @Override
        public double[] apply(double[] values) {
            double mean = Arrays.stream(values).average().orElse(0);
            double var = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElse(0);
            double std = Math.sqrt(var);
            double[] out = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = std > 0 ? (values[i] - mean) / std : 0;
            }
            return out;
        }
    },
    /** The raw values. */
    NONE {
        @Override
        public double[] apply(double[] values) {
            return values.clone();
        }
    };

    public abstract double[] apply(double[] values);

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Normalization parse(String value) {
        for (Normalization n : values()) {
            if (n.value().equals(value)) {
                return n;
            }
        }
        throw new IllegalArgumentException("[normalization] of [personalized_blend] must be one of [min_max, z_score, none] but was [" + value + "]");
    }
}
