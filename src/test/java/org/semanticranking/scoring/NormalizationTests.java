package org.semanticranking.scoring;

import org.elasticsearch.test.ESTestCase;

import static org.hamcrest.Matchers.equalTo;

public class NormalizationTests extends ESTestCase {

    public void testMinMaxMapsTheRangeToZeroOne() {
        assertArrayEquals(new double[] {1, 0.5, 0}, Normalization.MIN_MAX.apply(new double[] {10, 5, 0}), 1e-12);
        assertArrayEquals(new double[] {0, 1}, Normalization.MIN_MAX.apply(new double[] {-3, -1}), 1e-12);
    }

    /** The one rule for a list without spread: against 0. */
    public void testAListWithoutSpreadIsNormalisedAgainstZero() {
        assertArrayEquals(
                "one score above 0: the best of its list",
                new double[] {1},
                Normalization.MIN_MAX.apply(new double[] {3}),
                0);
        assertArrayEquals(
                "all equal and above 0",
                new double[] {1, 1, 1},
                Normalization.MIN_MAX.apply(new double[] {2, 2, 2}),
                0);
        assertArrayEquals(
                "all 0: nothing to add", new double[] {0, 0}, Normalization.MIN_MAX.apply(new double[] {0, 0}), 0);
        assertArrayEquals(
                "all equal and below 0", new double[] {0, 0}, Normalization.MIN_MAX.apply(new double[] {-1, -1}), 0);
        assertArrayEquals(new double[] {0, 0, 0}, Normalization.Z_SCORE.apply(new double[] {2, 2, 2}), 0);
    }

    public void testZScoreAndNone() {
        double[] z = Normalization.Z_SCORE.apply(new double[] {1, 2, 3});
        assertEquals(-Math.sqrt(1.5), z[0], 1e-12);
        assertEquals(0, z[1], 1e-12);
        assertArrayEquals(new double[] {1, 2, 3}, Normalization.NONE.apply(new double[] {1, 2, 3}), 0);
        assertArrayEquals(new double[0], Normalization.MIN_MAX.apply(new double[0]), 0);
        assertArrayEquals(new float[] {1f, 0f}, Normalization.MIN_MAX.apply(new float[] {7f, 3f}), 0f);
    }

    public void testParsedByNameInAnyCase() {
        assertThat(Normalization.parse("min_max"), equalTo(Normalization.MIN_MAX));
        assertThat(Normalization.parse("Z_SCORE"), equalTo(Normalization.Z_SCORE));
        assertThat(Normalization.NONE.value(), equalTo("none"));
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> Normalization.parse("l2"));
        assertThat(e.getMessage(), equalTo("unknown [normalization] [l2], expected one of [min_max, z_score, none]"));
    }
}
