package org.semanticranking.personalization;

import org.apache.lucene.util.VectorUtil;

/** Small vector helpers shared by profiles, features and the rescorer. */
public final class Vectors {

    private Vectors() {}

    /** The unit vector of the same direction, or {@code null} for a zero vector. */
    public static float[] unit(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            return null;
        }
        norm = Math.sqrt(norm);
        float[] unit = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            unit[i] = (float) (v[i] / norm);
        }
        return unit;
    }

    /**
     * The session vector: the direction of the mean of the latest products' vectors (those of another length than
     * the first are skipped), or {@code null} when there are none. Training and the rescorer both use this, so the
     * model sees at training time the feature it gets at query time.
     */
    public static float[] meanDirection(Iterable<float[]> vectors) {
        double[] sum = null;
        for (float[] v : vectors) {
            if (v == null || v.length == 0) {
                continue;
            }
            if (sum == null) {
                sum = new double[v.length];
            }
            if (v.length == sum.length) {
                for (int i = 0; i < v.length; i++) {
                    sum[i] += v[i];
                }
            }
        }
        return sum == null ? null : unit(sum);
    }

    /** Cosine similarity; 0 when either is missing, zero, or their lengths differ. */
    public static double cosine(float[] a, float[] b) {
        if (a == null || b == null || a.length != b.length) {
            return 0;
        }
        double cosine = VectorUtil.cosine(a, b); // Lucene's SIMD implementation
        return Double.isFinite(cosine) ? cosine : 0;
    }
}
