package org.semanticranking.bench;

import org.semanticranking.bench.PersonalizationBenchmark.Product;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What the best possible estimate of a shopper's tastes can know from their own logged searches: the posterior of
 * their two favourite brands and their price band given every click and non-click they made, under the simulation's
 * exact click model (examination of the slot x relevance of the judged grade x preference) and its exact prior
 * (favourites and band centre drawn from the products of their interests' first two pages). No engine can know the
 * click model or the judged grades, so this bounds what any profile built from the same events can give.
 *
 * <p>The posterior expected preference of a product, {@code 0.6 P(brand is a favourite) + 0.4 P(price in band)}, is
 * the score; it ranks like the expected preference (the floor only shifts and scales it).
 */
final class TastePosterior {

    /** A shown product of one logged search: its slot, the relevance of its judged grade, and whether it was clicked. */
    record View(Product product, int slot, double relevance, boolean clicked) {}

    private final Map<String, Double> favourite;
    private final double[] centres;
    private final double[] centreWeights;

    private TastePosterior(Map<String, Double> favourite, double[] centres, double[] centreWeights) {
        this.favourite = favourite;
        this.centres = centres;
        this.centreWeights = centreWeights;
    }

    double expectedPreference(Product p) {
        return 0.6 * favourite.getOrDefault(p.brand(), 0.0) + 0.4 * inBand(Math.log(p.price()));
    }

    private double inBand(double logPrice) {
        double sum = 0;
        for (int c = 0; c < centres.length; c++) {
            if (logPrice >= centres[c] - 0.5 && logPrice <= centres[c] + 0.5) {
                sum += centreWeights[c];
            }
        }
        return sum;
    }

    /**
     * @param seen     the products the simulation drew the shopper's tastes from (with their multiplicity)
     * @param views    every product the shopper was shown, clicked or not
     * @param floor    the preference of a product that matches no taste
     * @param examined the examination of a slot
     */
    static TastePosterior of(List<Product> seen, List<View> views, double floor, ToDoubleFunction<Integer> examined) {
        // brand prior: a drawn from the seen products, b drawn again until it differs: P(a) P(b) / (1 - P(a))
        Map<String, Integer> index = new HashMap<>();
        List<String> brands = new ArrayList<>();
        List<Double> counts = new ArrayList<>();
        for (Product p : seen) {
            Integer k = index.get(p.brand());
            if (k == null) {
                index.put(p.brand(), brands.size());
                brands.add(p.brand());
                counts.add(1.0);
            } else {
                counts.set(k, counts.get(k) + 1);
            }
        }
        int nBrands = brands.size();
        double[] prior = new double[nBrands];
        for (int k = 0; k < nBrands; k++) {
            prior[k] = counts.get(k) / seen.size();
        }
        // centre prior: the log price of a seen product (as the simulation draws it), each with its multiplicity
        double[] centres =
                seen.stream().mapToDouble(p -> Math.log(Math.max(1, p.price()))).toArray();
        int nViews = views.size();
        double[] logPrice = new double[nViews], attract = new double[nViews];
        int[] brandOf = new int[nViews];
        for (int v = 0; v < nViews; v++) {
            View view = views.get(v);
            logPrice[v] = Math.log(view.product().price());
            attract[v] = examined.applyAsDouble(view.slot()) * view.relevance();
            brandOf[v] = index.getOrDefault(view.product().brand(), -1);
        }
        double[] logWeight = new double[centres.length];
        double[][] favouriteGivenCentre = new double[centres.length][nBrands];
        for (int c = 0; c < centres.length; c++) {
            // log-likelihood of all views with no favourite brand, and what making brand k a favourite adds
            double base = 0;
            double[] delta = new double[nBrands];
            for (int v = 0; v < nViews; v++) {
                double band = logPrice[v] >= centres[c] - 0.5 && logPrice[v] <= centres[c] + 0.5 ? 0.4 : 0;
                double without = logLikelihood(
                        attract[v] * (floor + (1 - floor) * band), views.get(v).clicked());
                base += without;
                if (brandOf[v] >= 0) {
                    delta[brandOf[v]] += logLikelihood(
                                    attract[v] * (floor + (1 - floor) * (0.6 + band)),
                                    views.get(v).clicked())
                            - without;
                }
            }
            // ordered pairs (a, b), a != b: weight P(a) / (1 - P(a)) e^delta_a x P(b) e^delta_b
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < nBrands; k++) {
                max = Math.max(max, Math.log(prior[k]) + delta[k]);
            }
            double[] e = new double[nBrands], g = new double[nBrands];
            double sumE = 0, sumG = 0;
            for (int k = 0; k < nBrands; k++) {
                e[k] = Math.exp(Math.log(prior[k]) + delta[k] - max);
                g[k] = prior[k] < 1 ? e[k] / (1 - prior[k]) : 0;
                sumE += e[k];
                sumG += g[k];
            }
            double total = 0;
            double[] asFavourite = new double[nBrands];
            for (int k = 0; k < nBrands; k++) {
                // the others summed directly, not as sumE - e[k]: one brand can dominate by many orders of magnitude
                double othersE = 0, othersG = 0;
                for (int j = 0; j < nBrands; j++) {
                    if (j != k) {
                        othersE += e[j];
                        othersG += g[j];
                    }
                }
                total += g[k] * othersE;
                asFavourite[k] = g[k] * othersE + e[k] * othersG;
            }
            for (int k = 0; k < nBrands; k++) {
                favouriteGivenCentre[c][k] = total > 0 ? asFavourite[k] / total : 0;
            }
            logWeight[c] = base + 2 * max + Math.log(Math.max(total, Double.MIN_VALUE));
        }
        double maxW = Double.NEGATIVE_INFINITY;
        for (double w : logWeight) {
            maxW = Math.max(maxW, w);
        }
        double[] weights = new double[centres.length];
        double z = 0;
        for (int c = 0; c < centres.length; c++) {
            weights[c] = Math.exp(logWeight[c] - maxW);
            z += weights[c];
        }
        Map<String, Double> favourite = new HashMap<>();
        for (int c = 0; c < centres.length; c++) {
            weights[c] /= z;
            for (int k = 0; k < nBrands; k++) {
                favourite.merge(brands.get(k), weights[c] * favouriteGivenCentre[c][k], Double::sum);
            }
        }
        return new TastePosterior(favourite, centres, weights);
    }

    private static double logLikelihood(double clickProbability, boolean clicked) {
        double p = Math.min(Math.max(clickProbability, 1e-9), 1 - 1e-9);
        return clicked ? Math.log(p) : Math.log(1 - p);
    }
}
