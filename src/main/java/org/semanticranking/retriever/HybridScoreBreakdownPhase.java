package org.semanticranking.retriever;

import org.apache.lucene.index.LeafReaderContext;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.search.fetch.FetchContext;
import org.elasticsearch.search.fetch.FetchSubPhase;
import org.elasticsearch.search.fetch.FetchSubPhaseProcessor;
import org.elasticsearch.search.fetch.StoredFieldsSpec;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts each side's score and rank of a {@code semantic_hybrid} hit in the hit's {@code fields}, under
 * {@code _semantic_hybrid}, when the retriever asks for it ({@code "score_breakdown": true}): what the
 * fusion saw, at the cost of a normal search, without {@code _explain}.
 */
public final class HybridScoreBreakdownPhase implements FetchSubPhase {

    public static final String FIELD = "_semantic_hybrid";

    @Override
    public FetchSubPhaseProcessor getProcessor(FetchContext context) {
        // Elasticsearch runs a compound retriever's final search as a RankDocsQuery over the fused hits of
        // this shard: the hybrid's rank docs, with what each side said, are there
        Map<Integer, HybridRankDoc> byDoc = new HashMap<>();
        RankDocsInQuery.collect(context.query(), HybridRankDoc.class).forEach((doc, hybrid) -> {
            if (hybrid.scoreBreakdown()) {
                byDoc.put(doc, hybrid);
            }
        });
        if (byDoc.isEmpty()) {
            return null;
        }
        return new FetchSubPhaseProcessor() {
            @Override
            public void setNextReader(LeafReaderContext readerContext) {}

            @Override
            public void process(HitContext hitContext) {
                // rank docs hold shard-level doc ids; the hit's is relative to its segment
                HybridRankDoc doc = byDoc.get(hitContext.readerContext().docBase + hitContext.docId());
                if (doc != null) {
                    Map<String, Object> parts = new LinkedHashMap<>();
                    parts.put("fused_score", doc.fusedScore());
                    parts.put("rank", doc.rank);
                    parts.put("lexical_score", doc.lexicalRank() == HybridRankDoc.NO_RANK ? null : doc.lexicalScore());
                    parts.put("lexical_rank", doc.lexicalRank() == HybridRankDoc.NO_RANK ? null : doc.lexicalRank());
                    parts.put(
                            "semantic_score", doc.semanticRank() == HybridRankDoc.NO_RANK ? null : doc.semanticScore());
                    parts.put("semantic_rank", doc.semanticRank() == HybridRankDoc.NO_RANK ? null : doc.semanticRank());
                    hitContext.hit().setDocumentField(new DocumentField(FIELD, List.of(parts)));
                }
            }

            @Override
            public StoredFieldsSpec storedFieldsSpec() {
                return StoredFieldsSpec.NO_REQUIREMENTS;
            }
        };
    }
}
