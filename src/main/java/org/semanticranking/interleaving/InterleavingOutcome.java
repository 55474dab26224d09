package org.semanticranking.interleaving;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Locale;

/**
 * What an interleaving experiment's impressions say: an impression is a win for the side its clicks credit more, a tie
 * when they credit both as much, and says nothing when no click credits a side (none, or only on results both lists
 * rank alike). Under team draft a click credits the side that picked the result, 1; under optimized interleaving it
 * credits the side that ranks the result higher, by how much ({@link OptimizedInterleaving.Credit}). The preference is Chapelle et al.'s
 * (TOIS 2012) {@code (wins + ties / 2) / (wins + losses + ties) - 0.5} for side {@code a}, in [-0.5, 0.5], with a 95%
 * normal confidence interval over the impressions with a click.
 *
 * <p>Two tests of "one ranking is preferred", over the same impressions: the sign test of wins against losses (exact
 * binomial), which counts an impression with three clicks on one side and two on the other as one whole win; and the
 * paired t-test of the credit difference per impression ({@code credit to a - credit to b}; under team draft the click
 * difference), which keeps the margin. The second is the more sensitive when shoppers click several results a page
 * (benchmarks/README.md, issue 17): the default.
 *
 * @param clicksA               the clicks (carts, purchases) on results that credit side {@code a}, over every impression
 * @param creditA               what those clicks credit side {@code a}, over every impression
 * @param sumSquaredDifferences the sum over impressions of {@code (credit to a - credit to b)^2}
 */
public record InterleavingOutcome(
        long winsA,
        long winsB,
        long ties,
        long withoutClicks,
        long clicksA,
        long clicksB,
        double creditA,
        double creditB,
        double sumSquaredDifferences)
        implements ToXContentObject {

    /** The test that names the preferred side. */
    public enum Test {
        /** Paired t-test of the credit to a less the credit to b, per impression with a click that credits a side. */
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

    /** Counts impressions one by one: each impression's clicks that credit side {@code a} and side {@code b}. */
    public static final class Counter {
        private long winsA, winsB, ties, none, clicksA, clicksB;
        private double creditA, creditB, sumSquares;

        /** An impression of a team draft: each click credits the side that picked the result, 1. */
        public void add(long a, long b) {
            add(a, b, a, b);
        }

        /**
         * An impression whose {@code a} clicks credit side {@code a} by {@code toA} in all and whose {@code b} clicks
         * credit side {@code b} by {@code toB} (both at least 0).
         */
        public void add(long a, long b, double toA, double toB) {
            clicksA += a;
            clicksB += b;
            creditA += toA;
            creditB += toB;
            sumSquares += (toA - toB) * (toA - toB);
            if (a == 0 && b == 0) {
                none++;
            } else if (toA > toB) {
                winsA++;
            } else if (toB > toA) {
                winsB++;
            } else {
                ties++;
            }
        }

        public long impressions() {
            return winsA + winsB + ties + none;
        }

        public InterleavingOutcome outcome() {
            return new InterleavingOutcome(winsA, winsB, ties, none, clicksA, clicksB, creditA, creditB, sumSquares);
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

    /** The mean of {@code credit to a - credit to b} over the impressions with a click that credits a side. */
    public double clickDifference() {
        return decided() == 0 ? 0 : (creditA - creditB) / decided();
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
            return creditA == creditB ? 1 : 0;
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
        double ahead = test == Test.SIGN ? winsA - winsB : creditA - creditB;
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
                .field("credit", creditA)
                .endObject();
        builder.startObject("b")
                .field("wins", winsB)
                .field("losses", winsA)
                .field("ties", ties)
                .field("clicks", clicksB)
                .field("credit", creditB)
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
