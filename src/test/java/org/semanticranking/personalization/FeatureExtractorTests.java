package org.semanticranking.personalization;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureExtractorTests {

    static final FeatureSpec SPEC = new FeatureSpec("v", List.of("brand", "type"), "price", "pop");

    @Test
    void namesFollowTheSpec() {
        assertEquals(
            List.of("user_vector_cosine", "session_vector_cosine", "affinity.brand", "affinity.type", "price_fit", "price_lift", "popularity"),
            SPEC.featureNames()
        );
        assertEquals(
            List.of("user_vector_cosine", "session_vector_cosine", "affinity.brand", "affinity.type", "price_fit", "popularity"),
            SPEC.withoutPriceLift().featureNames()
        );
        // price_lift needs a price field
        assertEquals(List.of("user_vector_cosine", "session_vector_cosine"), new FeatureSpec("v", List.of(), null, null, true).featureNames());
        assertEquals(List.of("user_vector_cosine", "session_vector_cosine"), new FeatureSpec("v", List.of(), null, null).featureNames());
    }

    @Test
    void computesEachFeature() {
        UserProfile profile = new UserProfile(
            "u",
            new float[] { 1, 0 },
            1,
            3,
            Map.of("brand", Map.of("sony", 0.75, "bose", 0.25)),
            new UserProfile.PriceStats(Math.log(100), 0.5),
            // clicked twice as often as expected at the product's price, never at a price 20 times dearer
            new PriceTaste(
                new int[] { PriceTaste.bin(Math.log(100 * Math.exp(0.5))), PriceTaste.bin(Math.log(2000 * Math.exp(0.5))) },
                new double[] { 2, 0 },
                new double[] { 1, 1 }
            ),
            0
        );
        ProductSignals product = new ProductSignals(new float[] { 1, 1 }, Map.of("brand", List.of("sony")), 100 * Math.exp(0.5), 9);
        double[] x = new FeatureExtractor(SPEC).extract(profile, new float[] { 0, 1 }, product);
        assertEquals(7, x.length);
        assertEquals(1 / Math.sqrt(2), x[0], 1e-6);
        assertEquals(1 / Math.sqrt(2), x[1], 1e-6);
        assertEquals(0.75, x[2], 1e-9);
        assertEquals(0.0, x[3], 1e-9); // no type value
        assertEquals(Math.exp(-0.5), x[4], 1e-9); // one standard deviation away
        assertEquals(profile.priceTaste().logLift(product.price()), x[5], 1e-12);
        assertTrue(x[5] > 0.2, "clicks above expectation at this price: " + x[5]);
        assertEquals(Math.log(10), x[6], 1e-9);
    }

    @Test
    void unknownUserGetsZerosButPopularity() {
        ProductSignals product = new ProductSignals(new float[] { 1, 1 }, Map.of("brand", List.of("sony")), 10, 0);
        assertArrayEquals(new double[7], new FeatureExtractor(SPEC).extract(null, null, product), 0);
    }

    @Test
    void narrowPriceRangesAreWidenedToTheMinimumSpread() {
        UserProfile.PriceStats exact = new UserProfile.PriceStats(Math.log(50), 0);
        assertEquals(1.0, FeatureExtractor.priceFit(exact, 50), 1e-12);
        assertEquals(Math.exp(-0.5), FeatureExtractor.priceFit(exact, 50 * Math.exp(FeatureExtractor.MIN_LOG_PRICE_STD)), 1e-9);
        assertEquals(0.0, FeatureExtractor.priceFit(exact, Double.NaN), 0);
    }

    @Test
    void theSessionVectorIsTheDirectionOfTheMean() {
        float[] v = Vectors.meanDirection(java.util.Arrays.asList(new float[] { 1, 0 }, null, new float[] { 0, 3 }, new float[] { 1, 1, 1 }));
        // (1,0) + (0,3), the three-dim vector and the null skipped
        assertEquals(1 / Math.sqrt(10), v[0], 1e-6);
        assertEquals(3 / Math.sqrt(10), v[1], 1e-6);
        assertEquals(null, Vectors.meanDirection(List.of()));
    }
}
