package org.semanticranking.interleaving;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Locale;

/**
 * What an interleaving experiment's impressions say: an impression is a win for the side whose results got more of its
 * clicks, a tie when they got as many, and says nothing when no click went to a side (none, or only on the results
 * both lists begin with). The preference is Chapelle et al.'s
 * (TOIS 2012) {@code (wins + ties / 2) / (wins + losses + ties) - 0.5} for side {@code a}, in [-0.5, 0.5], with a 95%
 * normal confidence interval over the impressions with a click.
 *
 * <p>Two tests of "one ranking is preferred", over the same impressions: the sign test of wins against losses (exact
 * binomial), which counts an impression with three clicks on one side and two on the other as one whole win; and the
 * paired t-test of the click difference per impression ({@code clicks on a - clicks on b}), which keeps the margin. The
 * second is the more sensitive when shoppers click several results a page (benchmarks/README.md, issue 17): the
 * default.
 *
 * @param clicksA               the clicks (carts, purchases) on side {@code a}'s results, over every impression
 * @param sumSquaredDifferences the sum over impressions of {@code (clicks on a - clicks on b)^2}
 */
public record InterleavingOutcome(
        long winsA, long winsB, long ties, long withoutClicks, long clicksA, long clicksB, long sumSquaredDifferences)
        implements ToXContentObject {

    /** The test that names the preferred side. */
    public enum Test {
        /** Paired t-test of the clicks on a less the clicks on b, per impression with a click on a side. */
        CLICK_DIFFERENCE,
        /** Exact two-sided sign test of wins against losses. */
        SIGN;

        public static Test parse(String value) {
            for (Test t : values()) {
                if (t.value().equals(value)) {
                    return t;
                }
            }
            throw new IllegalArgumentException(
                    "[test] must be one of [click_difference, sign] but was [" + value + "]");
        }

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Counts impressions one by one: each impression's clicks on side {@code a}'s results and on side {@code b}'s. */
    public static final class Counter {
        private long winsA, winsB, ties, none, clicksA, clicksB, sumSquares;

        public void add(long a, long b) {
            clicksA += a;
            clicksB += b;
            sumSquares += (a - b) * (a - b);
            if (a == 0 && b == 0) {
                none++;
            } else if (a > b) {
                winsA++;
            } else if (b > a) {
                winsB++;
            } else {
                ties++;
            }
        }

        public long impressions() {
            return winsA + winsB + ties + none;
        }

        public InterleavingOutcome outcome() {
            return new InterleavingOutcome(winsA, winsB, ties, none, clicksA, clicksB, sumSquares);
        }
    }

    public long decided() {
        return winsA + winsB + ties;
    }

    public double preference() {
        return decided() == 0 ? 0 : (winsA + ties / 2.0) / decided() - 0.5;
    }

    /** Half the width of the 95% interval of {@link #preference}. */
    public double margin() {
        long n = decided();
        if (n < 2) {
            return Double.NaN;
        }
        double mean = preference() + 0.5;
        // each impression scores 1 (a wins), 0.5 (tie) or 0 (b wins)
        double sumSquares = winsA * Math.pow(1 - mean, 2) + ties * Math.pow(0.5 - mean, 2) + winsB * Math.pow(mean, 2);
        double sd = Math.sqrt(sumSquares / (n - 1));
        return 1.959964 * sd / Math.sqrt(n);
    }

    /** The sign test's p-value. */
    public double pValue() {
        return signTest(winsA, winsB);
    }

    /** The mean of {@code clicks on a - clicks on b} over the impressions with a click on a side. */
    public double clickDifference() {
        return decided() == 0 ? 0 : (double) (clicksA - clicksB) / decided();
    }

    /** The standard error of {@link #clickDifference}; NaN below two impressions with a click. */
    double clickDifferenceStandardError() {
        long n = decided();
        if (n < 2) {
            return Double.NaN;
        }
        double mean = clickDifference();
        double variance = Math.max(0, (sumSquaredDifferences - n * mean * mean) / (n - 1));
        return Math.sqrt(variance / n);
    }

    /** Half the width of the 95% interval of {@link #clickDifference} (Student's t). */
    public double clickDifferenceMargin() {
        double se = clickDifferenceStandardError();
        return Double.isNaN(se) ? Double.NaN : tQuantile975(decided() - 1) * se;
    }

    /** The two-sided paired t-test's p-value of a click difference of 0. */
    public double clickDifferencePValue() {
        double se = clickDifferenceStandardError();
        if (Double.isNaN(se)) {
            return 1;
        }
        if (se == 0) {
            // every impression differs by the same: no spread to weigh it against
            return clicksA == clicksB ? 1 : 0;
        }
        double t = Math.abs(clickDifference()) / se;
        return Math.min(1, 2 * new TDistribution(null, decided() - 1).cumulativeProbability(-t));
    }

    private static double tQuantile975(long degreesOfFreedom) {
        return new TDistribution(null, degreesOfFreedom).inverseCumulativeProbability(0.975);
    }

    public double pValue(Test test) {
        return test == Test.SIGN ? pValue() : clickDifferencePValue();
    }

    /** {@code "a"}, {@code "b"}, or {@code null} when {@code test} finds no preference significant at {@code alpha}. */
    public String winner(Test test, double alpha) {
        long ahead = test == Test.SIGN ? winsA - winsB : clicksA - clicksB;
        if (ahead == 0 || pValue(test) >= alpha) {
            return null;
        }
        return ahead > 0 ? "a" : "b";
    }

    /** The winner by the default test, {@link Test#CLICK_DIFFERENCE}. */
    public String winner(double alpha) {
        return winner(Test.CLICK_DIFFERENCE, alpha);
    }

    /** Two-sided exact binomial test of {@code x} successes against {@code y} at one half. */
    static double signTest(long x, long y) {
        long n = x + y;
        if (n == 0) {
            return 1;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many impressions for the sign test: " + n);
        }
        // symmetric at one half: twice the lower tail (commons-math's two-sided BinomialTest counts the middle twice)
        return Math.min(
                1, 2 * new BinomialDistribution(null, (int) n, 0.5).cumulativeProbability((int) Math.min(x, y)));
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return toXContent(builder, Test.CLICK_DIFFERENCE);
    }

    /** The counts, both tests, and the side {@code test} prefers at p < 0.05. */
    public XContentBuilder toXContent(XContentBuilder builder, Test test) throws IOException {
        builder.startObject();
        builder.startObject("a")
                .field("wins", winsA)
                .field("losses", winsB)
                .field("ties", ties)
                .field("clicks", clicksA)
                .endObject();
        builder.startObject("b")
                .field("wins", winsB)
                .field("losses", winsA)
                .field("ties", ties)
                .field("clicks", clicksB)
                .endObject();
        builder.field("impressions_with_clicks", decided());
        builder.field("impressions_without_clicks", withoutClicks);
        builder.field("preference", preference());
        interval(builder, preference(), margin());
        builder.startObject("sign_test").field("p_value", pValue()).endObject();
        builder.startObject("click_difference").field("mean", clickDifference());
        interval(builder, clickDifference(), clickDifferenceMargin());
        builder.field("p_value", clickDifferencePValue()).endObject();
        builder.field("test", test.value());
        builder.field("p_value", pValue(test));
        String winner = winner(test, 0.05);
        builder.field("preferred", winner == null ? "none" : winner);
        return builder.endObject();
    }

    private static void interval(XContentBuilder builder, double centre, double margin) throws IOException {
        if (Double.isNaN(margin) == false) {
            builder.startArray("confidence_interval_95")
                    .value(centre - margin)
                    .value(centre + margin)
                    .endArray();
        }
    }
}
