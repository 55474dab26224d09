package org.semanticranking.query;

import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.Strings;
import org.elasticsearch.common.compress.CompressedXContent;
import org.elasticsearch.index.mapper.MapperService;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.index.query.TermQueryBuilder;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.test.AbstractQueryTestCase;
import org.semanticranking.SemanticRankingPlugin;
import org.semanticranking.encoder.action.EncodeQueryAction;
import org.semanticranking.encoder.action.EncodeQueryRequest;
import org.semanticranking.encoder.action.EncodeQueryResponse;
import org.semanticranking.query.intent.IntentOptions;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The builder's XContent and wire round trips, equality, and rewrite into a Lucene kNN query, with the
 * test framework's {@link AbstractQueryTestCase}. The encoder is simulated: the client call the
 * rewrite makes ({@link EncodeQueryAction}) answers with a vector derived from the text.
 */
public class SemanticIntentQueryBuilderTests extends AbstractQueryTestCase<SemanticIntentQueryBuilder> {

    private static final String VECTOR_FIELD = "vec";
    private static final int DIMS = 384;

    @Override
    protected Collection<Class<? extends Plugin>> getPlugins() {
        return List.of(SemanticRankingPlugin.class);
    }

    @Override
    protected void initializeAdditionalMappings(MapperService mapperService) throws IOException {
        mapperService.merge(
                "_doc",
                new CompressedXContent(Strings.format("""
            {"properties":{"%s":{"type":"dense_vector","dims":%d,"index":true,"similarity":"cosine"}}}""", VECTOR_FIELD, DIMS)),
                MapperService.MergeReason.MAPPING_UPDATE);
    }

    @Override
    protected SemanticIntentQueryBuilder doCreateTestQueryBuilder() {
        Integer k = randomBoolean() ? null : randomIntBetween(1, 50);
        Integer numCandidates =
                randomBoolean() ? null : (k == null ? randomIntBetween(1, 200) : randomIntBetween(k, 200));
        if (k != null && numCandidates == null && k > 10) {
            numCandidates = k; // ES's default num_candidates may be below k
        }
        List<QueryBuilder> filters = new ArrayList<>();
        for (int i = 0; i < randomIntBetween(0, 2); i++) {
            filters.add(new TermQueryBuilder(KEYWORD_FIELD_NAME, randomAlphaOfLength(5)));
        }
        IntentOptions intent = randomBoolean()
                ? null
                : new IntentOptions(
                        randomFrom(INT_FIELD_NAME, DOUBLE_FIELD_NAME),
                        randomFrom(IntentOptions.Mode.values()),
                        randomFloatBetween(0.1f, 5f, true),
                        randomDoubleBetween(1, 100, true),
                        randomBoolean());
        String text = randomAlphaOfLengthBetween(1, 20) + " " + randomAlphaOfLengthBetween(1, 20);
        if (randomBoolean()) {
            text += randomFrom(" under $50", " between 10 and 20", " over 1k", " cheap");
        }
        return new SemanticIntentQueryBuilder(
                text,
                VECTOR_FIELD,
                randomBoolean() ? null : "default",
                k,
                numCandidates,
                filters,
                intent,
                randomBoolean());
    }

    /** A semantic_hybrid's semantic side marks its semantic_intent queries, at any depth, while it parses them; nothing else does. */
    public void testTheHybridsSemanticSideMarksItsQueriesForTheLexicalFallback() throws java.io.IOException {
        String json = String.format(Locale.ROOT, """
            {"bool":{"must":[{"semantic_intent":{"query":"usb fan","field":"%s"}}]}}""", VECTOR_FIELD);
        try (org.elasticsearch.xcontent.XContentParser parser =
                createParser(org.elasticsearch.xcontent.json.JsonXContent.jsonXContent, json)) {
            QueryBuilder plain =
                    org.elasticsearch.index.query.AbstractQueryBuilder.parseTopLevelQuery(parser, name -> {});
            SemanticIntentQueryBuilder inner =
                    (SemanticIntentQueryBuilder) ((org.elasticsearch.index.query.BoolQueryBuilder) plain)
                            .must()
                            .get(0);
            assertFalse(inner.lexicalFallback());
        }
        try (org.elasticsearch.xcontent.XContentParser parser =
                createParser(org.elasticsearch.xcontent.json.JsonXContent.jsonXContent, json)) {
            QueryBuilder marked = org.elasticsearch.index.query.AbstractQueryBuilder.parseTopLevelQuery(
                    new HybridSemanticSide(parser), name -> {});
            SemanticIntentQueryBuilder inner =
                    (SemanticIntentQueryBuilder) ((org.elasticsearch.index.query.BoolQueryBuilder) marked)
                            .must()
                            .get(0);
            assertTrue(inner.lexicalFallback());
            // the mark is the query's own: it survives XContent and the wire
            assertEquals(inner, copyQuery(inner));
            assertTrue(org.elasticsearch.common.Strings.toString(inner).contains("\"lexical_fallback\":true"));
        }
    }

    @Override
    protected boolean canSimulateMethod(Method method, Object[] args) throws NoSuchMethodException {
        return method.equals(
                        Client.class.getMethod("execute", ActionType.class, ActionRequest.class, ActionListener.class))
                && args[0] == EncodeQueryAction.INSTANCE;
    }

    @Override
    protected Object simulateMethod(Method method, Object[] args) {
        EncodeQueryRequest request = (EncodeQueryRequest) args[1];
        @SuppressWarnings("unchecked")
        ActionListener<EncodeQueryResponse> listener = (ActionListener<EncodeQueryResponse>) args[2];
        listener.onResponse(new EncodeQueryResponse(fakeVector(request.text())));
        return null;
    }

    static float[] fakeVector(String text) {
        Random random = new Random(text.hashCode());
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = random.nextFloat() - 0.5f;
        }
        return v;
    }

    @Override
    protected void doAssertLuceneQuery(
            SemanticIntentQueryBuilder queryBuilder, Query query, SearchExecutionContext context) {
        Set<String> fields = new HashSet<>();
        query.visit(new QueryVisitor() {
            @Override
            public boolean acceptField(String field) {
                fields.add(field);
                return true;
            }

            @Override
            public QueryVisitor getSubVisitor(org.apache.lucene.search.BooleanClause.Occur occur, Query parent) {
                return this;
            }
        });
        assertThat("a kNN query over the vector field: " + query, fields, hasItem(VECTOR_FIELD));
    }

    @Override
    public void testMustRewrite() {
        SearchExecutionContext context = createSearchExecutionContext();
        IllegalStateException e = expectThrows(
                IllegalStateException.class, () -> createTestQueryBuilder().toQuery(context));
        assertThat(e.getMessage(), containsString("should have been rewritten"));
    }

    public void testParsesTheIssueExample() throws IOException {
        SemanticIntentQueryBuilder parsed = (SemanticIntentQueryBuilder) parseQuery("""
            { "semantic_intent": {
                "query": "quiet wireless headphones for running",
                "field": "product_vector", "model": "default",
                "k": 50, "num_candidates": 200,
                "filter": { "term": { "brand": "sony" } },
                "boost": 1.5, "_name": "semantic" } }""");
        assertThat(parsed.query(), equalTo("quiet wireless headphones for running"));
        assertThat(parsed.field(), equalTo("product_vector"));
        assertThat(parsed.model(), equalTo("default"));
        assertThat(parsed.k(), equalTo(50));
        assertThat(parsed.numCandidates(), equalTo(200));
        assertThat(parsed.filters(), equalTo(List.of(new TermQueryBuilder("brand", "sony"))));
        assertThat(parsed.boost(), equalTo(1.5f));
        assertThat(parsed.queryName(), equalTo("semantic"));
    }

    public void testPriceIsStrippedFromTheEncoderText() {
        SemanticIntentQueryBuilder q = new SemanticIntentQueryBuilder(
                "quiet headphones under $100",
                VECTOR_FIELD,
                null,
                null,
                null,
                List.of(),
                new IntentOptions("price", IntentOptions.Mode.BOOST, 1f, 20, true));
        assertThat(q.encoderText(), equalTo("quiet headphones"));
        SemanticIntentQueryBuilder kept = new SemanticIntentQueryBuilder(
                "quiet headphones under $100",
                VECTOR_FIELD,
                null,
                null,
                null,
                List.of(),
                new IntentOptions("price", IntentOptions.Mode.BOOST, 1f, 20, false));
        assertThat(kept.encoderText(), equalTo("quiet headphones under $100"));
    }

    public void testBadInputNamesTheProblem() {
        ParsingException e = expectThrows(ParsingException.class, () -> parseQuery("""
            {"semantic_intent":{"query":"x","field":"v","k":10,"num_candidates":5}}"""));
        assertThat(e.getMessage(), containsString("[num_candidates] cannot be less than [k]"));
        e = expectThrows(ParsingException.class, () -> parseQuery("""
            {"semantic_intent":{"query":"","field":"v"}}"""));
        assertThat(e.getMessage(), containsString("[query] must not be empty"));
        e = expectThrows(ParsingException.class, () -> parseQuery("""
            {"semantic_intent":{"query":"x","field":"v","k":0}}"""));
        assertThat(e.getMessage(), containsString("[k] must be greater than 0"));
    }
}
