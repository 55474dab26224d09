package org.semanticranking.judgments;

import org.elasticsearch.test.ESTestCase;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;

/**
 * Clicks simulated from a known position-based model (examination falling with the slot, each pair's own relevance),
 * over rankings that mostly repeat a ranking by relevance and sometimes differ: the fitted model must recover the
 * examination propensities within 10% and the pairs' relevance; COEC must order the pairs as their relevance does.
 */
public class ImplicitJudgmentsTests extends ESTestCase {

    static final int SLOTS = 10;

    record Simulation(List<Shown> rows, double[] theta, Map<Shown.Pair, Double> gamma) {}

    static Simulation simulate(Random random, int queries, int impressionsPerQuery, double shuffled) {
        double[] theta = new double[SLOTS];
        for (int k = 0; k < SLOTS; k++) {
            theta[k] = 0.95 / Math.pow(k + 1, 0.9);
        }
        Map<Shown.Pair, Double> gamma = new HashMap<>();
        List<Shown> rows = new ArrayList<>();
        for (int q = 0; q < queries; q++) {
            String query = "q" + q;
            List<String> products = new ArrayList<>();
            for (int d = 0; d < SLOTS; d++) {
                String id = query + "-p" + d;
                products.add(id);
                gamma.put(new Shown.Pair(query, id), 0.05 + 0.85 * random.nextDouble());
            }
            // the engine's ranking: by relevance with noise, the same every time unless shuffled
            List<String> base = new ArrayList<>(products);
            Map<String, Double> noisy = new HashMap<>();
            for (String id : base) {
                noisy.put(id, gamma.get(new Shown.Pair(query, id)) + 0.3 * random.nextGaussian());
            }
            base.sort((a, b) -> Double.compare(noisy.get(b), noisy.get(a)));
            for (int i = 0; i < impressionsPerQuery; i++) {
                List<String> page = new ArrayList<>(base);
                if (random.nextDouble() < shuffled) {
                    Collections.shuffle(page, random);
                }
                for (int k = 0; k < SLOTS; k++) {
                    String id = page.get(k);
                    boolean clicked = random.nextDouble() < theta[k]
                            && random.nextDouble() < gamma.get(new Shown.Pair(query, id));
                    rows.add(new Shown(query, id, k + 1, clicked));
                }
            }
        }
        return new Simulation(rows, theta, gamma);
    }

    /**
     * Enough queries that the deepest slot's estimate is surely inside the bound: at 300 queries its error over seeds had
     * a spread of 4.4% and failed the 10% bound about once in thirty seeds; the bound stays, the sample grows.
     */
    public void testThePositionBasedModelRecoversThePropensitiesAndRelevance() {
        Simulation sim = simulate(new Random(randomLong()), 1500, 100, 0.3);
        PositionBasedModel.Fit fit = PositionBasedModel.fit(ShownCounts.of(sim.rows()), SLOTS, 5000, 1e-7);
        for (int k = 0; k < SLOTS; k++) {
            double truth = sim.theta()[k] / sim.theta()[0];
            assertThat("slot " + (k + 1), fit.propensities()[k], closeTo(truth, 0.1 * truth));
        }
        // the debiased relevance orders a query's products better than their raw click-through, and than COEC, which
        // divides out each slot's average relevance along with its examination when the engine ranks by relevance
        double em = agreement(sim.gamma(), p -> fit.relevance().get(p));
        double raw = agreement(sim.gamma(), rawClickThrough(sim.rows())::get);
        Map<Shown.Pair, Double> coec = Coec.compute(ShownCounts.of(sim.rows()), SLOTS, 10);
        double byCoec = agreement(sim.gamma(), p -> coec.getOrDefault(p, 0.0));
        assertThat(em, greaterThan(raw + 0.01));
        assertThat(em, greaterThan(byCoec + 0.01));
    }

    /**
     * The case that biases maximum likelihood: besides two rankings that share most products, a third shows products of
     * its own (seen in one slot only), some of them as relevant as a product can be. Their relevance cannot pass 1, so
     * joint EM lifted the low slots' propensities (by 4 to 6% on average in this simulation, 24% at worst on Chorus);
     * the harvested propensities have no such lean.
     */
    public void testPropensitiesHaveNoLeanWhenSomeProductsAreSeenInOneSlotOnly() {
        // 800 queries: at 400 the deepest slot's error had heavy tails (17.6% against the 15% bound at one seed in
        // forty)
        List<Shown> rows = threeRankings(new Random(randomLong()), 800, 300);
        PositionBasedModel.Fit fit = PositionBasedModel.fit(ShownCounts.of(rows), SLOTS, 1000, 1e-7);
        double lean = 0;
        for (int k = 1; k < SLOTS; k++) {
            double truth = Math.pow(k + 1, -0.8);
            assertThat("slot " + (k + 1), fit.propensities()[k], closeTo(truth, 0.15 * truth));
            lean += (fit.propensities()[k] - truth) / truth / (SLOTS - 1);
        }
        assertThat("mean relative error of the slots below the top", lean, closeTo(0, 0.03));
    }

    /**
     * An exploring page: the first five slots always show the ranking's top five, the last five a uniform draw from the
     * ranking's products 6 to 25. Products move among the last five slots only, so those slots are linked to one another
     * and to no slot above: their ratios to one another are harvested, their level comes from the fallback. (The
     * system of such a group has no level of its own: it was solved as if it had one, and every such slot came out 1.)
     */
    public void testSlotsLinkedOnlyToOneAnotherKeepTheirRatiosAndAreNotPushedToOne() {
        Random r = new Random(randomLong());
        List<Shown> rows = new ArrayList<>();
        for (int q = 0; q < 400; q++) {
            double[] relevance = new double[25];
            for (int d = 0; d < relevance.length; d++) {
                relevance[d] = d < 5 ? 0.6 + 0.3 * r.nextDouble() : 0.05 + 0.6 * r.nextDouble();
            }
            for (int n = 0; n < 200; n++) {
                List<Integer> pool = new ArrayList<>();
                for (int d = 5; d < 25; d++) {
                    pool.add(d);
                }
                Collections.shuffle(pool, r);
                for (int k = 0; k < SLOTS; k++) {
                    int d = k < 5 ? k : pool.get(k - 5);
                    boolean click = r.nextDouble() < Math.pow(k + 1, -0.8) && r.nextDouble() < relevance[d];
                    rows.add(new Shown("q" + q, "d" + d, k + 1, click));
                }
            }
        }
        PositionBasedModel.Fit fit = PositionBasedModel.fit(ShownCounts.of(rows), SLOTS, 1000, 1e-7);
        for (int k = 6; k < SLOTS; k++) {
            double truth = Math.pow((k + 1) / 6.0, -0.8);
            double ratio = fit.propensities()[k] / fit.propensities()[5];
            assertThat("slot " + (k + 1) + " against slot 6", ratio, closeTo(truth, 0.1 * truth));
        }
        for (int k = 5; k < SLOTS; k++) {
            assertThat("slot " + (k + 1), fit.propensities()[k], org.hamcrest.Matchers.lessThan(0.5));
        }
    }

    /** Per query, two noisy rankings by relevance of 25 products and a third of 10 products of its own. */
    static List<Shown> threeRankings(Random r, int queries, int impressionsPerQuery) {
        List<Shown> rows = new ArrayList<>();
        for (int q = 0; q < queries; q++) {
            double[] relevance = new double[35];
            for (int d = 0; d < relevance.length; d++) {
                double u = r.nextDouble();
                int grade = u < 0.5 ? 0 : u < 0.75 ? 1 : u < 0.9 ? 2 : 3;
                relevance[d] = 0.02 + 0.98 * (Math.pow(2, grade) - 1) / 7;
            }
            List<List<Integer>> rankings = new ArrayList<>();
            for (double noise : new double[] {0.3, 0.6}) {
                List<Integer> ids = new ArrayList<>();
                double[] score = new double[25];
                for (int d = 0; d < 25; d++) {
                    ids.add(d);
                    score[d] = relevance[d] + noise * r.nextGaussian();
                }
                ids.sort((a, b) -> Double.compare(score[b], score[a]));
                rankings.add(ids.subList(0, SLOTS));
            }
            List<Integer> own = new ArrayList<>();
            for (int d = 25; d < 35; d++) {
                own.add(d);
            }
            rankings.add(own);
            for (int n = 0; n < impressionsPerQuery; n++) {
                double u = r.nextDouble();
                List<Integer> page = rankings.get(u < 0.7 ? 0 : u < 0.85 ? 1 : 2);
                for (int k = 0; k < SLOTS; k++) {
                    boolean click = r.nextDouble() < Math.pow(k + 1, -0.8) && r.nextDouble() < relevance[page.get(k)];
                    rows.add(new Shown("q" + q, "d" + page.get(k), k + 1, click));
                }
            }
        }
        return rows;
    }

    /** Where the rankings do not follow relevance, COEC's expectation is examination alone, and it orders well. */
    public void testCoecOrdersByRelevanceWhereRankingsVary() {
        Simulation sim = simulate(new Random(randomLong()), 200, 100, 1.0);
        Map<Shown.Pair, Double> coec = Coec.compute(ShownCounts.of(sim.rows()), SLOTS, 10);
        assertThat(agreement(sim.gamma(), p -> coec.getOrDefault(p, 0.0)), greaterThan(0.85));
    }

    public void testCoecIsClicksOverTheSlotsExpectedClicks() {
        // slot 1: 4 shown, 2 clicked (ctr 0.5); slot 2: 4 shown, 1 clicked (ctr 0.25)
        List<Shown> rows = List.of(
                new Shown("q", "a", 1, true),
                new Shown("q", "a", 1, true),
                new Shown("q", "b", 1, false),
                new Shown("q", "b", 1, false),
                new Shown("q", "b", 2, true),
                new Shown("q", "b", 2, false),
                new Shown("q", "a", 2, false),
                new Shown("q", "c", 2, false));
        Map<Shown.Pair, Double> coec = Coec.compute(ShownCounts.of(rows), 2, 2);
        assertEquals(2 / (0.5 + 0.5 + 0.25), coec.get(new Shown.Pair("q", "a")), 1e-9);
        assertEquals(1 / (0.5 + 0.5 + 0.25 + 0.25), coec.get(new Shown.Pair("q", "b")), 1e-9);
        assertNull("shown once: fewer than the minimum", coec.get(new Shown.Pair("q", "c")));
        expectThrows(IllegalArgumentException.class, () -> new Shown("q", "a", 0, true));
    }

    static Map<Shown.Pair, Double> rawClickThrough(List<Shown> rows) {
        Map<Shown.Pair, double[]> sums = new HashMap<>();
        for (Shown row : rows) {
            double[] s = sums.computeIfAbsent(row.pair(), p -> new double[2]);
            s[0] += row.clicked() ? 1 : 0;
            s[1]++;
        }
        Map<Shown.Pair, Double> out = new HashMap<>();
        sums.forEach((p, s) -> out.put(p, s[0] / s[1]));
        return out;
    }

    /** The share of same-query pairs of products that the score orders as their true relevance does. */
    static double agreement(Map<Shown.Pair, Double> truth, java.util.function.Function<Shown.Pair, Double> score) {
        List<Shown.Pair> pairs = new ArrayList<>(truth.keySet());
        long agree = 0, all = 0;
        for (Shown.Pair a : pairs) {
            for (Shown.Pair b : pairs) {
                if (a.query().equals(b.query()) && truth.get(a) > truth.get(b) + 0.1) {
                    all++;
                    if (score.apply(a) > score.apply(b)) {
                        agree++;
                    }
                }
            }
        }
        return (double) agree / all;
    }
}
