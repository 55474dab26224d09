package org.semanticranking.retriever;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.elasticsearch.TransportVersion;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.search.internal.MaxClauseCountQueryVisitor;
import org.elasticsearch.xcontent.ConstructingObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One side of a one-search {@code semantic_hybrid}, as a shard sees it: the side's query, rewritten by Lucene once per
 * shard and request. The shard runs each side twice, as its sub-search and inside the search's main query (the
 * {@code should} of both sides that counts total hits and feeds aggregations), from the same query builder; a kNN query
 * does its whole graph search in its rewrite, so without this the semantic side would search the graph twice. Any query
 * builder fits: a side whose rewrite is cheap loses nothing.
 *
 * <p>The memo lives in the builder the shard request brings (one per request, read from the wire or, on the
 * coordinating node's own shards, shared by them), keyed by the index reader searched; it is not on the wire.
 */
public final class HybridSideQueryBuilder extends AbstractQueryBuilder<HybridSideQueryBuilder> {

    public static final String NAME = "semantic_hybrid_side";

    private final QueryBuilder query;
    private final Memo memo;

    public HybridSideQueryBuilder(QueryBuilder query) {
        this(query, new Memo());
    }

    private HybridSideQueryBuilder(QueryBuilder query, Memo memo) {
        this.query = Objects.requireNonNull(query);
        this.memo = memo;
    }

    public HybridSideQueryBuilder(StreamInput in) throws IOException {
        super(in);
        this.query = in.readNamedWriteable(QueryBuilder.class);
        this.memo = new Memo();
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeNamedWriteable(query);
    }

    public QueryBuilder query() {
        return query;
    }

    /** {@code {"semantic_hybrid_side": {"query": {...}}}}, as it shows in a profile or a slow log. */
    private static final ConstructingObjectParser<HybridSideQueryBuilder, Void> PARSER =
            new ConstructingObjectParser<>(NAME, false, args -> new HybridSideQueryBuilder((QueryBuilder) args[0]));

    static {
        PARSER.declareObject(
                ConstructingObjectParser.constructorArg(),
                (p, c) -> parseInnerQueryBuilder(p),
                new ParseField("query"));
        declareStandardFields(PARSER);
    }

    /** {@code {"semantic_hybrid_side": {"query": {...}}}}, as it shows in a profile or a slow log. */
    public static HybridSideQueryBuilder fromXContent(XContentParser parser) throws IOException {
        return PARSER.apply(parser, null);
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field("query", query);
        printBoostAndQueryName(builder);
        builder.endObject();
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
        QueryBuilder rewritten = query.rewrite(context);
        // the same memo: the rewritten builder still stands for this side of this request
        return rewritten == query
                ? this
                : new HybridSideQueryBuilder(rewritten, memo).boost(boost).queryName(queryName);
    }

    @Override
    protected Query doToQuery(SearchExecutionContext context, MaxClauseCountQueryVisitor visitor) throws IOException {
        return new RewrittenOnce(query.toQuery(context, visitor), memo);
    }

    @Override
    protected boolean doEquals(HybridSideQueryBuilder other) {
        return query.equals(other.query);
    }

    @Override
    protected int doHashCode() {
        return query.hashCode();
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return TransportVersion.minimumCompatible();
    }

    /** Fully rewritten queries by the reader they were rewritten against. */
    static final class Memo {
        private final Map<IndexReader, Query> rewritten = new IdentityHashMap<>();

        synchronized Query get(IndexReader reader) {
            return rewritten.get(reader);
        }

        synchronized void put(IndexReader reader, Query query) {
            rewritten.put(reader, query);
        }
    }

    /** The side's Lucene query, whose rewrite against a reader is done once and then reused. */
    static final class RewrittenOnce extends Query {
        private final Query inner;
        private final Memo memo;

        RewrittenOnce(Query inner, Memo memo) {
            this.inner = inner;
            this.memo = memo;
        }

        Query inner() {
            return inner;
        }

        @Override
        public Query rewrite(IndexSearcher searcher) throws IOException {
            IndexReader reader = searcher.getIndexReader();
            Query done = memo.get(reader);
            if (done == null) {
                done = searcher.rewrite(inner);
                memo.put(reader, done);
            }
            return done;
        }

        @Override
        public void visit(QueryVisitor visitor) {
            inner.visit(visitor);
        }

        @Override
        public String toString(String field) {
            return inner.toString(field);
        }

        @Override
        public boolean equals(Object o) {
            return sameClassAs(o) && inner.equals(((RewrittenOnce) o).inner);
        }

        @Override
        public int hashCode() {
            return 31 * classHash() + inner.hashCode();
        }
    }
}
