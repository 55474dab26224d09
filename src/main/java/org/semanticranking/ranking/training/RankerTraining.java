package org.semanticranking.ranking.training;

import org.elasticsearch.client.internal.Client;
import org.elasticsearch.xcontent.ToXContentObject;
import org.semanticranking.common.JobTask;
import org.semanticranking.evaluation.Evaluator;
import org.semanticranking.judgments.action.ClickTable;
import org.semanticranking.personalization.events.InteractionFields;
import org.semanticranking.personalization.profile.ProfileSettings;
import org.semanticranking.ranking.model.Ranker;
import org.semanticranking.ranking.model.TrainingSet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/** A ranker's training from end to end: the candidates, the cross-validation and the final fit, and what to answer. */
public final class RankerTraining {

    private RankerTraining() {}

    /**
     * What the training found, before it is stored.
     *
     * @param impressions what a training from impressions read (impressions, users, propensities); {@code null} otherwise
     */
    public record Outcome(TrainingRequest request, RankerTrainer.Result result, Map<String, Object> impressions) {

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
            if (impressions != null) {
                training.put(ImpressionOptions.FIELD, impressions);
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
                if (impressions != null) {
                    builder.field(ImpressionOptions.FIELD, impressions);
                }
                builder.field("training");
                result.toXContent(builder, params);
                return builder.endObject();
            };
        }
    }

    public static Outcome run(Client client, Evaluator evaluator, TrainingRequest request, int threads, JobTask task) {
        TrainingSet set = CandidateCollector.collect(client, evaluator, request, task);
        return new Outcome(request, RankerTrainer.train(set, request, threads, task), null);
    }

    /**
     * A training whose requests are the logged impressions with a click: the impressions replayed with the shopper as
     * they were then ({@link ImpressionCollector}), each weighted by the inverse propensity of its clicks' slots.
     *
     * @param propensities each slot's examination relative to the top slot, estimated from the same events
     * @param interactionsIndex the node's interactions index: what a clicks feature naming no index reads
     * @param clickTable   the events' clicks per query over the given slots, for the features that read them
     */
    public static Outcome runFromImpressions(
            Client client,
            Evaluator evaluator,
            TrainingRequest request,
            InteractionFields fields,
            long until,
            double[] propensities,
            ProfileSettings settings,
            String[] productIndices,
            String interactionsIndex,
            IntFunction<ClickTable> clickTable,
            int threads,
            JobTask task) {
        ImpressionOptions options = request.impressionsFrom();
        ImpressionCollector.Collected collected = ImpressionCollector.collect(
                client,
                evaluator,
                request,
                options,
                fields,
                until,
                propensities,
                settings,
                productIndices,
                new ImpressionCollector.ClickSource(interactionsIndex, clickTable),
                task);
        TrainingRequest found = request.withImpressions(collected.requests());
        double[] weights = collected.set().groups().stream()
                .mapToDouble(TrainingSet.Group::weight)
                .toArray();
        Map<String, Object> read = new LinkedHashMap<>();
        read.put("index", options.index());
        read.put("impressions", collected.requests().size());
        read.put("users", collected.users());
        read.put("skipped_events", collected.skippedEvents());
        read.put("propensities", propensities);
        read.put("propensity_floor", options.propensityFloor());
        read.put("mean_weight", java.util.Arrays.stream(weights).average().orElse(0));
        read.put("max_weight", java.util.Arrays.stream(weights).max().orElse(0));
        return new Outcome(found, RankerTrainer.train(collected.set(), found, threads, task), read);
    }
}
