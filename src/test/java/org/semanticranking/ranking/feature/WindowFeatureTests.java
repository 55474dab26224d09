package org.semanticranking.ranking.feature;

import org.elasticsearch.test.ESTestCase;

import static org.hamcrest.Matchers.closeTo;

/** The measures of a window feature, by hand-computed cases. */
public class WindowFeatureTests extends ESTestCase {

    private static double[] apply(WindowFeature.Measure measure, double... values) {
        double[] copy = values.clone();
        measure.apply(copy);
        return copy;
    }

    public void testPercentileIsTheShareOfOtherHitsBelowWithTiesHalf() {
        // 10, 30, 30, 20, 50: below 10 none (0/4); 20 one (1/4); each 30 two and half a tie (2.5/4); 50 all (4/4)
        double[] p = apply(WindowFeature.Measure.PERCENTILE, 10, 30, 30, 20, 50);
        assertArrayEquals(new double[] {0, 0.625, 0.625, 0.25, 1}, p, 1e-12);
    }

    public void testPercentileOfOneHitOrOfEqualHitsIsTheMiddle() {
        assertArrayEquals(new double[] {0.5}, apply(WindowFeature.Measure.PERCENTILE, 7), 0);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, apply(WindowFeature.Measure.PERCENTILE, 3, 3, 3), 0);
        assertEquals(0, apply(WindowFeature.Measure.PERCENTILE).length);
    }

    public void testPercentileDoesNotDependOnTheScale() {
        double[] values = new double[randomIntBetween(2, 50)];
        for (int i = 0; i < values.length; i++) {
            values[i] = randomDoubleBetween(-100, 100, true);
        }
        double[] scaled = new double[values.length];
        double a = randomDoubleBetween(0.01, 100, true), b = randomDoubleBetween(-10, 10, true);
        for (int i = 0; i < values.length; i++) {
            scaled[i] = a * values[i] + b;
        }
        assertArrayEquals(
                apply(WindowFeature.Measure.PERCENTILE, values),
                apply(WindowFeature.Measure.PERCENTILE, scaled),
                1e-12);
    }

    public void testZscoreIsTheDistanceFromTheMeanInStandardDeviations() {
        // mean 5, population standard deviation 2
        double[] z = apply(WindowFeature.Measure.ZSCORE, 2, 4, 4, 4, 5, 5, 7, 9);
        assertThat(z[0], closeTo(-1.5, 1e-12));
        assertThat(z[1], closeTo(-0.5, 1e-12));
        assertThat(z[4], closeTo(0, 1e-12));
        assertThat(z[7], closeTo(2, 1e-12));
        assertArrayEquals(new double[] {0, 0}, apply(WindowFeature.Measure.ZSCORE, 5, 5), 0);
    }
}
