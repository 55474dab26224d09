package org.semanticranking.rescore;

import org.apache.lucene.index.LeafReaderContext;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.search.fetch.FetchContext;
import org.elasticsearch.search.fetch.FetchSubPhase;
import org.elasticsearch.search.fetch.FetchSubPhaseProcessor;
import org.elasticsearch.search.fetch.StoredFieldsSpec;
import org.elasticsearch.search.rescore.RescoreContext;
import org.semanticranking.personalization.model.PersonalizationModel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives each {@code personalized_blend} of the fetch phase the first-pass query (so that explain can
 * normalise within the window), and, with {@code "score_breakdown": true}, puts each hit's parts in its
 * {@code fields} under {@code _personalized_blend}: the cost of a normal search, not of {@code explain}.
 * Elasticsearch asks every sub-phase for its processor before it processes the first hit, so the explain
 * phase finds the query handed over.
 */
public final class BlendFetchPhase implements FetchSubPhase {

    public static final String FIELD = "_personalized_blend";

    @Override
    public FetchSubPhaseProcessor getProcessor(FetchContext context) {
        List<BlendRescoreContext> breakdowns = new ArrayList<>();
        for (RescoreContext rescore : context.rescore()) {
            if (rescore instanceof BlendRescoreContext blend) {
                blend.firstPassQuery(context.rewrittenQuery());
                if (blend.blend().scoreBreakdown()) {
                    breakdowns.add(blend);
                }
            }
        }
        if (breakdowns.isEmpty()) {
            return null;
        }
        return new FetchSubPhaseProcessor() {
            @Override
            public void setNextReader(LeafReaderContext readerContext) {}

            @Override
            public void process(HitContext hitContext) throws IOException {
                int doc = hitContext.readerContext().docBase + hitContext.docId();
                List<Object> values = new ArrayList<>();
                for (BlendRescoreContext blend : breakdowns) {
                    BlendWindow window = blend.fetchWindow(context.searcher());
                    BlendWindow.Parts parts = window == null ? null : window.parts(doc);
                    if (parts != null) {
                        values.add(breakdown(blend.blend(), parts));
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

    static Map<String, Object> breakdown(BlendSpec blend, BlendWindow.Parts parts) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("score", parts.score());
        out.put(
                "query",
                part(
                        parts.firstPass(),
                        parts.firstPassNormalized(),
                        blend.weights().query()));
        out.put(
                "vector",
                part(parts.vector(), parts.vectorNormalized(), blend.weights().vector()));
        Map<String, Object> personalization = part(
                parts.personalization(),
                parts.personalizationNormalized(),
                blend.weights().personalization());
        PersonalizationModel model = blend.shopper().model();
        if (model != null && parts.features().length > 0) {
            Map<String, Object> features = new LinkedHashMap<>();
            List<String> names = model.spec().featureNames();
            for (int i = 0; i < names.size(); i++) {
                features.put(names.get(i), parts.features()[i]);
            }
            personalization.put("features", features);
        }
        if (blend.shopper().notes().isEmpty() == false) {
            personalization.put("notes", blend.shopper().notes());
        }
        out.put("personalization", personalization);
        return out;
    }

    private static Map<String, Object> part(double raw, double normalized, double weight) {
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("raw", raw);
        part.put("normalized", normalized);
        part.put("weight", weight);
        return part;
    }
}
