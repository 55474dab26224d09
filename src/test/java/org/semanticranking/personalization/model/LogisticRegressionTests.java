package org.semanticranking.personalization.model;

import org.elasticsearch.test.ESTestCase;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

public class LogisticRegressionTests extends ESTestCase {

    public void testRecoversKnownWeights() {
        // y ~ Bernoulli(sigmoid(-1 + 2 x0 - 1 x1)), x1 irrelevant noise in x2
        Random random = new Random(42);
        List<double[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            double[] row = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double p = LogisticRegression.sigmoid(-1 + 2 * row[0] - row[1]);
            x.add(row);
            y.add(random.nextDouble() < p ? 1 : 0);
        }
        LogisticRegression.Fit fit = LogisticRegression.fit(x, y, 1e-6, 50);
        // weights are on standardised features; the features have std ~1 so they are close to the true ones
        assertEquals(2.0, fit.weights()[0] / fit.stds()[0], 0.1);
        assertEquals(-1.0, fit.weights()[1] / fit.stds()[1], 0.1);
        assertEquals(0.0, fit.weights()[2], 0.1);
        assertTrue("Newton converges in a few steps: " + fit.iterations(), fit.iterations() < 20);
    }

    public void testPenaltyShrinksWeightsAndConstantFeaturesGetNone() {
        List<double[]> x = List.of(new double[] {0, 5}, new double[] {1, 5}, new double[] {0, 5}, new double[] {1, 5});
        List<Integer> y = List.of(0, 1, 0, 1); // separable: without a penalty the weight would diverge
        LogisticRegression.Fit strong = LogisticRegression.fit(x, y, 10, 100);
        LogisticRegression.Fit weak = LogisticRegression.fit(x, y, 0.01, 100);
        assertTrue(strong.weights()[0] > 0 && strong.weights()[0] < weak.weights()[0]);
        assertEquals(0.0, strong.weights()[1], 1e-9);
        assertTrue(strong.probability(new double[] {1, 5}) > 0.5 && strong.probability(new double[] {0, 5}) < 0.5);
    }

    public void testAucAndLogLossByHand() {
        // scores 0.1(neg) 0.4(pos) 0.35(neg) 0.8(pos): pairs (pos>neg): 0.4>0.1, 0.4>0.35, 0.8>0.1, 0.8>0.35 → 1.0
        assertEquals(1.0, BinaryMetrics.auc(new double[] {0.1, 0.4, 0.35, 0.8}, List.of(0, 1, 0, 1)), 1e-12);
        // one inversion out of four pairs, and a tie counts one half
        assertEquals(0.75, BinaryMetrics.auc(new double[] {0.5, 0.4, 0.1, 0.8}, List.of(0, 1, 0, 1)), 1e-12);
        assertEquals(0.5, BinaryMetrics.auc(new double[] {0.3, 0.3}, List.of(0, 1)), 1e-12);
        assertTrue(Double.isNaN(BinaryMetrics.auc(new double[] {0.3}, List.of(1))));
        assertEquals(
                -(Math.log(0.8) + Math.log(0.6)) / 2,
                BinaryMetrics.logLoss(new double[] {0.8, 0.4}, List.of(1, 0)),
                1e-12);
    }
}
