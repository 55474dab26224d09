package org.semanticranking.query;

import org.elasticsearch.common.ParsingException;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.XContentParseException;
import org.elasticsearch.xcontent.XContentParser;
import org.semanticranking.query.intent.IntentOptions;

import java.io.IOException;
import java.util.List;

import static org.semanticranking.query.SemanticIntentQueryBuilder.FIELD;
import static org.semanticranking.query.SemanticIntentQueryBuilder.FILTER;
import static org.semanticranking.query.SemanticIntentQueryBuilder.INTENT;
import static org.semanticranking.query.SemanticIntentQueryBuilder.K;
import static org.semanticranking.query.SemanticIntentQueryBuilder.LEXICAL_FALLBACK;
import static org.semanticranking.query.SemanticIntentQueryBuilder.MODEL;
import static org.semanticranking.query.SemanticIntentQueryBuilder.NAME;
import static org.semanticranking.query.SemanticIntentQueryBuilder.NUM_CANDIDATES;
import static org.semanticranking.query.SemanticIntentQueryBuilder.QUERY;

/** Reads a {@code semantic_intent} object with an {@link ObjectParser}; the builder checks what it read. */
final class SemanticIntentParser {

    private SemanticIntentParser() {}

    /** What the parser gathers before the builder checks it (an inner builder, so that the query itself stays immutable). */
    private static final class Parsed {
        String query, field, model, queryName;
        Integer k, numCandidates;
        List<QueryBuilder> filters = List.of();
        IntentOptions intent;
        boolean lexicalFallback;
        float boost = AbstractQueryBuilder.DEFAULT_BOOST;

        SemanticIntentQueryBuilder build() {
            return new SemanticIntentQueryBuilder(
                            query, field, model, k, numCandidates, filters, intent, lexicalFallback)
                    .boost(boost)
                    .queryName(queryName);
        }
    }

    private static final ObjectParser<Parsed, Void> PARSER = new ObjectParser<>(
            NAME,
            (parsed, unknown, value) -> {
                throw new XContentParseException("[" + NAME + "] query does not support [" + unknown + "]");
            },
            Parsed::new);

    static {
        PARSER.declareString((p, v) -> p.query = v, QUERY);
        PARSER.declareString((p, v) -> p.field = v, FIELD);
        PARSER.declareString((p, v) -> p.model = v, MODEL);
        PARSER.declareInt((p, v) -> p.k = v, K);
        PARSER.declareInt((p, v) -> p.numCandidates = v, NUM_CANDIDATES);
        // one query or an array of them
        PARSER.declareObjectArray(
                (p, v) -> p.filters = v, (parser, c) -> SemanticIntentQueryBuilder.parseFilter(parser), FILTER);
        PARSER.declareObject((p, v) -> p.intent = v, (parser, c) -> IntentOptions.parse(parser), INTENT);
        PARSER.declareBoolean((p, v) -> p.lexicalFallback = v, LEXICAL_FALLBACK);
        PARSER.declareFloat((p, v) -> p.boost = v, AbstractQueryBuilder.BOOST_FIELD);
        PARSER.declareString((p, v) -> p.queryName = v, AbstractQueryBuilder.NAME_FIELD);
    }

    static SemanticIntentQueryBuilder parse(XContentParser parser) throws IOException {
        Parsed parsed = PARSER.parse(parser, null);
        try {
            return parsed.build();
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }
}
