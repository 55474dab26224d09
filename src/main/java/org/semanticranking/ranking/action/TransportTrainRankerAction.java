package org.semanticranking.ranking.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.PlainActionFuture;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.client.internal.ParentTaskAssigningClient;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.elasticsearch.xcontent.ToXContentObject;
import org.semanticranking.common.JobTask;
import org.semanticranking.common.Jobs;
import org.semanticranking.common.LocalResponse;
import org.semanticranking.evaluation.Evaluator;
import org.semanticranking.judgments.action.EventJudgments;
import org.semanticranking.ranking.RankingSettings;
import org.semanticranking.ranking.feature.Feature;
import org.semanticranking.ranking.model.Ranker;
import org.semanticranking.ranking.store.FeatureSets;
import org.semanticranking.ranking.store.RankerStore;
import org.semanticranking.ranking.training.FeatureChecks;
import org.semanticranking.ranking.training.RankerTraining;
import org.semanticranking.ranking.training.TrainingRequest;

import java.util.List;

/**
 * Trains a ranker as a cancellable job on the jobs pool: its searches (children of the task, with the caller's
 * privileges) collect the candidates and their features, then cross-validation and the final fit, then the ranker is
 * stored as the next version.
 */
public final class TransportTrainRankerAction extends TransportAction<TrainRankerAction.Request, LocalResponse> {

    private final Client client;
    private final NamedXContentRegistry registry;
    private final TransportService transportService;
    private final ClusterService clusterService;
    private final ThreadPool threadPool;
    private final IndexNameExpressionResolver resolver;

    @Inject
    public TransportTrainRankerAction(
            TransportService transportService,
            ActionFilters filters,
            Client client,
            NamedXContentRegistry registry,
            ClusterService clusterService,
            ThreadPool threadPool,
            IndexNameExpressionResolver resolver) {
        super(TrainRankerAction.NAME, filters, transportService.getTaskManager(), EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
        this.registry = registry;
        this.transportService = transportService;
        this.clusterService = clusterService;
        this.threadPool = threadPool;
        this.resolver = resolver;
    }

    @Override
    protected void doExecute(Task task, TrainRankerAction.Request request, ActionListener<LocalResponse> listener) {
        JobTask job = (JobTask) task;
        Client child = new ParentTaskAssigningClient(client, transportService.getLocalNode(), task);
        TrainingRequest training = request.training();
        if (training.evaluation().needsJudgments() == false) {
            train(job, child, request, training, listener);
            return;
        }
        // ratings_from: the events are judged first (read with the caller's privileges, fitted on the generic pool)
        new EventJudgments(child, threadPool, clusterService, resolver)
                .load(
                        "rankers/" + TrainingRequest.API,
                        training.evaluation().ratingsFrom(),
                        Jobs.reportingCancellation(listener, job)
                                .delegateFailureAndWrap((l, judgments) ->
                                        train(job, child, request, training.withJudgments(judgments), l)));
    }

    private void train(
            JobTask job,
            Client child,
            TrainRankerAction.Request request,
            TrainingRequest training,
            ActionListener<LocalResponse> listener) {
        Evaluator evaluator = new Evaluator(child, registry, request.indices());
        // a template that makes no valid search is a 400 before anything runs
        training.evaluation()
                .requests()
                .forEach(
                        r -> evaluator.checkTemplate(training.evaluation().searchTemplate(), r, training.windowSize()));
        var settings = clusterService.getClusterSettings();
        String rankersIndex = settings.get(RankingSettings.RANKERS_INDEX);
        String featureSetsIndex = settings.get(RankingSettings.FEATURE_SETS_INDEX);
        int threads = settings.get(RankingSettings.TRAINING_THREADS);
        if (training.features() != null) {
            FeatureChecks.check(training.features(), training.evaluation().requests(), registry);
        }
        Jobs.run(threadPool, job, listener, () -> {
            TrainingRequest resolved = training;
            if (training.featureSet() != null) {
                PlainActionFuture<List<Feature>> set = new PlainActionFuture<>();
                FeatureSets.get(child, featureSetsIndex, training.featureSet(), set);
                resolved = training.withFeatures(set.actionGet());
                FeatureChecks.check(resolved.features(), training.evaluation().requests(), registry);
            }
            long started = threadPool.relativeTimeInMillis();
            RankerTraining.Outcome outcome = RankerTraining.run(child, evaluator, resolved, threads, job);
            long version = RankerStore.nextVersion(child, rankersIndex, training.rankerId());
            Ranker ranker = outcome.ranker(training.rankerId(), version, threadPool.absoluteTimeInMillis());
            RankerStore.store(child, rankersIndex, ranker);
            ToXContentObject response = outcome.response(ranker, threadPool.relativeTimeInMillis() - started);
            return response;
        });
    }
}
