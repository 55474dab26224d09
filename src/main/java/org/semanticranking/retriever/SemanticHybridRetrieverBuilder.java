package org.semanticranking.retriever;

import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.builder.SubSearchSourceBuilder;
import org.elasticsearch.search.internal.SearchContext;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.search.retriever.RetrieverBuilder;
import org.elasticsearch.search.retriever.RetrieverParserContext;
import org.elasticsearch.search.retriever.StandardRetrieverBuilder;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code semantic_hybrid}: runs a lexical and a semantic retriever and fuses their top lists on the coordinating node,
 * by a weighted sum of normalised scores or by reciprocal rank. A free alternative to the licensed {@code rrf} and
 * {@code linear} retrievers.
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
 * <p>Two ways to run, one fusion ({@link HybridFusion}):
 * <ul>
 *   <li><b>One search</b>, where both sides are plain queries ({@code standard} retrievers) and the hybrid is the
 *       search's own retriever: both queries go into one search as Elasticsearch's sub-searches, each shard returns
 *       both top lists from its query phase ({@link HybridRankBuilder}), the coordinating node fuses them and the
 *       fetch phase loads the page. No point in time, no multi-search, no third search: what a hybrid costs above its
 *       two queries (benchmarks/README.md, "How the search side's costs grow").
 *   <li><b>Compound</b> ({@link FusedSidesRetrieverBuilder}) everywhere else: inside another compound retriever, with
 *       {@code rescore} or {@code score_breakdown}, or with a side that is not a plain query. {@link #isCompound()}
 *       tells Elasticsearch which, before it rewrites anything, so that it opens the point in time the compound way
 *       needs; a hybrid that sees a point in time at its rewrite becomes the compound one. A search that also asks for
 *       {@code collapse} or {@code suggest}, which Elasticsearch's rank framework does not apply, goes the compound way
 *       too ({@link HybridWay}).
 * </ul>
 * Both give the same fused list, save the order of equal scores within a side: the compound way orders them by
 * {@code _id}, the one search by shard and Lucene doc (the query phase has no {@code _id}s).
 */
public final class SemanticHybridRetrieverBuilder extends RetrieverBuilder {

    public static final String NAME = "semantic_hybrid";
    static final ParseField LEXICAL = new ParseField("lexical");
    static final ParseField SEMANTIC = new ParseField("semantic");
    static final ParseField COMBINATION = new ParseField("combination");
    static final ParseField NORMALIZATION = new ParseField("normalization");
    static final ParseField WEIGHTS = new ParseField("weights");
    static final ParseField RANK_CONSTANT = new ParseField("rank_constant");
    static final ParseField RANK_WINDOW_SIZE = new ParseField("rank_window_size");
    static final ParseField SCORE_BREAKDOWN = new ParseField("score_breakdown");
    static final ParseField RESCORE = new ParseField("rescore");
    public static final int DEFAULT_RANK_WINDOW_SIZE = 100;
    public static final int DEFAULT_RANK_CONSTANT = 60;
    public static final String DEFAULT_COMBINATION = "linear";

    private final RetrieverBuilder lexical;
    private final RetrieverBuilder semantic;
    private final HybridFusion fusion;
    private final int rankWindowSize;
    private final boolean scoreBreakdown;
    /** Rescorers run on the fused list in the final search (see {@link RescoredRetrieverBuilder}). */
    private final List<RescorerBuilder<?>> rescorers;
    /** Set by {@link HybridWay} when the search asks what one search cannot give (collapse, suggest). */
    private boolean compoundWay;

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
        this(lexical, semantic, fusion, rankWindowSize, scoreBreakdown, List.of());
    }

    private SemanticHybridRetrieverBuilder(
            RetrieverBuilder lexical,
            RetrieverBuilder semantic,
            HybridFusion fusion,
            int rankWindowSize,
            boolean scoreBreakdown,
            List<RescorerBuilder<?>> rescorers) {
        if (rankWindowSize < 1) {
            throw new IllegalArgumentException(
                    "[" + NAME + "] [rank_window_size] must be at least 1, got [" + rankWindowSize + "]");
        }
        this.lexical = Objects.requireNonNull(lexical);
        this.semantic = Objects.requireNonNull(semantic);
        this.fusion = Objects.requireNonNull(fusion);
        this.rankWindowSize = rankWindowSize;
        this.scoreBreakdown = scoreBreakdown;
        this.rescorers = List.copyOf(rescorers);
    }

    public static SemanticHybridRetrieverBuilder fromXContent(XContentParser parser, RetrieverParserContext context)
            throws IOException {
        return SemanticHybridParser.parse(parser, context);
    }

    /** One side, as Elasticsearch reads an inner retriever (the parser reads it for the hybrid). */
    static RetrieverBuilder parseSide(XContentParser parser, RetrieverParserContext context) throws IOException {
        return parseInnerRetrieverBuilder(parser, context);
    }

    /** A copy with other sides and rescorers, and this one's filters, name and minimum score. */
    private SemanticHybridRetrieverBuilder copy(
            RetrieverBuilder newLexical,
            RetrieverBuilder newSemantic,
            List<QueryBuilder> newPreFilters,
            List<RescorerBuilder<?>> newRescorers) {
        SemanticHybridRetrieverBuilder copy = new SemanticHybridRetrieverBuilder(
                newLexical, newSemantic, fusion, rankWindowSize, scoreBreakdown, newRescorers);
        copy.preFilterQueryBuilders = new ArrayList<>(newPreFilters);
        copy.retrieverName = retrieverName;
        copy.minScore = minScore;
        copy.compoundWay = compoundWay;
        return copy;
    }

    /** This hybrid, run the compound way whatever its sides: for a search whose other sections one search cannot take. */
    public SemanticHybridRetrieverBuilder theCompoundWay() {
        SemanticHybridRetrieverBuilder copy = copy(lexical, semantic, preFilterQueryBuilders, rescorers);
        copy.compoundWay = true;
        return copy;
    }

    /**
     * Whether this hybrid runs the compound way: asked by Elasticsearch before the rewrite, to open a point in time.
     * One search needs both sides to be plain queries and nothing asked of the final search's hits.
     */
    @Override
    public boolean isCompound() {
        return compoundWay
                || scoreBreakdown
                || rescorers.isEmpty() == false
                || plainQuery(lexical) == null
                || plainQuery(semantic) == null;
    }

    /** The side's query (its own filters in it) when the side is a {@code standard} retriever with nothing else. */
    private static QueryBuilder plainQuery(RetrieverBuilder side) {
        if ((side instanceof StandardRetrieverBuilder) == false) {
            return null;
        }
        SearchSourceBuilder extracted = new SearchSourceBuilder();
        side.extractToSearchSourceBuilder(extracted, false);
        boolean onlyAQuery = extracted.subSearches().size() == 1
                && extracted.sorts() == null
                && extracted.minScore() == null
                && extracted.collapse() == null
                && extracted.searchAfter() == null
                && extracted.terminateAfter() == SearchContext.DEFAULT_TERMINATE_AFTER;
        return onlyAQuery ? extracted.subSearches().get(0).getQueryBuilder() : null;
    }

    @Override
    public RetrieverBuilder rewrite(QueryRewriteContext ctx) throws IOException {
        if (ctx.getPointInTimeBuilder() != null) {
            // a compound search (this one's, or a parent retriever's): the compound way
            return rescorers.isEmpty() ? compound() : new RescoredRetrieverBuilder(compound(), rescorers);
        }
        RetrieverBuilder newLexical = lexical.rewrite(ctx);
        RetrieverBuilder newSemantic = semantic.rewrite(ctx);
        List<QueryBuilder> newPreFilters = rewritePreFilters(ctx);
        if (newLexical != lexical || newSemantic != semantic || newPreFilters != preFilterQueryBuilders) {
            return copy(newLexical, newSemantic, newPreFilters, rescorers);
        }
        return this;
    }

    /** One search: both sides' queries as sub-searches, fused by {@link HybridRankBuilder} over the shards' top lists. */
    @Override
    public void extractToSearchSourceBuilder(SearchSourceBuilder searchSourceBuilder, boolean compoundUsed) {
        if (isCompound()) {
            throw new IllegalStateException("[" + NAME + "] runs the compound way here and must be rewritten first");
        }
        QueryBuilder lexicalQuery = filtered(plainQuery(lexical));
        QueryBuilder semanticQuery = filtered(plainQuery(semantic));
        if (searchSourceBuilder.size() == 0) {
            // no hits to fuse (Elasticsearch's rank framework refuses size 0): the total and the aggregations are over
            // the documents either side matches, as the compound way's final search counts them
            searchSourceBuilder.query(
                    new BoolQueryBuilder().should(lexicalQuery).should(semanticQuery));
            return;
        }
        // each side once per shard, though the shard's main query runs it too (see HybridSideQueryBuilder)
        searchSourceBuilder.subSearches().add(new SubSearchSourceBuilder(new HybridSideQueryBuilder(lexicalQuery)));
        searchSourceBuilder.subSearches().add(new SubSearchSourceBuilder(new HybridSideQueryBuilder(semanticQuery)));
        searchSourceBuilder.rankBuilder(new HybridRankBuilder(rankWindowSize, fusion, minScore));
    }

    /** A side's query under the hybrid's own filters, as Elasticsearch's standard retriever puts its own. */
    private QueryBuilder filtered(QueryBuilder query) {
        if (preFilterQueryBuilders.isEmpty()) {
            return query;
        }
        BoolQueryBuilder bool = new BoolQueryBuilder().must(query);
        preFilterQueryBuilders.forEach(bool::filter);
        return bool;
    }

    @Override
    public QueryBuilder topDocsQuery() {
        throw new IllegalStateException("[" + NAME + "] is rewritten before its top documents are asked for");
    }

    /** The compound way's checks ({@code size} within the window, no scroll, the sides'), which one search shares. */
    @Override
    public ActionRequestValidationException validate(
            SearchSourceBuilder source,
            ActionRequestValidationException validationException,
            boolean isScroll,
            boolean allowPartialSearchResults) {
        return compound().validate(source, validationException, isScroll, allowPartialSearchResults);
    }

    /** This hybrid as a compound retriever (without its rescorers, which wrap it). */
    private FusedSidesRetrieverBuilder compound() {
        FusedSidesRetrieverBuilder compound =
                new FusedSidesRetrieverBuilder(lexical, semantic, fusion, rankWindowSize, scoreBreakdown);
        compound.getPreFilterQueryBuilders().addAll(preFilterQueryBuilders);
        compound.retrieverName(retrieverName);
        compound.minScore(minScore);
        return compound;
    }

    public RetrieverBuilder lexical() {
        return lexical;
    }

    public RetrieverBuilder semantic() {
        return semantic;
    }

    public HybridFusion fusion() {
        return fusion;
    }

    public int rankWindowSize() {
        return rankWindowSize;
    }

    /** The rescorers of its {@code rescore} section, run on the fused list. */
    public List<RescorerBuilder<?>> rescorers() {
        return rescorers;
    }

    /** The same retriever with other rescorers (a filter fills in what they leave to the search, such as the query text). */
    public SemanticHybridRetrieverBuilder withRescorers(List<RescorerBuilder<?>> newRescorers) {
        return copy(lexical, semantic, preFilterQueryBuilders, newRescorers);
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    protected void doToXContent(XContentBuilder builder, ToXContent.Params params) throws IOException {
        writeFields(builder, params, lexical, semantic, fusion, rankWindowSize, scoreBreakdown, rescorers);
    }

    /** The hybrid's fields, which its compound form writes too. */
    static void writeFields(
            XContentBuilder builder,
            ToXContent.Params params,
            RetrieverBuilder lexical,
            RetrieverBuilder semantic,
            HybridFusion fusion,
            int rankWindowSize,
            boolean scoreBreakdown,
            List<RescorerBuilder<?>> rescorers)
            throws IOException {
        builder.field(LEXICAL.getPreferredName(), lexical);
        builder.field(SEMANTIC.getPreferredName(), semantic);
        HybridRankBuilder.writeFusion(builder, fusion);
        builder.field(RANK_WINDOW_SIZE.getPreferredName(), rankWindowSize);
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
    protected boolean doEquals(Object o) {
        SemanticHybridRetrieverBuilder other = (SemanticHybridRetrieverBuilder) o;
        return lexical.equals(other.lexical)
                && semantic.equals(other.semantic)
                && fusion.equals(other.fusion)
                && rankWindowSize == other.rankWindowSize
                && scoreBreakdown == other.scoreBreakdown
                && rescorers.equals(other.rescorers)
                && compoundWay == other.compoundWay;
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(lexical, semantic, fusion, rankWindowSize, scoreBreakdown, rescorers, compoundWay);
    }
}
