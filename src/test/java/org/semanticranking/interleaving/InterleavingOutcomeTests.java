package org.semanticranking.interleaving;

import org.elasticsearch.common.Strings;
import org.elasticsearch.test.ESTestCase;

import java.util.List;
import java.util.Random;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

/**
 * The statistics of an interleaving experiment: the sign test by hand, the preference, and on simulated shoppers the
 * two properties that matter: between two different rankings that are equally good about 5% of experiments claim a
 * winner at p < 0.05, and a ranking whose results are clicked more wins.
 */
public class InterleavingOutcomeTests extends ESTestCase {

    public void testTheSignTestAndThePreferenceByHand() {
        // 9 wins, 1 loss: P(X <= 1) = (1 + 10) / 1024, two-sided twice that
        assertThat(InterleavingOutcome.signTest(9, 1), closeTo(22.0 / 1024, 1e-12));
        assertThat(InterleavingOutcome.signTest(5, 5), equalTo(1.0));
        assertThat(InterleavingOutcome.signTest(0, 0), equalTo(1.0));
        InterleavingOutcome outcome = new InterleavingOutcome(30, 10, 10, 50);
        assertThat(outcome.preference(), closeTo((30 + 5) / 50.0 - 0.5, 1e-12));
        assertThat(outcome.winner(0.05), equalTo("a"));
        assertThat(new InterleavingOutcome(10, 30, 10, 0).winner(0.05), equalTo("b"));
        assertNull(new InterleavingOutcome(12, 10, 3, 0).winner(0.05));
        String json = Strings.toString(outcome);
        assertThat(json, containsString("\"a\":{\"wins\":30,\"losses\":10,\"ties\":10}"));
        assertThat(json, containsString("\"preferred\":\"a\""));
        // a large experiment: still exact, and tiny
        assertThat(InterleavingOutcome.signTest(600_000, 400_000), lessThan(1e-300));
    }

    /** Shoppers click each of the ten results with a probability of the ranking that placed it. */
    static InterleavingOutcome experiment(Random random, List<Integer> a, List<Integer> b, double[] attraction, int n) {
        long winsA = 0, winsB = 0, ties = 0, none = 0;
        for (int i = 0; i < n; i++) {
            List<TeamDraft.Pick<Integer>> page = TeamDraft.interleave(a, b, 10, random.nextLong());
            int[] clicks = new int[3]; // a, b, and the common prefix, which credits neither
            for (int k = 0; k < page.size(); k++) {
                double examined = 1.0 / (k + 1);
                if (random.nextDouble() < examined * attraction[page.get(k).key()]) {
                    clicks[page.get(k).side()]++;
                }
            }
            if (clicks[0] + clicks[1] == 0) {
                none++;
            } else if (clicks[0] > clicks[1]) {
                winsA++;
            } else if (clicks[1] > clicks[0]) {
                winsB++;
            } else {
                ties++;
            }
        }
        return new InterleavingOutcome(winsA, winsB, ties, none);
    }

    public void testEquallyGoodRankingsRarelyClaimAWinnerAndABetterOneWins() {
        Random random = new Random(randomLong());
        // products come in pairs of equal attraction: swapping the two of each pair changes the ranking, not its worth
        double[] attraction = new double[20];
        for (int d = 0; d < 20; d++) {
            attraction[d] = 0.6 * Math.pow(0.85, d / 2);
        }
        List<Integer> best = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        List<Integer> swapped = List.of(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10);
        int falseClaims = 0;
        for (int e = 0; e < 200; e++) {
            InterleavingOutcome outcome = experiment(random, best, swapped, attraction, 300);
            assertThat("no common prefix: impressions decide", outcome.decided(), greaterThan(0L));
            if (outcome.winner(0.05) != null) {
                falseClaims++;
            }
        }
        // 5% of 200 is 10 (the sign test with ties set aside is a little conservative)
        assertThat("false claims between equally good rankings", falseClaims, lessThan(22));
        List<Integer> worse = List.of(6, 0, 7, 1, 2, 8, 4, 3, 11, 5, 9, 10);
        InterleavingOutcome outcome = experiment(random, best, worse, attraction, 3000);
        assertThat(outcome.winner(0.05), equalTo("a"));
        assertThat(outcome.preference(), greaterThan(0.0));
        assertThat(outcome.preference() - outcome.margin(), greaterThan(0.0));
    }
}
