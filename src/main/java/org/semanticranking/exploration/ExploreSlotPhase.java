package org.semanticranking.exploration;

import org.apache.lucene.index.LeafReaderContext;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.search.fetch.FetchContext;
import org.elasticsearch.search.fetch.FetchSubPhase;
import org.elasticsearch.search.fetch.FetchSubPhaseProcessor;
import org.elasticsearch.search.fetch.StoredFieldsSpec;
import org.semanticranking.retriever.RankDocsInQuery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts what an {@code explore} did with each hit in its {@code fields}, under {@code _explore} ({@code ranked_at}: its
 * rank in the ranking explored; {@code explored}: whether an exploration slot drew it): what the shop logs with the
 * view, so that the exploration's clicks can be told from the ranking's.
 */
public final class ExploreSlotPhase implements FetchSubPhase {

    public static final String FIELD = "_explore";

    @Override
    public FetchSubPhaseProcessor getProcessor(FetchContext context) {
        Map<Integer, ExploreRankDoc> byDoc = RankDocsInQuery.collect(context.query(), ExploreRankDoc.class);
        if (byDoc.isEmpty()) {
            return null;
        }
        return new FetchSubPhaseProcessor() {
            @Override
            public void setNextReader(LeafReaderContext readerContext) {}

            @Override
            public void process(HitContext hitContext) {
                ExploreRankDoc doc = byDoc.get(hitContext.readerContext().docBase + hitContext.docId());
                if (doc != null) {
                    Map<String, Object> shown = new LinkedHashMap<>();
                    shown.put("ranked_at", doc.rankedAt());
                    shown.put("explored", doc.explored());
                    hitContext.hit().setDocumentField(new DocumentField(FIELD, List.of(shown)));
                }
            }

            @Override
            public StoredFieldsSpec storedFieldsSpec() {
                return StoredFieldsSpec.NO_REQUIREMENTS;
            }
        };
    }
}
