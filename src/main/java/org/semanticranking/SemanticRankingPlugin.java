package org.semanticranking;

import org.apache.lucene.util.SetOnce;
import org.elasticsearch.action.support.MappedActionFilter;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.common.breaker.CircuitBreaker;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.common.util.concurrent.ThreadContext;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.indices.breaker.BreakerSettings;
import org.elasticsearch.ingest.Processor;
import org.elasticsearch.monitor.jvm.JvmInfo;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.CircuitBreakerPlugin;
import org.elasticsearch.plugins.IngestPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.SearchPlugin;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.search.fetch.FetchSubPhase;
import org.elasticsearch.search.rank.RankBuilder;
import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.search.rank.RankShardResult;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ExecutorBuilder;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.xcontent.ParseField;
import org.semanticranking.common.JobTask;
import org.semanticranking.common.SearchNotices;
import org.semanticranking.common.SearchSourceFilter;
import org.semanticranking.common.ThreadPools;
import org.semanticranking.encoder.EncoderDevice;
import org.semanticranking.encoder.EncoderService;
import org.semanticranking.encoder.EncoderSettings;
import org.semanticranking.encoder.ModelRegistry;
import org.semanticranking.encoder.action.EncodeQueryAction;
import org.semanticranking.encoder.action.OnSemanticFailure;
import org.semanticranking.encoder.action.TransportEncodeQueryAction;
import org.semanticranking.encoder.action.TransportEncoderStatsAction;
import org.semanticranking.encoder.action.TransportModelsAction;
import org.semanticranking.evaluation.action.EvaluateAction;
import org.semanticranking.evaluation.action.JudgmentCandidatesAction;
import org.semanticranking.evaluation.action.TransportEvaluateAction;
import org.semanticranking.evaluation.action.TransportJudgmentCandidatesAction;
import org.semanticranking.evaluation.action.TransportTuneAction;
import org.semanticranking.evaluation.action.TuneAction;
import org.semanticranking.exploration.ExploreRankDoc;
import org.semanticranking.exploration.ExploreRetrieverBuilder;
import org.semanticranking.exploration.ExploreSlotPhase;
import org.semanticranking.ingest.SemanticEmbeddingProcessor;
import org.semanticranking.interleaving.InterleaveRankDoc;
import org.semanticranking.interleaving.InterleaveRetrieverBuilder;
import org.semanticranking.interleaving.InterleaveSidePhase;
import org.semanticranking.interleaving.action.InterleavingResultsAction;
import org.semanticranking.interleaving.action.TransportInterleavingResultsAction;
import org.semanticranking.judgments.action.FromEventsAction;
import org.semanticranking.judgments.action.QueryClicksAction;
import org.semanticranking.judgments.action.TransportFromEventsAction;
import org.semanticranking.judgments.action.TransportQueryClicksAction;
import org.semanticranking.personalization.PersonalizationSettings;
import org.semanticranking.personalization.action.BuildProfilesAction;
import org.semanticranking.personalization.action.TrainModelAction;
import org.semanticranking.personalization.action.TransportBuildProfilesAction;
import org.semanticranking.personalization.action.TransportTrainModelAction;
import org.semanticranking.personalization.context.ShopperContextAction;
import org.semanticranking.personalization.context.TransportShopperContextAction;
import org.semanticranking.personalization.events.InteractionEventProcessor;
import org.semanticranking.query.SemanticIntentQueryBuilder;
import org.semanticranking.query.SemanticIntentVectorBuilder;
import org.semanticranking.query.intent.IntentSettings;
import org.semanticranking.query.intent.IntentVocabularyAction;
import org.semanticranking.query.intent.TransportIntentVocabularyAction;
import org.semanticranking.ranking.RankingSettings;
import org.semanticranking.ranking.action.TrainRankerAction;
import org.semanticranking.ranking.action.TransportTrainRankerAction;
import org.semanticranking.ranking.rescore.LearnedRankFetchPhase;
import org.semanticranking.ranking.rescore.LearnedRankRescorerBuilder;
import org.semanticranking.ranking.store.LoadFeatureSetAction;
import org.semanticranking.ranking.store.LoadRankerAction;
import org.semanticranking.ranking.store.TransportLoadRankerAction;
import org.semanticranking.rescore.BlendFetchPhase;
import org.semanticranking.rescore.PersonalizedBlendRescorerBuilder;
import org.semanticranking.rescore.QueryTextFromFirstPass;
import org.semanticranking.rest.RestBuildProfilesAction;
import org.semanticranking.rest.RestEncoderNodesAction;
import org.semanticranking.rest.RestEvaluateAction;
import org.semanticranking.rest.RestFeatureSetAction;
import org.semanticranking.rest.RestFromEventsAction;
import org.semanticranking.rest.RestGetModelAction;
import org.semanticranking.rest.RestInterleavingResultsAction;
import org.semanticranking.rest.RestJudgmentCandidatesAction;
import org.semanticranking.rest.RestRankerAction;
import org.semanticranking.rest.RestTrainModelAction;
import org.semanticranking.rest.RestTrainRankerAction;
import org.semanticranking.rest.RestTuneAction;
import org.semanticranking.retriever.HybridRankBuilder;
import org.semanticranking.retriever.HybridRankDoc;
import org.semanticranking.retriever.HybridScoreBreakdownPhase;
import org.semanticranking.retriever.HybridShardResult;
import org.semanticranking.retriever.HybridSideDoc;
import org.semanticranking.retriever.HybridSideQueryBuilder;
import org.semanticranking.retriever.HybridWay;
import org.semanticranking.retriever.SemanticHybridRetrieverBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Wires the plugin's capabilities into Elasticsearch; the work lives in the capability packages. */
public class SemanticRankingPlugin extends Plugin
        implements IngestPlugin, ActionPlugin, SearchPlugin, CircuitBreakerPlugin {

    /** Accounts the texts waiting for and in the encoder; {@code breaker.semantic_ranking_encoder.limit} (default 10% of the heap). */
    public static final String ENCODER_BREAKER = "semantic_ranking_encoder";

    private final SetOnce<EncoderService> encoder = new SetOnce<>();
    private final SetOnce<CircuitBreaker> encoderBreaker = new SetOnce<>();
    private final SetOnce<ThreadContext> threadContext = new SetOnce<>();
    private final SetOnce<ClusterSettings> clusterSettings = new SetOnce<>();

    @Override
    public BreakerSettings getCircuitBreaker(Settings settings) {
        long tenPercent = JvmInfo.jvmInfo().getMem().getHeapMax().getBytes() / 10;
        return BreakerSettings.updateFromSettings(
                new BreakerSettings(
                        ENCODER_BREAKER,
                        tenPercent,
                        1.0,
                        CircuitBreaker.Type.MEMORY,
                        CircuitBreaker.Durability.TRANSIENT),
                settings);
    }

    @Override
    public void setCircuitBreaker(CircuitBreaker circuitBreaker) {
        encoderBreaker.set(circuitBreaker);
    }

    @Override
    public List<Setting<?>> getSettings() {
        List<Setting<?>> settings = new ArrayList<>(EncoderSettings.all());
        settings.addAll(IntentSettings.all());
        settings.addAll(PersonalizationSettings.all());
        settings.add(OnSemanticFailure.SETTING);
        settings.addAll(RankingSettings.all());
        settings.add(TransportQueryClicksAction.CLICKS_REFRESH);
        settings.add(TransportQueryClicksAction.CLICKS_EXPIRE);
        return settings;
    }

    @Override
    public List<ExecutorBuilder<?>> getExecutorBuilders(Settings settings) {
        return ThreadPools.executorBuilders(settings);
    }

    @Override
    public Collection<?> createComponents(PluginServices services) {
        Settings settings = services.environment().settings();
        ThreadPool threadPool = services.threadPool();
        threadContext.set(threadPool.getThreadContext());
        clusterSettings.set(services.clusterService().getClusterSettings());
        ModelRegistry registry = ModelRegistry.load(
                services.environment().configDir(),
                EncoderSettings.DEFAULT_MODEL.get(settings),
                EncoderDevice.parse(EncoderSettings.DEVICE.get(settings)),
                EncoderSettings.INTRA_OP_THREADS.get(settings));
        EncoderService service = new EncoderService(
                registry,
                threadPool.executor(ThreadPools.ENCODER),
                threadPool.executor(
                        EncoderSettings.QUERY_LANE.get(settings) ? ThreadPools.QUERY_ENCODER : ThreadPools.ENCODER),
                (task, delay) -> threadPool.schedule(task, delay, EsExecutors.DIRECT_EXECUTOR_SERVICE),
                EncoderSettings.BATCH_SIZE.get(settings),
                EncoderSettings.SORT_WINDOW.get(settings),
                EncoderSettings.MAX_WAIT.get(settings),
                EncoderSettings.QUERY_MAX_WAIT.get(settings),
                EncoderSettings.QUERY_CACHE_SIZE.get(settings),
                threadPool.getThreadContext(),
                encoderBreaker::get);
        encoder.set(service);
        return List.of(service);
    }

    @Override
    public Map<String, Processor.Factory> getProcessors(Processor.Parameters parameters) {
        // processors are registered before components exist: the factory reads the service lazily
        return Map.of(
                SemanticEmbeddingProcessor.TYPE,
                new SemanticEmbeddingProcessor.Factory(encoder::get),
                InteractionEventProcessor.TYPE,
                new InteractionEventProcessor.Factory());
    }

    @Override
    public Collection<ActionHandler> getActions() {
        return List.of(
                new ActionHandler(TransportModelsAction.TYPE, TransportModelsAction.class),
                new ActionHandler(TransportEncoderStatsAction.TYPE, TransportEncoderStatsAction.class),
                new ActionHandler(EncodeQueryAction.INSTANCE, TransportEncodeQueryAction.class),
                new ActionHandler(IntentVocabularyAction.INSTANCE, TransportIntentVocabularyAction.class),
                new ActionHandler(QueryClicksAction.INSTANCE, TransportQueryClicksAction.class),
                new ActionHandler(ShopperContextAction.INSTANCE, TransportShopperContextAction.class),
                new ActionHandler(BuildProfilesAction.INSTANCE, TransportBuildProfilesAction.class),
                new ActionHandler(TrainModelAction.INSTANCE, TransportTrainModelAction.class),
                new ActionHandler(EvaluateAction.INSTANCE, TransportEvaluateAction.class),
                new ActionHandler(TuneAction.INSTANCE, TransportTuneAction.class),
                new ActionHandler(JudgmentCandidatesAction.INSTANCE, TransportJudgmentCandidatesAction.class),
                new ActionHandler(LoadRankerAction.INSTANCE, TransportLoadRankerAction.class),
                new ActionHandler(LoadFeatureSetAction.INSTANCE, LoadFeatureSetAction.Transport.class),
                new ActionHandler(TrainRankerAction.INSTANCE, TransportTrainRankerAction.class),
                new ActionHandler(FromEventsAction.INSTANCE, TransportFromEventsAction.class),
                new ActionHandler(InterleavingResultsAction.INSTANCE, TransportInterleavingResultsAction.class));
    }

    @Override
    public Collection<MappedActionFilter> getMappedActionFilters() {
        List<MappedActionFilter> filters = new ArrayList<>(List.of(SearchNotices.filters(threadContext::get)));
        filters.add(new SearchSourceFilter(QueryTextFromFirstPass::fill));
        filters.add(new SearchSourceFilter(HybridWay::choose));
        return filters;
    }

    @Override
    public List<QuerySpec<?>> getQueries() {
        return List.of(
                new QuerySpec<>(
                        SemanticIntentQueryBuilder.NAME,
                        SemanticIntentQueryBuilder::new,
                        SemanticIntentQueryBuilder::fromXContent),
                new QuerySpec<>(
                        HybridSideQueryBuilder.NAME,
                        HybridSideQueryBuilder::new,
                        HybridSideQueryBuilder::fromXContent));
    }

    @Override
    public List<RetrieverSpec<?>> getRetrievers() {
        return List.of(
                new RetrieverSpec<>(SemanticHybridRetrieverBuilder.NAME, SemanticHybridRetrieverBuilder::fromXContent),
                new RetrieverSpec<>(InterleaveRetrieverBuilder.NAME, InterleaveRetrieverBuilder::fromXContent),
                new RetrieverSpec<>(ExploreRetrieverBuilder.NAME, ExploreRetrieverBuilder::fromXContent));
    }

    @Override
    public List<RescorerSpec<?>> getRescorers() {
        return List.of(
                new RescorerSpec<>(
                        PersonalizedBlendRescorerBuilder.NAME,
                        PersonalizedBlendRescorerBuilder::new,
                        PersonalizedBlendRescorerBuilder::fromXContent),
                new RescorerSpec<>(
                        LearnedRankRescorerBuilder.NAME,
                        LearnedRankRescorerBuilder::new,
                        LearnedRankRescorerBuilder::fromXContent));
    }

    @Override
    public List<FetchSubPhase> getFetchSubPhases(FetchPhaseConstructionContext context) {
        return List.of(
                new HybridScoreBreakdownPhase(),
                new BlendFetchPhase(),
                new LearnedRankFetchPhase(),
                new InterleaveSidePhase(),
                new ExploreSlotPhase());
    }

    @Override
    public List<NamedWriteableRegistry.Entry> getNamedWriteables() {
        return List.of(
                new NamedWriteableRegistry.Entry(RankDoc.class, HybridRankDoc.NAME, HybridRankDoc::new),
                new NamedWriteableRegistry.Entry(RankBuilder.class, HybridRankBuilder.NAME, HybridRankBuilder::new),
                new NamedWriteableRegistry.Entry(RankShardResult.class, HybridShardResult.NAME, HybridShardResult::new),
                new NamedWriteableRegistry.Entry(RankDoc.class, HybridSideDoc.NAME, HybridSideDoc::new),
                new NamedWriteableRegistry.Entry(RankDoc.class, InterleaveRankDoc.NAME, InterleaveRankDoc::new),
                new NamedWriteableRegistry.Entry(RankDoc.class, ExploreRankDoc.NAME, ExploreRankDoc::new),
                new NamedWriteableRegistry.Entry(Task.Status.class, JobTask.Progress.NAME, JobTask.Progress::new));
    }

    @Override
    public List<QueryVectorBuilderSpec<?>> getQueryVectorBuilders() {
        return List.of(new QueryVectorBuilderSpec<>(
                new ParseField(SemanticIntentVectorBuilder.NAME),
                SemanticIntentVectorBuilder::new,
                SemanticIntentVectorBuilder.parser()));
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
            RestHandlersServices services,
            Supplier<DiscoveryNodes> nodesInCluster,
            Predicate<NodeFeature> clusterSupportsFeature) {
        return List.of(
                RestEncoderNodesAction.models(),
                RestEncoderNodesAction.stats(),
                new RestBuildProfilesAction(clusterSettings::get),
                new RestTrainModelAction(clusterSettings::get),
                new RestGetModelAction(clusterSettings::get),
                new RestEvaluateAction(),
                new RestTuneAction(),
                new RestJudgmentCandidatesAction(),
                new RestFromEventsAction(),
                new RestInterleavingResultsAction(),
                new RestTrainRankerAction(),
                new RestRankerAction(clusterSettings::get),
                new RestFeatureSetAction(clusterSettings::get));
    }

    @Override
    public void close() {
        EncoderService service = encoder.get();
        if (service != null) {
            service.close();
        }
    }
}
