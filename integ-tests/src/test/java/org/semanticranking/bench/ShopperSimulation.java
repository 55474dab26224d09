package org.semanticranking.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The shoppers of {@link ShopperSimulationBenchmark}, apart from any node: four kinds of taste, two click models, and
 * what the rows are scored with. Nothing here knows the plugin's features: a taste is a function of the product as the
 * catalogue describes it and of the result list it is seen in, and the features are the ranker's own business.
 *
 * <ul>
 *   <li>{@link Kind#EMBEDDING}: a taste in the embedding space: one product of each interest's results is the kind of
 *       thing they like; preference rises with the product's nearest cosine to those, ranked within the list;</li>
 *   <li>{@link Kind#BRAND}: two favourite brands, drawn from the results of their interests;</li>
 *   <li>{@link Kind#PRICE}: price sensitivity: half want the cheapest of a list, half the dearest;</li>
 *   <li>{@link Kind#CATEGORY}: recurring category interests: two favourite product types, drawn from their
 *       interests' results.</li>
 * </ul>
 *
 * <p>A preference is {@code floor + (1 - floor) x taste}, taste in [0, 1].
 */
final class ShopperSimulation {

    static final double FLOOR = Double.parseDouble(System.getProperty("bench.shoppers.floor", "0.1"));
    static final double EXAMINATION_POWER = 0.8;
    static final double CART_GIVEN_CLICK = 0.3;

    private ShopperSimulation() {}

    /** A product as the simulation sees it. */
    record Product(String id, String brand, String type, double price, float[] vector) {}

    /** A query's result list the tastes are ranked within (the hybrid's window). */
    record Window(String queryId, List<Product> products) {}

    enum Kind {
        EMBEDDING,
        BRAND,
        PRICE,
        CATEGORY;

        String label() {
            return switch (this) {
                case EMBEDDING -> "taste in the embedding space";
                case BRAND -> "brand loyalty";
                case PRICE -> "price sensitivity";
                case CATEGORY -> "recurring category interests";
            };
        }
    }

    /** What the shopper likes. */
    record Shopper(
            String id,
            Kind kind,
            List<String> interests,
            List<float[]> anchors,
            List<String> brands,
            List<String> types,
            boolean cheap) {

        /** In [FLOOR, 1]: how much the shopper wants the product when it is shown in that list. */
        double preference(Product p, Window w) {
            double taste = switch (kind) {
                case EMBEDDING -> Math.pow(percentile(nearest(p), w, this::nearest), 3);
                case BRAND -> p.brand() != null && brands.contains(p.brand()) ? 1 : 0;
                case PRICE -> {
                    double pct = percentile(price(p), w, ShopperSimulation::price);
                    yield Math.pow(cheap ? 1 - pct : pct, 2);
                }
                case CATEGORY -> p.type() != null && types.contains(p.type()) ? 1 : 0;
            };
            return FLOOR + (1 - FLOOR) * taste;
        }

        double nearest(Product p) {
            double best = -1;
            for (float[] a : anchors) {
                best = Math.max(best, cosine(a, p.vector()));
            }
            return best;
        }
    }

    static double price(Product p) {
        return Double.isFinite(p.price()) && p.price() > 0 ? Math.log(p.price()) : Double.NaN;
    }

    /** The share of the list's products whose value is below {@code x} (ties count half); 0.5 without a value. */
    static double percentile(double x, Window w, java.util.function.ToDoubleFunction<Product> value) {
        if (Double.isNaN(x)) {
            return 0.5;
        }
        double below = 0;
        int n = 0;
        for (Product q : w.products()) {
            double v = value.applyAsDouble(q);
            if (Double.isNaN(v)) {
                continue;
            }
            n++;
            below += v < x ? 1 : v == x ? 0.5 : 0;
        }
        return n == 0 ? 0.5 : below / n;
    }

    static double cosine(float[] a, float[] b) {
        if (a == null || b == null) {
            return -1;
        }
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb + 1e-12);
    }

    /** How likely a shopper who looks at the product clicks it for its relevance to the query (judged grade). */
    static double relevance(Integer grade) {
        if (grade == null) {
            return 0.1;
        }
        return switch (grade) {
            case 0 -> 0.05;
            case 1 -> 0.25;
            case 2 -> 0.6;
            default -> 0.9;
        };
    }

    /**
     * Shoppers of one kind: four interests each (queries with a relevant product), and their tastes drawn from the
     * results of those interests, so that a taste can show in what they are shown.
     */
    static List<Shopper> shoppers(
            Kind kind, int count, String prefix, List<String> answerable, Map<String, Window> windows, Random random) {
        List<Shopper> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> interests = new ArrayList<>();
            while (interests.size() < 4) {
                String q = answerable.get(random.nextInt(answerable.size()));
                if (interests.contains(q) == false) {
                    interests.add(q);
                }
            }
            List<Product> seen = new ArrayList<>();
            List<float[]> anchors = new ArrayList<>();
            for (String q : interests) {
                List<Product> top = windows.get(q).products();
                top = top.subList(0, Math.min(20, top.size()));
                seen.addAll(top);
                anchors.add(top.get(random.nextInt(top.size())).vector());
            }
            out.add(new Shopper(
                    prefix + kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + i,
                    kind,
                    interests,
                    anchors,
                    two(seen, Product::brand, random),
                    two(seen, Product::type, random),
                    random.nextBoolean()));
        }
        return out;
    }

    private static List<String> two(
            List<Product> seen, java.util.function.Function<Product, String> of, Random random) {
        List<String> values = new ArrayList<>();
        for (int tries = 0; tries < 200 && values.size() < 2; tries++) {
            String v = of.apply(seen.get(random.nextInt(seen.size())));
            if (v != null && values.contains(v) == false) {
                values.add(v);
            }
        }
        return values;
    }

    /** Mostly one of the shopper's interests, sometimes any query. */
    static String nextQuery(Shopper shopper, List<String> all, Random random) {
        return random.nextDouble() < 0.8
                ? shopper.interests().get(random.nextInt(shopper.interests().size()))
                : all.get(random.nextInt(all.size()));
    }

    /** How shoppers click a page: each slot's attraction is relevance x preference. */
    enum ClickModel {
        /** Position-based: a slot is looked at with probability 1 / (slot + 1)^0.8, whatever was clicked above. */
        PBM,
        /**
         * A cascade with satisfaction: the shopper reads top down, clicks a slot with its attraction, and stops once
         * satisfied, with the attraction of what they clicked as the chance; otherwise they read on.
         */
        CASCADE;

        /** The slots clicked. */
        List<Integer> clicks(double[] attraction, Random random) {
            List<Integer> clicked = new ArrayList<>();
            for (int r = 0; r < attraction.length; r++) {
                if (this == PBM) {
                    if (random.nextDouble() < examination(r) * attraction[r]) {
                        clicked.add(r);
                    }
                } else if (random.nextDouble() < attraction[r]) {
                    clicked.add(r);
                    if (random.nextDouble() < attraction[r]) {
                        break;
                    }
                }
            }
            return clicked;
        }

        /** The clicks a page of these attractions gets on average. */
        double expectedClicks(double[] attraction) {
            double expected = 0, reach = 1;
            for (int r = 0; r < attraction.length; r++) {
                if (this == PBM) {
                    expected += examination(r) * attraction[r];
                } else {
                    expected += reach * attraction[r];
                    reach *= 1 - attraction[r] * attraction[r];
                }
            }
            return expected;
        }

        static double examination(int slot) {
            return 1 / Math.pow(slot + 1, EXAMINATION_POWER);
        }
    }
}
