package org.semanticranking.personalization.model;

import org.semanticranking.personalization.FeatureSpec;
import org.semanticranking.personalization.ProductSignals;
import org.semanticranking.personalization.Vectors;
import org.semanticranking.personalization.profile.UserProfile;

import java.util.List;

/**
 * The personalization features of one (user, product) pair, computed the same way for training (from
 * sources) and for rescoring (from doc values and vectors). Every feature is 0 when its input is missing,
 * so an unknown user scores the same for every product.
 */
public final class FeatureExtractor {

    /** Below this spread of log prices (about +-10%), a user's price range is treated as this wide. */
    public static final double MIN_LOG_PRICE_STD = 0.1;

    private final FeatureSpec spec;

    public FeatureExtractor(FeatureSpec spec) {
        this.spec = spec;
    }

    public int size() {
        return 2
                + spec.affinityFields().size()
                + (spec.priceField() != null ? 1 : 0)
                + (spec.priceLift() ? 1 : 0)
                + (spec.popularityField() != null ? 1 : 0)
                + (spec.clickLiftField() != null ? 1 : 0);
    }

    /**
     * @param profile       the user's profile, or {@code null}
     * @param sessionVector the mean vector of the user's latest events, or {@code null}
     */
    public double[] extract(UserProfile profile, float[] sessionVector, ProductSignals product) {
        double[] x = new double[size()];
        int i = 0;
        x[i++] = profile == null ? 0 : Vectors.cosine(profile.vector(), product.vector());
        x[i++] = Vectors.cosine(sessionVector, product.vector());
        for (String field : spec.affinityFields()) {
            x[i++] = profile == null ? 0 : affinity(profile, field, product.values(field));
        }
        if (spec.priceField() != null) {
            x[i++] = profile == null ? 0 : priceFit(profile.price(), product.price());
        }
        if (spec.priceLift()) {
            x[i++] = profile == null || profile.priceTaste() == null
                    ? 0
                    : profile.priceTaste().logLift(product.price());
        }
        if (spec.popularityField() != null) {
            x[i++] = Double.isFinite(product.popularity()) && product.popularity() > 0
                    ? Math.log1p(product.popularity())
                    : 0;
        }
        if (spec.clickLiftField() != null) {
            x[i++] = clickLift(product.clicks(), product.expectedClicks());
        }
        return x;
    }

    /**
     * log((clicks + 1) / (expected clicks + 1)): above 0 for a product clicked more than what its slots get on average,
     * below for one shown and passed over; 0 for one never shown (or not yet counted), as the prior of one click says.
     * Raw click counts mostly say which products sat in the top slots; this says which were chosen there.
     */
    static double clickLift(double clicks, double expected) {
        if (Double.isFinite(clicks) == false || Double.isFinite(expected) == false) {
            return 0;
        }
        return Math.log((Math.max(0, clicks) + 1) / (Math.max(0, expected) + 1));
    }

    /** The user's share for the product's values of the field (summed over multi-valued products, at most 1). */
    static double affinity(UserProfile profile, String field, List<String> values) {
        double sum = 0;
        for (String value : values) {
            sum += profile.affinity(field, value);
        }
        return Math.min(1, sum);
    }

    /** 1 at the user's typical (log) price, falling as a Gaussian with the spread of their prices; 0 when either is unknown. */
    public static double priceFit(UserProfile.PriceStats stats, double price) {
        if (stats == null || Double.isFinite(price) == false || price <= 0) {
            return 0;
        }
        double z = (Math.log(price) - stats.logMean()) / Math.max(MIN_LOG_PRICE_STD, stats.logStd());
        return Math.exp(-0.5 * z * z);
    }
}
