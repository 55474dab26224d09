package org.semanticranking.retriever;

import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.RankDocsQueryBuilder;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.search.retriever.RetrieverBuilder;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * A {@code semantic_hybrid} with a {@code rescore} section: the fused list becomes the final search's query
 * (Elasticsearch's rank-docs query, as for any compound retriever) and the rescorers run on it, in the same
 * final search. Unlike the {@code rescorer} retriever, the final search then still holds the fused hits' rank
 * docs and the rescorers' contexts, so each hit can report both sides of the fusion and every part of the
 * rescore in one response ({@code score_breakdown}). Elasticsearch refuses a top-level {@code rescore} next to a
 * {@code retriever}; the rescorers are added after the retriever is resolved, and rewritten with the rest.
 */
final class RescoredRetrieverBuilder extends RetrieverBuilder {

    private final RetrieverBuilder inner;
    private final List<RescorerBuilder<?>> rescorers;

    RescoredRetrieverBuilder(RetrieverBuilder inner, List<RescorerBuilder<?>> rescorers) {
        this.inner = inner;
        this.rescorers = List.copyOf(rescorers);
        this.retrieverName = inner.retrieverName();
    }

    @Override
    public boolean isCompound() {
        return true; // the hybrid inside needs the point in time Elasticsearch opens for compound retrievers
    }

    @Override
    public RetrieverBuilder rewrite(QueryRewriteContext ctx) throws IOException {
        RetrieverBuilder rewritten = inner.rewrite(ctx);
        return rewritten == inner ? this : new RescoredRetrieverBuilder(rewritten, rescorers);
    }

    @Override
    public QueryBuilder topDocsQuery() {
        return inner.topDocsQuery();
    }

    @Override
    public QueryBuilder explainQuery() {
        return inner.explainQuery();
    }

    @Override
    public void extractToSearchSourceBuilder(SearchSourceBuilder searchSourceBuilder, boolean compoundUsed) {
        inner.extractToSearchSourceBuilder(searchSourceBuilder, compoundUsed);
        RankDoc[] fused =
                searchSourceBuilder.query() instanceof RankDocsQueryBuilder rankDocs ? rankDocs.rankDocs() : null;
        for (RescorerBuilder<?> r : rescorers) {
            searchSourceBuilder.addRescorer(
                    fused != null && r instanceof FirstStageConsumer consumer ? consumer.withFirstStage(fused) : r);
        }
    }

    @Override
    public ActionRequestValidationException validate(
            SearchSourceBuilder source,
            ActionRequestValidationException validationException,
            boolean isScroll,
            boolean allowPartialSearchResults) {
        return inner.validate(source, validationException, isScroll, allowPartialSearchResults);
    }

    @Override
    public List<QueryBuilder> getPreFilterQueryBuilders() {
        return inner.getPreFilterQueryBuilders();
    }

    @Override
    public String getName() {
        return inner.getName();
    }

    @Override
    protected void doToXContent(XContentBuilder builder, ToXContent.Params params) throws IOException {
        builder.field("retriever", inner);
        builder.startArray("rescore");
        for (RescorerBuilder<?> r : rescorers) {
            r.toXContent(builder, params);
        }
        builder.endArray();
    }

    @Override
    protected boolean doEquals(Object o) {
        RescoredRetrieverBuilder other = (RescoredRetrieverBuilder) o;
        return inner.equals(other.inner) && rescorers.equals(other.rescorers);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(inner, rescorers);
    }
}
