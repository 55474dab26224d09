package org.semanticranking.query;

import org.apache.lucene.search.Query;
import org.apache.lucene.util.SetOnce;
import org.elasticsearch.TransportVersion;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.Index;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.MatchNoneQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.search.internal.MaxClauseCountQueryVisitor;
import org.elasticsearch.search.vectors.KnnVectorQueryBuilder;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.semanticranking.encoder.action.EncodeQueryAsyncAction;
import org.semanticranking.encoder.action.EncodeQueryResponse;
import org.semanticranking.mapping.VectorFieldMappings;
import org.semanticranking.query.intent.IntentOptions;
import org.semanticranking.query.intent.IntentVocabularyAction;
import org.semanticranking.query.intent.PriceIntent;
import org.semanticranking.query.intent.Vocabulary;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code semantic_intent}: a shopper's text, retrieved by meaning.
 *
 * <pre>
 * {"semantic_intent": {"query": "quiet wireless headphones for running", "field": "product_vector",
 *   "model": "default", "k": 50, "num_candidates": 200, "filter": {...}, "boost": 1.0, "_name": "semantic"}}
 * </pre>
 *
 * It rewrites into Elasticsearch's own {@link KnnVectorQueryBuilder} with a
 * {@link SemanticIntentVectorBuilder}: Elasticsearch then builds the vector once per search request on
 * the coordinating node (an async rewrite action, deduplicated per request), and the shards only ever
 * see a kNN query with a plain vector, run by Lucene's HNSW.
 */
public final class SemanticIntentQueryBuilder extends AbstractQueryBuilder<SemanticIntentQueryBuilder> {

    public static final String NAME = "semantic_intent";
    static final ParseField QUERY = new ParseField("query");
    static final ParseField FIELD = new ParseField("field");
    static final ParseField MODEL = new ParseField("model");
    static final ParseField K = new ParseField("k");
    static final ParseField NUM_CANDIDATES = new ParseField("num_candidates");
    static final ParseField FILTER = new ParseField("filter");
    static final ParseField INTENT = new ParseField("intent");
    static final ParseField LEXICAL_FALLBACK = new ParseField("lexical_fallback");

    private final String query;
    private final String field;
    private final String model;
    private final Integer k;
    private final Integer numCandidates;
    private final List<QueryBuilder> filters;
    /** {@code null} when no constraints are to be read from the text */
    private final IntentOptions intent;
    /** Set on the coordinating node once the vector is asked for; never serialized. */
    private final Supplier<EncodeQueryResponse> vectorSupplier;

    private final Map<String, Integer> fieldDims;
    /** Set on the coordinating node when intent names keyword fields; never serialized. */
    private final Supplier<Map<String, Vocabulary>> vocabularySupplier;
    /**
     * Whether, with the encoder unavailable, this query may match nothing (with a warning) instead of failing the search,
     * when the node setting allows it: set on a {@code semantic_hybrid}'s semantic side ({@link HybridSemanticSide}),
     * so that the lexical side still answers.
     */
    private final boolean lexicalFallback;

    /**
     * @param model         {@code null} for the node's default model
     * @param k             {@code null} for Elasticsearch's kNN default
     * @param numCandidates {@code null} for Elasticsearch's kNN default
     */
    public SemanticIntentQueryBuilder(
            String query, String field, String model, Integer k, Integer numCandidates, List<QueryBuilder> filters) {
        this(query, field, model, k, numCandidates, filters, null);
    }

    /** @param intent {@code null}, or which constraints to read from the text (see {@link IntentOptions}) */
    public SemanticIntentQueryBuilder(
            String query,
            String field,
            String model,
            Integer k,
            Integer numCandidates,
            List<QueryBuilder> filters,
            IntentOptions intent) {
        this(query, field, model, k, numCandidates, filters, intent, false);
    }

    /** @param lexicalFallback whether an unavailable encoder may leave this query matching nothing (see the field) */
    public SemanticIntentQueryBuilder(
            String query,
            String field,
            String model,
            Integer k,
            Integer numCandidates,
            List<QueryBuilder> filters,
            IntentOptions intent,
            boolean lexicalFallback) {
        if (query == null) {
            throw new IllegalArgumentException("[" + NAME + "] requires [" + QUERY.getPreferredName() + "]");
        }
        if (query.isBlank()) {
            throw new IllegalArgumentException("[" + NAME + "] [" + QUERY.getPreferredName() + "] must not be empty");
        }
        if (field == null || field.isBlank()) {
            throw new IllegalArgumentException("[" + NAME + "] requires [" + FIELD.getPreferredName() + "]");
        }
        if (k != null && k < 1) {
            throw new IllegalArgumentException("[" + NAME + "] [k] must be greater than 0, got [" + k + "]");
        }
        if (numCandidates != null && numCandidates < 1) {
            throw new IllegalArgumentException(
                    "[" + NAME + "] [num_candidates] must be greater than 0, got [" + numCandidates + "]");
        }
        if (k != null && numCandidates != null && numCandidates < k) {
            throw new IllegalArgumentException(
                    "[" + NAME + "] [num_candidates] cannot be less than [k], got num_candidates [" + numCandidates
                            + "] and k [" + k + "]");
        }
        this.query = query;
        this.field = field;
        this.model = model;
        this.k = k;
        this.numCandidates = numCandidates;
        this.filters = List.copyOf(filters);
        this.intent = intent;
        this.lexicalFallback = lexicalFallback;
        this.vectorSupplier = null;
        this.fieldDims = Map.of();
        this.vocabularySupplier = null;
    }

    private SemanticIntentQueryBuilder(
            SemanticIntentQueryBuilder other,
            Supplier<EncodeQueryResponse> vectorSupplier,
            Map<String, Integer> fieldDims,
            Supplier<Map<String, Vocabulary>> vocabularySupplier) {
        this.query = other.query;
        this.field = other.field;
        this.model = other.model;
        this.k = other.k;
        this.numCandidates = other.numCandidates;
        this.filters = other.filters;
        this.intent = other.intent;
        this.vectorSupplier = vectorSupplier;
        this.fieldDims = fieldDims;
        this.vocabularySupplier = vocabularySupplier;
        this.lexicalFallback = other.lexicalFallback;
        boost(other.boost()).queryName(other.queryName());
    }

    public SemanticIntentQueryBuilder(StreamInput in) throws IOException {
        super(in);
        this.query = in.readString();
        this.field = in.readString();
        this.model = in.readOptionalString();
        this.k = in.readOptionalVInt();
        this.numCandidates = in.readOptionalVInt();
        this.filters = readQueries(in);
        this.intent = in.readOptionalWriteable(IntentOptions::new);
        this.lexicalFallback = in.readBoolean();
        this.vectorSupplier = null;
        this.fieldDims = Map.of();
        this.vocabularySupplier = null;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if (vectorSupplier != null) {
            throw new IllegalStateException(
                    "[" + NAME + "] cannot be serialized while its vector is being fetched: missing a rewrite?");
        }
        out.writeString(query);
        out.writeString(field);
        out.writeOptionalString(model);
        out.writeOptionalVInt(k);
        out.writeOptionalVInt(numCandidates);
        writeQueries(out, filters);
        out.writeOptionalWriteable(intent);
        out.writeBoolean(lexicalFallback);
    }

    public static SemanticIntentQueryBuilder fromXContent(XContentParser parser) throws IOException {
        return SemanticIntentParser.parse(parser);
    }

    /** A filter, read as Elasticsearch reads an inner query (its nesting counted with the rest of the search's). */
    static QueryBuilder parseFilter(XContentParser parser) throws IOException {
        return parseInnerQueryBuilder(parser);
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field(QUERY.getPreferredName(), query);
        builder.field(FIELD.getPreferredName(), field);
        if (model != null) {
            builder.field(MODEL.getPreferredName(), model);
        }
        if (k != null) {
            builder.field(K.getPreferredName(), k);
        }
        if (numCandidates != null) {
            builder.field(NUM_CANDIDATES.getPreferredName(), numCandidates);
        }
        if (filters.isEmpty() == false) {
            builder.startArray(FILTER.getPreferredName());
            for (QueryBuilder filter : filters) {
                filter.toXContent(builder, params);
            }
            builder.endArray();
        }
        if (intent != null) {
            builder.field(INTENT.getPreferredName(), intent);
        }
        if (lexicalFallback) {
            builder.field(LEXICAL_FALLBACK.getPreferredName(), true);
        }
        boostAndQueryNameToXContent(builder);
        builder.endObject();
    }

    /**
     * On the coordinating node: checks the field in the searched indices' mappings, asks for the
     * vector once per request (an async rewrite action, shared with identical queries and knn
     * sections of the request), checks its dims against the field, and becomes a kNN query with a
     * plain vector. Elsewhere (no resolved indices) it lets Elasticsearch's kNN query fetch the vector.
     */
    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) {
        if (vectorSupplier != null) {
            EncodeQueryResponse encoded = vectorSupplier.get();
            if (encoded == null || (vocabularySupplier != null && vocabularySupplier.get() == null)) {
                return this; // the async actions have not run yet
            }
            if (encoded.vector() == null) {
                // the warning was recorded when the encode answered (EncodeQueryAsyncAction), in the search's own
                // collector
                return new MatchNoneQueryBuilder("the encoder is unavailable: " + encoded.failure());
            }
            float[] vector = encoded.vector();
            String encodedBy = encoded.model() != null ? encoded.model() : model == null ? "default" : model;
            VectorFieldMappings.checkDims(
                    fieldDims,
                    vector.length,
                    (index, dims) -> "[" + NAME + "] model [" + encodedBy + "] produces vectors of [" + vector.length
                            + "] dims but field [" + field + "] in index [" + index + "] has [" + dims + "] dims");
            return knn(new KnnVectorQueryBuilder(field, vector, k, numCandidates, null, null, null));
        }
        ResolvedIndices resolved = context.getResolvedIndices();
        if (resolved == null) {
            return knn(new KnnVectorQueryBuilder(
                    field, new SemanticIntentVectorBuilder(encoderText(), model), k, numCandidates, null, null));
        }
        Map<String, Integer> dims =
                VectorFieldMappings.dimsByIndex(NAME, field, resolved.getConcreteLocalIndicesMetadata());
        SetOnce<EncodeQueryResponse> vector = new SetOnce<>();
        String[] indices = Arrays.stream(resolved.getConcreteLocalIndices())
                .map(Index::getName)
                .toArray(String[]::new);
        context.registerUniqueAsyncAction(
                new EncodeQueryAsyncAction(encoderText(), model, indices, field, lexicalFallback), vector::set);
        Supplier<Map<String, Vocabulary>> vocabularies =
                intent != null && intent.keywordFields().isEmpty() == false
                        ? IntentVocabularyAction.fetch(
                                context, resolved.getLocalIndices().indices(), intent)
                        : null;
        return new SemanticIntentQueryBuilder(this, vector::get, dims, vocabularies);
    }

    private Optional<PriceIntent> price() {
        return intent == null ? Optional.empty() : intent.detectPrice(query);
    }

    /** The text given to the encoder: the query, without its price expression when intent asks so. */
    public String encoderText() {
        return intent == null ? query : intent.textForEncoder(query, price());
    }

    private QueryBuilder knn(KnnVectorQueryBuilder knn) {
        knn.addFilterQueries(filters);
        knn.boost(boost()).queryName(queryName());
        return intent == null
                ? knn
                : intent.constrain(knn, query, vocabularySupplier == null ? null : vocabularySupplier.get());
    }

    @Override
    protected Query doToQuery(SearchExecutionContext context, MaxClauseCountQueryVisitor visitor) {
        throw new IllegalStateException("[" + NAME + "] should have been rewritten into a [knn] query");
    }

    public String query() {
        return query;
    }

    public String field() {
        return field;
    }

    public String model() {
        return model;
    }

    public Integer k() {
        return k;
    }

    public Integer numCandidates() {
        return numCandidates;
    }

    public List<QueryBuilder> filters() {
        return filters;
    }

    public IntentOptions intent() {
        return intent;
    }

    @Override
    protected boolean doEquals(SemanticIntentQueryBuilder other) {
        return query.equals(other.query)
                && field.equals(other.field)
                && Objects.equals(model, other.model)
                && Objects.equals(k, other.k)
                && Objects.equals(numCandidates, other.numCandidates)
                && filters.equals(other.filters)
                && Objects.equals(intent, other.intent)
                && lexicalFallback == other.lexicalFallback
                && Objects.equals(vectorSupplier, other.vectorSupplier);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(query, field, model, k, numCandidates, filters, intent, lexicalFallback);
    }

    public boolean lexicalFallback() {
        return lexicalFallback;
    }

    /** This query with {@code lexical_fallback} on: a {@code semantic_hybrid}'s semantic side (see {@link HybridSemanticSide}). */
    public SemanticIntentQueryBuilder withLexicalFallback() {
        if (lexicalFallback) {
            return this;
        }
        return new SemanticIntentQueryBuilder(query, field, model, k, numCandidates, filters, intent, true)
                .boost(boost())
                .queryName(queryName());
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
