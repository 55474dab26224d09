package org.semanticranking.personalization;

import org.elasticsearch.common.io.stream.BytesStreamOutput;
import org.elasticsearch.test.ESTestCase;
import org.semanticranking.personalization.events.PositionClickRates;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The expected clicks of a product's views per slot, at the slots' rates a model keeps. */
public class FeatureSpecTests extends ESTestCase {

    static final PositionClickRates RATES = new PositionClickRates(
            Map.of(0, new long[] {100, 30}, 1, new long[] {100, 10}, 10, new long[] {50, 2}, 14, new long[] {50, 3}),
            300,
            45);

    public void testTheRatesAreEachSlotsAndTheDeeperOnesTogether() {
        FeatureSpec spec = new FeatureSpec("v", List.of(), null, null, "ctr").withSlotRates(RATES);
        assertEquals(FeatureSpec.SLOTS + 1, spec.slotRates().size());
        assertEquals(0.3, spec.slotRate(0), 1e-12);
        assertEquals(0.1, spec.slotRate(1), 1e-12);
        assertEquals("a slot never logged: the overall rate", 45.0 / 300, spec.slotRate(5), 1e-12);
        assertEquals("slots 10 and below, their clicks over their views", 5.0 / 100, spec.slotRate(12), 1e-12);
        assertTrue(Double.isNaN(spec.slotRate(null)));
    }

    public void testExpectedClicksAreTheViewsAtTheirSlotsRates() {
        FeatureSpec spec = new FeatureSpec("v", List.of(), null, null, "ctr").withSlotRates(RATES);
        double[] views = new double[FeatureSpec.SLOTS + 1];
        Arrays.fill(views, Double.NaN);
        assertTrue("no view counted", Double.isNaN(spec.expectedClicks(views)));
        views[0] = 4;
        views[1] = 10;
        views[FeatureSpec.SLOTS] = 20;
        assertEquals(4 * 0.3 + 10 * 0.1 + 20 * 0.05, spec.expectedClicks(views), 1e-12);
        FeatureSpec withoutRates = new FeatureSpec("v", List.of(), null, null, "ctr");
        assertTrue("no rates, no expectation", Double.isNaN(withoutRates.expectedClicks(views)));
    }

    public void testTheBuildWritesCountsUnderTheViewsFields() {
        FeatureSpec spec = new FeatureSpec("v", List.of(), null, null, "ctr");
        long[] views = new long[FeatureSpec.SLOTS + 1];
        views[3] = 7;
        Map<String, Object> stats = FeatureSpec.clickStats(2, views);
        assertEquals(2L, stats.get(FeatureSpec.CLICKS));
        assertEquals(7L, stats.get("views_3"));
        assertEquals(0L, stats.get("views_deeper"));
        for (String field : spec.viewsFields()) {
            assertTrue(field, stats.containsKey(field.substring("ctr.".length())));
        }
        assertEquals(FeatureSpec.SLOTS + 1, spec.viewsFields().size());
    }

    public void testTheRatesTravelWithTheSpec() throws Exception {
        FeatureSpec spec = new FeatureSpec("v", List.of("brand"), "price", null, "ctr").withSlotRates(RATES);
        BytesStreamOutput out = new BytesStreamOutput();
        spec.writeTo(out);
        assertEquals(spec, new FeatureSpec(out.bytes().streamInput()));
        IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class,
                () -> new FeatureSpec("v", List.of(), null, null, "ctr", true, List.of(0.1, 0.2)));
        assertTrue(e.getMessage(), e.getMessage().contains("holds the rates of 10 slots and of the ones below them"));
    }
}
