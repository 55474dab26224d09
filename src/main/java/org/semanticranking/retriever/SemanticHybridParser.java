package org.semanticranking.retriever;

import org.elasticsearch.common.ParsingException;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.search.retriever.CompoundRetrieverBuilder;
import org.elasticsearch.search.retriever.RetrieverBuilder;
import org.elasticsearch.search.retriever.RetrieverParserContext;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.XContentParseException;
import org.elasticsearch.xcontent.XContentParser;
import org.semanticranking.query.HybridSemanticSide;
import org.semanticranking.scoring.Combination;
import org.semanticranking.scoring.Normalization;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.semanticranking.retriever.SemanticHybridRetrieverBuilder.COMBINATION;
import static org.semanticranking.retriever.SemanticHybridRetrieverBuilder.LEXICAL;
import static org.semanticranking.retriever.SemanticHybridRetrieverBuilder.NAME;
import static org.semanticranking.retriever.SemanticHybridRetrieverBuilder.NORMALIZATION;
import static org.semanticranking.retriever.SemanticHybridRetrieverBuilder.RANK_CONSTANT;
import static org.semanticranking.retriever.SemanticHybridRetrieverBuilder.RESCORE;
import static org.semanticranking.retriever.SemanticHybridRetrieverBuilder.SCORE_BREAKDOWN;
import static org.semanticranking.retriever.SemanticHybridRetrieverBuilder.SEMANTIC;
import static org.semanticranking.retriever.SemanticHybridRetrieverBuilder.WEIGHTS;

/**
 * Reads a {@code semantic_hybrid} object with an {@link ObjectParser} into an inner builder, then makes the retriever:
 * the semantic side is read through {@link HybridSemanticSide}, so that its {@code semantic_intent} queries may leave
 * the lexical side to answer alone when the encoder is unavailable.
 */
final class SemanticHybridParser {

    private SemanticHybridParser() {}

    /** What the parser gathers, checked when the retriever is made. */
    private static final class Parsed {
        RetrieverBuilder lexical, semantic;
        String combination = SemanticHybridRetrieverBuilder.DEFAULT_COMBINATION;
        String normalization = "min_max";
        Map<String, Object> weights = Map.of();
        int rankConstant = SemanticHybridRetrieverBuilder.DEFAULT_RANK_CONSTANT;
        int rankWindowSize = SemanticHybridRetrieverBuilder.DEFAULT_RANK_WINDOW_SIZE;
        boolean scoreBreakdown;
        List<RescorerBuilder<?>> rescorers = List.of();
        List<QueryBuilder> filters = List.of();
        String name;
        Float minScore;
    }

    private static final ObjectParser<Parsed, RetrieverParserContext> PARSER = new ObjectParser<>(
            NAME,
            (p, field, value) -> {
                throw new XContentParseException("[" + NAME + "] does not support [" + field + "]");
            },
            Parsed::new);

    static {
        PARSER.declareObject((p, v) -> p.lexical = v, SemanticHybridRetrieverBuilder::parseSide, LEXICAL);
        PARSER.declareObject(
                (p, v) -> p.semantic = v,
                (parser, c) -> SemanticHybridRetrieverBuilder.parseSide(new HybridSemanticSide(parser), c),
                SEMANTIC);
        PARSER.declareString((p, v) -> p.combination = v, COMBINATION);
        PARSER.declareString((p, v) -> p.normalization = v, NORMALIZATION);
        PARSER.declareObject((p, v) -> p.weights = v, (parser, c) -> parser.map(), WEIGHTS);
        PARSER.declareInt((p, v) -> p.rankConstant = v, RANK_CONSTANT);
        PARSER.declareInt((p, v) -> p.rankWindowSize = v, CompoundRetrieverBuilder.RANK_WINDOW_SIZE_FIELD);
        PARSER.declareBoolean((p, v) -> p.scoreBreakdown = v, SCORE_BREAKDOWN);
        // as at the top level of a search: one rescorer or an array of them
        PARSER.declareObjectArray((p, v) -> p.rescorers = v, SemanticHybridParser::rescorer, RESCORE);
        PARSER.declareObjectArray(
                (p, v) -> p.filters = v,
                (parser, c) -> AbstractQueryBuilder.parseTopLevelQuery(parser, c::trackQueryUsage),
                RetrieverBuilder.PRE_FILTER_FIELD);
        PARSER.declareString((p, v) -> p.name = v, RetrieverBuilder.NAME_FIELD);
        PARSER.declareFloat((p, v) -> p.minScore = v, RetrieverBuilder.MIN_SCORE_FIELD);
    }

    private static RescorerBuilder<?> rescorer(XContentParser parser, RetrieverParserContext context)
            throws IOException {
        return RescorerBuilder.parseFromXContent(parser, context::trackRescorerUsage);
    }

    static SemanticHybridRetrieverBuilder parse(XContentParser parser, RetrieverParserContext context)
            throws IOException {
        Parsed p = PARSER.parse(parser, context);
        if (p.lexical == null || p.semantic == null) {
            throw new ParsingException(
                    parser.getTokenLocation(), "[" + NAME + "] requires both a [lexical] and a [semantic] retriever");
        }
        SemanticHybridRetrieverBuilder retriever;
        try {
            float[] weights = weights(p.weights);
            HybridFusion fusion = new HybridFusion(
                    Combination.parse(p.combination),
                    Normalization.parse(p.normalization),
                    weights[0],
                    weights[1],
                    p.rankConstant);
            retriever = new SemanticHybridRetrieverBuilder(
                    p.lexical, p.semantic, fusion, p.rankWindowSize, p.scoreBreakdown);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] " + e.getMessage(), e);
        }
        retriever.getPreFilterQueryBuilders().addAll(p.filters);
        retriever = retriever.withRescorers(new ArrayList<>(p.rescorers));
        retriever.retrieverName(p.name);
        retriever.minScore(p.minScore);
        context.trackRetrieverUsage(retriever);
        return retriever;
    }

    /** {@code {"lexical": w, "semantic": w}}, each 1 unless given. */
    private static float[] weights(Map<String, Object> given) {
        float[] weights = {1f, 1f};
        for (Map.Entry<String, Object> e : given.entrySet()) {
            int side = switch (e.getKey()) {
                case "lexical" -> 0;
                case "semantic" -> 1;
                default ->
                    throw new IllegalArgumentException(
                            "[weights] has no side [" + e.getKey() + "], only [lexical] and [semantic]");
            };
            if ((e.getValue() instanceof Number) == false) {
                throw new IllegalArgumentException("[weights] [" + e.getKey() + "] must be a number");
            }
            weights[side] = ((Number) e.getValue()).floatValue();
        }
        return weights;
    }
}
