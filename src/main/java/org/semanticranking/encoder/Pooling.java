package org.semanticranking.encoder;

import java.util.Locale;

/**
 * How a sentence vector is made from the token embeddings a model outputs. The ONNX exports we use
 * have no pooling in their graph, so this is ours to do, as each model was trained.
 */
public enum Pooling {
    /** Mean of the token vectors under the attention mask (sentence-transformers models, e5). */
    MEAN,
    /** The first ([CLS]) token's vector (bge). */
    CLS;

    public static Pooling parse(String value) {
        try {
            return Pooling.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown pooling [" + value + "], expected one of [mean, cls]");
        }
    }

    /**
     * Pools one sequence of a batch output.
     *
     * @param hidden   the batch's token embeddings, flattened as [batch][seq][dims]
     * @param row      which sequence of the batch
     * @param seqLen   padded sequence length of the batch
     * @param dims     vector dimensions
     * @param tokens   how many leading positions of this row are real tokens (the rest is padding)
     */
    public float[] pool(float[] hidden, int row, int seqLen, int dims, int tokens) {
        float[] out = new float[dims];
        int base = row * seqLen * dims;
        switch (this) {
            case CLS -> System.arraycopy(hidden, base, out, 0, dims);
            case MEAN -> {
                for (int t = 0; t < tokens; t++) {
                    int off = base + t * dims;
                    for (int d = 0; d < dims; d++) {
                        out[d] += hidden[off + d];
                    }
                }
                float inv = 1f / Math.max(1, tokens);
                for (int d = 0; d < dims; d++) {
                    out[d] *= inv;
                }
            }
        }
        return out;
    }

    /** Scales to unit length in place, so that dot product equals cosine. */
    public static float[] l2Normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum > 0) {
            float inv = (float) (1.0 / Math.sqrt(sum));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }

    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
