package org.semanticranking.retriever;

import org.apache.lucene.search.ScoreDoc;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.StoredFieldsContext;
import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.search.retriever.CompoundRetrieverBuilder;
import org.elasticsearch.search.retriever.RetrieverBuilder;
import org.elasticsearch.search.retriever.RetrieverParserContext;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code semantic_hybrid}: runs a lexical and a semantic retriever and fuses their top lists on the
 * coordinating node, by reciprocal rank or by a weighted sum of normalised scores. A free alternative
 * to the licensed {@code rrf} and {@code linear} retrievers.
 *
 * <pre>
 * {"retriever": {"semantic_hybrid": {
 *    "lexical":  {"standard": {"query": {"multi_match": {...}}}},
 *    "semantic": {"standard": {"query": {"semantic_intent": {...}}}},
 *    "combination": "linear", "rank_constant": 60, "rank_window_size": 100,
 *    "normalization": "min_max", "weights": {"lexical": 1, "semantic": 1}, "filter": {...}}}}
 * </pre>
 *
 * The default combination is {@code linear} over {@code min_max}-normalised scores; the runs it rests on, those
 * against it included, are in benchmarks/README.md ("The hybrid's default combination"). {@code rrf} stays one
 * option away for sides whose score distributions are odd.
 *
 * Elasticsearch's {@link CompoundRetrieverBuilder} runs both sides as one multi-search over a point in
 * time; {@link HybridFusion} does the arithmetic.
 */
public final class SemanticHybridRetrieverBuilder extends CompoundRetrieverBuilder<SemanticHybridRetrieverBuilder> {

    public static final String NAME = "semantic_hybrid";
    static final ParseField LEXICAL = new ParseField("lexical");
    static final ParseField SEMANTIC = new ParseField("semantic");
    static final ParseField COMBINATION = new ParseField("combination");
    static final ParseField NORMALIZATION = new ParseField("normalization");
    static final ParseField WEIGHTS = new ParseField("weights");
    static final ParseField RANK_CONSTANT = new ParseField("rank_constant");
    static final ParseField SCORE_BREAKDOWN = new ParseField("score_breakdown");
    static final ParseField RESCORE = new ParseField("rescore");
    public static final int DEFAULT_RANK_WINDOW_SIZE = 100;
    public static final int DEFAULT_RANK_CONSTANT = 60;
    public static final String DEFAULT_COMBINATION = "linear";

    private final HybridFusion fusion;
    private final boolean scoreBreakdown;
    /** Rescorers run on the fused list in the final search (see {@link RescoredRetrieverBuilder}). */
    private List<RescorerBuilder<?>> rescorers = List.of();

    public SemanticHybridRetrieverBuilder(
            RetrieverBuilder lexical, RetrieverBuilder semantic, HybridFusion fusion, int rankWindowSize) {
        this(lexical, semantic, fusion, rankWindowSize, false);
    }

    /** @param scoreBreakdown put each hit's lexical and semantic scores and ranks in its {@code fields} */
    public SemanticHybridRetrieverBuilder(
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

    private SemanticHybridRetrieverBuilder(
            List<RetrieverSource> sides, HybridFusion fusion, int rankWindowSize, boolean scoreBreakdown) {
        super(new ArrayList<>(sides), rankWindowSize);
        if (rankWindowSize < 1) {
            throw new IllegalArgumentException(
                    "[" + NAME + "] [rank_window_size] must be at least 1, got [" + rankWindowSize + "]");
        }
        this.fusion = Objects.requireNonNull(fusion);
        this.scoreBreakdown = scoreBreakdown;
    }

    public static SemanticHybridRetrieverBuilder fromXContent(XContentParser parser, RetrieverParserContext context)
            throws IOException {
        return SemanticHybridParser.parse(parser, context);
    }

    /** One side, as Elasticsearch reads an inner retriever (the parser reads it for the hybrid). */
    static RetrieverBuilder parseSide(XContentParser parser, RetrieverParserContext context) throws IOException {
        return parseInnerRetrieverBuilder(parser, context);
    }

    @Override
    protected SemanticHybridRetrieverBuilder clone(
            List<RetrieverSource> newChildRetrievers, List<QueryBuilder> newPreFilterQueryBuilders) {
        SemanticHybridRetrieverBuilder clone =
                new SemanticHybridRetrieverBuilder(newChildRetrievers, fusion, rankWindowSize, scoreBreakdown);
        clone.preFilterQueryBuilders = newPreFilterQueryBuilders;
        clone.retrieverName = retrieverName;
        clone.minScore = minScore;
        clone.rescorers = rescorers;
        return clone;
    }

    /** With rescorers, the hybrid without them, wrapped so that they run on its fused list in the final search. */
    @Override
    protected RetrieverBuilder doRewrite(QueryRewriteContext ctx) {
        if (rescorers.isEmpty()) {
            return this;
        }
        SemanticHybridRetrieverBuilder plain = clone(innerRetrievers, preFilterQueryBuilders);
        plain.rescorers = List.of();
        return new RescoredRetrieverBuilder(plain, rescorers);
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

    public HybridFusion fusion() {
        return fusion;
    }

    /** The rescorers of its {@code rescore} section, run on the fused list. */
    public List<RescorerBuilder<?>> rescorers() {
        return rescorers;
    }

    /** The same retriever with other rescorers (a filter fills in what they leave to the search, such as the query text). */
    public SemanticHybridRetrieverBuilder withRescorers(List<RescorerBuilder<?>> newRescorers) {
        SemanticHybridRetrieverBuilder copy = clone(innerRetrievers, preFilterQueryBuilders);
        copy.rescorers = List.copyOf(newRescorers);
        return copy;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    protected void doToXContent(XContentBuilder builder, ToXContent.Params params) throws IOException {
        builder.field(LEXICAL.getPreferredName(), innerRetrievers().get(0).retriever());
        builder.field(SEMANTIC.getPreferredName(), innerRetrievers().get(1).retriever());
        builder.field(COMBINATION.getPreferredName(), fusion.combination().toString());
        builder.field(NORMALIZATION.getPreferredName(), fusion.normalization().toString());
        builder.startObject(WEIGHTS.getPreferredName());
        builder.field(LEXICAL.getPreferredName(), fusion.lexicalWeight());
        builder.field(SEMANTIC.getPreferredName(), fusion.semanticWeight());
        builder.endObject();
        builder.field(RANK_CONSTANT.getPreferredName(), fusion.rankConstant());
        builder.field(RANK_WINDOW_SIZE_FIELD.getPreferredName(), rankWindowSize);
        if (scoreBreakdown) {
            builder.field(SCORE_BREAKDOWN.getPreferredName(), true);
        }
        if (rescorers.isEmpty() == false) {
            builder.startArray(RESCORE.getPreferredName());
            for (RescorerBuilder<?> r : rescorers) {
                r.toXContent(builder, params);
            }
            builder.endArray();
        }
    }

    @Override
    public boolean doEquals(Object o) {
        SemanticHybridRetrieverBuilder other = (SemanticHybridRetrieverBuilder) o;
        return super.doEquals(o)
                && fusion.equals(other.fusion)
                && scoreBreakdown == other.scoreBreakdown
                && rescorers.equals(other.rescorers);
    }

    @Override
    public int doHashCode() {
        return Objects.hash(super.doHashCode(), fusion, scoreBreakdown, rescorers);
    }
}
