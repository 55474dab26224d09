package org.semanticranking.ranking.feature;

import org.elasticsearch.index.query.QueryRewriteContext;
import org.semanticranking.judgments.QueryClicks;
import org.semanticranking.judgments.action.QueryClicksAction;
import org.semanticranking.judgments.action.QueryClicksRequest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code clicks} features of a request bound on the coordinating node: one read of the events per query text,
 * events index, slots and products kept ({@link QueryClicksAction}, with the caller's privileges), shared by the
 * features that differ only in their measure; then each feature becomes a value per product id that the shards look up.
 */
final class ClicksBinding {

    private final Map<ClicksFeature.Source, Supplier<QueryClicks>> reads = new HashMap<>();
    /** The request's inline clicks, read by every clicks feature; {@code null} when they are read from the events. */
    private final QueryClicks inline;

    private ClicksBinding(QueryClicks inline) {
        this.inline = inline;
    }

    /** Every feature reads the given clicks (a training gives each impression the clicks of everyone but its shopper). */
    static ClicksBinding inline(QueryClicks clicks) {
        return new ClicksBinding(clicks);
    }

    /** Registers one read per distinct source of the features. */
    static ClicksBinding load(
            List<ClicksFeature> features, Map<String, Object> params, QueryRewriteContext context, String[] indices) {
        ClicksBinding binding = new ClicksBinding(null);
        for (ClicksFeature f : features) {
            ClicksFeature.Source source = f.source(QueryText.fill(f.name(), f.text(), params));
            binding.reads.computeIfAbsent(
                    source,
                    s -> QueryClicksAction.fetch(
                            context, new QueryClicksRequest(indices, s.index(), s.text(), s.slots(), s.maxProducts())));
        }
        return binding;
    }

    Supplier<BoundFeature> bind(ClicksFeature f, Map<String, Object> params) {
        Supplier<QueryClicks> read =
                inline != null ? () -> inline : reads.get(f.source(QueryText.fill(f.name(), f.text(), params)));
        return () -> {
            QueryClicks clicks = read.get();
            return clicks == null ? null : values(f, clicks);
        };
    }

    /** The feature's value for each product the query's impressions showed. */
    static BoundFeature.ProductValues values(ClicksFeature f, QueryClicks clicks) {
        Map<String, Double> values = new HashMap<>();
        clicks.byProduct()
                .forEach((id, c) -> values.put(
                        id,
                        switch (f.measure()) {
                            case COEC -> c.coec(f.prior());
                            case IMPRESSIONS -> Math.log1p(c.shown());
                            case CLICKS -> Math.log1p(c.clicked());
                        }));
        return new BoundFeature.ProductValues(f.name(), values, f.measure() == ClicksFeature.Measure.COEC ? 1 : 0);
    }
}
