package org.semanticranking.rescore;

import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.elasticsearch.search.rescore.RescoreContext;
import org.elasticsearch.search.rescore.Rescorer;
import org.semanticranking.personalization.context.ShopperContext;
import org.semanticranking.personalization.model.PersonalizationModel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Blends the hits of a shard's window (see {@link PersonalizedBlendRescorerBuilder}) and explains each part.
 * Returns the window only: the builder makes sure the window covers {@code from + size}.
 */
final class PersonalizedBlendRescorer implements Rescorer {

    static final PersonalizedBlendRescorer INSTANCE = new PersonalizedBlendRescorer();

    private PersonalizedBlendRescorer() {}

    @Override
    public TopDocs rescore(TopDocs topDocs, IndexSearcher searcher, RescoreContext rescoreContext) throws IOException {
        if (topDocs == null || topDocs.scoreDocs.length == 0) {
            return topDocs;
        }
        BlendRescoreContext context = (BlendRescoreContext) rescoreContext;
        TopDocs window = Rescorer.topN(topDocs, context.getWindowSize());
        int[] docs = new int[window.scoreDocs.length];
        float[] firstPass = new float[docs.length];
        for (int i = 0; i < docs.length; i++) {
            docs[i] = window.scoreDocs[i].doc;
            firstPass[i] = window.scoreDocs[i].score;
        }
        context.checkCancellation();
        BlendWindow blended = BlendWindow.compute(context.blend(), context.reader(), searcher, docs, firstPass);
        context.setRescoredDocs(BlendRescoreContext.asSet(docs));
        ScoreDoc[] rescored = new ScoreDoc[docs.length];
        for (int i = 0; i < docs.length; i++) {
            ScoreDoc original = window.scoreDocs[i];
            rescored[i] = new ScoreDoc(
                    original.doc, (float) blended.parts(original.doc).score(), original.shardIndex);
        }
        Arrays.sort(rescored, SCORE_DOC_COMPARATOR);
        return new TopDocs(topDocs.totalHits, rescored);
    }

    @Override
    public Explanation explain(
            int topLevelDocId, IndexSearcher searcher, RescoreContext rescoreContext, Explanation sourceExplanation)
            throws IOException {
        BlendRescoreContext context = (BlendRescoreContext) rescoreContext;
        if (context.isRescored(topLevelDocId) == false) {
            return sourceExplanation;
        }
        BlendWindow window = context.fetchWindow(searcher);
        BlendWindow.Parts parts = window == null ? null : window.parts(topLevelDocId);
        if (parts == null) {
            return Explanation.match(
                    sourceExplanation.getValue(),
                    "personalized_blend: the window could not be recomputed",
                    sourceExplanation);
        }
        return explain(context.blend(), parts, sourceExplanation);
    }

    static Explanation explain(BlendSpec blend, BlendWindow.Parts parts, Explanation firstPass) {
        String norm = blend.normalization().value();
        BlendWeights w = blend.weights();
        List<Explanation> details = new ArrayList<>();
        details.add(Explanation.match(
                (float) (w.query() * parts.firstPassNormalized()),
                String.format(
                        Locale.ROOT,
                        "query: weight %s x first-pass score %s (%s within the window: %s)",
                        w.query(),
                        parts.firstPass(),
                        norm,
                        parts.firstPassNormalized()),
                firstPass));
        details.add(Explanation.match(
                (float) (w.vector() * parts.vectorNormalized()),
                String.format(
                        Locale.ROOT,
                        "vector: weight %s x cosine(query vector, [%s]) %s (%s within the window: %s)",
                        w.vector(),
                        blend.vectorField(),
                        parts.vector(),
                        norm,
                        parts.vectorNormalized())));
        details.add(Explanation.match(
                (float) (w.personalization() * parts.personalizationNormalized()),
                String.format(
                        Locale.ROOT,
                        "personalization: weight %s x %s (%s within the window: %s)",
                        w.personalization(),
                        parts.personalization(),
                        norm,
                        parts.personalizationNormalized()),
                personalizationDetails(blend.shopper(), parts)));
        return Explanation.match((float) parts.score(), "personalized_blend, sum of:", details);
    }

    private static List<Explanation> personalizationDetails(ShopperContext shopper, BlendWindow.Parts parts) {
        List<Explanation> details = new ArrayList<>();
        shopper.notes().forEach(note -> details.add(Explanation.noMatch(note)));
        PersonalizationModel model = shopper.model();
        if (model == null) {
            if (shopper.knowsShopper()) {
                details.add(Explanation.match(
                        (float) parts.personalization(), "no model_id: cosine(shopper vector, product vector)"));
            }
            return details;
        }
        if (parts.features().length == 0) {
            return details;
        }
        List<String> names = model.spec().featureNames();
        List<Explanation> features = new ArrayList<>();
        double[] x = parts.features();
        for (int i = 0; i < names.size(); i++) {
            double contribution = model.fit().weights()[i]
                    * (x[i] - model.fit().means()[i])
                    / model.fit().stds()[i];
            features.add(Explanation.match(
                    (float) contribution,
                    String.format(
                            Locale.ROOT,
                            "%s = %s (weight %s x (value - mean %s) / std %s)",
                            names.get(i),
                            x[i],
                            model.fit().weights()[i],
                            model.fit().means()[i],
                            model.fit().stds()[i])));
        }
        details.add(Explanation.match(
                (float) parts.personalization(),
                String.format(
                        Locale.ROOT,
                        "model [%s] version %d: sigmoid(bias %s + sum of:)",
                        model.modelId(),
                        model.version(),
                        model.fit().bias()),
                features));
        return details;
    }
}
