package org.semanticranking.personalization.profile;

import org.elasticsearch.test.ESTestCase;

import java.util.List;
import java.util.Map;

public class PriceTasteTests extends ESTestCase {

    /**
     * Prices at the centre of their bins (log price 2.35 and 5.35), so the kernel weighs their own bin 1, and this far
     * apart (3 in log price, twelve bandwidths) so they do not smooth into each other.
     */
    static final double CHEAP = Math.exp(2.35), DEAR = Math.exp(5.35);

    static PriceTaste taste(double[][] shownClicked) {
        PriceTaste.Accumulator acc = new PriceTaste.Accumulator();
        for (double[] row : shownClicked) {
            acc.shown(row[0], row[1]);
            acc.clicked(row[0], row[2]);
        }
        return acc.snapshot();
    }

    public void testLiftIsClicksAgainstExpectedClicksWithOneExpectedClickOfPrior() {
        // 5 expected clicks at each price; 5 clicks on the cheap one, none on the dear one: 0.5 clicks per expected
        // click
        PriceTaste t = taste(new double[][] {{CHEAP, 5, 5}, {DEAR, 5, 0}});
        double rate = 0.5;
        assertEquals(Math.log((5 + rate) / (5 + 1) / rate), t.logLift(CHEAP), 1e-6);
        assertEquals(Math.log((0 + rate) / (5 + 1) / rate), t.logLift(DEAR), 1e-6);
        assertTrue(t.logLift(CHEAP) > 0 && t.logLift(DEAR) < 0);
    }

    public void testPricesNobodyShowedThemSayNothing() {
        PriceTaste t = taste(new double[][] {{CHEAP, 5, 5}, {DEAR, 5, 0}});
        assertEquals(0.0, t.logLift(CHEAP * Math.exp(1.5)), 1e-3); // midway: far from both
        assertEquals(0.0, t.logLift(1e9), 0);
        assertEquals(0.0, t.logLift(Double.NaN), 0);
        assertEquals(0.0, t.logLift(0), 0);
        assertEquals(0.0, t.logLift(-3), 0);
    }

    public void testWithoutClicksOrWithoutImpressionsThereIsNoTaste() {
        assertEquals(0.0, taste(new double[][] {{CHEAP, 5, 0}}).logLift(CHEAP), 0);
        PriceTaste.Accumulator clicksOnly = new PriceTaste.Accumulator();
        clicksOnly.clicked(CHEAP, 1);
        assertNull(clicksOnly.snapshot());
        assertNull(new PriceTaste.Accumulator().snapshot());
    }

    public void testTasteIsLocalToThePriceWhereTheClickedMeanIsNot() {
        // the shopper shops cheap and dear categories and clicks each as often as its slots predict, but clicks twice
        // as often as predicted at 100: the lift peaks at 100; the mean of clicked log prices would be near 100 too,
        // and it stays there when the 100s are clicked only as predicted, while the lift goes flat
        PriceTaste peaked = taste(new double[][] {{CHEAP, 4, 2}, {100, 4, 4}, {DEAR, 4, 2}});
        assertTrue("lift at the favoured price " + peaked.logLift(100), peaked.logLift(100) > 0.2);
        assertTrue(peaked.logLift(CHEAP) < 0 && peaked.logLift(DEAR) < 0);
        PriceTaste flat = taste(new double[][] {{CHEAP, 4, 2}, {100, 4, 2}, {DEAR, 4, 2}});
        assertEquals(0.0, flat.logLift(100), 1e-9);
        assertEquals(0.0, flat.logLift(CHEAP), 1e-9);
    }

    public void testNeighbouringPricesShareEvidence() {
        PriceTaste t = taste(new double[][] {{100, 2, 2}, {1000, 2, 0}});
        // 10% dearer than a clicked price: almost the same lift; 3 bandwidths away: little of it
        assertEquals(t.logLift(100), t.logLift(110), 0.1);
        assertTrue(t.logLift(100 * Math.exp(0.75)) < t.logLift(100) / 2);
    }

    public void testReadsBackWhatItWritesAndRefusesBadInput() {
        PriceTaste t = taste(new double[][] {{CHEAP, 1.5, 1}, {DEAR, 0.25, 0}});
        Map<String, Object> map = Map.of(
                "bin_width", 0.1,
                "bins", List.of(PriceTaste.bin(Math.log(CHEAP)), PriceTaste.bin(Math.log(DEAR))),
                "clicks", List.of(1.0, 0.0),
                "expected", List.of(1.5, 0.25));
        assertEquals(t, PriceTaste.fromMap(map));
        assertEquals(t.hashCode(), PriceTaste.fromMap(map).hashCode());
        // with where in its lists the shopper clicks, as a build writes it
        PriceTaste positioned = new PriceTaste(new int[] {3}, new double[] {1}, new double[] {2}, -1.5, 2);
        assertEquals(-0.5, positioned.listPosition(), 1e-12);
        Map<String, Object> written = org.elasticsearch.common.xcontent.XContentHelper.convertToMap(
                org.elasticsearch.xcontent.XContentType.JSON.xContent(),
                org.elasticsearch.common.Strings.toString(positioned),
                false);
        assertEquals(positioned, PriceTaste.fromMap(written));
        assertNotEquals(t, positioned);
        assertEquals(
                "[price_taste.list_position] needs finite [clicks] >= 0 and a [sum] between -clicks and clicks",
                expectThrows(
                                IllegalArgumentException.class,
                                () -> PriceTaste.fromMap(Map.of(
                                        "bins",
                                        List.of(),
                                        "clicks",
                                        List.of(),
                                        "expected",
                                        List.of(),
                                        "list_position",
                                        Map.of("sum", 3, "clicks", 1))))
                        .getMessage());
        assertEquals(
                "unknown field [price_taste.list_position.mean] in a user profile",
                expectThrows(
                                IllegalArgumentException.class,
                                () -> PriceTaste.fromMap(Map.of(
                                        "bins",
                                        List.of(),
                                        "clicks",
                                        List.of(),
                                        "expected",
                                        List.of(),
                                        "list_position",
                                        Map.of("mean", 3))))
                        .getMessage());
        assertEquals(
                "unknown field [price_taste.mean] in a user profile",
                expectThrows(IllegalArgumentException.class, () -> PriceTaste.fromMap(Map.of("mean", 1)))
                        .getMessage());
        assertEquals(
                "[price_taste.bin_width] must be 0.1 but was [0.5]",
                expectThrows(
                                IllegalArgumentException.class,
                                () -> PriceTaste.fromMap(Map.of(
                                        "bin_width",
                                        0.5,
                                        "bins",
                                        List.of(),
                                        "clicks",
                                        List.of(),
                                        "expected",
                                        List.of())))
                        .getMessage());
        assertEquals(
                "[price_taste] needs as many [clicks] and [expected] as [bins]",
                expectThrows(
                                IllegalArgumentException.class,
                                () -> PriceTaste.fromMap(
                                        Map.of("bins", List.of(1), "clicks", List.of(), "expected", List.of(1))))
                        .getMessage());
        assertEquals(
                "[price_taste] clicks and expected clicks must be finite numbers >= 0",
                expectThrows(
                                IllegalArgumentException.class,
                                () -> PriceTaste.fromMap(
                                        Map.of("bins", List.of(1), "clicks", List.of(-1), "expected", List.of(1))))
                        .getMessage());
        assertEquals(
                "[price_taste.bins] must be ascending and distinct",
                expectThrows(
                                IllegalArgumentException.class,
                                () -> PriceTaste.fromMap(Map.of(
                                        "bins", List.of(2, 1), "clicks", List.of(0, 0), "expected", List.of(1, 1))))
                        .getMessage());
        assertEquals(
                "[price_taste.bins] must hold integers but held [1.5]",
                expectThrows(
                                IllegalArgumentException.class,
                                () -> PriceTaste.fromMap(
                                        Map.of("bins", List.of(1.5), "clicks", List.of(0), "expected", List.of(1))))
                        .getMessage());
        assertEquals(
                "[price_taste.clicks] must be an array of numbers",
                expectThrows(
                                IllegalArgumentException.class,
                                () -> PriceTaste.fromMap(
                                        Map.of("bins", List.of(1), "clicks", "x", "expected", List.of(1))))
                        .getMessage());
    }
}
