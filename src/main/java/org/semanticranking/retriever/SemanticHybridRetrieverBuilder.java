package org.semanticranking.retriever;

import org.apache.lucene.search.ScoreDoc;
import org.elasticsearch.common.ParsingException;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.StoredFieldsContext;
import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.search.retriever.CompoundRetrieverBuilder;
import org.elasticsearch.search.retriever.RetrieverBuilder;
import org.elasticsearch.search.retriever.RetrieverParserContext;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.search.retriever.RetrieverBuilder;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

import org.semanticranking.query.HybridSemanticSide;
import org.semanticranking.scoring.Combination;
import org.semanticranking.scoring.Normalization;

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

    public SemanticHybridRetrieverBuilder(RetrieverBuilder lexical, RetrieverBuilder semantic, HybridFusion fusion, int rankWindowSize) {
        this(lexical, semantic, fusion, rankWindowSize, false);
    }

    /** @param scoreBreakdown put each hit's lexical and semantic scores and ranks in its {@code fields} */
    public SemanticHybridRetrieverBuilder(
        RetrieverBuilder lexical,
        RetrieverBuilder semantic,
        HybridFusion fusion,
        int rankWindowSize,
        boolean scoreBreakdown
    ) {
        this(List.of(RetrieverSource.from(lexical), RetrieverSource.from(semantic)), fusion, rankWindowSize, scoreBreakdown);
    }

    private SemanticHybridRetrieverBuilder(List<RetrieverSource> sides, HybridFusion fusion, int rankWindowSize, boolean scoreBreakdown) {
        super(new ArrayList<>(sides), rankWindowSize);
        if (rankWindowSize < 1) {
            throw new IllegalArgumentException("[" + NAME + "] [rank_window_size] must be at least 1, got [" + rankWindowSize + "]");
        }
        this.fusion = Objects.requireNonNull(fusion);
        this.scoreBreakdown = scoreBreakdown;
    }

    public static SemanticHybridRetrieverBuilder fromXContent(XContentParser parser, RetrieverParserContext context) throws IOException {
        RetrieverBuilder lexical = null;
        RetrieverBuilder semantic = null;
        String combination = DEFAULT_COMBINATION;
        String normalization = "min_max";
        float lexicalWeight = 1f;
        float semanticWeight = 1f;
        int rankConstant = DEFAULT_RANK_CONSTANT;
        int rankWindowSize = DEFAULT_RANK_WINDOW_SIZE;
        boolean scoreBreakdown = false;
        List<RescorerBuilder<?>> rescorers = new ArrayList<>();
        List<QueryBuilder> filters = new ArrayList<>();
        String name = null;
        Float minScore = null;
        String field = null;
        XContentParser.Token token;
        // at the top level the parser stands on the object's start; nested (e.g. in a rescorer retriever) just before it
        if (parser.currentToken() != XContentParser.Token.START_OBJECT && parser.nextToken() != XContentParser.Token.START_OBJECT) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] must be an object");
        }
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token == XContentParser.Token.FIELD_NAME) {
                field = parser.currentName();
            } else if (field == null) {
                throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] expected a field name, got [" + token + "]");
            } else if (LEXICAL.match(field, parser.getDeprecationHandler())) {
                lexical = parseInnerRetrieverBuilder(parser, context);
            } else if (SEMANTIC.match(field, parser.getDeprecationHandler())) {
                semantic = parseInnerRetrieverBuilder(new HybridSemanticSide(parser), context);
            } else if (WEIGHTS.match(field, parser.getDeprecationHandler()) && token == XContentParser.Token.START_OBJECT) {
                String side = null;
                while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
                    if (token == XContentParser.Token.FIELD_NAME) {
                        side = parser.currentName();
                    } else if (LEXICAL.match(side, parser.getDeprecationHandler())) {
                        lexicalWeight = parser.floatValue();
                    } else if (SEMANTIC.match(side, parser.getDeprecationHandler())) {
                        semanticWeight = parser.floatValue();
                    } else {
                        throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] [weights] has no side [" + side + "], only [lexical] and [semantic]");
                    }
                }
            } else if (RESCORE.match(field, parser.getDeprecationHandler())) {
                if (token == XContentParser.Token.START_ARRAY) {
                    while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
                        rescorers.add(RescorerBuilder.parseFromXContent(parser, context::trackRescorerUsage));
                    }
                } else if (token == XContentParser.Token.START_OBJECT) {
                    rescorers.add(RescorerBuilder.parseFromXContent(parser, context::trackRescorerUsage));
                } else {
                    throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] [rescore] must be an object or an array");
                }
            } else if (PRE_FILTER_FIELD.match(field, parser.getDeprecationHandler())) {
                if (token == XContentParser.Token.START_ARRAY) {
                    while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
                        filters.add(AbstractQueryBuilder.parseTopLevelQuery(parser, context::trackQueryUsage));
                    }
                } else {
                    filters.add(AbstractQueryBuilder.parseTopLevelQuery(parser, context::trackQueryUsage));
                }
            } else if (token.isValue()) {
                if (COMBINATION.match(field, parser.getDeprecationHandler())) {
                    combination = parser.text();
                } else if (NORMALIZATION.match(field, parser.getDeprecationHandler())) {
                    normalization = parser.text();
                } else if (RANK_CONSTANT.match(field, parser.getDeprecationHandler())) {
                    rankConstant = parser.intValue();
                } else if (RANK_WINDOW_SIZE_FIELD.match(field, parser.getDeprecationHandler())) {
                    rankWindowSize = parser.intValue();
                } else if (SCORE_BREAKDOWN.match(field, parser.getDeprecationHandler())) {
                    scoreBreakdown = parser.booleanValue();
                } else if (NAME_FIELD.match(field, parser.getDeprecationHandler())) {
                    name = parser.text();
                } else if (MIN_SCORE_FIELD.match(field, parser.getDeprecationHandler())) {
                    minScore = parser.floatValue();
                } else {
                    throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] does not support [" + field + "]");
                }
            } else {
                throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] does not support [" + field + "] here");
            }
        }
        if (lexical == null || semantic == null) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] requires both a [lexical] and a [semantic] retriever");
        }
        SemanticHybridRetrieverBuilder retriever;
        try {
            HybridFusion fusion = new HybridFusion(
                Combination.parse(combination),
                Normalization.parse(normalization),
                lexicalWeight,
                semanticWeight,
                rankConstant
            );
            retriever = new SemanticHybridRetrieverBuilder(lexical, semantic, fusion, rankWindowSize, scoreBreakdown);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] " + e.getMessage(), e);
        }
        retriever.getPreFilterQueryBuilders().addAll(filters);
        retriever.rescorers = List.copyOf(rescorers);
        retriever.retrieverName(name);
        retriever.minScore(minScore);
        context.trackRetrieverUsage(retriever);
        return retriever;
    }

    @Override
    protected SemanticHybridRetrieverBuilder clone(List<RetrieverSource> newChildRetrievers, List<QueryBuilder> newPreFilterQueryBuilders) {
        SemanticHybridRetrieverBuilder clone = new SemanticHybridRetrieverBuilder(newChildRetrievers, fusion, rankWindowSize, scoreBreakdown);
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
        return sourceBuilder.storedFields(StoredFieldsContext.fromList(List.of())).fetchSource(false);
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
        return super.doEquals(o) && fusion.equals(other.fusion) && scoreBreakdown == other.scoreBreakdown && rescorers.equals(other.rescorers);
    }

    @Override
    public int doHashCode() {
        return Objects.hash(super.doHashCode(), fusion, scoreBreakdown, rescorers);
    }
}
