package org.semanticranking.rescore;

import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.XContentParseException;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.semanticranking.rescore.BlendOptions.INTERACTIONS_INDEX;
import static org.semanticranking.rescore.BlendOptions.MODEL;
import static org.semanticranking.rescore.BlendOptions.MODEL_ID;
import static org.semanticranking.rescore.BlendOptions.NAME;
import static org.semanticranking.rescore.BlendOptions.NORMALIZATION;
import static org.semanticranking.rescore.BlendOptions.PROFILES_INDEX;
import static org.semanticranking.rescore.BlendOptions.QUERY_TEXT;
import static org.semanticranking.rescore.BlendOptions.QUERY_VECTOR;
import static org.semanticranking.rescore.BlendOptions.SCORE_BREAKDOWN;
import static org.semanticranking.rescore.BlendOptions.SESSION_SIZE;
import static org.semanticranking.rescore.BlendOptions.USER;
import static org.semanticranking.rescore.BlendOptions.USER_ID;
import static org.semanticranking.rescore.BlendOptions.VECTOR_FIELD;
import static org.semanticranking.rescore.BlendOptions.WEIGHTS;

/**
 * Reads a {@code personalized_blend} object into a {@link BlendOptions.Builder} with an {@link ObjectParser}. The
 * structured values (the inline user, the weights, the query vector) are kept as read and checked by the builder, so
 * that their errors say what is wrong with them rather than where the parser was.
 */
final class BlendOptionsParser {

    private BlendOptionsParser() {}

    /** Unknown fields and values of the wrong kind are a 400 naming the field. */
    private static final ObjectParser<BlendOptions.Builder, Void> PARSER = new ObjectParser<>(
            NAME,
            (b, field, value) -> {
                throw new XContentParseException("[" + NAME + "] unknown field [" + field + "]");
            },
            BlendOptions.Builder::new);

    static {
        PARSER.declareString(BlendOptions.Builder::userId, USER_ID);
        // kept as read: build() checks them, so that their errors say what is wrong rather than where
        PARSER.declareField(
                (b, v) -> b.rawUser = v, BlendOptionsParser::anyValue, USER, ObjectParser.ValueType.VALUE_OBJECT_ARRAY);
        PARSER.declareField(
                (b, v) -> b.rawWeights = v,
                BlendOptionsParser::anyValue,
                WEIGHTS,
                ObjectParser.ValueType.VALUE_OBJECT_ARRAY);
        PARSER.declareField(
                (b, v) -> b.rawQueryVector = v,
                BlendOptionsParser::anyValue,
                QUERY_VECTOR,
                ObjectParser.ValueType.VALUE_OBJECT_ARRAY);
        PARSER.declareString((b, v) -> b.rawNormalization = v, NORMALIZATION);
        PARSER.declareString(BlendOptions.Builder::modelId, MODEL_ID);
        PARSER.declareString(BlendOptions.Builder::vectorField, VECTOR_FIELD);
        PARSER.declareString(BlendOptions.Builder::queryText, QUERY_TEXT);
        PARSER.declareString(BlendOptions.Builder::model, MODEL);
        PARSER.declareInt(BlendOptions.Builder::sessionSize, SESSION_SIZE);
        PARSER.declareString(BlendOptions.Builder::profilesIndex, PROFILES_INDEX);
        PARSER.declareString(BlendOptions.Builder::interactionsIndex, INTERACTIONS_INDEX);
        PARSER.declareBoolean(BlendOptions.Builder::scoreBreakdown, SCORE_BREAKDOWN);
    }

    static BlendOptions parse(XContentParser parser) throws IOException {
        return PARSER.parse(parser, null).build();
    }

    /** A field's value as it is (an object, an array or a scalar), for {@link Builder#build()} to check. */
    private static Object anyValue(XContentParser parser, Void context) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> parser.map();
            case START_ARRAY -> parser.list();
            default -> parser.objectText();
        };
    }

    static float[] numbers(Object value) {
        if (value instanceof List<?> list) {
            float[] out = new float[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (list.get(i) instanceof Number n) {
                    out[i] = n.floatValue();
                } else {
                    throw new IllegalArgumentException("[" + NAME + "] [query_vector] must be an array of numbers");
                }
            }
            return out;
        }
        throw new IllegalArgumentException("[" + NAME + "] [query_vector] must be an array of numbers");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String field, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("[" + NAME + "] [" + field + "] must be an object" + what);
    }
}
