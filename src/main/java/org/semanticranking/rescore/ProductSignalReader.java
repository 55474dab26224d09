package org.semanticranking.rescore;

import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.elasticsearch.index.fielddata.IndexFieldData;
import org.elasticsearch.index.fielddata.IndexNumericFieldData;
import org.elasticsearch.index.fielddata.SortedBinaryDocValues;
import org.elasticsearch.index.fielddata.SortedNumericDoubleValues;
import org.elasticsearch.index.mapper.MappedFieldType;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.semanticranking.personalization.FeatureSpec;
import org.semanticranking.personalization.ProductSignals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a product's {@link ProductSignals} on a shard: the vector from Lucene's vector values, keyword and
 * numeric fields from doc values (field data), the expected clicks from the views per slot at the model's slot rates.
 * Fields this index does not map read as missing.
 */
final class ProductSignalReader {

    private final FeatureSpec spec;
    private final Map<String, IndexFieldData<?>> keywords = new HashMap<>();
    private final IndexNumericFieldData price;
    private final IndexNumericFieldData popularity;
    private final IndexNumericFieldData clicks;
    /** The views per slot, as {@link FeatureSpec#viewsFields} lists them; a field this index lacks is {@code null}. */
    private final List<IndexNumericFieldData> views = new ArrayList<>();

    ProductSignalReader(SearchExecutionContext context, FeatureSpec spec) {
        this.spec = spec;
        for (String field : spec.affinityFields()) {
            MappedFieldType type = context.getFieldType(field);
            if (type != null) {
                keywords.put(field, context.getForField(type, MappedFieldType.FielddataOperation.SEARCH));
            }
        }
        this.price = numeric(context, spec.priceField(), "price_field");
        this.popularity = numeric(context, spec.popularityField(), "popularity_field");
        this.clicks = numeric(context, spec.clicksField(), "click_lift_field");
        for (String field : spec.viewsFields()) {
            views.add(numeric(context, field, "click_lift_field"));
        }
    }

    private static IndexNumericFieldData numeric(SearchExecutionContext context, String field, String option) {
        if (field == null || context.getFieldType(field) == null) {
            return null;
        }
        IndexFieldData<?> data =
                context.getForField(context.getFieldType(field), MappedFieldType.FielddataOperation.SEARCH);
        if (data instanceof IndexNumericFieldData numeric) {
            return numeric;
        }
        throw new IllegalArgumentException(
                "[personalized_blend] [" + option + "] [" + field + "] must be a numeric field");
    }

    /** Reads documents of one segment; call {@link Leaf#read} with increasing doc ids. */
    Leaf leaf(LeafReaderContext leaf) throws IOException {
        return new Leaf(leaf);
    }

    final class Leaf {
        private final FloatVectorValues vectors;
        private final KnnVectorValues.DocIndexIterator vectorDocs;
        private final Map<String, SortedBinaryDocValues> keywordValues = new HashMap<>();
        private final SortedNumericDoubleValues priceValues;
        private final SortedNumericDoubleValues popularityValues;
        private final SortedNumericDoubleValues clickValues;
        private final List<SortedNumericDoubleValues> viewValues = new ArrayList<>();

        private Leaf(LeafReaderContext leaf) throws IOException {
            this.vectors = leaf.reader().getFloatVectorValues(spec.vectorField());
            this.vectorDocs = vectors == null ? null : vectors.iterator();
            for (Map.Entry<String, IndexFieldData<?>> e : keywords.entrySet()) {
                keywordValues.put(e.getKey(), e.getValue().load(leaf).getBytesValues());
            }
            this.priceValues = price == null ? null : price.load(leaf).getDoubleValues();
            this.popularityValues =
                    popularity == null ? null : popularity.load(leaf).getDoubleValues();
            this.clickValues = clicks == null ? null : clicks.load(leaf).getDoubleValues();
            for (IndexNumericFieldData v : views) {
                viewValues.add(v == null ? null : v.load(leaf).getDoubleValues());
            }
        }

        /** @param doc the segment-relative doc id, greater than the one before */
        ProductSignals read(int doc) throws IOException {
            float[] vector = null;
            if (vectorDocs != null
                    && (vectorDocs.docID() == doc || (vectorDocs.docID() < doc && vectorDocs.advance(doc) == doc))) {
                vector = vectors.vectorValue(vectorDocs.index()).clone();
            }
            Map<String, List<String>> values = new HashMap<>();
            for (Map.Entry<String, SortedBinaryDocValues> e : keywordValues.entrySet()) {
                SortedBinaryDocValues dv = e.getValue();
                if (dv.advanceExact(doc)) {
                    List<String> list = new ArrayList<>(dv.docValueCount());
                    for (int i = 0; i < dv.docValueCount(); i++) {
                        list.add(dv.nextValue().utf8ToString());
                    }
                    values.put(e.getKey(), list);
                }
            }
            return new ProductSignals(
                    vector,
                    values,
                    first(priceValues, doc),
                    first(popularityValues, doc),
                    first(clickValues, doc),
                    expectedClicks(doc));
        }

        /** The product's views in each slot at the model's slot rates ({@code NaN}: no views or no rates). */
        private double expectedClicks(int doc) throws IOException {
            if (viewValues.isEmpty()) {
                return Double.NaN;
            }
            double[] counts = new double[FeatureSpec.SLOTS + 1];
            for (int s = 0; s < counts.length; s++) {
                counts[s] = first(viewValues.get(s), doc);
            }
            return spec.expectedClicks(counts);
        }

        private static double first(SortedNumericDoubleValues values, int doc) throws IOException {
            return values != null && values.advanceExact(doc) ? values.nextValue() : Double.NaN;
        }
    }
}
