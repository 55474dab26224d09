package org.semanticranking.query.intent;

import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.ConstantScoreQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.RangeQueryBuilder;
import org.elasticsearch.index.query.TermQueryBuilder;
import org.elasticsearch.search.vectors.KnnVectorQueryBuilder;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code intent} options of {@code semantic_intent}: which explicit constraints to read from the
 * shopper's text and how to apply them.
 *
 * <pre>"intent": {"price_field": "price", "mode": "boost", "boost": 1.0, "cheap_below": 20, "strip_price": true}</pre>
 *
 * A detected constraint is applied as a named query ({@code semantic_intent.price<=100}), so it shows
 * in each hit's {@code matched_queries}: a person can see what the engine understood.
 *
 * @param mode {@code boost} adds the constraint as a scoring clause; {@code filter} restricts the kNN search to it
 */
public record IntentOptions(
        String priceField,
        String brandField,
        String colourField,
        String typeField,
        Mode mode,
        float boost,
        double cheapBelow,
        boolean stripPrice)
        implements Writeable, ToXContentObject {

    public enum Mode {
        BOOST,
        FILTER;

        static Mode parse(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "boost" -> BOOST;
                case "filter" -> FILTER;
                default ->
                    throw new IllegalArgumentException(
                            "[intent] unknown [mode] [" + value + "], expected one of [boost, filter]");
            };
        }
    }

    public static final String NAME_PREFIX = "semantic_intent.";

    /** Price only. */
    public IntentOptions(String priceField, Mode mode, float boost, double cheapBelow, boolean stripPrice) {
        this(priceField, null, null, null, mode, boost, cheapBelow, stripPrice);
    }

    public IntentOptions {
        if (priceField == null && brandField == null && colourField == null && typeField == null) {
            throw new IllegalArgumentException(
                    "[intent] requires at least one of [price_field], [brand_field], [colour_field], [type_field]");
        }
        if (Float.isFinite(boost) == false || boost <= 0) {
            throw new IllegalArgumentException("[intent] [boost] must be a positive number, got [" + boost + "]");
        }
        if (Double.isFinite(cheapBelow) == false || cheapBelow <= 0) {
            throw new IllegalArgumentException(
                    "[intent] [cheap_below] must be a positive number, got [" + cheapBelow + "]");
        }
    }

    public IntentOptions(StreamInput in) throws IOException {
        this(
                in.readOptionalString(),
                in.readOptionalString(),
                in.readOptionalString(),
                in.readOptionalString(),
                in.readEnum(Mode.class),
                in.readFloat(),
                in.readDouble(),
                in.readBoolean());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeOptionalString(priceField);
        out.writeOptionalString(brandField);
        out.writeOptionalString(colourField);
        out.writeOptionalString(typeField);
        out.writeEnum(mode);
        out.writeFloat(boost);
        out.writeDouble(cheapBelow);
        out.writeBoolean(stripPrice);
    }

    public static IntentOptions parse(XContentParser parser) throws IOException {
        String priceField = null;
        String brandField = null;
        String colourField = null;
        String typeField = null;
        String mode = "boost";
        float boost = 1f;
        double cheapBelow = 20;
        boolean stripPrice = true;
        String field = null;
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token == XContentParser.Token.FIELD_NAME) {
                field = parser.currentName();
            } else if (token.isValue()) {
                switch (field) {
                    case "price_field" -> priceField = parser.text();
                    case "brand_field" -> brandField = parser.text();
                    case "colour_field", "color_field" -> colourField = parser.text();
                    case "type_field" -> typeField = parser.text();
                    case "mode" -> mode = parser.text();
                    case "boost" -> boost = parser.floatValue();
                    case "cheap_below" -> cheapBelow = parser.doubleValue();
                    case "strip_price" -> stripPrice = parser.booleanValue();
                    default ->
                        throw new ParsingException(
                                parser.getTokenLocation(), "[intent] does not support [" + field + "]");
                }
            } else {
                throw new ParsingException(parser.getTokenLocation(), "[intent] does not support [" + field + "] here");
            }
        }
        return new IntentOptions(
                priceField, brandField, colourField, typeField, Mode.parse(mode), boost, cheapBelow, stripPrice);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        for (var e : new String[][] {
            {"price_field", priceField},
            {"brand_field", brandField},
            {"colour_field", colourField},
            {"type_field", typeField}
        }) {
            if (e[1] != null) {
                builder.field(e[0], e[1]);
            }
        }
        return builder.field("mode", mode.name().toLowerCase(Locale.ROOT))
                .field("boost", boost)
                .field("cheap_below", cheapBelow)
                .field("strip_price", stripPrice)
                .endObject();
    }

    /** What the text says about price, if anything (nothing when no price field is named). */
    public Optional<PriceIntent> detectPrice(String text) {
        return priceField == null ? Optional.empty() : PriceIntent.find(text, cheapBelow);
    }

    /** The keyword fields whose vocabularies are looked for in the text, by the name shown in responses. */
    public Map<String, String> keywordFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        if (brandField != null) {
            fields.put("brand", brandField);
        }
        if (colourField != null) {
            fields.put("colour", colourField);
        }
        if (typeField != null) {
            fields.put("type", typeField);
        }
        return fields;
    }

    /** The constraints the text names: one named term query per value found. */
    public List<QueryBuilder> keywordQueries(String text, Map<String, Vocabulary> vocabularies) {
        List<QueryBuilder> queries = new ArrayList<>();
        for (var e : keywordFields().entrySet()) {
            Vocabulary vocabulary = vocabularies.get(e.getValue());
            if (vocabulary == null) {
                continue;
            }
            for (String value : vocabulary.find(text)) {
                queries.add(
                        new TermQueryBuilder(e.getValue(), value).queryName(NAME_PREFIX + e.getKey() + ":" + value));
            }
        }
        return queries;
    }

    /** The text the encoder should see: without the price expression when asked (never empty). */
    public String textForEncoder(String text, Optional<PriceIntent> price) {
        if (stripPrice == false || price.isEmpty()) {
            return text;
        }
        String stripped = price.get().strip(text);
        return stripped.isBlank() ? text : stripped;
    }

    /** The range the price expression means, as a named query. */
    public QueryBuilder priceQuery(PriceIntent price) {
        RangeQueryBuilder range = new RangeQueryBuilder(priceField);
        if (price.min() != null) {
            range.gte(price.min());
        }
        if (price.max() != null) {
            range.lte(price.max());
        }
        return range.queryName(NAME_PREFIX + price.describe());
    }

    /**
     * Combines the semantic query with the detected constraint: in filter mode the constraint is also
     * the kNN's pre-filter (set by the caller) and a named filter here; in boost mode a scoring clause.
     */
    public QueryBuilder apply(QueryBuilder semantic, List<QueryBuilder> constraints) {
        BoolQueryBuilder bool = new BoolQueryBuilder().must(semantic);
        for (QueryBuilder constraint : constraints) {
            if (mode == Mode.FILTER) {
                bool.filter(constraint);
            } else {
                bool.should(new ConstantScoreQueryBuilder(constraint).boost(boost));
            }
        }
        return bool;
    }

    /**
     * The kNN query of a {@code semantic_intent} with what the text says applied: the price it names, and the brand,
     * colour and type values of the catalogue it names ({@code vocabularies}, or {@code null} when not fetched). In
     * filter mode the kNN search itself only considers the matching products.
     */
    public QueryBuilder constrain(KnnVectorQueryBuilder knn, String text, Map<String, Vocabulary> vocabularies) {
        List<QueryBuilder> constraints = new ArrayList<>();
        detectPrice(text).ifPresent(p -> constraints.add(priceQuery(p)));
        if (vocabularies != null) {
            constraints.addAll(keywordQueries(text, vocabularies));
        }
        if (constraints.isEmpty()) {
            return knn;
        }
        if (mode == Mode.FILTER) {
            constraints.forEach(knn::addFilterQuery);
        }
        return apply(knn, constraints);
    }
}
