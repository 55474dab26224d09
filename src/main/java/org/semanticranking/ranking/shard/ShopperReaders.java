package org.semanticranking.ranking.shard;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.util.BytesRef;
import org.elasticsearch.index.fielddata.IndexNumericFieldData;
import org.elasticsearch.index.fielddata.SortedNumericDoubleValues;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.semanticranking.ranking.feature.BoundFeature;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The readers of the shopper features that are not cosines: a profile's shares of a field's values, its price fit and
 * its price taste.
 */
final class ShopperReaders {

    private ShopperReaders() {}

    static FeatureReader affinity(BoundFeature.AffinityShares feature) {
        return new AffinityReader(feature);
    }

    static FeatureReader priceFit(BoundFeature.PriceFit feature, SearchExecutionContext context) {
        return new PriceReader(
                FeatureReaders.numeric(
                        feature.name(), feature.field(), "[price_fit] reads a numeric price field", context),
                price -> {
                    double z = (Math.log(price) - feature.logMean()) / feature.logStd();
                    return Math.exp(-0.5 * z * z);
                });
    }

    static FeatureReader priceLift(BoundFeature.PriceLift feature, SearchExecutionContext context) {
        return new PriceReader(
                FeatureReaders.numeric(
                        feature.name(), feature.field(), "[price_taste] reads a numeric price field", context),
                feature.taste()::logLift);
    }

    static FeatureReader pricePosition(BoundFeature.PricePosition feature, SearchExecutionContext context) {
        return new PricePositionReader(
                FeatureReaders.numeric(
                        feature.name(), feature.field(), "[price_position] reads a numeric price field", context),
                feature.listPosition());
    }

    /**
     * The hit's price percentile among the window's priced hits, as {@code 2 p - 1}, times the shopper's list position;
     * 0 for a hit without a positive price. The window's prices are read once, in {@link #prepare}.
     */
    static final class PricePositionReader implements FeatureReader {
        private final IndexNumericFieldData data;
        private final double listPosition;
        private double[] values;

        PricePositionReader(IndexNumericFieldData data, double listPosition) {
            this.data = data;
            this.listPosition = listPosition;
        }

        @Override
        public void prepare(org.apache.lucene.search.IndexSearcher searcher, Window window) throws IOException {
            int[] docs = window.docs();
            double[] prices = new double[docs.length];
            java.util.Arrays.fill(prices, Double.NaN);
            if (data != null) {
                java.util.List<LeafReaderContext> leaves =
                        searcher.getIndexReader().leaves();
                SortedNumericDoubleValues segment = null;
                int leafIndex = -1;
                for (int i = 0; i < docs.length; i++) {
                    int li = org.apache.lucene.index.ReaderUtil.subIndex(docs[i], leaves);
                    if (li != leafIndex) {
                        leafIndex = li;
                        segment = data.load(leaves.get(li)).getDoubleValues();
                    }
                    if (segment.advanceExact(docs[i] - leaves.get(li).docBase)) {
                        double price = segment.nextValue();
                        prices[i] = Double.isFinite(price) && price > 0 ? price : Double.NaN;
                    }
                }
            }
            double[] priced = java.util.Arrays.stream(prices)
                    .filter(p -> Double.isNaN(p) == false)
                    .toArray();
            org.semanticranking.ranking.feature.WindowFeature.Measure.PERCENTILE.apply(priced);
            values = new double[docs.length];
            for (int i = 0, j = 0; i < docs.length; i++) {
                values[i] = Double.isNaN(prices[i]) ? 0 : listPosition * (2 * priced[j++] - 1);
            }
        }

        @Override
        public void setSegment(LeafReaderContext segment) {}

        @Override
        public double value(int doc, int index) {
            return values[index];
        }
    }

    /** The sum of the shopper's shares for the hit's values of the field, at most 1; 0 for a hit without one. */
    static final class AffinityReader implements FeatureReader {
        private final BoundFeature.AffinityShares feature;
        private SortedSetDocValues values;
        private final Map<Long, Double> shareOfOrd = new HashMap<>();

        AffinityReader(BoundFeature.AffinityShares feature) {
            this.feature = feature;
        }

        @Override
        public void setSegment(LeafReaderContext segment) throws IOException {
            shareOfOrd.clear();
            values = segment.reader().getSortedSetDocValues(feature.field());
            if (values != null) {
                for (Map.Entry<String, Double> e : feature.shares().entrySet()) {
                    long ord = values.lookupTerm(new BytesRef(e.getKey()));
                    if (ord >= 0) {
                        shareOfOrd.put(ord, e.getValue());
                    }
                }
            }
        }

        @Override
        public double value(int doc, int index) throws IOException {
            if (values == null || shareOfOrd.isEmpty() || values.advanceExact(doc) == false) {
                return 0;
            }
            double sum = 0;
            for (int i = 0; i < values.docValueCount(); i++) {
                sum += shareOfOrd.getOrDefault(values.nextOrd(), 0.0);
            }
            return Math.min(1, sum);
        }
    }

    /** A function of the hit's price (the price fit, the price taste); 0 for a hit without a positive price. */
    static final class PriceReader implements FeatureReader {
        private final IndexNumericFieldData data;
        private final DoubleUnaryOperator ofPrice;
        private SortedNumericDoubleValues values;

        PriceReader(IndexNumericFieldData data, DoubleUnaryOperator ofPrice) {
            this.data = data;
            this.ofPrice = ofPrice;
        }

        @Override
        public void setSegment(LeafReaderContext segment) {
            values = data == null ? null : data.load(segment).getDoubleValues();
        }

        @Override
        public double value(int doc, int index) throws IOException {
            if (values == null || values.advanceExact(doc) == false) {
                return 0;
            }
            double price = values.nextValue();
            if (Double.isFinite(price) == false || price <= 0) {
                return 0;
            }
            return ofPrice.applyAsDouble(price);
        }
    }
}
