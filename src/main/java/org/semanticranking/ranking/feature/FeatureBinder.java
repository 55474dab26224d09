package org.semanticranking.ranking.feature;

import org.apache.lucene.util.SetOnce;
import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.index.Index;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.json.JsonXContent;
import org.semanticranking.encoder.action.EncodeQueryAsyncAction;
import org.semanticranking.encoder.action.EncodeQueryResponse;
import org.semanticranking.judgments.QueryClicks;
import org.semanticranking.mapping.VectorFieldMappings;
import org.semanticranking.personalization.context.ShopperContext;
import org.semanticranking.query.intent.IntentVocabularyAction;
import org.semanticranking.query.intent.Vocabulary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Binds features to one request on the coordinating node, during the search's rewrite: renders each query with the
 * request's params and parses it, fills the texts, registers the encode of each vector feature's text (one per text,
 * field and model: the same action a {@code semantic_intent} registers, so the node's cache and its coalescing make one
 * encode of it) and the fetch of the intent fields' vocabularies. Then the queries are rewritten with the search, round
 * by round, until none changes.
 */
public final class FeatureBinder {

    static final String NAME = "learned_rank";

    private FeatureBinder() {}

    /** Features being bound: {@link #get()} gives them once the async actions of the rewrite have run, {@code null} before. */
    public static final class Pending {
        private final List<Supplier<BoundFeature>> features;

        Pending(List<Supplier<BoundFeature>> features) {
            this.features = features;
        }

        public List<BoundFeature> get() {
            List<BoundFeature> bound = new ArrayList<>();
            for (Supplier<BoundFeature> f : features) {
                BoundFeature b = f.get();
                if (b == null) {
                    return null;
                }
                bound.add(b);
            }
            return bound;
        }
    }

    /**
     * @param indices  the searched local indices (for the encodes, the vector fields' checks and the vocabularies)
     * @param shopper  the shopper every shopper feature reads; {@code null} to load each
     * @param clicks   the query's clicks every clicks feature reads; {@code null} to read them from the events
     * @throws IllegalArgumentException naming the feature: a placeholder no param fills, a query that does not parse,
     *                                  a vector field that is not one
     */
    public static Pending bind(
            List<Feature> features,
            Map<String, Object> params,
            QueryRewriteContext context,
            String[] indices,
            Map<Index, IndexMetadata> metadata,
            ShopperContext shopper,
            QueryClicks clicks) {
        List<String> intentFields = features.stream()
                .filter(f -> f instanceof IntentFeature)
                .map(f -> ((IntentFeature) f).field())
                .distinct()
                .toList();
        Supplier<Map<String, Vocabulary>> vocabularies =
                intentFields.isEmpty() ? null : IntentVocabularyAction.fetch(context, indices, intentFields);
        List<ShopperFeature> shopperFeatures = features.stream()
                .filter(f -> f instanceof ShopperFeature)
                .map(f -> (ShopperFeature) f)
                .toList();
        ShopperBinding shoppers = shopperFeatures.isEmpty()
                ? null
                : shopper != null
                        ? ShopperBinding.inline(shopper)
                        : ShopperBinding.load(shopperFeatures, params, context, indices);
        List<ClicksFeature> clicksFeatures = features.stream()
                .filter(f -> f instanceof ClicksFeature)
                .map(f -> (ClicksFeature) f)
                .toList();
        ClicksBinding clickReads = clicksFeatures.isEmpty()
                ? null
                : clicks != null
                        ? ClicksBinding.inline(clicks)
                        : ClicksBinding.load(clicksFeatures, params, context, indices);
        List<Supplier<BoundFeature>> bound = new ArrayList<>();
        for (Feature f : features) {
            bound.add(
                    switch (f) {
                        case QueryFeature q ->
                            constant(new BoundFeature.QueryScore(q.name(), parse(q, params, context)));
                        case VectorFeature v -> encode(v, params, context, indices, metadata);
                        case FieldFeature fv ->
                            constant(new BoundFeature.FieldValue(fv.name(), fv.field(), fv.modifier(), fv.missing()));
                        case FirstPassFeature fp -> constant(new BoundFeature.FirstPass(fp.name(), fp.measure()));
                        case TermsFeature t ->
                            constant(new BoundFeature.TermMatch(
                                    t.name(), t.field(), t.measure(), QueryText.fill(t.name(), t.text(), params)));
                        case QueryLevelFeature ql ->
                            constant(
                                    ql.measure().ofText()
                                            ? new BoundFeature.Constant(
                                                    ql.name(),
                                                    ofText(ql.measure(), QueryText.fill(ql.name(), ql.text(), params)))
                                            : new BoundFeature.TopScore(ql.name(), ql.measure()));
                        case IntentFeature i -> intent(i, QueryText.fill(i.name(), i.text(), params), vocabularies);
                        case ShopperFeature sf -> shoppers.bind(sf, params);
                        case ClicksFeature c -> clickReads.bind(c, params);
                        case WindowFeature w ->
                            constant(new BoundFeature.WindowRelative(w.name(), w.feature(), w.measure()));
                    });
        }
        return new Pending(bound);
    }

    /** The queries rewritten one round further; the same list when none changed. */
    public static List<BoundFeature> rewrite(List<BoundFeature> features, QueryRewriteContext context)
            throws IOException {
        List<BoundFeature> out = new ArrayList<>(features.size());
        boolean changed = false;
        for (BoundFeature f : features) {
            if (f instanceof BoundFeature.QueryScore q) {
                QueryBuilder rewritten = q.query().rewrite(context);
                if (rewritten != q.query()) {
                    changed = true;
                    out.add(q.withQuery(rewritten));
                    continue;
                }
            }
            out.add(f);
        }
        return changed ? out : features;
    }

    static double ofText(QueryLevelFeature.Measure measure, String text) {
        return switch (measure) {
            case TERMS -> text.isBlank() ? 0 : text.trim().split("\\s+").length;
            case HAS_NUMBERS -> text.chars().anyMatch(Character::isDigit) ? 1 : 0;
            default -> throw new IllegalStateException(measure.toString());
        };
    }

    private static Supplier<BoundFeature> constant(BoundFeature f) {
        return () -> f;
    }

    private static QueryBuilder parse(QueryFeature q, Map<String, Object> params, QueryRewriteContext context) {
        for (String name : q.placeholders()) {
            if (params.containsKey(name) == false) {
                throw new IllegalArgumentException("[" + NAME + "] feature [" + q.name() + "] reads [{{" + name
                        + "}}], which [params] does not give");
            }
        }
        String json = q.template().render(q.name(), params);
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(context.getParserConfig(), json)) {
            return AbstractQueryBuilder.parseTopLevelQuery(parser);
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "[" + NAME + "] feature [" + q.name() + "]: its query does not parse: "
                            + ExceptionsHelper.unwrapCause(e).getMessage(),
                    e);
        }
    }

    private static Supplier<BoundFeature> encode(
            VectorFeature v,
            Map<String, Object> params,
            QueryRewriteContext context,
            String[] indices,
            Map<Index, IndexMetadata> metadata) {
        Map<String, Integer> dims = VectorFieldMappings.dimsByIndex(NAME, v.field(), metadata);
        String text = QueryText.fill(v.name(), v.text(), params);
        SetOnce<EncodeQueryResponse> encoded = new SetOnce<>();
        context.registerUniqueAsyncAction(
                new EncodeQueryAsyncAction(text, v.model(), indices, v.field(), false), encoded::set);
        return () -> {
            EncodeQueryResponse r = encoded.get();
            if (r == null) {
                return null;
            }
            if (r.vector() == null) {
                throw new IllegalArgumentException(
                        "[" + NAME + "] feature [" + v.name() + "]: its text could not be encoded: " + r.failure());
            }
            VectorFieldMappings.checkDims(
                    dims,
                    r.vector().length,
                    (index, fieldDims) -> "[" + NAME + "] feature [" + v.name() + "]: the model gives ["
                            + r.vector().length + "] dims but [" + v.field() + "] in index [" + index + "] has ["
                            + fieldDims + "]");
            return new BoundFeature.VectorCosine(v.name(), v.field(), r.vector());
        };
    }

    private static Supplier<BoundFeature> intent(
            IntentFeature i, String text, Supplier<Map<String, Vocabulary>> vocabularies) {
        return () -> {
            Map<String, Vocabulary> all = vocabularies.get();
            if (all == null) {
                return null;
            }
            Vocabulary vocabulary = all.get(i.field());
            List<String> named = vocabulary == null ? List.of() : vocabulary.find(text);
            return new BoundFeature.IntentMatch(i.name(), i.field(), List.copyOf(new LinkedHashSet<>(named)));
        };
    }
}
