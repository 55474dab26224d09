package org.semanticranking.interleaving;

import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;

/**
 * What an interleaving experiment's impressions say: an impression is a win for the side whose results got more of its
 * clicks, a tie when they got as many, and says nothing when no click went to a side (none, or only on the results
 * both lists begin with). The preference is Chapelle et al.'s
 * (TOIS 2012) {@code (wins + ties / 2) / (wins + losses + ties) - 0.5} for side {@code a}, in [-0.5, 0.5], with a 95%
 * normal confidence interval over the impressions with a click; the p-value is the two-sided sign test of wins against
 * losses (exact binomial), which is what "one ranking is preferred" claims.
 */
public record InterleavingOutcome(long winsA, long winsB, long ties, long withoutClicks) implements ToXContentObject {

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

    public double pValue() {
        return signTest(winsA, winsB);
    }

    /** {@code "a"}, {@code "b"}, or {@code null} when the preference is not significant at {@code alpha}. */
    public String winner(double alpha) {
        if (pValue() >= alpha || winsA == winsB) {
            return null;
        }
        return winsA > winsB ? "a" : "b";
    }

    /** Two-sided exact binomial test of {@code x} successes against {@code y} at one half. */
    static double signTest(long x, long y) {
        long n = x + y;
        if (n == 0) {
            return 1;
        }
        long k = Math.min(x, y);
        // P(X <= k) for X ~ Bin(n, 1/2), summed in log space: n may be in the millions
        double logHalfN = n * Math.log(0.5);
        double logC = 0; // log C(n, 0)
        double tail = 0;
        for (long i = 0; i <= k; i++) {
            if (i > 0) {
                logC += Math.log((double) (n - i + 1) / i);
            }
            tail += Math.exp(logC + logHalfN);
        }
        return Math.min(1, 2 * tail);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.startObject("a")
                .field("wins", winsA)
                .field("losses", winsB)
                .field("ties", ties)
                .endObject();
        builder.startObject("b")
                .field("wins", winsB)
                .field("losses", winsA)
                .field("ties", ties)
                .endObject();
        builder.field("impressions_with_clicks", decided());
        builder.field("impressions_without_clicks", withoutClicks);
        builder.field("preference", preference());
        double margin = margin();
        if (Double.isNaN(margin) == false) {
            builder.startArray("confidence_interval_95")
                    .value(preference() - margin)
                    .value(preference() + margin)
                    .endArray();
        }
        builder.field("p_value", pValue());
        String winner = winner(0.05);
        builder.field("preferred", winner == null ? "none" : winner);
        return builder.endObject();
    }
}
