package org.semanticranking.query;

import org.elasticsearch.TransportVersion;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.search.vectors.QueryVectorBuilder;
import org.elasticsearch.xcontent.ConstructingObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.semanticranking.encoder.action.AsSystem;
import org.semanticranking.encoder.action.EncodeQueryAction;
import org.semanticranking.encoder.action.EncodeQueryRequest;
import org.semanticranking.encoder.action.EncodeQueryResponse;

import java.io.IOException;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * {@code "query_vector_builder": {"semantic_intent": {"text": "...", "model": "..."}}}: lets the native
 * {@code knn} search section and {@code knn} retriever take a shopper's text. Elasticsearch calls
 * {@link #buildVector} once per request, on the coordinating node, during rewrite; the vector comes
 * from the node's encoder (cache, coalescing, encoder pool).
 */
public final class SemanticIntentVectorBuilder implements QueryVectorBuilder {

    public static final String NAME = "semantic_intent";
    public static final ParseField TEXT = new ParseField("text");
    public static final ParseField MODEL = new ParseField("model");

    private static final ConstructingObjectParser<SemanticIntentVectorBuilder, Void> PARSER =
            new ConstructingObjectParser<>(
                    NAME, args -> new SemanticIntentVectorBuilder((String) args[0], (String) args[1]));

    static {
        PARSER.declareString(ConstructingObjectParser.constructorArg(), TEXT);
        PARSER.declareString(ConstructingObjectParser.optionalConstructorArg(), MODEL);
    }

    private final String text;
    private final String model;

    /** @param model {@code null} for the node's default model */
    public SemanticIntentVectorBuilder(String text, String model) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("[" + NAME + "] [" + TEXT.getPreferredName() + "] must not be empty");
        }
        this.text = text;
        this.model = model;
    }

    public SemanticIntentVectorBuilder(StreamInput in) throws IOException {
        this(in.readString(), in.readOptionalString());
    }

    public static SemanticIntentVectorBuilder fromXContent(XContentParser parser) throws IOException {
        return PARSER.parse(parser, null);
    }

    /** The parser in the form {@link org.elasticsearch.plugins.SearchPlugin.QueryVectorBuilderSpec} takes. */
    public static BiFunction<XContentParser, Void, SemanticIntentVectorBuilder> parser() {
        return PARSER;
    }

    public String text() {
        return text;
    }

    public String model() {
        return model;
    }

    @Override
    public void buildVector(Client client, ActionListener<float[]> listener) {
        AsSystem.execute(
                client,
                EncodeQueryAction.INSTANCE,
                new EncodeQueryRequest(model, text),
                listener.map(EncodeQueryResponse::vector));
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return TransportVersion.minimumCompatible();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(text);
        out.writeOptionalString(model);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field(TEXT.getPreferredName(), text);
        if (model != null) {
            builder.field(MODEL.getPreferredName(), model);
        }
        return builder.endObject();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SemanticIntentVectorBuilder other
                && text.equals(other.text)
                && Objects.equals(model, other.model);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, model);
    }

    @Override
    public String toString() {
        return "semantic_intent{text=" + text + ", model=" + model + "}";
    }
}
