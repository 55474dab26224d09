package org.semanticranking.ranking.rescore;

import org.apache.lucene.index.LeafReaderContext;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.search.fetch.FetchContext;
import org.elasticsearch.search.fetch.FetchSubPhase;
import org.elasticsearch.search.fetch.FetchSubPhaseProcessor;
import org.elasticsearch.search.fetch.StoredFieldsSpec;
import org.elasticsearch.search.rescore.RescoreContext;
import org.semanticranking.ranking.model.RankerModel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives each {@code learned_rank} of the fetch phase the first-pass query (so explain can recompute the window), and
 * puts each hit's features in its {@code fields} under {@code _learned_rank}: always when it only logs features (how
 * training reads them, and how a user exports them), with each feature's part of the score when a ranker has {@code
 * "score_breakdown": true}.
 */
public final class LearnedRankFetchPhase implements FetchSubPhase {

    public static final String FIELD = "_learned_rank";

    @Override
    public FetchSubPhaseProcessor getProcessor(FetchContext context) {
        List<LearnedRankContext> shown = new ArrayList<>();
        for (RescoreContext rescore : context.rescore()) {
            if (rescore instanceof LearnedRankContext learned) {
                learned.firstPassQuery(context.rewrittenQuery());
                if (learned.showsFeatures()) {
                    shown.add(learned);
                }
            }
        }
        if (shown.isEmpty()) {
            return null;
        }
        return new FetchSubPhaseProcessor() {
            @Override
            public void setNextReader(LeafReaderContext readerContext) {}

            @Override
            public void process(HitContext hitContext) throws IOException {
                int doc = hitContext.readerContext().docBase + hitContext.docId();
                List<Object> values = new ArrayList<>();
                for (LearnedRankContext learned : shown) {
                    Map<Integer, float[]> window = learned.fetchWindow(context.searcher());
                    float[] row = window == null ? null : window.get(doc);
                    if (row != null) {
                        values.add(breakdown(learned, row));
                    }
                }
                if (values.isEmpty() == false) {
                    hitContext.hit().setDocumentField(new DocumentField(FIELD, values));
                }
            }

            @Override
            public StoredFieldsSpec storedFieldsSpec() {
                return StoredFieldsSpec.NO_REQUIREMENTS;
            }
        };
    }

    static Map<String, Object> breakdown(LearnedRankContext learned, float[] row) {
        List<String> names = learned.features().names();
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> features = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            features.put(names.get(i), row[i]);
        }
        RankerModel model = learned.model();
        if (model != null) {
            RankerModel.Contributions parts = model.contributions(row);
            out.put("ranker_id", learned.rankerId());
            out.put("version", learned.version());
            out.put("score", parts.score());
            out.put("bias", parts.bias());
            out.put("features", features);
            Map<String, Object> contributions = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                contributions.put(names.get(i), parts.features()[i]);
            }
            out.put("contributions", contributions);
        } else {
            out.put("features", features);
        }
        return out;
    }
}
