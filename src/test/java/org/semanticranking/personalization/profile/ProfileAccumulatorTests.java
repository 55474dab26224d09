package org.semanticranking.personalization.profile;

import org.elasticsearch.core.TimeValue;
import org.elasticsearch.test.ESTestCase;
import org.semanticranking.personalization.ProductSignals;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionType;
import org.semanticranking.personalization.events.PositionClickRates;

import java.util.List;
import java.util.Map;

public class ProfileAccumulatorTests extends ESTestCase {

    static final long DAY = 24L * 3600 * 1000;
    static final ProfileSettings SETTINGS = new ProfileSettings(
            TimeValue.timeValueDays(10),
            Map.of(
                    InteractionType.VIEW,
                    0.0,
                    InteractionType.CLICK,
                    1.0,
                    InteractionType.ADD_TO_CART,
                    2.0,
                    InteractionType.PURCHASE,
                    4.0));

    static InteractionEvent event(String product, InteractionType type, long at) {
        return new InteractionEvent("u1", product, type, at, null, null, null);
    }

    static ProductSignals product(float[] vector, String brand, double price) {
        return new ProductSignals(
                vector, brand == null ? Map.of() : Map.of("brand", List.of(brand)), price, Double.NaN);
    }

    public void testWeightsByTypeAndHalvesEveryHalfLife() {
        long now = 100 * DAY;
        ProfileAccumulator acc = new ProfileAccumulator(SETTINGS, now, List.of("brand"));
        acc.add(
                event("a", InteractionType.PURCHASE, now - 10 * DAY),
                product(new float[] {1, 0}, "sony", 100)); // 4 * 0.5 = 2
        acc.add(event("b", InteractionType.CLICK, now), product(new float[] {0, 1}, "bose", 10)); // 1
        acc.add(event("c", InteractionType.VIEW, now), product(new float[] {-1, 0}, "jbl", 1)); // weight 0: ignored
        UserProfile p = acc.snapshot("u1");
        assertEquals(3, p.events());
        assertEquals(3.0, p.weight(), 1e-9);
        // vector: direction of 2*(1,0) + 1*(0,1)
        assertEquals(2 / Math.sqrt(5), p.vector()[0], 1e-6);
        assertEquals(1 / Math.sqrt(5), p.vector()[1], 1e-6);
        assertEquals(2.0 / 3, p.affinity("brand", "sony"), 1e-9);
        assertEquals(1.0 / 3, p.affinity("brand", "bose"), 1e-9);
        assertEquals(0.0, p.affinity("brand", "jbl"), 1e-9);
        double mean = (2 * Math.log(100) + Math.log(10)) / 3;
        assertEquals(mean, p.price().logMean(), 1e-9);
        double var = (2 * Math.pow(Math.log(100) - mean, 2) + Math.pow(Math.log(10) - mean, 2)) / 3;
        assertEquals(Math.sqrt(var), p.price().logStd(), 1e-9);
        assertEquals(now, p.lastEventMillis());
    }

    public void testReferenceTimeOnlyScalesWeights() {
        ProfileAccumulator early = new ProfileAccumulator(SETTINGS, 10 * DAY, List.of("brand"));
        ProfileAccumulator late = new ProfileAccumulator(SETTINGS, 50 * DAY, List.of("brand"));
        for (ProfileAccumulator acc : List.of(early, late)) {
            acc.add(event("a", InteractionType.CLICK, 0), product(new float[] {1, 0}, "sony", 5));
            acc.add(event("b", InteractionType.CLICK, 5 * DAY), product(new float[] {0, 1}, "bose", 50));
        }
        UserProfile a = early.snapshot("u1"), b = late.snapshot("u1");
        assertEquals(a.vector()[0], b.vector()[0], 1e-6);
        assertEquals(a.affinity("brand", "bose"), b.affinity("brand", "bose"), 1e-9);
        assertEquals(a.price().logMean(), b.price().logMean(), 1e-9);
        assertTrue(b.weight() < a.weight());
    }

    static InteractionEvent shown(String product, InteractionType type, int position, String impression) {
        return new InteractionEvent("u1", product, type, 0, null, position, impression);
    }

    public void testImpressionsMakeThePriceTasteAgainstEachSlotsClickRate() {
        // slot 0 is clicked 40% of the time over all shoppers, slot 1 10%; a slot never logged reads as the overall 20%
        PositionClickRates rates = new PositionClickRates(Map.of(0, new long[] {10, 4}, 1, new long[] {10, 1}), 25, 5);
        ProfileAccumulator acc = new ProfileAccumulator(SETTINGS, 0, List.of("brand"), rates);
        double cheap = PriceTasteTests.CHEAP, dear = PriceTasteTests.DEAR;
        acc.add(shown("a", InteractionType.VIEW, 0, "i1"), product(null, "sony", cheap));
        acc.add(shown("b", InteractionType.VIEW, 1, "i1"), product(null, "bose", dear));
        acc.add(shown("b", InteractionType.CLICK, 1, "i1"), product(null, "bose", dear));
        acc.add(shown("c", InteractionType.VIEW, 7, "i1"), product(null, "jbl", dear));
        // a cart is not a click: it does not count twice against the slot's click rate
        acc.add(shown("b", InteractionType.ADD_TO_CART, 1, "i1"), product(null, "bose", dear));
        // a click outside any impression has no slot and no list it was chosen from
        acc.add(
                new InteractionEvent("u1", "d", InteractionType.CLICK, 0, null, null, null),
                product(null, "sony", cheap));
        PriceTaste taste = acc.snapshot("u1").priceTaste();
        // expected: 0.4 cheap, 0.1 + 0.2 dear; clicks: 1 dear; rate 1 / 0.7
        double rate = 1 / 0.7;
        assertEquals(Math.log((1 + rate) / (0.3 + 1) / rate), taste.logLift(dear), 1e-6);
        assertEquals(Math.log(rate / (0.4 + 1) / rate), taste.logLift(cheap), 1e-6);
        // the exposures still add nothing else to the profile: bose has the click (1) and the cart (2), sony the
        // outside click
        UserProfile p = acc.snapshot("u1");
        assertEquals(Map.of("bose", 0.75, "sony", 0.25), p.affinities().get("brand"));
    }

    public void testListPositionIsWhereInEachListsPricesTheClicksAre() {
        PositionClickRates rates = new PositionClickRates(Map.of(0, new long[] {10, 4}, 1, new long[] {10, 1}), 25, 5);
        ProfileAccumulator acc = new ProfileAccumulator(SETTINGS, 0, List.of("brand"), rates);
        // i1: 10, 20, 30 shown, the cheapest clicked: -1
        acc.add(shown("a", InteractionType.VIEW, 0, "i1"), product(null, "sony", 10));
        acc.add(shown("b", InteractionType.VIEW, 1, "i1"), product(null, "bose", 20));
        acc.add(shown("c", InteractionType.VIEW, 2, "i1"), product(null, "jbl", 30));
        acc.add(shown("a", InteractionType.CLICK, 0, "i1"), product(null, "sony", 10));
        assertEquals(-1 / 2.0, acc.snapshot("u1").priceTaste().listPosition(), 1e-12);
        // i2: the click logged before its list's views; 40 between 5 and 60 and tied with another 40: half of three
        // below (5, and half the tie) over three others, 2 x 0.5 - 1 = 0
        acc.add(shown("d", InteractionType.CLICK, 1, "i2"), product(null, "sony", 40));
        acc.add(shown("e", InteractionType.VIEW, 0, "i2"), product(null, "sony", 5));
        acc.add(shown("d", InteractionType.VIEW, 1, "i2"), product(null, "sony", 40));
        acc.add(shown("f", InteractionType.VIEW, 2, "i2"), product(null, "sony", 40));
        acc.add(shown("g", InteractionType.VIEW, 3, "i2"), product(null, "sony", 60));
        assertEquals((-1 + 0) / 3.0, acc.snapshot("u1").priceTaste().listPosition(), 1e-12);
        // i1 again: a dearer product shown later in the same list moves its click no further (still the cheapest);
        // a second click there on the 30: above two of its three others, 2 x 2/3 - 1 = 1/3
        acc.add(shown("h", InteractionType.VIEW, 3, "i1"), product(null, "sony", 90));
        acc.add(shown("c", InteractionType.CLICK, 2, "i1"), product(null, "jbl", 30));
        double three = -1 + 0 + 1 / 3.0;
        assertEquals(three / 4, acc.snapshot("u1").priceTaste().listPosition(), 1e-12);
        // a list of one product says nothing of where in it the click is: neither its sum nor its weight moves
        acc.add(shown("k", InteractionType.VIEW, 0, "i3"), product(null, "sony", 7));
        acc.add(shown("k", InteractionType.CLICK, 0, "i3"), product(null, "sony", 7));
        assertEquals(three / 4, acc.snapshot("u1").priceTaste().listPosition(), 1e-12);
    }

    public void testClicksLoggedWithoutTheirSlotLeaveEverySlotAtTheOverallRate() {
        // 20 views in two slots, 4 clicks of which 1 with its position: the slots' own rates would say slot 1 is never
        // clicked
        PositionClickRates rates = new PositionClickRates(Map.of(0, new long[] {10, 1}, 1, new long[] {10, 0}), 20, 4);
        assertEquals(0.2, rates.expectedClicks(0), 1e-12);
        assertEquals(0.2, rates.expectedClicks(1), 1e-12);
        assertEquals(0.2, rates.expectedClicks(null), 1e-12);
        PositionClickRates logged = new PositionClickRates(Map.of(0, new long[] {10, 3}, 1, new long[] {10, 1}), 20, 4);
        assertEquals(0.3, logged.expectedClicks(0), 1e-12);
        assertEquals(0.1, logged.expectedClicks(1), 1e-12);
        assertEquals(0.2, logged.expectedClicks(9), 1e-12);
        // the slots from 1 down together: slot 1's clicks over its views
        assertEquals(0.1, logged.expectedClicksBelow(1), 1e-12);
        // none logged from slot 5 down: the overall rate
        assertEquals(0.2, logged.expectedClicksBelow(5), 1e-12);
        // the deep slots together, weighed by their views
        PositionClickRates deep = new PositionClickRates(
                Map.of(0, new long[] {10, 5}, 10, new long[] {30, 3}, 12, new long[] {10, 3}), 50, 11);
        assertEquals(6.0 / 40, deep.expectedClicksBelow(10), 1e-12);
    }

    public void testWithoutSlotRatesThereIsNoPriceTaste() {
        ProfileAccumulator acc = new ProfileAccumulator(SETTINGS, 0, List.of("brand"));
        acc.add(shown("a", InteractionType.VIEW, 0, "i1"), product(null, "sony", 10));
        acc.add(shown("a", InteractionType.CLICK, 0, "i1"), product(null, "sony", 10));
        assertNull(acc.snapshot("u1").priceTaste());
        assertTrue(PositionClickRates.NONE.isEmpty());
        assertEquals(0.0, PositionClickRates.NONE.expectedClicks(0), 0);
    }

    public void testUnknownProductsCountAsEventsOnly() {
        ProfileAccumulator acc = new ProfileAccumulator(SETTINGS, 0, List.of("brand"));
        acc.add(event("gone", InteractionType.PURCHASE, 0), null);
        UserProfile p = acc.snapshot("u1");
        assertEquals(1, p.events());
        assertNull(p.vector());
        assertNull(p.price());
        assertTrue(p.affinities().isEmpty());
    }

    public void testSettingsRejectNegativeWeightsAndUnknownTypes() {
        expectThrows(IllegalArgumentException.class, () -> SETTINGS.with(null, Map.of("click", -1.0)));
        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> SETTINGS.with(null, Map.of("like", 1.0)));
        assertTrue(e.getMessage(), e.getMessage().contains("unknown interaction type [like]"));
    }

    public void testEventsAreCheckedWithTheirReason() {
        assertEquals(
                "interaction event is missing [user_id]",
                expectThrows(
                                IllegalArgumentException.class,
                                () -> InteractionEvent.fromSource(
                                        Map.of("product_id", "p", "type", "click", "@timestamp", 1)))
                        .getMessage());
        assertTrue(expectThrows(
                        IllegalArgumentException.class,
                        () -> InteractionEvent.fromSource(
                                Map.of("user_id", "u", "product_id", "p", "type", "like", "@timestamp", 1)))
                .getMessage()
                .startsWith("unknown interaction type [like]"));
        InteractionEvent ok = InteractionEvent.fromSource(Map.of(
                "user_id",
                "u",
                "product_id",
                "p",
                "type",
                "add_to_cart",
                "@timestamp",
                "2026-01-02T03:04:05Z",
                "position",
                3,
                "impression_id",
                "i1"));
        assertEquals(InteractionType.ADD_TO_CART, ok.type());
        assertEquals(
                Integer.valueOf(3), ok.position()); // position() is an Integer: compared with equals, as JUnit 5 did
        assertEquals(java.time.Instant.parse("2026-01-02T03:04:05Z").toEpochMilli(), ok.timestampMillis());
    }
}
