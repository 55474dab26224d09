package org.semanticranking.encoder;

import org.elasticsearch.test.ESTestCase;

import static org.hamcrest.Matchers.equalTo;

public class PoolingTests extends ESTestCase {

    // batch of 2 rows, 3 positions, 2 dims: row 0 has 2 real tokens, row 1 has 3
    private static final float[] HIDDEN = {
        1, 2, 3, 4, 100, 100, // row 0: tokens (1,2) (3,4) then padding
        5, 6, 7, 8, 9, 10 // row 1
    };

    // float arrays without a delta compare exactly, as JUnit 5's assertArrayEquals(float[], float[]) did: JUnit 4 has
    // no such
    // overload, and Hamcrest's equalTo compares arrays element by element with Float.equals
    public void testMeanIgnoresPadding() {
        assertThat(Pooling.MEAN.pool(HIDDEN, 0, 3, 2, 2), equalTo(new float[] {2, 3}));
        assertThat(Pooling.MEAN.pool(HIDDEN, 1, 3, 2, 3), equalTo(new float[] {7, 8}));
    }

    public void testClsTakesTheFirstToken() {
        assertThat(Pooling.CLS.pool(HIDDEN, 0, 3, 2, 2), equalTo(new float[] {1, 2}));
        assertThat(Pooling.CLS.pool(HIDDEN, 1, 3, 2, 3), equalTo(new float[] {5, 6}));
    }

    public void testNormalizeGivesUnitLengthAndLeavesZeroAlone() {
        float[] v = Pooling.l2Normalize(new float[] {3, 4});
        assertArrayEquals(new float[] {0.6f, 0.8f}, v, 1e-6f);
        assertThat(Pooling.l2Normalize(new float[] {0, 0}), equalTo(new float[] {0, 0}));
    }

    public void testParseNamesTheChoices() {
        assertEquals(Pooling.CLS, Pooling.parse(" CLS "));
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> Pooling.parse("max"));
        assertEquals("unknown pooling [max], expected one of [mean, cls]", e.getMessage());
    }
}
