package org.semanticranking.ranking.model;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.elasticsearch.common.io.stream.BytesStreamOutput;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentFactory;
import org.elasticsearch.xcontent.XContentType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The trees serving evaluates are the library's: the Java evaluation of XGBoost's own JSON dump gives XGBoost's own
 * predictions, its contributions sum to the score, and the model survives the wire and its stored form.
 */
public class XGBoostTrainerTests extends ESTestCase {

    /** Groups of candidates whose grade is a noisy function of the first two features. */
    static List<TrainingSet.Group> groups(Random random, int requests, int perRequest, int features) {
        List<TrainingSet.Group> groups = new ArrayList<>();
        for (int q = 0; q < requests; q++) {
            String[] ids = new String[perRequest];
            float[] rows = new float[perRequest * features];
            int[] labels = new int[perRequest];
            for (int i = 0; i < perRequest; i++) {
                ids[i] = q + "-" + i;
                double s = 0;
                for (int f = 0; f < features; f++) {
                    float v = (float) random.nextGaussian();
                    rows[i * features + f] = v;
                    s += (f == 0 ? 2 : f == 1 ? 1 : 0) * v;
                }
                s += random.nextGaussian() * 0.3;
                labels[i] = s > 1.5 ? 3 : s > 0.5 ? 2 : s > -0.5 ? 1 : 0;
            }
            groups.add(new TrainingSet.Group("q" + q, ids, rows, labels));
        }
        return groups;
    }

    private static List<String> names(int features) {
        List<String> names = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            names.add("x" + f);
        }
        return names;
    }

    public void testTheJavaTreesGiveTheLibrarysPredictions() throws Exception {
        Random random = new Random(randomLong());
        int features = 5;
        List<TrainingSet.Group> groups = groups(random, 60, 20, features);
        TreeParams params = new TreeParams(between(5, 40), between(2, 7), 0.1, 1, 1.0, 1.0);
        Booster booster = XGBoostTrainer.booster(groups, features, params, 0, 1, () -> {});
        try {
            TreeEnsemble trees =
                    XGBoostTrainer.read(booster, names(features), features).model();
            assertEquals(params.trees(), trees.trees().size());
            int n = 300;
            float[] probe = new float[n * features];
            for (int i = 0; i < probe.length; i++) {
                // values on the thresholds too: the comparison must be the library's (below goes left)
                probe[i] = i % 7 == 0 ? trees.trees().get(0).threshold()[0] : (float) random.nextGaussian();
            }
            DMatrix m = new DMatrix(probe, n, features, Float.NaN);
            float[][] expected;
            try {
                expected = booster.predict(m, true);
            } finally {
                m.dispose();
            }
            for (int i = 0; i < n; i++) {
                float[] row = new float[features];
                System.arraycopy(probe, i * features, row, 0, features);
                double score = trees.score(row);
                assertEquals("row " + i, expected[i][0], score, 1e-4);
                RankerModel.Contributions parts = trees.contributions(row);
                assertEquals("contributions sum to the score", score, parts.score(), 1e-6);
            }
        } finally {
            booster.dispose();
        }
    }

    public void testTheTreesRankByTheFeaturesThatMatter() {
        Random random = new Random(randomLong());
        int features = 4;
        XGBoostTrainer.Trained trained = XGBoostTrainer.train(
                groups(random, 80, 20, features), features, names(features), TreeParams.DEFAULTS, 0, 1, () -> {});
        Map<String, Double> importance = trained.importance();
        assertTrue(importance.toString(), importance.get("x0") > importance.get("x2"));
        assertTrue(importance.toString(), importance.get("x0") > importance.get("x3"));
        float[] better = {2, 1, 0, 0}, worse = {-2, -1, 0, 0};
        assertTrue(trained.model().score(better) > trained.model().score(worse));
    }

    public void testHeavierRequestsWeighMoreInTheTrees() {
        long seed = randomLong();
        TreeParams params = new TreeParams(20, 3, 0.1, 1, 1.0, 1.0);
        Map<String, Double> first = XGBoostTrainer.train(
                        PairwiseLinearTrainerTests.conflicting(new Random(seed), 20, 1),
                        2,
                        List.of("a", "b"),
                        params,
                        0,
                        1,
                        () -> {})
                .importance();
        assertTrue("the first feature's requests weigh 20: " + first, first.get("a") > first.get("b"));
        Map<String, Double> second = XGBoostTrainer.train(
                        PairwiseLinearTrainerTests.conflicting(new Random(seed), 1, 20),
                        2,
                        List.of("a", "b"),
                        params,
                        0,
                        1,
                        () -> {})
                .importance();
        assertTrue("the second's weigh 20: " + second, second.get("b") > second.get("a"));
    }

    public void testTheModelSurvivesTheWireAndItsStoredForm() throws Exception {
        Random random = new Random(randomLong());
        int features = 3;
        TreeEnsemble trees = XGBoostTrainer.train(
                        groups(random, 30, 10, features),
                        features,
                        names(features),
                        new TreeParams(10, 3, 0.1, 1, 1, 1),
                        0,
                        1,
                        () -> {})
                .model();
        BytesStreamOutput out = new BytesStreamOutput();
        trees.writeTo(out);
        RankerModel read = RankerModel.readFrom(out.bytes().streamInput());
        assertEquals(trees, read);
        String json = org.elasticsearch.common.Strings.toString(
                trees.toXContent(XContentFactory.jsonBuilder(), ToXContent.EMPTY_PARAMS));
        RankerModel stored =
                RankerModel.fromMap(XContentHelper.convertToMap(XContentType.JSON.xContent(), json, false));
        float[] x = {0.3f, -1.2f, 0.7f};
        assertEquals(trees.score(x), stored.score(x), 1e-6);
        assertEquals(trees, stored);
    }

    /** A cancelled training stops between trees, with the caller's exception, not after the last tree. */
    public void testACancelledTrainingStopsWithinATree() {
        java.util.Random random = new java.util.Random(3);
        int features = 3;
        java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
        IllegalStateException e = expectThrows(
                IllegalStateException.class,
                () -> XGBoostTrainer.train(
                        groups(random, 30, 10, features),
                        features,
                        names(features),
                        new TreeParams(1000, 3, 0.1, 1, 1, 1),
                        0,
                        1,
                        () -> {
                            if (checks.incrementAndGet() > 5) {
                                throw new IllegalStateException("cancelled");
                            }
                        }));
        assertEquals("cancelled", e.getMessage());
        assertEquals("stopped at the sixth tree's check, not after 1,000 trees", 6, checks.get());
    }
}
