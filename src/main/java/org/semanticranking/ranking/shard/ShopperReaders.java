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
