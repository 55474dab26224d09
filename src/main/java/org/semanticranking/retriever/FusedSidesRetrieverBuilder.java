package org.semanticranking.retriever;

import org.apache.lucene.search.ScoreDoc;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.StoredFieldsContext;
import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.search.retriever.CompoundRetrieverBuilder;
import org.elasticsearch.search.retriever.RetrieverBuilder;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code semantic_hybrid} as a compound retriever: Elasticsearch's {@link CompoundRetrieverBuilder} runs both sides
 * as one multi-search over a point in time, {@link HybridFusion} fuses their top lists on the coordinating node, and a
 * final search fetches the fused page. {@link SemanticHybridRetrieverBuilder} becomes this where one search cannot do:
 * inside another compound retriever, with a {@code rescore} section (wrapped in {@link RescoredRetrieverBuilder}), with
 * {@code score_breakdown}, or with a side that is not a plain query. Its hits carry their {@code _id}s back, so a side's
 * equal scores are ordered by {@code _id} whatever the shard layout.
 */
final class FusedSidesRetrieverBuilder extends CompoundRetrieverBuilder<FusedSidesRetrieverBuilder> {

    private final HybridFusion fusion;
    private final boolean scoreBreakdown;

    /** @param scoreBreakdown put each hit's lexical and semantic scores and ranks in its {@code fields} */
    FusedSidesRetrieverBuilder(
            RetrieverBuilder lexical,
            RetrieverBuilder semantic,
            HybridFusion fusion,
            int rankWindowSize,
            boolean scoreBreakdown) {
        this(
                List.of(RetrieverSource.from(lexical), RetrieverSource.from(semantic)),
                fusion,
                rankWindowSize,
                scoreBreakdown);
    }

    private FusedSidesRetrieverBuilder(
            List<RetrieverSource> sides, HybridFusion fusion, int rankWindowSize, boolean scoreBreakdown) {
        super(new ArrayList<>(sides), rankWindowSize);
        this.fusion = Objects.requireNonNull(fusion);
        this.scoreBreakdown = scoreBreakdown;
    }

    @Override
    protected FusedSidesRetrieverBuilder clone(
            List<RetrieverSource> newChildRetrievers, List<QueryBuilder> newPreFilterQueryBuilders) {
        FusedSidesRetrieverBuilder clone =
                new FusedSidesRetrieverBuilder(newChildRetrievers, fusion, rankWindowSize, scoreBreakdown);
        clone.preFilterQueryBuilders = newPreFilterQueryBuilders;
        clone.retrieverName = retrieverName;
        clone.minScore = minScore;
        return clone;
    }

    /** Each side's hits come with their {@code _id} (no source): the fusion breaks ties by it. */
    @Override
    protected SearchSourceBuilder finalizeSourceBuilder(SearchSourceBuilder sourceBuilder) {
        return sourceBuilder
                .storedFields(StoredFieldsContext.fromList(List.of()))
                .fetchSource(false);
    }

    @Override
    protected RankDoc createRankDocFromHit(int docId, SearchHit hit, int shardRequestIndex) {
        return new HybridSideDoc(docId, hit.getScore(), shardRequestIndex, hit.getId());
    }

    @Override
    protected RankDoc[] combineInnerRetrieverResults(List<ScoreDoc[]> rankResults, boolean explain) {
        HybridRankDoc[] fused = fusion.fuse(rankResults.get(0), rankResults.get(1), rankWindowSize);
        for (HybridRankDoc doc : fused) {
            doc.scoreBreakdown(scoreBreakdown);
        }
        return fused;
    }

    @Override
    public String getName() {
        return SemanticHybridRetrieverBuilder.NAME;
    }

    @Override
    protected void doToXContent(XContentBuilder builder, ToXContent.Params params) throws IOException {
        SemanticHybridRetrieverBuilder.writeFields(
                builder,
                params,
                innerRetrievers().get(0).retriever(),
                innerRetrievers().get(1).retriever(),
                fusion,
                rankWindowSize,
                scoreBreakdown,
                List.of());
    }

    @Override
    public boolean doEquals(Object o) {
        FusedSidesRetrieverBuilder other = (FusedSidesRetrieverBuilder) o;
        return super.doEquals(o) && fusion.equals(other.fusion) && scoreBreakdown == other.scoreBreakdown;
    }

    @Override
    public int doHashCode() {
        return Objects.hash(super.doHashCode(), fusion, scoreBreakdown);
    }
}
