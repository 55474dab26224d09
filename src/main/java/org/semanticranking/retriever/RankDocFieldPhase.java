package org.semanticranking.retriever;

import org.apache.lucene.index.LeafReaderContext;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.search.fetch.FetchContext;
import org.elasticsearch.search.fetch.FetchSubPhase;
import org.elasticsearch.search.fetch.FetchSubPhaseProcessor;
import org.elasticsearch.search.fetch.StoredFieldsSpec;
import org.elasticsearch.search.rank.RankDoc;

import java.util.List;
import java.util.Map;

/**
 * Puts what a retriever's rank doc says of each hit in the hit's {@code fields}, under one name. Elasticsearch runs a
 * compound retriever's final search as a {@code RankDocsQuery} over this shard's hits of the result: the retriever's
 * rank docs are there, and their shard-level doc ids find each hit.
 */
public abstract class RankDocFieldPhase<T extends RankDoc> implements FetchSubPhase {

    private final Class<T> type;
    private final String field;

    protected RankDocFieldPhase(Class<T> type, String field) {
        this.type = type;
        this.field = field;
    }

    /** The hit's field, or null for none. */
    protected abstract Map<String, Object> field(T doc);

    @Override
    public final FetchSubPhaseProcessor getProcessor(FetchContext context) {
        Map<Integer, T> byDoc = RankDocsInQuery.collect(context.query(), type);
        if (byDoc.isEmpty()) {
            return null;
        }
        return new FetchSubPhaseProcessor() {
            @Override
            public void setNextReader(LeafReaderContext readerContext) {}

            @Override
            public void process(HitContext hitContext) {
                // rank docs hold shard-level doc ids; the hit's is relative to its segment
                T doc = byDoc.get(hitContext.readerContext().docBase + hitContext.docId());
                Map<String, Object> value = doc == null ? null : field(doc);
                if (value != null) {
                    hitContext.hit().setDocumentField(new DocumentField(field, List.of(value)));
                }
            }

            @Override
            public StoredFieldsSpec storedFieldsSpec() {
                return StoredFieldsSpec.NO_REQUIREMENTS;
            }
        };
    }
}
