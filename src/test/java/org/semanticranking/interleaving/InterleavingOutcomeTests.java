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
 * The statistics of an interleaving experiment: the sign test and the click-difference t-test by hand, the preference, and on simulated shoppers the
 * two properties that matter: between two different rankings that are equally good about 5% of experiments claim a
 * winner at p < 0.05, and a ranking whose results are clicked more wins.
 */
public class InterleavingOutcomeTests extends ESTestCase {

    public void testTheSignTestAndThePreferenceByHand() {
        // 9 wins, 1 loss: P(X <= 1) = (1 + 10) / 1024, two-sided twice that
        assertThat(InterleavingOutcome.signTest(9, 1), closeTo(22.0 / 1024, 1e-12));
        assertThat(InterleavingOutcome.signTest(5, 5), equalTo(1.0));
        // 6 against 5: P(X <= 5) for Bin(11, 1/2) is exactly one half, so the two-sided p is 1
        assertThat(InterleavingOutcome.signTest(6, 5), closeTo(1.0, 1e-12));
        assertThat(InterleavingOutcome.signTest(2, 9), closeTo(2 * (1 + 11 + 55) / 2048.0, 1e-12));
        assertThat(InterleavingOutcome.signTest(0, 0), equalTo(1.0));
        InterleavingOutcome outcome = counted(30, 10, 10, 50);
        assertThat(outcome.preference(), closeTo((30 + 5) / 50.0 - 0.5, 1e-12));
        assertThat(outcome.winner(InterleavingOutcome.Test.SIGN, 0.05), equalTo("a"));
        assertThat(counted(10, 30, 10, 0).winner(InterleavingOutcome.Test.SIGN, 0.05), equalTo("b"));
        assertNull(counted(12, 10, 3, 0).winner(InterleavingOutcome.Test.SIGN, 0.05));
        String json = Strings.toString(outcome);
        assertThat(json, containsString("\"a\":{\"wins\":30,\"losses\":10,\"ties\":10,\"clicks\":40,\"credit\":40.0}"));
        assertThat(json, containsString("\"test\":\"click_difference\""));
        assertThat(json, containsString("\"preferred\":\"a\""));
        // a large experiment: still exact, and tiny
        assertThat(InterleavingOutcome.signTest(600_000, 400_000), lessThan(1e-300));
    }

    /** Wins of one click to none, losses of none to one, ties of one click each, impressions without clicks. */
    private static InterleavingOutcome counted(int wins, int losses, int ties, int none) {
        InterleavingOutcome.Counter counter = new InterleavingOutcome.Counter();
        for (int i = 0; i < wins; i++) {
            counter.add(1, 0);
        }
        for (int i = 0; i < losses; i++) {
            counter.add(0, 1);
        }
        for (int i = 0; i < ties; i++) {
            counter.add(1, 1);
        }
        for (int i = 0; i < none; i++) {
            counter.add(0, 0);
        }
        return counter.outcome();
    }

    public void testTheClickDifferenceTestByHand() {
        // differences 3, -1, 1, 1 (and an impression without clicks, which is left out): mean 1, sample variance 8/3
        InterleavingOutcome.Counter counter = new InterleavingOutcome.Counter();
        counter.add(3, 0);
        counter.add(0, 1);
        counter.add(2, 1);
        counter.add(1, 0);
        counter.add(0, 0);
        InterleavingOutcome outcome = counter.outcome();
        assertThat(outcome.decided(), equalTo(4L));
        assertThat(outcome.clickDifference(), closeTo(1.0, 1e-12));
        // t = 1 / sqrt(8/3 / 4) = 1.2247 on 3 degrees of freedom: two-sided p = 0.30807 (the closed form of Student's
        // t at 3 degrees: F(t) = 1/2 + (t / (sqrt(3) (1 + t^2/3)) + atan(t / sqrt(3))) / pi)
        assertThat(outcome.clickDifferencePValue(), closeTo(0.3080680, 1e-6));
        // t(0.975, 3) = 3.1824
        assertThat(outcome.clickDifferenceMargin(), closeTo(3.1824 * Math.sqrt(8.0 / 3 / 4), 1e-3));
        // three wins and a loss: the sign test, blind to the margins, says p = 0.625
        assertThat(outcome.pValue(), closeTo(0.625, 1e-12));
        assertNull(outcome.winner(0.05));
        // the margin decides where the wins alone cannot: 20 wins of 3 clicks to 0 against 20 losses of 0 to 1
        InterleavingOutcome.Counter margins = new InterleavingOutcome.Counter();
        for (int i = 0; i < 20; i++) {
            margins.add(3, 0);
            margins.add(0, 1);
        }
        InterleavingOutcome byMargin = margins.outcome();
        assertThat(byMargin.pValue(), equalTo(1.0));
        assertNull(byMargin.winner(InterleavingOutcome.Test.SIGN, 0.05));
        assertThat(byMargin.clickDifferencePValue(), lessThan(0.05));
        assertThat(byMargin.winner(0.05), equalTo("a"));
        String json = Strings.toString(byMargin);
        assertThat(json, containsString("\"click_difference\":{\"mean\":1.0,\"confidence_interval_95\":["));
        assertThat(json, containsString("\"sign_test\":{\"p_value\":1.0}"));
        expectThrows(IllegalArgumentException.class, () -> InterleavingOutcome.Test.parse("wilcoxon"));
    }

    /** Credits weigh clicks: the impression is won by the side credited more, the t-test is on the credit difference. */
    public void testCreditsWeighTheClicks() {
        InterleavingOutcome.Counter counter = new InterleavingOutcome.Counter();
        // two clicks crediting a little against one crediting b much: b wins, though a has more clicks
        counter.add(2, 1, 0.5, 3.0);
        counter.add(1, 0, 2.0, 0);
        counter.add(1, 1, 1.0, 1.0);
        counter.add(0, 0, 0, 0);
        InterleavingOutcome outcome = counter.outcome();
        assertThat(outcome.winsA(), equalTo(1L));
        assertThat(outcome.winsB(), equalTo(1L));
        assertThat(outcome.ties(), equalTo(1L));
        assertThat(outcome.clicksA(), equalTo(4L));
        // differences -2.5, 2, 0: mean -1/6, sample variance (6.25 + 4 + 0 - 3 / 36) / 2
        assertThat(outcome.clickDifference(), closeTo(-0.5 / 3, 1e-12));
        double variance = (6.25 + 4 - 3 * Math.pow(0.5 / 3, 2)) / 2;
        assertThat(outcome.clickDifferenceMargin(), closeTo(4.302653 * Math.sqrt(variance / 3), 1e-5));
        String json = Strings.toString(outcome);
        assertThat(json, containsString("\"b\":{\"wins\":1,\"losses\":1,\"ties\":1,\"clicks\":2,\"credit\":4.0}"));
    }

    /** Shoppers click each of the ten results with a probability of the ranking that placed it. */
    static InterleavingOutcome experiment(Random random, List<Integer> a, List<Integer> b, double[] attraction, int n) {
        InterleavingOutcome.Counter counter = new InterleavingOutcome.Counter();
        for (int i = 0; i < n; i++) {
            List<TeamDraft.Pick<Integer>> page = TeamDraft.interleave(a, b, 10, random.nextLong());
            int[] clicks = new int[3]; // a, b, and the common prefix, which credits neither
            for (int k = 0; k < page.size(); k++) {
                double examined = 1.0 / (k + 1);
                if (random.nextDouble() < examined * attraction[page.get(k).key()]) {
                    clicks[page.get(k).side()]++;
                }
            }
            counter.add(clicks[0], clicks[1]);
        }
        return counter.outcome();
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
        int[] falseClaims = new int[2];
        for (int e = 0; e < 200; e++) {
            InterleavingOutcome outcome = experiment(random, best, swapped, attraction, 300);
            assertThat("no common prefix: impressions decide", outcome.decided(), greaterThan(0L));
            for (InterleavingOutcome.Test test : InterleavingOutcome.Test.values()) {
                falseClaims[test.ordinal()] += outcome.winner(test, 0.05) != null ? 1 : 0;
            }
        }
        // 5% of 200 is 10 (the sign test with ties set aside is a little conservative)
        assertThat("false claims, click difference", falseClaims[0], lessThan(22));
        assertThat("false claims, sign test", falseClaims[1], lessThan(22));
        List<Integer> worse = List.of(6, 0, 7, 1, 2, 8, 4, 3, 11, 5, 9, 10);
        InterleavingOutcome outcome = experiment(random, best, worse, attraction, 3000);
        assertThat(outcome.winner(0.05), equalTo("a"));
        assertThat(outcome.winner(InterleavingOutcome.Test.SIGN, 0.05), equalTo("a"));
        assertThat(outcome.clickDifference() - outcome.clickDifferenceMargin(), greaterThan(0.0));
        assertThat(outcome.preference(), greaterThan(0.0));
        assertThat(outcome.preference() - outcome.margin(), greaterThan(0.0));
    }
}
