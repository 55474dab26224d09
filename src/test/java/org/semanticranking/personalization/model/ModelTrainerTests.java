package org.semanticranking.personalization.model;

import org.elasticsearch.test.ESTestCase;
import org.semanticranking.personalization.FeatureSpec;
import org.semanticranking.personalization.ProductSignals;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionType;
import org.semanticranking.personalization.events.PositionClickRates;

import java.util.List;
import java.util.Map;

public class ModelTrainerTests extends ESTestCase {

    private static InteractionEvent event(String product, InteractionType type, Integer position, String impression) {
        return new InteractionEvent("u1", product, type, 0, null, position, impression);
    }

    public void testEveryShownProductIsANegativeWhenTheSlotAndTheClickLiftExplainIt() {
        assertEquals(ModelTrainer.Negatives.ALL_SHOWN, ModelTrainer.Negatives.parse(null, true));
        assertEquals(ModelTrainer.Negatives.SKIPPED_ABOVE_CLICK, ModelTrainer.Negatives.parse(null, false));
        assertEquals(
                ModelTrainer.Negatives.SKIPPED_ABOVE_CLICK, ModelTrainer.Negatives.parse("skipped_above_click", true));
        assertEquals(ModelTrainer.Negatives.ALL_SHOWN, ModelTrainer.Negatives.parse("all_shown", false));
        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> ModelTrainer.Negatives.parse("some", true));
        assertEquals("[negatives] must be one of [skipped_above_click, all_shown] but was [some]", e.getMessage());
    }

    /**
     * The product statistics count every shopper's events, this one's included: an example would see its own click in
     * them. Training takes this shopper's part out of popularity, clicks and expected clicks alike.
     */
    public void testExamplesLeaveOutTheShoppersOwnEvents() {
        PositionClickRates rates = new PositionClickRates(Map.of(0, new long[] {10, 4}, 1, new long[] {10, 1}), 20, 5);
        FeatureSpec spec = new FeatureSpec("v", List.of(), null, null, "click_stats").withSlotRates(rates);
        Map<String, TrainingReplay.OwnStats> own = TrainingReplay.OwnStats.of(
                List.of(
                        event("a", InteractionType.VIEW, 0, "i1"),
                        event("a", InteractionType.CLICK, 0, "i1"),
                        event("a", InteractionType.ADD_TO_CART, null, null),
                        event("b", InteractionType.VIEW, 1, "i1"),
                        event("a", InteractionType.VIEW, 1, "i2"),
                        // a click outside any result list: popularity, but neither a click nor a view of the click lift
                        event("c", InteractionType.CLICK, null, null),
                        // a view outside any result list is no exposure
                        event("d", InteractionType.VIEW, null, null)),
                spec);
        assertEquals(new TrainingReplay.OwnStats(2, 1, 0.4 + 0.1), own.get("a"));
        assertEquals(new TrainingReplay.OwnStats(0, 0, 0.1), own.get("b"));
        assertEquals(new TrainingReplay.OwnStats(1, 0, 0), own.get("c"));
        assertEquals(null, own.get("d"));

        ProductSignals a = new ProductSignals(null, Map.of(), 10, 12, 9, 4.5);
        ProductSignals others = TrainingReplay.othersOnly(a, own.get("a"));
        assertEquals(10, others.popularity(), 0);
        assertEquals(8, others.clicks(), 0);
        assertEquals(4.0, others.expectedClicks(), 1e-12);
        // statistics not written stay missing; a product the shopper never touched stays as it is
        ProductSignals unwritten =
                TrainingReplay.othersOnly(new ProductSignals(null, Map.of(), 10, Double.NaN), own.get("a"));
        assertTrue(Double.isNaN(unwritten.popularity())
                && Double.isNaN(unwritten.clicks())
                && Double.isNaN(unwritten.expectedClicks()));
        assertSame(a, TrainingReplay.othersOnly(a, null));
    }
}
