package org.semanticranking.personalization.model;

import org.elasticsearch.test.ESTestCase;
import org.semanticranking.personalization.FeatureSpec;
import org.semanticranking.personalization.ProductSignals;
import org.semanticranking.personalization.Vectors;
import org.semanticranking.personalization.profile.PriceTaste;
import org.semanticranking.personalization.profile.UserProfile;

import java.util.List;
import java.util.Map;

public class FeatureExtractorTests extends ESTestCase {

    static final FeatureSpec SPEC = new FeatureSpec("v", List.of("brand", "type"), "price", "pop");

    public void testNamesFollowTheSpec() {
        assertEquals(
                List.of(
                        "user_vector_cosine",
                        "session_vector_cosine",
                        "affinity.brand",
                        "affinity.type",
                        "price_fit",
                        "price_lift",
                        "popularity"),
                SPEC.featureNames());
        assertEquals(
                List.of(
                        "user_vector_cosine",
                        "session_vector_cosine",
                        "affinity.brand",
                        "affinity.type",
                        "price_fit",
                        "popularity"),
                SPEC.withoutPriceLift().featureNames());
        // price_lift needs a price field
        assertEquals(
                List.of("user_vector_cosine", "session_vector_cosine"),
                new FeatureSpec("v", List.of(), null, null, null, true).featureNames());
        assertEquals(
                List.of("user_vector_cosine", "session_vector_cosine"),
                new FeatureSpec("v", List.of(), null, null).featureNames());
        FeatureSpec clicks = new FeatureSpec("v", List.of(), null, "pop", "ctr");
        assertEquals(
                List.of("user_vector_cosine", "session_vector_cosine", "popularity", "click_lift"),
                clicks.featureNames());
        List<String> fields = new java.util.ArrayList<>(List.of("v", "pop", "ctr.clicks"));
        for (int slot = 0; slot < FeatureSpec.SLOTS; slot++) {
            fields.add("ctr.views_" + slot);
        }
        fields.add("ctr.views_deeper");
        assertEquals(fields, clicks.productFields());
    }

    public void testClickLiftComparesClicksWithWhatTheSlotsGet() {
        FeatureExtractor extractor = new FeatureExtractor(new FeatureSpec("v", List.of(), null, null, "ctr"));
        // 7 clicks where its slots would have got 3: log(8 / 4)
        ProductSignals chosen = new ProductSignals(null, Map.of(), Double.NaN, Double.NaN, 7, 3);
        assertEquals(Math.log(2), extractor.extract(null, null, chosen)[2], 1e-12);
        // shown in the top slots (6 clicks expected) and passed over
        ProductSignals passedOver = new ProductSignals(null, Map.of(), Double.NaN, Double.NaN, 0, 6);
        assertEquals(Math.log(1 / 7.0), extractor.extract(null, null, passedOver)[2], 1e-12);
        // never shown, or not counted yet: no evidence either way
        assertEquals(
                0.0,
                extractor.extract(null, null, new ProductSignals(null, Map.of(), Double.NaN, Double.NaN, 0, 0))[2],
                0);
        assertEquals(
                0.0, extractor.extract(null, null, new ProductSignals(null, Map.of(), Double.NaN, Double.NaN))[2], 0);
        // the raw click count puts a top-slot product with many clicks ahead; the lift does not
        assertTrue(FeatureExtractor.clickLift(20, 30) < FeatureExtractor.clickLift(4, 1));
    }

    public void testComputesEachFeature() {
        UserProfile profile = new UserProfile(
                "u",
                new float[] {1, 0},
                1,
                3,
                Map.of("brand", Map.of("sony", 0.75, "bose", 0.25)),
                new UserProfile.PriceStats(Math.log(100), 0.5),
                // clicked twice as often as expected at the product's price, never at a price 20 times dearer
                new PriceTaste(
                        new int[] {
                            PriceTaste.bin(Math.log(100 * Math.exp(0.5))),
                            PriceTaste.bin(Math.log(2000 * Math.exp(0.5)))
                        },
                        new double[] {2, 0},
                        new double[] {1, 1}),
                0);
        ProductSignals product =
                new ProductSignals(new float[] {1, 1}, Map.of("brand", List.of("sony")), 100 * Math.exp(0.5), 9);
        double[] x = new FeatureExtractor(SPEC).extract(profile, new float[] {0, 1}, product);
        assertEquals(7, x.length);
        assertEquals(1 / Math.sqrt(2), x[0], 1e-6);
        assertEquals(1 / Math.sqrt(2), x[1], 1e-6);
        assertEquals(0.75, x[2], 1e-9);
        assertEquals(0.0, x[3], 1e-9); // no type value
        assertEquals(Math.exp(-0.5), x[4], 1e-9); // one standard deviation away
        assertEquals(profile.priceTaste().logLift(product.price()), x[5], 1e-12);
        assertTrue("clicks above expectation at this price: " + x[5], x[5] > 0.2);
        assertEquals(Math.log(10), x[6], 1e-9);
    }

    public void testUnknownUserGetsZerosButPopularity() {
        ProductSignals product = new ProductSignals(new float[] {1, 1}, Map.of("brand", List.of("sony")), 10, 0);
        assertArrayEquals(new double[7], new FeatureExtractor(SPEC).extract(null, null, product), 0);
    }

    public void testNarrowPriceRangesAreWidenedToTheMinimumSpread() {
        UserProfile.PriceStats exact = new UserProfile.PriceStats(Math.log(50), 0);
        assertEquals(1.0, FeatureExtractor.priceFit(exact, 50), 1e-12);
        assertEquals(
                Math.exp(-0.5),
                FeatureExtractor.priceFit(exact, 50 * Math.exp(FeatureExtractor.MIN_LOG_PRICE_STD)),
                1e-9);
        assertEquals(0.0, FeatureExtractor.priceFit(exact, Double.NaN), 0);
    }

    public void testTheSessionVectorIsTheDirectionOfTheMean() {
        float[] v = Vectors.meanDirection(
                java.util.Arrays.asList(new float[] {1, 0}, null, new float[] {0, 3}, new float[] {1, 1, 1}));
        // (1,0) + (0,3), the three-dim vector and the null skipped
        assertEquals(1 / Math.sqrt(10), v[0], 1e-6);
        assertEquals(3 / Math.sqrt(10), v[1], 1e-6);
        assertEquals(null, Vectors.meanDirection(List.of()));
    }
}
