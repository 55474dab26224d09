package org.semanticranking.ranking.training;

import org.elasticsearch.client.internal.Client;
import org.elasticsearch.xcontent.ToXContentObject;
import org.semanticranking.common.JobTask;
import org.semanticranking.evaluation.Evaluator;
import org.semanticranking.ranking.model.Ranker;
import org.semanticranking.ranking.model.TrainingSet;

import java.util.LinkedHashMap;
import java.util.Map;

/** A ranker's training from end to end: the candidates, the cross-validation and the final fit, and what to answer. */
public final class RankerTraining {

    private RankerTraining() {}

    /** What the training found, before it is stored. */
    public record Outcome(TrainingRequest request, RankerTrainer.Result result) {

        public Ranker ranker(String rankerId, long version, long nowMillis) {
            Map<String, Object> training = new LinkedHashMap<>();
            training.put("model", result.chosenModel().asMap());
            training.put("window_size", request.windowSize());
            training.put("template", request.evaluation().template());
            training.put("folds", request.folds());
            training.put("seed", request.seed());
            training.put("metric", request.metric().toString());
            training.put("requests", result.requestIds().size());
            training.put("candidates", result.rows());
            if (result.crossValidated()) {
                training.put("out_of_fold_ranker", result.ranker().judged());
                training.put("out_of_fold_first_stage", result.firstStage().judged());
            }
            training.put("importance", result.importance());
            return new Ranker(rankerId, version, nowMillis, request.features(), result.model(), training);
        }

        public ToXContentObject response(Ranker ranker, long tookMillis) {
            return (builder, params) -> {
                builder.startObject()
                        .field("ranker_id", ranker.rankerId())
                        .field("version", ranker.version())
                        .field("took_ms", tookMillis)
                        .field("model", result.chosenModel().asMap())
                        .field("features", ranker.featureNames());
                builder.field("training");
                result.toXContent(builder, params);
                return builder.endObject();
            };
        }
    }

    public static Outcome run(Client client, Evaluator evaluator, TrainingRequest request, int threads, JobTask task) {
        TrainingSet set = CandidateCollector.collect(client, evaluator, request, task);
        return new Outcome(request, RankerTrainer.train(set, request, threads, task));
    }
}
