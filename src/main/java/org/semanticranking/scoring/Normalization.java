package org.semanticranking.scoring;

import java.util.Locale;

/**
 * How a list of scores is made comparable with another before they are weighted and added: each side of
 * {@code semantic_hybrid} over its top list, each part of {@code personalized_blend} over its window.
 *
 * <p>One rule for a list without spread (one score, or all equal): {@code min_max} normalises it against 0, so a
 * score above 0 maps to 1 and a score of 0 or below to 0. A constant list then keeps what it says (in the hybrid, that
 * a hit is in this side's list at all, which the other side's hits are not); a part that is 0 for every hit (no
 * profile, no events) adds nothing. {@code z_score} maps it to 0.
 */
public enum Normalization {
    /** (x - min) / (max - min), in [0, 1]; a list without spread against 0 (see the class). */
    MIN_MAX,
    /** (x - mean) / standard deviation; 0 for a list without spread. */
    Z_SCORE,
    /** The scores as they are. */
    NONE;

    /** The normalised scores, in the order given. */
    public double[] apply(double[] scores) {
        double[] out = new double[scores.length];
        if (scores.length == 0) {
            return out;
        }
        switch (this) {
            case NONE -> System.arraycopy(scores, 0, out, 0, scores.length);
            case MIN_MAX -> {
                double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
                for (double s : scores) {
                    min = Math.min(min, s);
                    max = Math.max(max, s);
                }
                for (int i = 0; i < scores.length; i++) {
                    out[i] = max > min ? (scores[i] - min) / (max - min) : scores[i] > 0 ? 1 : 0;
                }
            }
            case Z_SCORE -> {
                double mean = 0;
                for (double s : scores) {
                    mean += s;
                }
                mean /= scores.length;
                double var = 0;
                for (double s : scores) {
                    var += (s - mean) * (s - mean);
                }
                double std = Math.sqrt(var / scores.length);
                for (int i = 0; i < scores.length; i++) {
                    out[i] = std > 0 ? (scores[i] - mean) / std : 0;
                }
            }
        }
        return out;
    }

    /** As {@link #apply(double[])}, for Lucene's float scores. */
    public float[] apply(float[] scores) {
        double[] in = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            in[i] = scores[i];
        }
        double[] normalised = apply(in);
        float[] out = new float[scores.length];
        for (int i = 0; i < scores.length; i++) {
            out[i] = (float) normalised[i];
        }
        return out;
    }

    /** Its name in requests and responses. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value();
    }

    /** By name, in any case; a 400 naming the value and the names there are. */
    public static Normalization parse(String value) {
        for (Normalization n : values()) {
            if (n.value().equals(value.toLowerCase(Locale.ROOT))) {
                return n;
            }
        }
        throw new IllegalArgumentException(
                "unknown [normalization] [" + value + "], expected one of [min_max, z_score, none]");
    }
}
