package org.semanticranking.ranking.feature;

import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentParseException;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.XContentParserConfiguration;
import org.elasticsearch.xcontent.XContentType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads feature definitions with {@link ObjectParser}s: each is {@code {"name": ..., <kind>: ...}} with exactly one
 * kind. Unknown fields, a missing or repeated name and a feature of no or two kinds are a 400 naming the feature.
 */
public final class FeatureParser {

    /** Enough for any hand-written list; a ranker's cost grows with it on every search. */
    public static final int MAX_FEATURES = 200;

    static final List<String> KINDS = List.of(
            QueryFeature.KIND,
            VectorFeature.KIND,
            FieldFeature.KIND,
            FirstPassFeature.KIND,
            TermsFeature.KIND,
            QueryLevelFeature.KIND,
            IntentFeature.KIND,
            ShopperFeature.KIND,
            ClicksFeature.KIND,
            WindowFeature.KIND);

    private FeatureParser() {}

    private static final class Builder {
        String name;
        final List<String> kinds = new ArrayList<>();
        Map<String, Object> query;
        Sub vector, field, terms, queryLevel, intent, shopper, clicks, window;
        String firstPass;

        void kind(String kind) {
            kinds.add(kind);
        }
    }

    /** The fields of a kind's object, as read; the kind's constructor checks them. */
    private static final class Sub {
        String field, text, model, measure, modifier, name, user, feature, index;
        Double missing, prior;
        Integer sessionSize, slots, maxProducts;
    }

    private static final ObjectParser<Builder, Void> PARSER = new ObjectParser<>(
            "feature",
            (b, f, v) -> {
                throw new XContentParseException("[learned_rank] feature" + (b.name == null ? "" : " [" + b.name + "]")
                        + ": unknown kind or field [" + f + "]; a feature is [name] and one of " + KINDS);
            },
            Builder::new);

    private static ObjectParser<Sub, Void> sub(String kind, String... fields) {
        ObjectParser<Sub, Void> p = new ObjectParser<>(
                kind,
                (s, f, v) -> {
                    throw new XContentParseException("[" + kind + "] unknown field [" + f + "]");
                },
                Sub::new);
        for (String f : fields) {
            switch (f) {
                case "field" -> p.declareString((s, v) -> s.field = v, new ParseField(f));
                case "name" -> p.declareString((s, v) -> s.name = v, new ParseField(f));
                case "text" -> p.declareString((s, v) -> s.text = v, new ParseField(f));
                case "model" -> p.declareString((s, v) -> s.model = v, new ParseField(f));
                case "measure" -> p.declareString((s, v) -> s.measure = v, new ParseField(f));
                case "modifier" -> p.declareString((s, v) -> s.modifier = v, new ParseField(f));
                case "missing" -> p.declareDouble((s, v) -> s.missing = v, new ParseField(f));
                case "user" -> p.declareString((s, v) -> s.user = v, new ParseField(f));
                case "feature" -> p.declareString((s, v) -> s.feature = v, new ParseField(f));
                case "session_size" -> p.declareInt((s, v) -> s.sessionSize = v, new ParseField(f));
                case "index" -> p.declareString((s, v) -> s.index = v, new ParseField(f));
                case "slots" -> p.declareInt((s, v) -> s.slots = v, new ParseField(f));
                case "max_products" -> p.declareInt((s, v) -> s.maxProducts = v, new ParseField(f));
                case "prior" -> p.declareDouble((s, v) -> s.prior = v, new ParseField(f));
                default -> throw new IllegalStateException(f);
            }
        }
        return p;
    }

    static {
        PARSER.declareString((b, v) -> b.name = v, new ParseField("name"));
        PARSER.declareObject(
                (b, v) -> {
                    b.query = v;
                    b.kind(QueryFeature.KIND);
                },
                (p, c) -> p.mapOrdered(),
                new ParseField(QueryFeature.KIND));
        declareSub(VectorFeature.KIND, (b, s) -> b.vector = s, sub(VectorFeature.KIND, "field", "text", "model"));
        declareSub(FieldFeature.KIND, (b, s) -> b.field = s, sub(FieldFeature.KIND, "name", "modifier", "missing"));
        declareSub(TermsFeature.KIND, (b, s) -> b.terms = s, sub(TermsFeature.KIND, "field", "measure", "text"));
        declareSub(QueryLevelFeature.KIND, (b, s) -> b.queryLevel = s, sub(QueryLevelFeature.KIND, "measure", "text"));
        declareSub(IntentFeature.KIND, (b, s) -> b.intent = s, sub(IntentFeature.KIND, "field", "text"));
        declareSub(
                ShopperFeature.KIND,
                (b, s) -> b.shopper = s,
                sub(ShopperFeature.KIND, "measure", "field", "user", "session_size"));
        declareSub(
                ClicksFeature.KIND,
                (b, s) -> b.clicks = s,
                sub(ClicksFeature.KIND, "measure", "text", "index", "slots", "max_products", "prior"));
        declareSub(WindowFeature.KIND, (b, s) -> b.window = s, sub(WindowFeature.KIND, "feature", "measure"));
        PARSER.declareString(
                (b, v) -> {
                    b.firstPass = v;
                    b.kind(FirstPassFeature.KIND);
                },
                new ParseField(FirstPassFeature.KIND));
    }

    private static void declareSub(
            String kind, java.util.function.BiConsumer<Builder, Sub> setter, ObjectParser<Sub, Void> parser) {
        PARSER.declareObject(
                (b, s) -> {
                    setter.accept(b, s);
                    b.kind(kind);
                },
                (p, c) -> parser.parse(p, null),
                new ParseField(kind));
    }

    /** One feature object. */
    public static Feature parse(XContentParser parser) throws IOException {
        return build(PARSER.parse(parser, null));
    }

    /** An array of feature objects: names unique, at most {@link #MAX_FEATURES}. */
    public static List<Feature> parseList(XContentParser parser) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
            throw new XContentParseException(parser.getTokenLocation(), "[features] must be an array of features");
        }
        List<Feature> features = new ArrayList<>();
        while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
            if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
                throw new XContentParseException(parser.getTokenLocation(), "each of [features] must be an object");
            }
            features.add(parse(parser));
        }
        return checkList(features);
    }

    /** The features of a list read as a map (a REST body), in order. */
    public static List<Feature> fromList(Object list) {
        if (list instanceof List<?> == false) {
            throw new IllegalArgumentException("[features] must be an array of features");
        }
        try (XContentParser parser = XContentType.JSON
                .xContent()
                .createParser(
                        XContentParserConfiguration.EMPTY,
                        org.elasticsearch.common.Strings.toString(
                                org.elasticsearch.xcontent.json.JsonXContent.contentBuilder()
                                        .value(list)))) {
            parser.nextToken();
            return parseList(parser);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Feature> checkList(List<Feature> features) {
        if (features.isEmpty()) {
            throw new IllegalArgumentException("[features] must not be empty");
        }
        if (features.size() > MAX_FEATURES) {
            throw new IllegalArgumentException(
                    "[features] has [" + features.size() + "] features; at most [" + MAX_FEATURES + "] are allowed");
        }
        Map<String, Feature> names = new HashMap<>();
        for (Feature f : features) {
            if (names.putIfAbsent(f.name(), f) != null) {
                throw new IllegalArgumentException("[features] names [" + f.name() + "] twice; names must be unique");
            }
        }
        for (Feature f : features) {
            if (f instanceof WindowFeature w) {
                Feature source = names.get(w.feature());
                if (source == null) {
                    throw new IllegalArgumentException("[learned_rank] feature [" + w.name() + "]: [window] reads ["
                            + w.feature() + "], which is not a feature of the list");
                }
                if (source instanceof WindowFeature) {
                    throw new IllegalArgumentException("[learned_rank] feature [" + w.name() + "]: [window] reads ["
                            + w.feature() + "], another [window] feature; it must read a feature of another kind");
                }
            }
        }
        return List.copyOf(features);
    }

    private static Feature build(Builder b) {
        if (b.name == null || Feature.NAME_PATTERN.matcher(b.name).matches() == false) {
            throw new IllegalArgumentException("[learned_rank] each feature needs a [name] of letters, digits, [_.-] "
                    + "(at most 100) but got [" + b.name + "]");
        }
        if (b.kinds.size() != 1) {
            throw new IllegalArgumentException("[learned_rank] feature [" + b.name + "] must have exactly one of "
                    + KINDS + " but has " + b.kinds);
        }
        String name = b.name;
        return switch (b.kinds.get(0)) {
            case QueryFeature.KIND -> new QueryFeature(name, b.query);
            case VectorFeature.KIND ->
                new VectorFeature(
                        name, required(name, "vector", "field", b.vector.field), b.vector.text, b.vector.model);
            case FieldFeature.KIND ->
                new FieldFeature(
                        name,
                        required(name, "field", "name", b.field.name),
                        b.field.modifier == null ? null : FieldFeature.Modifier.parse(name, b.field.modifier),
                        b.field.missing == null ? 0 : b.field.missing);
            case FirstPassFeature.KIND -> new FirstPassFeature(name, FirstPassFeature.Measure.parse(name, b.firstPass));
            case TermsFeature.KIND ->
                new TermsFeature(
                        name,
                        required(name, "terms", "field", b.terms.field),
                        b.terms.measure == null ? null : TermsFeature.Measure.parse(name, b.terms.measure),
                        b.terms.text);
            case QueryLevelFeature.KIND ->
                new QueryLevelFeature(
                        name,
                        QueryLevelFeature.Measure.parse(
                                name, required(name, "query_level", "measure", b.queryLevel.measure)),
                        b.queryLevel.text);
            case IntentFeature.KIND ->
                new IntentFeature(name, required(name, "intent", "field", b.intent.field), b.intent.text);
            case ShopperFeature.KIND ->
                new ShopperFeature(
                        name,
                        ShopperFeature.Measure.parse(name, required(name, "shopper", "measure", b.shopper.measure)),
                        required(name, "shopper", "field", b.shopper.field),
                        b.shopper.user,
                        b.shopper.sessionSize == null ? ShopperFeature.DEFAULT_SESSION_SIZE : b.shopper.sessionSize);
            case ClicksFeature.KIND ->
                new ClicksFeature(
                        name,
                        ClicksFeature.Measure.parse(name, required(name, "clicks", "measure", b.clicks.measure)),
                        b.clicks.text,
                        b.clicks.index,
                        b.clicks.slots == null ? ClicksFeature.DEFAULT_SLOTS : b.clicks.slots,
                        b.clicks.maxProducts == null ? ClicksFeature.DEFAULT_MAX_PRODUCTS : b.clicks.maxProducts,
                        b.clicks.prior == null ? ClicksFeature.DEFAULT_PRIOR : b.clicks.prior);
            case WindowFeature.KIND ->
                new WindowFeature(
                        name,
                        required(name, "window", "feature", b.window.feature),
                        WindowFeature.Measure.parse(name, required(name, "window", "measure", b.window.measure)));
            default -> throw new IllegalStateException(b.kinds.get(0));
        };
    }

    private static String required(String feature, String kind, String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "[learned_rank] feature [" + feature + "]: [" + kind + "] requires [" + field + "]");
        }
        return value;
    }
}
