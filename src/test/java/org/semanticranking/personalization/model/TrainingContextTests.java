package org.semanticranking.personalization.model;

import org.elasticsearch.test.ESTestCase;
import org.semanticranking.personalization.ProductSignals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

public class TrainingContextTests extends ESTestCase {

    private static ProductSignals product(float... vector) {
        return new ProductSignals(vector, Map.of(), 10.0, Double.NaN);
    }

    public void testParsesTheOptionAndRefusesUnknownKinds() {
        assertEquals(List.of(TrainingContext.Kind.POSITION), TrainingContext.parse(null));
        assertEquals(List.of(), TrainingContext.parse(List.of()));
        assertEquals(
                List.of(TrainingContext.Kind.QUERY, TrainingContext.Kind.POSITION),
                TrainingContext.parse(List.of("query", "position", "query")));
        IllegalArgumentException unknown =
                expectThrows(IllegalArgumentException.class, () -> TrainingContext.parse(List.of("grade")));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("[grade]"));
        expectThrows(IllegalArgumentException.class, () -> TrainingContext.parse("position"));
    }

    public void testAppendsTheExaminationOfTheSlotAndTheQueryMatch() {
        TrainingContext context = new TrainingContext(
                TrainingContext.parse(List.of("position", "query")),
                text -> text.equals("red") ? new float[] {1, 0} : new float[] {0, 1});
        assertEquals(List.of("context.position", "context.query"), context.featureNames());
        double[] features = {0.5, 0.25};
        assertArrayEquals(
                new double[] {0.5, 0.25, 1.0, 1.0},
                context.append(features, 0, context.queryVector("red"), product(1, 0)),
                1e-9);
        assertArrayEquals(
                new double[] {0.5, 0.25, 0.5, 0.0},
                context.append(features, 2, context.queryVector("blue"), product(1, 0)),
                1e-9);
        // nothing logged: the context is 0, not a guess
        assertArrayEquals(
                new double[] {0.5, 0.25, 0.0, 0.0},
                context.append(features, null, context.queryVector(null), product(1, 0)),
                1e-9);
        assertSame(
                features,
                TrainingContext.NONE.append(features, 3, TrainingContext.NONE.queryVector("red"), product(1, 0)));
        // without the query context no query is encoded at all
        TrainingContext slotOnly = new TrainingContext(List.of(TrainingContext.Kind.POSITION), text -> {
            throw new AssertionError("encoded [" + text + "] without the query context");
        });
        assertEquals(null, slotOnly.queryVector("red"));
    }

    /**
     * Clicks here depend on the slot and on taste only, but the products ranked high are also the popular ones.
     * Fitted without the slot, popularity takes a large weight it does not deserve; conditioned on the slot and
     * served without it, popularity's weight is near 0 and taste keeps its own.
     */
    public void testConditioningOnTheSlotKeepsItsEffectOutOfTheServedWeights() {
        Random random = new Random(7);
        List<double[]> plain = new ArrayList<>();
        List<double[]> conditioned = new ArrayList<>();
        List<Integer> clicks = new ArrayList<>();
        TrainingContext slot = new TrainingContext(List.of(TrainingContext.Kind.POSITION), text -> null);
        for (int i = 0; i < 40_000; i++) {
            int position = random.nextInt(10);
            double popularity = (9 - position) / 9.0 + 0.3 * random.nextGaussian();
            double taste = random.nextDouble();
            double examination = 1 / Math.pow(position + 1, 1.0);
            int click = random.nextDouble() < examination * (0.2 + 0.6 * taste) ? 1 : 0;
            double[] features = {taste, popularity};
            plain.add(features);
            conditioned.add(slot.append(features, position, null, product(1, 0)));
            clicks.add(click);
        }
        LogisticRegression.Fit unconditioned = LogisticRegression.fit(plain, clicks, 1.0, 50);
        LogisticRegression.Fit served =
                ModelTrainer.servedPart(LogisticRegression.fit(conditioned, clicks, 1.0, 50), 2);
        assertEquals(2, served.weights().length);
        assertTrue(
                "without the slot, popularity stands in for it: "
                        + unconditioned.weights()[1],
                unconditioned.weights()[1] > 0.5);
        assertTrue(
                "conditioned on the slot, popularity explains nothing: " + served.weights()[1],
                Math.abs(served.weights()[1]) < 0.1);
        assertTrue("taste keeps its weight: " + served.weights()[0], served.weights()[0] > 0.3);
    }
}
