package org.semanticranking.judgments.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.IndicesOptions;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.metadata.ProjectMetadata;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.search.aggregations.AggregationBuilders;
import org.elasticsearch.search.aggregations.bucket.SingleBucketAggregation;
import org.elasticsearch.search.aggregations.bucket.terms.Terms;
import org.elasticsearch.search.aggregations.metrics.Cardinality;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;
import org.semanticranking.common.RefreshingCache;
import org.semanticranking.judgments.QueryClicks;
import org.semanticranking.personalization.PersonalizationSettings;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionFields;
import org.semanticranking.personalization.events.InteractionType;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one query's impressions from the events index (as the caller, so with their privileges): the composite
 * aggregation of {@code _from_events} filtered to the query, and each slot's click-through over every query's
 * impressions (one terms aggregation by slot). Both are kept on the node and read again in the background once older
 * than {@code semantic_ranking.ranking.clicks_refresh} ({@link RefreshingCache}): a search waits only for a query no
 * search asked for within {@code semantic_ranking.ranking.clicks_expire}, and the slots' rates, read over the whole
 * log, are waited for once. An events index that does not exist reads as no clicks. The request names the events
 * index, so a caller who may not read it is refused before the cache is looked at ({@link QueryClicksRequest}).
 */
public final class TransportQueryClicksAction extends TransportAction<QueryClicksRequest, QueryClicksResponse> {

    /** How old a query's clicks and the slots' click rates may be before their next use reads them again. */
    public static final Setting<TimeValue> CLICKS_REFRESH = Setting.positiveTimeSetting(
            "semantic_ranking.ranking.clicks_refresh", TimeValue.timeValueMinutes(1), Setting.Property.NodeScope);
    /** How long a node keeps a query's clicks that no search asks for. */
    public static final Setting<TimeValue> CLICKS_EXPIRE = Setting.positiveTimeSetting(
            "semantic_ranking.ranking.clicks_expire", TimeValue.timeValueHours(1), Setting.Property.NodeScope);

    private final NodeClient client;
    private final ClusterService clusterService;
    private final IndexNameExpressionResolver resolver;
    private final RefreshingCache<String, QueryClicks> queries;
    private final RefreshingCache<String, double[]> slotRates;

    @Inject
    public TransportQueryClicksAction(
            TransportService transportService,
            ActionFilters actionFilters,
            NodeClient client,
            ClusterService clusterService,
            IndexNameExpressionResolver resolver,
            Settings settings) {
        super(
                QueryClicksAction.NAME,
                actionFilters,
                transportService.getTaskManager(),
                EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
        this.clusterService = clusterService;
        this.resolver = resolver;
        TimeValue refresh = CLICKS_REFRESH.get(settings), expire = CLICKS_EXPIRE.get(settings);
        this.queries = new RefreshingCache<>(refresh, expire, 10_000, System::nanoTime);
        this.slotRates = new RefreshingCache<>(refresh, expire, 100, System::nanoTime);
    }

    @Override
    protected void doExecute(Task task, QueryClicksRequest request, ActionListener<QueryClicksResponse> listener) {
        ActionListener.run(listener, l -> {
            if (request.eventsIndex() == null) {
                // asked again naming the index: the caller's right to read it is checked before the cache answers
                String index = clusterService.getClusterSettings().get(PersonalizationSettings.INTERACTIONS_INDEX);
                client.execute(
                        QueryClicksAction.INSTANCE,
                        new QueryClicksRequest(
                                request.indices(), index, request.query(), request.slots(), request.maxProducts()),
                        l);
                return;
            }
            String index = request.eventsIndex();
            ProjectMetadata project = clusterService.state().metadata().getProject();
            if (resolver.concreteIndexNames(project, IndicesOptions.lenientExpandOpen(), index).length == 0) {
                l.onResponse(new QueryClicksResponse(QueryClicks.EMPTY));
                return;
            }
            String key = index
                    + '\u0000'
                    + request.slots()
                    + '\u0000'
                    + request.maxProducts()
                    + '\u0000'
                    // what the read matches: the text as logged, ignoring case
                    + request.query().trim().toLowerCase(Locale.ROOT);
            queries.get(key, (k, read) -> read(project, index, request, read), l.map(QueryClicksResponse::new));
        });
    }

    /** Reads the query's clicks from the events, with the slots' click rates. */
    private void read(
            ProjectMetadata project, String index, QueryClicksRequest request, ActionListener<QueryClicks> listener) {
        String api = "learned_rank";
        InteractionFields fields = InteractionFields.resolve(api, index, project, resolver);
        String queryField = InteractionFields.keywordField(api, index, InteractionEvent.QUERY, project, resolver);
        slotRates.get(
                index + '\u0000' + request.slots(),
                (k, read) -> rates(index, fields, request.slots(), read),
                listener.delegateFailureAndWrap((withRates, ctr) -> new EventCounts(
                                client, index, fields, queryField, request.slots(), Map.of())
                        .only(request.query())
                        .rows(withRates.map(rows -> top(QueryClicks.of(rows, ctr), request.maxProducts())))));
    }

    /** The products shown most, at most {@code max}. */
    private static QueryClicks top(QueryClicks clicks, int max) {
        if (clicks.byProduct().size() <= max) {
            return clicks;
        }
        Map<String, QueryClicks.Counts> kept = new HashMap<>();
        clicks.byProduct().entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, QueryClicks.Counts> e) ->
                                e.getValue().shown())
                        .reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(max)
                .forEach(e -> kept.put(e.getKey(), e.getValue()));
        return new QueryClicks(kept);
    }

    /**
     * Each slot's share of shown products clicked over every query's impressions, as {@link
     * org.semanticranking.judgments.Coec} computes it: impressions with a click on the slot over the slot's views.
     */
    private void rates(String index, InteractionFields fields, int slots, ActionListener<double[]> listener) {
        SearchSourceBuilder source = new SearchSourceBuilder()
                .size(0)
                .trackTotalHits(false)
                .query(QueryBuilders.boolQuery()
                        .filter(QueryBuilders.existsQuery(fields.impressionId()))
                        .filter(QueryBuilders.rangeQuery(fields.position())
                                .gte(0)
                                .lt(slots)))
                .aggregation(AggregationBuilders.terms("slots")
                        .field(fields.position())
                        .size(slots)
                        .subAggregation(AggregationBuilders.filter(
                                InteractionType.VIEW.value(),
                                QueryBuilders.termQuery(fields.type(), InteractionType.VIEW.value())))
                        .subAggregation(AggregationBuilders.filter(
                                        "positive",
                                        QueryBuilders.termsQuery(fields.type(), InteractionType.POSITIVE_VALUES))
                                .subAggregation(AggregationBuilders.cardinality("impressions")
                                        .field(fields.impressionId())
                                        .precisionThreshold(EventCounts.PRECISION))));
        client.search(new SearchRequest(index).source(source), listener.map(response -> {
            double[] ctr = new double[slots];
            Terms bySlot = response.getAggregations().get("slots");
            for (Terms.Bucket b : bySlot.getBuckets()) {
                int k = b.getKeyAsNumber().intValue();
                long views =
                        ((SingleBucketAggregation) b.getAggregations().get(InteractionType.VIEW.value())).getDocCount();
                SingleBucketAggregation positive = b.getAggregations().get("positive");
                long clicked = positive.getDocCount() == 0
                        ? 0
                        : ((Cardinality) positive.getAggregations().get("impressions")).getValue();
                long shown = Math.max(views, clicked);
                ctr[k] = shown == 0 ? 0 : (double) clicked / shown;
            }
            return ctr;
        }));
    }
}
