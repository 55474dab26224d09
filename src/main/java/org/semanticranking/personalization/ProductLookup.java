package org.semanticranking.personalization;

import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.index.query.functionscore.ScoreFunctionBuilders;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the signals of products by id (the product document's {@code _id}) through the search {@code fields}
 * API, which returns mapped values, multi-fields such as {@code brand.keyword} included: the same values the
 * rescorer later reads from doc values.
 */
public final class ProductLookup {

    private ProductLookup() {}

    public static SearchRequest request(String[] indices, Collection<String> ids, FeatureSpec spec) {
        SearchSourceBuilder source = new SearchSourceBuilder()
                .query(QueryBuilders.idsQuery().addIds(ids.toArray(String[]::new)))
                .size(ids.size())
                .fetchSource(false)
                .trackTotalHits(false);
        for (String field : spec.productFields()) {
            source.fetchField(field);
        }
        return new SearchRequest(indices).source(source);
    }

    /** A random sample of products (the negatives of training when no impressions are logged). */
    public static SearchRequest sampleRequest(String index, int size, int seed, FeatureSpec spec) {
        SearchSourceBuilder source = new SearchSourceBuilder()
                .query(QueryBuilders.functionScoreQuery(
                        ScoreFunctionBuilders.randomFunction().seed(seed).setField("_seq_no")))
                .size(size)
                .fetchSource(false)
                .trackTotalHits(false);
        for (String field : spec.productFields()) {
            source.fetchField(field);
        }
        return new SearchRequest(index).source(source);
    }

    public static Map<String, ProductSignals> signals(SearchResponse response, FeatureSpec spec) {
        Map<String, ProductSignals> byId = new HashMap<>();
        for (SearchHit hit : response.getHits().getHits()) {
            byId.putIfAbsent(hit.getId(), signals(hit.getFields(), spec));
        }
        return byId;
    }

    static ProductSignals signals(Map<String, DocumentField> fields, FeatureSpec spec) {
        float[] vector = null;
        DocumentField vectorField = spec.vectorField() == null ? null : fields.get(spec.vectorField());
        if (vectorField != null) {
            List<Number> numbers = new ArrayList<>();
            flatten(vectorField.getValues(), numbers);
            vector = new float[numbers.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = numbers.get(i).floatValue();
            }
        }
        Map<String, List<String>> values = new HashMap<>();
        for (String field : spec.affinityFields()) {
            DocumentField f = fields.get(field);
            if (f != null && f.getValues().isEmpty() == false) {
                values.put(field, f.getValues().stream().map(Object::toString).toList());
            }
        }
        return new ProductSignals(
                vector,
                values,
                firstNumber(fields, spec.priceField()),
                firstNumber(fields, spec.popularityField()),
                firstNumber(fields, spec.clicksField()),
                spec.expectedClicks(views(fields, spec)));
    }

    /** The product's views in each slot, as {@link FeatureSpec#viewsFields} lists them; {@code NaN} where missing. */
    private static double[] views(Map<String, DocumentField> fields, FeatureSpec spec) {
        List<String> names = spec.viewsFields();
        double[] views = new double[FeatureSpec.SLOTS + 1];
        java.util.Arrays.fill(views, Double.NaN);
        for (int s = 0; s < names.size(); s++) {
            views[s] = firstNumber(fields, names.get(s));
        }
        return views;
    }

    private static void flatten(List<?> values, List<Number> into) {
        for (Object v : values) {
            if (v instanceof Number n) {
                into.add(n);
            } else if (v instanceof List<?> l) {
                flatten(l, into);
            }
        }
    }

    private static double firstNumber(Map<String, DocumentField> fields, String field) {
        if (field == null) {
            return Double.NaN;
        }
        DocumentField f = fields.get(field);
        if (f != null && f.getValues().isEmpty() == false && f.getValues().get(0) instanceof Number n) {
            return n.doubleValue();
        }
        return Double.NaN;
    }
}
