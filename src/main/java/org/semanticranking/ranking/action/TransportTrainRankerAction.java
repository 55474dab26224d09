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
import org.semanticranking.judgments.action.ClickTable;
import org.semanticranking.judgments.action.EventJudgments;
import org.semanticranking.personalization.PersonalizationSettings;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionFields;
import org.semanticranking.personalization.events.InteractionStream;
import org.semanticranking.personalization.profile.ProfileSettings;
import org.semanticranking.ranking.RankingSettings;
import org.semanticranking.ranking.feature.Feature;
import org.semanticranking.ranking.model.Ranker;
import org.semanticranking.ranking.store.FeatureSets;
import org.semanticranking.ranking.store.RankerStore;
import org.semanticranking.ranking.training.FeatureChecks;
import org.semanticranking.ranking.training.ImpressionOptions;
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
        if (training.impressionsFrom() != null) {
            trainFromImpressions(job, child, request, training, listener);
            return;
        }
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

    /**
     * The propensities first (the position-based model over the events, read with the caller's privileges and fitted on
     * the generic pool), then the impressions replayed and trained on, on the jobs pool.
     */
    private void trainFromImpressions(
            JobTask job,
            Client child,
            TrainRankerAction.Request request,
            TrainingRequest requested,
            ActionListener<LocalResponse> listener) {
        var settings = clusterService.getClusterSettings();
        TrainingRequest training =
                requested.withImpressionsIndex(settings.get(PersonalizationSettings.INTERACTIONS_INDEX));
        String api = "rankers/" + TrainingRequest.API;
        ActionListener.run(listener, l -> {
            ImpressionOptions options = training.impressionsFrom();
            InteractionFields fields = InteractionFields.resolve(
                    api, options.index(), clusterService.state().metadata().getProject(), resolver);
            if (training.features() != null) {
                FeatureChecks.check(training.features(), List.of(options.sampleRequest()), registry);
            }
            new EventJudgments(child, threadPool, clusterService, resolver)
                    .load(
                            api,
                            options.propensityModel(),
                            Jobs.reportingCancellation(l, job).delegateFailureAndWrap((ll, judgments) -> {
                                Evaluator evaluator = new Evaluator(child, registry, request.indices());
                                evaluator.checkTemplate(
                                        training.evaluation().searchTemplate(),
                                        options.sampleRequest(),
                                        training.windowSize());
                                Jobs.run(threadPool, job, ll, () -> {
                                    long started = threadPool.relativeTimeInMillis();
                                    TrainingRequest resolved =
                                            withFeatureSet(child, training, List.of(options.sampleRequest()));
                                    long until = InteractionStream.latestEvent(child, options.index(), fields);
                                    return store(
                                            child,
                                            RankerTraining.runFromImpressions(
                                                    child,
                                                    evaluator,
                                                    resolved,
                                                    fields,
                                                    until,
                                                    judgments.slotRates(),
                                                    ProfileSettings.fromSettings(settings::get),
                                                    request.indices(),
                                                    settings.get(PersonalizationSettings.INTERACTIONS_INDEX),
                                                    slots -> ClickTable.load(
                                                            child,
                                                            options.index(),
                                                            fields,
                                                            InteractionFields.keywordField(
                                                                    api,
                                                                    options.index(),
                                                                    InteractionEvent.QUERY,
                                                                    clusterService
                                                                            .state()
                                                                            .metadata()
                                                                            .getProject(),
                                                                    resolver),
                                                            slots),
                                                    settings.get(RankingSettings.TRAINING_THREADS),
                                                    job),
                                            started);
                                });
                            }));
        });
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
        int threads = settings.get(RankingSettings.TRAINING_THREADS);
        if (training.features() != null) {
            FeatureChecks.check(training.features(), training.evaluation().requests(), registry);
        }
        Jobs.run(threadPool, job, listener, () -> {
            long started = threadPool.relativeTimeInMillis();
            TrainingRequest resolved =
                    withFeatureSet(child, training, training.evaluation().requests());
            return store(child, RankerTraining.run(child, evaluator, resolved, threads, job), started);
        });
    }

    /** The training with its stored feature set's features, checked against the requests (jobs pool: it blocks). */
    private TrainingRequest withFeatureSet(
            Client child, TrainingRequest training, List<org.semanticranking.evaluation.JudgedRequest> requests) {
        if (training.featureSet() == null) {
            return training;
        }
        PlainActionFuture<List<Feature>> set = new PlainActionFuture<>();
        FeatureSets.get(
                child,
                clusterService.getClusterSettings().get(RankingSettings.FEATURE_SETS_INDEX),
                training.featureSet(),
                set);
        TrainingRequest resolved = training.withFeatures(set.actionGet());
        FeatureChecks.check(resolved.features(), requests, registry);
        return resolved;
    }

    /** Stores the trained ranker as the next version and says what was trained (jobs pool: it blocks). */
    private ToXContentObject store(Client child, RankerTraining.Outcome outcome, long started) {
        String rankersIndex = clusterService.getClusterSettings().get(RankingSettings.RANKERS_INDEX);
        String rankerId = outcome.request().rankerId();
        long version = RankerStore.nextVersion(child, rankersIndex, rankerId);
        Ranker ranker = outcome.ranker(rankerId, version, threadPool.absoluteTimeInMillis());
        RankerStore.store(child, rankersIndex, ranker);
        return outcome.response(ranker, threadPool.relativeTimeInMillis() - started);
    }
}
