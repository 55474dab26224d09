package org.semanticranking.scoring;

import java.util.Locale;

/** How two ranked lists are fused: by a weighted sum of normalised scores, or by reciprocal rank. */
public enum Combination {
    /** the sum of weight x normalised score */
    LINEAR,
    /** the sum of weight / (rank constant + rank) */
    RRF;

    /** One hit's share from one list: its normalised score, or its 1-based rank, weighted. */
    public float part(float weight, float normalized, int rank, int rankConstant) {
        return this == RRF ? weight / (rankConstant + rank) : weight * normalized;
    }

    public static Combination parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "linear" -> LINEAR;
            case "rrf" -> RRF;
            default ->
                throw new IllegalArgumentException(
                        "unknown [combination] [" + value + "], expected one of [linear, rrf]");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
