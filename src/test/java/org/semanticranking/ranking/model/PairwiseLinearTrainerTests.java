package org.semanticranking.ranking.model;

import org.elasticsearch.common.io.stream.BytesStreamOutput;
import org.elasticsearch.test.ESTestCase;

import java.util.List;
import java.util.Random;

public class PairwiseLinearTrainerTests extends ESTestCase {

    public void testItLearnsWhichFeaturesMakeTheBetterCandidate() {
        Random random = new Random(randomLong());
        List<TrainingSet.Group> groups = XGBoostTrainerTests.groups(random, 80, 20, 3);
        PairwiseLinearTrainer.Trained t =
                PairwiseLinearTrainer.train(groups, 3, List.of("strong", "weak", "noise"), randomInt(100));
        double[] w = t.model().weights();
        assertTrue("the strong feature weighs most: " + t.importance(), w[0] > w[1] && w[1] > Math.abs(w[2]));
        assertTrue(w[1] > 0);
        RankerModel.Contributions parts = t.model().contributions(new float[] {1, 2, 3});
        assertEquals(t.model().score(new float[] {1, 2, 3}), parts.score(), 1e-9);
    }

    /**
     * Requests where the first feature makes the better candidate, and as many where the second does: the heavier
     * requests (an impression's inverse propensity) decide which feature weighs more.
     */
    static List<TrainingSet.Group> conflicting(Random random, float firstWeight, float secondWeight) {
        List<TrainingSet.Group> groups = new java.util.ArrayList<>();
        for (int q = 0; q < 60; q++) {
            int decides = q % 2;
            int n = 10;
            String[] ids = new String[n];
            float[] rows = new float[n * 2];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = "d" + i;
                rows[i * 2] = random.nextFloat();
                rows[i * 2 + 1] = random.nextFloat();
                labels[i] = rows[i * 2 + decides] > 0.7f ? 1 : 0;
            }
            groups.add(new TrainingSet.Group("q" + q, ids, rows, labels, decides == 0 ? firstWeight : secondWeight));
        }
        return groups;
    }

    public void testHeavierRequestsWeighMoreInTheFit() {
        long seed = randomLong();
        double[] first = PairwiseLinearTrainer.train(conflicting(new Random(seed), 10, 1), 2, List.of("a", "b"), 0)
                .model()
                .weights();
        assertTrue("the first feature's requests weigh 10: " + java.util.Arrays.toString(first), first[0] > first[1]);
        double[] second = PairwiseLinearTrainer.train(conflicting(new Random(seed), 1, 10), 2, List.of("a", "b"), 0)
                .model()
                .weights();
        assertTrue("the second's weigh 10: " + java.util.Arrays.toString(second), second[1] > second[0]);
    }

    public void testTheSamePairsForTheSameSeed() {
        List<TrainingSet.Group> groups = XGBoostTrainerTests.groups(new Random(3), 10, 40, 2);
        int seed = randomInt(1000);
        List<int[]> a = PairwiseLinearTrainer.pairs(groups, seed), b = PairwiseLinearTrainer.pairs(groups, seed);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
        assertTrue(
                "at most " + PairwiseLinearTrainer.PAIRS_PER_REQUEST + " per request",
                a.size() <= 10 * PairwiseLinearTrainer.PAIRS_PER_REQUEST);
    }

    public void testNothingToLearnFromIsA400() {
        TrainingSet.Group flat =
                new TrainingSet.Group("q", new String[] {"a", "b"}, new float[] {1, 2}, new int[] {1, 1});
        IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class, () -> PairwiseLinearTrainer.train(List.of(flat), 1, List.of("x"), 0));
        assertTrue(e.getMessage(), e.getMessage().contains("no request has two candidates of different grades"));
    }

    public void testTheModelSurvivesTheWire() throws Exception {
        LinearModel m = new LinearModel(new double[] {1, 2}, new double[] {0.5, 1}, new double[] {0.3, -0.1});
        BytesStreamOutput out = new BytesStreamOutput();
        m.writeTo(out);
        assertEquals(m, RankerModel.readFrom(out.bytes().streamInput()));
        assertEquals(0.3 * (3 - 1) / 0.5 - 0.1 * (1 - 2) / 1, m.score(new float[] {3, 1}), 1e-9);
    }
}
