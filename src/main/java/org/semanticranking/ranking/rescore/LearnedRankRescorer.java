package org.semanticranking.ranking.rescore;

import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.elasticsearch.search.rescore.RescoreContext;
import org.elasticsearch.search.rescore.Rescorer;
import org.semanticranking.ranking.model.RankerModel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Scores a shard's window with the ranker (see {@link LearnedRankRescorerBuilder}) and explains each part. Returns the
 * window only, in the ranker's order (ties keep the first stage's): the builder makes sure the window covers {@code
 * from + size}. When it only logs features, the hits keep their first-pass scores and order.
 */
final class LearnedRankRescorer implements Rescorer {

    static final LearnedRankRescorer INSTANCE = new LearnedRankRescorer();

    private LearnedRankRescorer() {}

    @Override
    public TopDocs rescore(TopDocs topDocs, IndexSearcher searcher, RescoreContext rescoreContext) throws IOException {
        if (topDocs == null || topDocs.scoreDocs.length == 0) {
            return topDocs;
        }
        LearnedRankContext context = (LearnedRankContext) rescoreContext;
        TopDocs window = Rescorer.topN(topDocs, context.getWindowSize());
        int n = window.scoreDocs.length;
        int[] docs = new int[n];
        float[] firstPass = new float[n];
        Set<Integer> rescored = new HashSet<>();
        for (int i = 0; i < n; i++) {
            docs[i] = window.scoreDocs[i].doc;
            firstPass[i] = window.scoreDocs[i].score;
            rescored.add(docs[i]);
        }
        context.setRescoredDocs(rescored);
        RankerModel model = context.model();
        if (model == null) {
            return topDocs; // logging only: the fetch phase computes the features of the hits it returns
        }
        context.checkCancellation();
        float[][] rows = context.features().compute(searcher, docs, firstPass, context.firstStage());
        if (context.showsFeatures()) {
            context.rescored(docs, rows);
        }
        Integer[] order = new Integer[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            scores[i] = model.score(rows[i]);
            if (Double.isFinite(scores[i]) == false) {
                throw new IllegalArgumentException("[" + LearnedRankRescorerBuilder.NAME + "] ranker ["
                        + context.rankerId() + "] scores a hit [" + scores[i] + "] from features "
                        + Arrays.toString(rows[i]));
            }
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(scores[b], scores[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        ScoreDoc[] out = new ScoreDoc[n];
        for (int i = 0; i < n; i++) {
            ScoreDoc original = window.scoreDocs[order[i]];
            out[i] = new ScoreDoc(original.doc, (float) scores[order[i]], original.shardIndex);
        }
        return new TopDocs(topDocs.totalHits, out);
    }

    @Override
    public Explanation explain(
            int topLevelDocId, IndexSearcher searcher, RescoreContext rescoreContext, Explanation sourceExplanation)
            throws IOException {
        LearnedRankContext context = (LearnedRankContext) rescoreContext;
        if (context.model() == null || context.isRescored(topLevelDocId) == false) {
            return sourceExplanation;
        }
        Map<Integer, float[]> window = context.fetchWindow(searcher);
        float[] row = window == null ? null : window.get(topLevelDocId);
        if (row == null) {
            return Explanation.match(
                    sourceExplanation.getValue(),
                    "learned_rank: the window could not be recomputed",
                    sourceExplanation);
        }
        RankerModel.Contributions parts = context.model().contributions(row);
        List<String> names = context.features().names();
        List<Explanation> details = new ArrayList<>();
        details.add(Explanation.match((float) parts.bias(), "bias (the model's score of an average hit)"));
        for (int i = 0; i < names.size(); i++) {
            details.add(Explanation.match(
                    (float) parts.features()[i],
                    String.format(Locale.ROOT, "%s = %s", names.get(i), row[i]),
                    i == 0 ? List.of(sourceExplanation) : List.of()));
        }
        return Explanation.match(
                (float) parts.score(),
                String.format(
                        Locale.ROOT,
                        "learned_rank: ranker [%s] version %d (%s), sum of:",
                        context.rankerId(),
                        context.version(),
                        context.model().type()),
                details);
    }
}
