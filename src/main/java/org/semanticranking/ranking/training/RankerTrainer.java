package org.semanticranking.ranking.training;

import org.elasticsearch.tasks.TaskCancelledException;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;
import org.semanticranking.common.JobTask;
import org.semanticranking.evaluation.Folds;
import org.semanticranking.evaluation.JudgedRequest;
import org.semanticranking.evaluation.MetricSpec;
import org.semanticranking.evaluation.RankingMetrics;
import org.semanticranking.ranking.model.PairwiseLinearTrainer;
import org.semanticranking.ranking.model.RankerModel;
import org.semanticranking.ranking.model.TrainingSet;
import org.semanticranking.ranking.model.XGBoostTrainer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cross-validates a ranker by request and fits the final one: for each fold, a model fitted on the other folds'
 * requests re-ranks the fold's candidates, and the fold's metric is computed for the ranker and for the first stage
 * alone on the same requests (the same metric code as {@code _evaluate}). Given several models, each is
 * cross-validated on the same folds and the one with the best out-of-fold mean is kept: chosen on the training
 * requests only. Then one model on every request is the ranker to store. Blocking, CPU bound: the jobs pool only.
 */
public final class RankerTrainer {

    private RankerTrainer() {}

    /** A metric's mean over the requests with a relevant judgment (the headline) and over all of them. */
    public record Mean(double judged, double all, int judgedRequests, int requests) {
        static Mean of(double[] values, boolean[] hasGain) {
            double judged = 0, all = 0;
            int nJudged = 0;
            for (int i = 0; i < values.length; i++) {
                all += values[i];
                if (hasGain[i]) {
                    judged += values[i];
                    nJudged++;
                }
            }
            return new Mean(
                    nJudged == 0 ? 0 : judged / nJudged,
                    values.length == 0 ? 0 : all / values.length,
                    nJudged,
                    values.length);
        }

        void toXContent(XContentBuilder b) throws IOException {
            b.startObject()
                    .field("mean", judged)
                    .field("mean_all_requests", all)
                    .field("requests_with_relevant", judgedRequests)
                    .field("requests", requests)
                    .endObject();
        }
    }

    public record FoldResult(int fold, int trainRequests, Mean ranker, Mean firstStage) {}

    /** One candidate model's cross-validation. */
    public record Candidate(ModelSpec model, Mean ranker, List<FoldResult> perFold, double[] perRequest) {}

    /** What the training measured, as the response and the stored ranker show it. */
    public record Result(
            MetricSpec metric,
            int folds,
            List<Candidate> candidates,
            int chosen,
            Mean firstStage,
            double[] firstStagePerRequest,
            int[] foldOf,
            List<String> requestIds,
            RankerModel model,
            Map<String, Double> importance,
            long rows,
            boolean details)
            implements ToXContentObject {

        public ModelSpec chosenModel() {
            return candidates.get(chosen).model();
        }

        public boolean crossValidated() {
            return folds > 1;
        }

        public Mean ranker() {
            return candidates.get(chosen).ranker();
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder b, Params params) throws IOException {
            b.startObject();
            b.field("requests", requestIds.size()).field("candidates", rows);
            if (crossValidated()) {
                Candidate best = candidates.get(chosen);
                b.startObject("cross_validation").field("folds", folds).field("metric", metric.toString());
                b.field("ranker");
                best.ranker().toXContent(b);
                b.field("first_stage");
                firstStage.toXContent(b);
                b.startArray("per_fold");
                for (FoldResult f : best.perFold()) {
                    b.startObject().field("fold", f.fold()).field("train_requests", f.trainRequests());
                    b.field("ranker");
                    f.ranker().toXContent(b);
                    b.field("first_stage");
                    f.firstStage().toXContent(b);
                    b.endObject();
                }
                b.endArray();
                if (candidates.size() > 1) {
                    b.startArray("models");
                    for (int c = 0; c < candidates.size(); c++) {
                        b.startObject().field("model", candidates.get(c).model().asMap());
                        b.field("ranker");
                        candidates.get(c).ranker().toXContent(b);
                        b.field("chosen", c == chosen).endObject();
                    }
                    b.endArray();
                }
                if (details) {
                    b.startArray("per_request");
                    for (int i = 0; i < requestIds.size(); i++) {
                        b.startObject()
                                .field("id", requestIds.get(i))
                                .field("fold", foldOf[i] + 1)
                                .field("ranker", best.perRequest()[i])
                                .field("first_stage", firstStagePerRequest[i])
                                .endObject();
                    }
                    b.endArray();
                }
                b.endObject();
            }
            b.field("importance", importance);
            return b.endObject();
        }
    }

    public static Result train(TrainingSet set, TrainingRequest request, int threads, JobTask task) {
        List<JudgedRequest> requests = request.evaluation().requests();
        int n = set.groups().size();
        int relevantGrade = request.evaluation().relevantGrade();
        MetricSpec metric = request.metric();
        boolean[] hasGain = new boolean[n];
        double[] firstStage = new double[n];
        for (int i = 0; i < n; i++) {
            hasGain[i] = RankingMetrics.hasGain(requests.get(i).ratings());
            firstStage[i] = metric.compute(
                    Arrays.asList(set.groups().get(i).ids()), requests.get(i).ratings(), relevantGrade);
        }
        int folds = request.folds();
        int[] foldOf = Folds.assign(n, Math.max(folds, 1), request.seed());
        List<Candidate> candidates = new ArrayList<>();
        for (int c = 0; c < request.models().size(); c++) {
            ModelSpec spec = request.models().get(c);
            double[] outOfFold = new double[n];
            List<FoldResult> perFold = new ArrayList<>();
            for (int fold = 0; folds > 1 && fold < folds; fold++) {
                checkCancelled(task);
                task.progress(
                        "cross-validating",
                        "model",
                        c + 1,
                        "of",
                        request.models().size(),
                        "fold",
                        fold + 1,
                        "of",
                        folds);
                List<Integer> train = new ArrayList<>(), test = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    (foldOf[i] == fold ? test : train).add(i);
                }
                RankerModel model =
                        fit(set, train, spec, request.seed(), threads, task).model();
                double[] ranker = new double[test.size()], first = new double[test.size()];
                boolean[] gain = new boolean[test.size()];
                for (int t = 0; t < test.size(); t++) {
                    int i = test.get(t);
                    outOfFold[i] = metric.compute(
                            rerank(model, set.groups().get(i), set.featureCount()),
                            requests.get(i).ratings(),
                            relevantGrade);
                    ranker[t] = outOfFold[i];
                    first[t] = firstStage[i];
                    gain[t] = hasGain[i];
                }
                perFold.add(new FoldResult(fold + 1, train.size(), Mean.of(ranker, gain), Mean.of(first, gain)));
            }
            candidates.add(new Candidate(spec, Mean.of(outOfFold, hasGain), perFold, outOfFold));
        }
        int chosen = 0;
        for (int c = 1; c < candidates.size(); c++) {
            if (candidates.get(c).ranker().judged()
                    > candidates.get(chosen).ranker().judged()) {
                chosen = c;
            }
        }
        checkCancelled(task);
        task.progress("training the final model", "requests", n);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        Fitted fitted = fit(set, all, candidates.get(chosen).model(), request.seed(), threads, task);
        return new Result(
                metric,
                folds,
                candidates,
                chosen,
                Mean.of(firstStage, hasGain),
                firstStage,
                foldOf,
                requests.stream().map(JudgedRequest::id).toList(),
                fitted.model(),
                sorted(fitted.importance()),
                set.rows(),
                request.details());
    }

    private record Fitted(RankerModel model, Map<String, Double> importance) {}

    private static Fitted fit(
            TrainingSet set, List<Integer> groups, ModelSpec spec, int seed, int threads, JobTask task) {
        List<TrainingSet.Group> train = set.groups(groups);
        if (ModelSpec.LINEAR.equals(spec.type())) {
            PairwiseLinearTrainer.Trained t =
                    PairwiseLinearTrainer.train(train, set.featureCount(), set.featureNames(), seed);
            return new Fitted(t.model(), t.importance());
        }
        XGBoostTrainer.Trained t = XGBoostTrainer.train(
                train, set.featureCount(), set.featureNames(), spec.trees(), seed, threads, () -> checkCancelled(task));
        return new Fitted(t.model(), t.importance());
    }

    /** The group's ids in the model's order (ties keep the first stage's). */
    static List<String> rerank(RankerModel model, TrainingSet.Group group, int featureCount) {
        int n = group.size();
        double[] scores = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            scores[i] = model.score(group.row(i, featureCount));
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(scores[b], scores[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        List<String> ids = new ArrayList<>(n);
        for (Integer i : order) {
            ids.add(group.ids()[i]);
        }
        return ids;
    }

    private static Map<String, Double> sorted(Map<String, Double> importance) {
        Map<String, Double> out = new LinkedHashMap<>();
        importance.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static void checkCancelled(JobTask task) {
        if (task.isCancelled()) {
            throw new TaskCancelledException(task.getDescription() + " cancelled");
        }
    }
}
