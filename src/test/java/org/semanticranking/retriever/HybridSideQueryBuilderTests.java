package org.semanticranking.retriever;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.elasticsearch.common.Strings;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.SearchModule;
import org.elasticsearch.test.AbstractWireSerializingTestCase;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.json.JsonXContent;
import org.semanticranking.SemanticRankingPlugin;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.hamcrest.Matchers.equalTo;

/** A hybrid side on the wire and in XContent, and its Lucene query rewritten once however often a shard runs it. */
public class HybridSideQueryBuilderTests extends AbstractWireSerializingTestCase<HybridSideQueryBuilder> {

    @Override
    protected HybridSideQueryBuilder createTestInstance() {
        return new HybridSideQueryBuilder(QueryBuilders.termQuery(randomAlphaOfLength(5), randomAlphaOfLength(8)));
    }

    @Override
    protected HybridSideQueryBuilder mutateInstance(HybridSideQueryBuilder instance) {
        return new HybridSideQueryBuilder(QueryBuilders.matchAllQuery());
    }

    @Override
    protected Writeable.Reader<HybridSideQueryBuilder> instanceReader() {
        return HybridSideQueryBuilder::new;
    }

    @Override
    protected NamedWriteableRegistry getNamedWriteableRegistry() {
        return new NamedWriteableRegistry(
                new SearchModule(Settings.EMPTY, List.of(new SemanticRankingPlugin())).getNamedWriteables());
    }

    @Override
    protected NamedXContentRegistry xContentRegistry() {
        return new NamedXContentRegistry(
                new SearchModule(Settings.EMPTY, List.of(new SemanticRankingPlugin())).getNamedXContents());
    }

    public void testXContentRoundTrip() throws IOException {
        HybridSideQueryBuilder original = createTestInstance();
        String json = Strings.toString(original);
        try (XContentParser parser = createParser(JsonXContent.jsonXContent, json)) {
            parser.nextToken(); // {
            parser.nextToken(); // the name
            parser.nextToken(); // its object
            assertThat(HybridSideQueryBuilder.fromXContent(parser), equalTo(original));
        }
    }

    /** The count query and the sub-search of one shard request: one rewrite between them, per reader. */
    public void testTheRewriteRunsOncePerReader() throws IOException {
        try (Directory dir = new ByteBuffersDirectory();
                IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
            for (int i = 0; i < 5; i++) {
                Document d = new Document();
                d.add(new StringField("f", i % 2 == 0 ? "even" : "odd", Field.Store.NO));
                writer.addDocument(d);
            }
            writer.commit();
            AtomicInteger rewrites = new AtomicInteger();
            HybridSideQueryBuilder.Memo memo = new HybridSideQueryBuilder.Memo();
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                Query side = new HybridSideQueryBuilder.RewrittenOnce(new CountingRewrite(rewrites), memo);
                Query again = new HybridSideQueryBuilder.RewrittenOnce(new CountingRewrite(rewrites), memo);
                Query main = new BooleanQuery.Builder()
                        .add(new TermQuery(new Term("f", "odd")), BooleanClause.Occur.SHOULD)
                        .add(side, BooleanClause.Occur.SHOULD)
                        .build();
                assertThat(searcher.count(main), equalTo(5));
                assertThat(searcher.count(again), equalTo(3));
                assertThat(rewrites.get(), equalTo(1));
                Document d = new Document();
                d.add(new StringField("f", "even", Field.Store.NO));
                writer.addDocument(d);
                try (DirectoryReader newer = DirectoryReader.openIfChanged(reader)) {
                    assertThat(new IndexSearcher(newer).count(side), equalTo(4));
                    assertThat("another reader, another rewrite", rewrites.get(), equalTo(2));
                }
            }
        }
    }

    /** Rewrites to the "even" documents, counting how often it is asked to. */
    private static final class CountingRewrite extends Query {
        private final AtomicInteger rewrites;

        CountingRewrite(AtomicInteger rewrites) {
            this.rewrites = rewrites;
        }

        @Override
        public Query rewrite(IndexSearcher searcher) {
            rewrites.incrementAndGet();
            return new TermQuery(new Term("f", "even"));
        }

        @Override
        public void visit(QueryVisitor visitor) {}

        @Override
        public String toString(String field) {
            return "counting";
        }

        @Override
        public boolean equals(Object o) {
            return sameClassAs(o);
        }

        @Override
        public int hashCode() {
            return classHash();
        }
    }
}
