package org.semanticranking.personalization.profile;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where on the price scale a shopper clicks more than the slots they were shown predict. Per bin of log price
 * ({@value #BIN_WIDTH} wide, about 10%), it keeps the shopper's clicks in result lists and their expected clicks:
 * for every product they were shown, the click rate of its slot over all shoppers ({@link PositionClickRates}).
 *
 * <p>Why not the mean and spread of clicked prices ({@link UserProfile.PriceStats}): a shopper clicks cheap
 * batteries and dear laptops because that is what the lists they searched held, so clicked prices pool the
 * categories they shop in and centre on neither. Clicks against expected clicks at the same price compare the
 * shopper with what the lists would have drawn from anyone, and the comparison is local to the price
 * (benchmarks/README.md, "Personalization", stop 11).
 *
 * <p>{@link #logLift} is {@code log((clicks(x) + PRIOR x rate) / (expected(x) + PRIOR) / rate)}, both sums kernel
 * smoothed around the price x with a Gaussian of {@value #BANDWIDTH} in log price and {@code rate} the shopper's own
 * clicks per expected click: 0 where they click as often as anywhere else (or were shown nothing at that price),
 * above 0 where they click more. The prior of {@value #PRIOR} expected click keeps a single click from saying much.
 *
 * <p>It also keeps where in the lists' own price range the shopper clicks ({@link #listPosition}): a shopper who
 * takes the cheapest of every list, cables and laptops alike, has no price on the scale that says so.
 */
public final class PriceTaste implements Writeable, ToXContentObject {

    public static final double BIN_WIDTH = 0.1;
    static final double BANDWIDTH = 0.25;
    static final double PRIOR = 1.0;
    /** Bins further than this many bandwidths from a price weigh under 0.04% and are skipped. */
    private static final double REACH = 4;

    private final int[] bins;
    private final double[] clicks;
    private final double[] expected;
    private final double totalClicks;
    private final double totalExpected;
    /** Over the clicks in lists with other priced products: the sum of each click's {@code 2 x percentile - 1}. */
    private final double positionSum;

    private final double positionClicks;

    /** @param bins ascending bin indices ({@code floor(log(price) / BIN_WIDTH)}), with the clicks and expected clicks of each */
    public PriceTaste(int[] bins, double[] clicks, double[] expected) {
        this(bins, clicks, expected, 0, 0);
    }

    /**
     * @param positionSum    the sum, over clicks, of {@code 2 p - 1}, p the clicked price's percentile among the other
     *                       prices of its list (0 the cheapest, 1 the dearest), each click weighed as in the bins
     * @param positionClicks the sum of those clicks' weights
     */
    public PriceTaste(int[] bins, double[] clicks, double[] expected, double positionSum, double positionClicks) {
        if (finiteNonNegative(positionClicks) == false
                || Double.isFinite(positionSum) == false
                || Math.abs(positionSum) > positionClicks + 1e-9) {
            throw new IllegalArgumentException("[price_taste.list_position] needs finite [clicks] >= 0 and a [sum] "
                    + "between -clicks and clicks");
        }
        this.positionSum = positionSum;
        this.positionClicks = positionClicks;
        if (bins.length != clicks.length || bins.length != expected.length) {
            throw new IllegalArgumentException("[price_taste] needs as many [clicks] and [expected] as [bins]");
        }
        for (int i = 0; i < bins.length; i++) {
            if (i > 0 && bins[i] <= bins[i - 1]) {
                throw new IllegalArgumentException("[price_taste.bins] must be ascending and distinct");
            }
            if (finiteNonNegative(clicks[i]) == false || finiteNonNegative(expected[i]) == false) {
                throw new IllegalArgumentException(
                        "[price_taste] clicks and expected clicks must be finite numbers >= 0");
            }
        }
        this.bins = bins;
        this.clicks = clicks;
        this.expected = expected;
        this.totalClicks = Arrays.stream(clicks).sum();
        this.totalExpected = Arrays.stream(expected).sum();
    }

    public PriceTaste(StreamInput in) throws IOException {
        this(in.readIntArray(), in.readDoubleArray(), in.readDoubleArray(), in.readDouble(), in.readDouble());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeIntArray(bins);
        out.writeDoubleArray(clicks);
        out.writeDoubleArray(expected);
        out.writeDouble(positionSum);
        out.writeDouble(positionClicks);
    }

    /** One click's worth of prior at the middle of the lists: a single click says half of what it would alone. */
    static final double POSITION_PRIOR = 1.0;

    /**
     * Where in the price range of the lists they were shown the shopper clicks: from -1 (always the cheapest of the
     * list) to 1 (always the dearest), 0 in the middle or when unknown, shrunk towards 0 by {@value #POSITION_PRIOR}
     * click.
     */
    public double listPosition() {
        return positionSum / (positionClicks + POSITION_PRIOR);
    }

    private static boolean finiteNonNegative(double v) {
        return Double.isFinite(v) && v >= 0;
    }

    public static int bin(double logPrice) {
        return (int) Math.floor(logPrice / BIN_WIDTH);
    }

    /** How much more (above 0) or less (below 0) this shopper clicks at this price than their slots predict; 0 when unknown. */
    public double logLift(double price) {
        if (Double.isFinite(price) == false || price <= 0 || totalClicks <= 0 || totalExpected <= 0) {
            return 0;
        }
        double x = Math.log(price);
        int from = Arrays.binarySearch(bins, bin(x - REACH * BANDWIDTH));
        from = from < 0 ? -from - 1 : from;
        double nearClicks = 0, nearExpected = 0;
        for (int i = from; i < bins.length && (bins[i] + 0.5) * BIN_WIDTH <= x + REACH * BANDWIDTH; i++) {
            double z = (x - (bins[i] + 0.5) * BIN_WIDTH) / BANDWIDTH;
            double k = Math.exp(-0.5 * z * z);
            nearClicks += k * clicks[i];
            nearExpected += k * expected[i];
        }
        double rate = totalClicks / totalExpected;
        return Math.log((nearClicks + PRIOR * rate) / (nearExpected + PRIOR) / rate);
    }

    /** Reads the {@code price_taste} object of a stored or inline profile. */
    static PriceTaste fromMap(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (List.of("bin_width", "bins", "clicks", "expected", "list_position")
                            .contains(key)
                    == false) {
                throw new IllegalArgumentException("unknown field [price_taste." + key + "] in a user profile");
            }
        }
        if (map.get("bin_width") instanceof Number w && w.doubleValue() != BIN_WIDTH) {
            throw new IllegalArgumentException("[price_taste.bin_width] must be " + BIN_WIDTH + " but was [" + w + "]");
        }
        double[] binValues = numbers(map, "bins");
        int[] bins = new int[binValues.length];
        for (int i = 0; i < bins.length; i++) {
            if (binValues[i] != Math.rint(binValues[i]) || Math.abs(binValues[i]) > 10_000) {
                throw new IllegalArgumentException(
                        "[price_taste.bins] must hold integers but held [" + binValues[i] + "]");
            }
            bins[i] = (int) binValues[i];
        }
        double positionSum = 0, positionClicks = 0;
        if (map.get("list_position") instanceof Map<?, ?> position) {
            for (Object key : position.keySet()) {
                if (List.of("sum", "clicks").contains(key) == false) {
                    throw new IllegalArgumentException(
                            "unknown field [price_taste.list_position." + key + "] in a user profile");
                }
            }
            positionSum = number(position, "sum");
            positionClicks = number(position, "clicks");
        } else if (map.get("list_position") != null) {
            throw new IllegalArgumentException("[price_taste.list_position] must be an object with [sum] and [clicks]");
        }
        return new PriceTaste(bins, numbers(map, "clicks"), numbers(map, "expected"), positionSum, positionClicks);
    }

    private static double number(Map<?, ?> map, String key) {
        if (map.get(key) instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("[price_taste.list_position." + key + "] must be a number");
    }

    private static double[] numbers(Map<?, ?> map, String key) {
        if (map.get(key) instanceof List<?> values) {
            double[] out = new double[values.size()];
            for (int i = 0; i < out.length; i++) {
                if (values.get(i) instanceof Number n) {
                    out[i] = n.doubleValue();
                } else {
                    throw new IllegalArgumentException("[price_taste." + key + "] must be an array of numbers");
                }
            }
            return out;
        }
        throw new IllegalArgumentException("[price_taste." + key + "] must be an array of numbers");
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject()
                .field("bin_width", BIN_WIDTH)
                .array("bins", bins)
                .array("clicks", clicks)
                .array("expected", expected)
                .startObject("list_position")
                .field("sum", positionSum)
                .field("clicks", positionClicks)
                .endObject()
                .endObject();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PriceTaste other
                && Arrays.equals(bins, other.bins)
                && Arrays.equals(clicks, other.clicks)
                && Arrays.equals(expected, other.expected)
                && positionSum == other.positionSum
                && positionClicks == other.positionClicks;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(bins) + Arrays.hashCode(clicks)) + Arrays.hashCode(expected))
                + Double.hashCode(positionSum)
                + 17 * Double.hashCode(positionClicks);
    }

    /** Sums a shopper's clicks and expected clicks per bin, and their clicks' places in their lists, in any order. */
    static final class Accumulator {
        private final TreeMap<Integer, double[]> sums = new TreeMap<>();
        private final Map<String, ListPrices> lists = new java.util.HashMap<>();
        /** The lists that had an event since the last snapshot: only they are measured again. */
        private final java.util.Set<ListPrices> changed = new java.util.HashSet<>();

        private double positionSum;
        private double positionClicks;

        /** The prices one list showed and the clicks in it, with what they added at the last snapshot. */
        private static final class ListPrices {
            final List<Double> shown = new java.util.ArrayList<>();
            final List<double[]> clicked = new java.util.ArrayList<>();
            double sum, weight;
        }

        /** A product of the list {@code impression} at that price (a view). */
        void inList(String impression, double price) {
            if (Double.isFinite(price) && price > 0) {
                ListPrices list = lists.computeIfAbsent(impression, i -> new ListPrices());
                list.shown.add(price);
                changed.add(list);
            }
        }

        /** A click of weight {@code weight} in the list {@code impression} on a product at that price. */
        void clickedInList(String impression, double price, double weight) {
            if (Double.isFinite(price) && price > 0 && weight > 0) {
                ListPrices list = lists.computeIfAbsent(impression, i -> new ListPrices());
                list.clicked.add(new double[] {price, weight});
                changed.add(list);
            }
        }

        /** Each click's {@code 2 p - 1} against the list's other prices; a list without another price says nothing. */
        private void measureChangedLists() {
            for (ListPrices list : changed) {
                positionSum -= list.sum;
                positionClicks -= list.weight;
                list.sum = 0;
                list.weight = 0;
                for (double[] click : list.clicked) {
                    double below = 0, others = 0;
                    boolean self = false;
                    for (double price : list.shown) {
                        if (price == click[0] && self == false) {
                            self = true; // the clicked product's own view
                            continue;
                        }
                        others++;
                        below += price < click[0] ? 1 : price == click[0] ? 0.5 : 0;
                    }
                    if (others > 0) {
                        list.sum += click[1] * (2 * below / others - 1);
                        list.weight += click[1];
                    }
                }
                positionSum += list.sum;
                positionClicks += list.weight;
            }
            changed.clear();
        }

        void shown(double price, double expectedClicks) {
            add(price, 1, expectedClicks);
        }

        void clicked(double price, double weight) {
            add(price, 0, weight);
        }

        private void add(double price, int slot, double amount) {
            if (Double.isFinite(price) && price > 0 && amount > 0) {
                sums.computeIfAbsent(bin(Math.log(price)), b -> new double[2])[slot] += amount;
            }
        }

        /** {@code null} until the shopper was shown something at a known price in a known slot. */
        PriceTaste snapshot() {
            if (sums.values().stream().noneMatch(s -> s[1] > 0)) {
                return null;
            }
            measureChangedLists();
            int[] bins = new int[sums.size()];
            double[] clicks = new double[bins.length], expected = new double[bins.length];
            int i = 0;
            for (Map.Entry<Integer, double[]> e : sums.entrySet()) {
                bins[i] = e.getKey();
                clicks[i] = e.getValue()[0];
                expected[i] = e.getValue()[1];
                i++;
            }
            // what was added and taken away again may leave a rounding error of either sign
            double weight = Math.max(0, positionClicks);
            double sum = Math.max(-weight, Math.min(weight, positionSum));
            return new PriceTaste(bins, clicks, expected, sum, weight);
        }
    }
}
