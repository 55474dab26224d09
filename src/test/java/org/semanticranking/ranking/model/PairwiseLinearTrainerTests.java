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
