package org.semanticranking.ranking.training;

import org.elasticsearch.core.TimeValue;
import org.elasticsearch.test.ESTestCase;
import org.semanticranking.personalization.ProductSignals;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionType;
import org.semanticranking.personalization.events.PositionClickRates;
import org.semanticranking.personalization.profile.ProfileSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The replay of one shopper's events into training impressions: grades, weights, and the shopper as of before each. */
public class ImpressionReplayTests extends ESTestCase {

    static final ProfileSettings SETTINGS = new ProfileSettings(
            TimeValue.timeValueDays(30),
            Map.of(
                    InteractionType.VIEW, 0.0,
                    InteractionType.CLICK, 1.0,
                    InteractionType.ADD_TO_CART, 3.0,
                    InteractionType.PURCHASE, 5.0));
    /** Examination relative to the top slot: the third slot is looked at a quarter as often. */
    static final double[] PROPENSITIES = {1.0, 0.5, 0.25, 0.01};

    static final Map<String, ProductSignals> PRODUCTS = Map.of(
            "sony-tv", product(new float[] {1, 0}, "sony"),
            "lg-tv", product(new float[] {0, 1}, "lg"),
            "sony-cam", product(new float[] {1, 0}, "sony"),
            "bose", product(new float[] {0.6f, 0.8f}, "bose"));

    static ProductSignals product(float[] vector, String brand) {
        return new ProductSignals(vector, Map.of("brand", List.of(brand)), 100, Double.NaN);
    }

    static InteractionEvent e(String product, InteractionType type, long at, String impression, Integer slot) {
        return new InteractionEvent("u1", product, type, at, impression == null ? null : "tv", slot, impression);
    }

    static List<ImpressionReplay.LoggedImpression> replay(List<InteractionEvent> events, double floor) {
        ImpressionReplay replay = new ImpressionReplay(
                SETTINGS, PositionClickRates.NONE, 1_000_000, List.of("brand"), 10, PROPENSITIES, floor);
        List<ImpressionReplay.LoggedImpression> out = new ArrayList<>();
        replay.replay("u1", events, PRODUCTS::get, out::add);
        return out;
    }

    public void testEachImpressionSeesOnlyTheEventsBeforeIt() {
        List<ImpressionReplay.LoggedImpression> impressions = replay(
                List.of(
                        // first impression: shown two, clicked the LG at slot 1, then carted it
                        e("sony-tv", InteractionType.VIEW, 1000, "i1", 0),
                        e("lg-tv", InteractionType.VIEW, 1000, "i1", 1),
                        e("lg-tv", InteractionType.CLICK, 1001, "i1", 1),
                        e("lg-tv", InteractionType.ADD_TO_CART, 1002, "i1", 1),
                        // a click outside any impression: part of the profile, not a training request
                        e("sony-cam", InteractionType.CLICK, 2000, null, null),
                        // an impression without a click: nothing to learn from
                        e("bose", InteractionType.VIEW, 3000, "i2", 0),
                        // third impression: clicked the Sony at the top
                        e("sony-tv", InteractionType.VIEW, 4000, "i3", 0),
                        e("sony-tv", InteractionType.CLICK, 4001, "i3", 0)),
                0.05);
        assertEquals(2, impressions.size());

        ImpressionReplay.LoggedImpression first = impressions.get(0);
        assertEquals("i1", first.id());
        assertEquals("tv", first.query());
        assertEquals(Map.of("lg-tv", 2), first.grades()); // carted: 2, the highest of its events
        assertEquals("what the impression showed", java.util.Set.of("sony-tv", "lg-tv"), first.shown());
        assertNull(
                "nothing was known of the shopper before their first impression",
                first.shopper().profile());
        assertNull(first.shopper().sessionVector());
        assertEquals(1 / 0.5, first.weight(), 1e-6);

        ImpressionReplay.LoggedImpression third = impressions.get(1);
        assertEquals("i3", third.id());
        assertEquals(Map.of("sony-tv", 1), third.grades());
        assertEquals(1.0, third.weight(), 1e-6);
        // before i3: the LG's click (1) and cart (3) and the camera's click (1); views weigh nothing; not i3's own
        // click
        var profile = third.shopper().profile();
        assertEquals(4.0 / 5, profile.affinity("brand", "lg"), 1e-6);
        assertEquals(1.0 / 5, profile.affinity("brand", "sony"), 1e-6);
        assertEquals(0.0, profile.affinity("brand", "bose"), 1e-9);
        // the session: the latest events that are not exposures (the LG twice, the camera), not the views
        float[] session = third.shopper().sessionVector();
        assertEquals(1 / Math.sqrt(5), session[0], 1e-5);
        assertEquals(2 / Math.sqrt(5), session[1], 1e-5);
    }

    public void testAWeightIsTheMeanInversePropensityOfTheClickedSlotsClippedAtTheFloor() {
        List<ImpressionReplay.LoggedImpression> impressions = replay(
                List.of(
                        e("sony-tv", InteractionType.VIEW, 1000, "i1", 0),
                        e("lg-tv", InteractionType.VIEW, 1000, "i1", 2),
                        e("bose", InteractionType.VIEW, 1000, "i1", 3),
                        e("lg-tv", InteractionType.CLICK, 1001, "i1", 2),
                        e("bose", InteractionType.CLICK, 1002, "i1", 3),
                        e("sony-cam", InteractionType.VIEW, 2000, "i2", 7),
                        e("sony-cam", InteractionType.PURCHASE, 2001, "i2", 7)),
                0.1);
        // slot 2: 1 / 0.25 = 4; slot 3: 0.01 clipped to 0.1, so 10; their mean
        assertEquals(7.0, impressions.get(0).weight(), 1e-6);
        assertEquals(Map.of("lg-tv", 1, "bose", 1), impressions.get(0).grades());
        // slot 7 is past the estimate: it weighs as the last slot, clipped
        assertEquals(10.0, impressions.get(1).weight(), 1e-6);
        assertEquals(Map.of("sony-cam", 3), impressions.get(1).grades());
    }

    public void testAClickWithoutASlotWeighsOneAndAnImpressionWithoutAQueryIsLeftOut() {
        List<ImpressionReplay.LoggedImpression> impressions = replay(
                List.of(
                        e("lg-tv", InteractionType.CLICK, 1000, "i1", null),
                        new InteractionEvent("u1", "bose", InteractionType.CLICK, 2000, null, 0, "i2")),
                0.05);
        assertEquals(1, impressions.size());
        assertEquals(1.0, impressions.get(0).weight(), 1e-6);
    }
}
