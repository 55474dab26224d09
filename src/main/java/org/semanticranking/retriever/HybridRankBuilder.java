package org.semanticranking.retriever;

import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.Query;
import org.elasticsearch.TransportVersion;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.search.rank.RankBuilder;
import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.search.rank.context.QueryPhaseRankCoordinatorContext;
import org.elasticsearch.search.rank.context.QueryPhaseRankShardContext;
import org.elasticsearch.search.rank.context.RankFeaturePhaseRankCoordinatorContext;
import org.elasticsearch.search.rank.context.RankFeaturePhaseRankShardContext;
import org.elasticsearch.xcontent.XContentBuilder;
import org.semanticranking.scoring.Combination;
import org.semanticranking.scoring.Normalization;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The one-search {@code semantic_hybrid} (see {@link SemanticHybridRetrieverBuilder}), in Elasticsearch's rank framework:
 * each shard runs the two sub-searches and returns both top lists from its query phase ({@link HybridShardContext}), and
 * the coordinating node fuses the shards' lists into the global window and cuts the page ({@link HybridCoordinatorContext})
 * before the fetch phase. Made by the retriever only; the search body has no {@code rank} section for it.
 */
public final class HybridRankBuilder extends RankBuilder {

    public static final String NAME = "semantic_hybrid";

    private final HybridFusion fusion;
    /** The retriever's {@code min_score}, on the fused score, or {@code null}. */
    private final Float minScore;

    public HybridRankBuilder(int rankWindowSize, HybridFusion fusion, Float minScore) {
        super(rankWindowSize);
        this.fusion = Objects.requireNonNull(fusion);
        this.minScore = minScore;
    }

    public HybridRankBuilder(StreamInput in) throws IOException {
        super(in);
        this.fusion = new HybridFusion(
                in.readEnum(Combination.class),
                in.readEnum(Normalization.class),
                in.readFloat(),
                in.readFloat(),
                in.readVInt());
        this.minScore = in.readOptionalFloat();
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeEnum(fusion.combination());
        out.writeEnum(fusion.normalization());
        out.writeFloat(fusion.lexicalWeight());
        out.writeFloat(fusion.semanticWeight());
        out.writeVInt(fusion.rankConstant());
        out.writeOptionalFloat(minScore);
    }

    public HybridFusion fusion() {
        return fusion;
    }

    @Override
    public boolean isCompoundBuilder() {
        return true;
    }

    /**
     * The hit's fused score and both sides', over the explanation of the two queries. The sides are named in the
     * description rather than matched to the details: a hit can match a side's query without being in its top list.
     */
    @Override
    public Explanation explainHit(Explanation baseExplanation, RankDoc scoreDoc, List<String> queryNames) {
        Explanation[] details = baseExplanation == null ? new Explanation[0] : baseExplanation.getDetails();
        return scoreDoc instanceof HybridRankDoc hybrid
                ? hybrid.explain(details, queryNames.toArray(String[]::new))
                : baseExplanation;
    }

    @Override
    public QueryPhaseRankShardContext buildQueryPhaseShardContext(List<Query> queries, int from) {
        return new HybridShardContext(queries, rankWindowSize());
    }

    @Override
    public QueryPhaseRankCoordinatorContext buildQueryPhaseCoordinatorContext(int size, int from) {
        return new HybridCoordinatorContext(size, from, rankWindowSize(), fusion, minScore);
    }

    /** No rank-feature phase: the fusion needs only the scores of the query phase. */
    @Override
    public RankFeaturePhaseRankShardContext buildRankFeaturePhaseShardContext() {
        return null;
    }

    @Override
    public RankFeaturePhaseRankCoordinatorContext buildRankFeaturePhaseCoordinatorContext(
            int size, int from, Client client) {
        return null;
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        writeFusion(builder, fusion);
        if (minScore != null) {
            builder.field("min_score", minScore);
        }
    }

    /** The fusion's fields as the retriever writes them. */
    static void writeFusion(XContentBuilder builder, HybridFusion fusion) throws IOException {
        builder.field(
                SemanticHybridRetrieverBuilder.COMBINATION.getPreferredName(),
                fusion.combination().toString());
        builder.field(
                SemanticHybridRetrieverBuilder.NORMALIZATION.getPreferredName(),
                fusion.normalization().toString());
        builder.startObject(SemanticHybridRetrieverBuilder.WEIGHTS.getPreferredName());
        builder.field(SemanticHybridRetrieverBuilder.LEXICAL.getPreferredName(), fusion.lexicalWeight());
        builder.field(SemanticHybridRetrieverBuilder.SEMANTIC.getPreferredName(), fusion.semanticWeight());
        builder.endObject();
        builder.field(SemanticHybridRetrieverBuilder.RANK_CONSTANT.getPreferredName(), fusion.rankConstant());
    }

    @Override
    protected boolean doEquals(RankBuilder other) {
        HybridRankBuilder o = (HybridRankBuilder) other;
        return fusion.equals(o.fusion) && Objects.equals(minScore, o.minScore);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(fusion, minScore);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return TransportVersion.minimumCompatible();
    }
}
