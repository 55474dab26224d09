package org.semanticranking.rescore;

import org.apache.lucene.util.SetOnce;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.index.Index;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.semanticranking.common.RewriteActions;
import org.semanticranking.encoder.action.EncodeQueryAsyncAction;
import org.semanticranking.encoder.action.EncodeQueryResponse;
import org.semanticranking.mapping.VectorFieldMappings;
import org.semanticranking.personalization.context.ShopperContext;
import org.semanticranking.personalization.context.ShopperContextAction;
import org.semanticranking.personalization.context.ShopperContextLoader;
import org.semanticranking.personalization.context.ShopperContextRequest;

import java.util.Map;
import java.util.function.Supplier;

import static org.semanticranking.rescore.PersonalizedBlendRescorerBuilder.NAME;

/**
 * The rewrite of a {@code personalized_blend} on the coordinating node: it checks the vector field, then (as async
 * rewrite actions) encodes the query text and loads the shopper; the next rewrite round returns the resolved builder,
 * with the query vector and the shopper, which is what the shards get. Elsewhere (no resolved indices) it waits.
 */
final class BlendRewrite {

    private BlendRewrite() {}

    static RescorerBuilder<PersonalizedBlendRescorerBuilder> rewrite(
            PersonalizedBlendRescorerBuilder blend, QueryRewriteContext context) {
        BlendOptions options = blend.options();
        boolean needsVector = options.weights().vector() > 0 && blend.queryVector() == null;
        if (blend.shopper() != null && needsVector == false) {
            return blend;
        }
        if (blend.shopperSupplier() != null) {
            ShopperContext loaded = blend.shopperSupplier().get();
            EncodeQueryResponse encoded = blend.vectorSupplier() == null
                    ? null
                    : blend.vectorSupplier().get();
            if (loaded != null && (blend.vectorSupplier() == null || encoded != null)) {
                return blend.copy(
                        options, encoded == null ? blend.queryVector() : encoded.vector(), loaded, null, null);
            }
            if (context.hasAsyncActions()) {
                return blend; // this round's: Elasticsearch runs them once the round's rewrites are done
            }
            // registered, not run and no longer waiting: a round Elasticsearch started before they had (a compound
            // retriever's search completing on another thread, see RewriteActions); registered again below, or the
            // shards would get the blend without its shopper
        }
        ResolvedIndices resolved = context.getResolvedIndices();
        if (resolved == null) {
            return blend;
        }
        if (options.needsQueryText()) {
            throw new IllegalArgumentException("[" + NAME
                    + "] needs [query_text] or [query_vector] when [weights.vector] is above 0 (it is ["
                    + options.weights().vector() + "]), unless the query is a [semantic_intent] whose text it reuses");
        }
        Map<String, Integer> dims = VectorFieldMappings.dimsByIndex(
                NAME, options.vectorField(), resolved.getConcreteLocalIndicesMetadata());
        float[] given = options.queryVector();
        if (given != null) {
            VectorFieldMappings.checkDims(
                    dims,
                    given.length,
                    (index, fieldDims) -> "[" + NAME + "] [query_vector] has [" + given.length + "] dims but ["
                            + options.vectorField() + "] in index [" + index + "] has [" + fieldDims + "]");
        }
        String[] indices = resolved.getConcreteLocalIndicesMetadata().keySet().stream()
                .map(Index::getName)
                .toArray(String[]::new);
        Supplier<EncodeQueryResponse> vectorSupplier = null;
        if (needsVector) {
            // the same action as a semantic_intent query's of the same text, field and model: registered once, encoded
            // once
            SetOnce<EncodeQueryResponse> vector = new SetOnce<>();
            context.registerUniqueAsyncAction(
                    new EncodeQueryAsyncAction(
                            options.queryText(), options.model(), indices, options.vectorField(), false),
                    vector::set);
            vectorSupplier = vector::get;
        }
        ShopperContextLoader.Request request = new ShopperContextLoader.Request(
                options.userId(),
                options.user(),
                options.profilesIndex(),
                options.interactionsIndex(),
                indices,
                options.vectorField(),
                options.modelId(),
                null,
                options.sessionSize());
        Supplier<ShopperContext> loaded = RewriteActions.fetch(
                context,
                (client, listener) -> client.execute(
                        ShopperContextAction.INSTANCE,
                        new ShopperContextRequest(request),
                        listener.map(r -> r.context())));
        return blend.copy(options, blend.queryVector(), null, vectorSupplier, loaded);
    }
}
