package org.semanticranking.interleaving;

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
 * Puts the side each hit of an {@code interleave} was picked by in its {@code fields}, under {@code _interleave}
 * ({@code side}, {@code side_rank}, {@code experiment}): what the shop logs with the view and the click, for
 * {@code interleaving/_results}.
 */
public final class InterleaveSidePhase implements FetchSubPhase {

    public static final String FIELD = "_interleave";

    @Override
    public FetchSubPhaseProcessor getProcessor(FetchContext context) {
        Map<Integer, InterleaveRankDoc> byDoc = RankDocsInQuery.collect(context.query(), InterleaveRankDoc.class);
        if (byDoc.isEmpty()) {
            return null;
        }
        return new FetchSubPhaseProcessor() {
            @Override
            public void setNextReader(LeafReaderContext readerContext) {}

            @Override
            public void process(HitContext hitContext) {
                InterleaveRankDoc doc = byDoc.get(hitContext.readerContext().docBase + hitContext.docId());
                if (doc != null) {
                    Map<String, Object> side = new LinkedHashMap<>();
                    side.put("side", doc.side());
                    side.put("side_rank", doc.sideRank());
                    if (doc.experiment() != null) {
                        side.put("experiment", doc.experiment());
                    }
                    hitContext.hit().setDocumentField(new DocumentField(FIELD, List.of(side)));
                }
            }

            @Override
            public StoredFieldsSpec storedFieldsSpec() {
                return StoredFieldsSpec.NO_REQUIREMENTS;
            }
        };
    }
}
