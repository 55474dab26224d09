package org.semanticranking.encoder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PoolingTests {

    // batch of 2 rows, 3 positions, 2 dims: row 0 has 2 real tokens, row 1 has 3
    private static final float[] HIDDEN = {
        1, 2, 3, 4, 100, 100, // row 0: tokens (1,2) (3,4) then padding
        5, 6, 7, 8, 9, 10     // row 1
    };

    @Test
    void meanIgnoresPadding() {
        assertArrayEquals(new float[] { 2, 3 }, Pooling.MEAN.pool(HIDDEN, 0, 3, 2, 2));
        assertArrayEquals(new float[] { 7, 8 }, Pooling.MEAN.pool(HIDDEN, 1, 3, 2, 3));
    }

    @Test
    void clsTakesTheFirstToken() {
        assertArrayEquals(new float[] { 1, 2 }, Pooling.CLS.pool(HIDDEN, 0, 3, 2, 2));
        assertArrayEquals(new float[] { 5, 6 }, Pooling.CLS.pool(HIDDEN, 1, 3, 2, 3));
    }

    @Test
    void normalizeGivesUnitLengthAndLeavesZeroAlone() {
        float[] v = Pooling.l2Normalize(new float[] { 3, 4 });
        assertArrayEquals(new float[] { 0.6f, 0.8f }, v, 1e-6f);
        assertArrayEquals(new float[] { 0, 0 }, Pooling.l2Normalize(new float[] { 0, 0 }));
    }

    @Test
    void parseNamesTheChoices() {
        assertEquals(Pooling.CLS, Pooling.parse(" CLS "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pooling.parse("max"));
        assertEquals("unknown pooling [max], expected one of [mean, cls]", e.getMessage());
    }
}
