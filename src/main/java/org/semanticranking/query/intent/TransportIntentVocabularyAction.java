package org.semanticranking.query.intent;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.TransportSearchAction;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.cache.Cache;
import org.elasticsearch.common.cache.CacheBuilder;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.search.aggregations.AggregationBuilders;
import org.elasticsearch.search.aggregations.bucket.terms.Terms;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the vocabularies with a terms aggregation (as the caller, so with their privileges) and caches them on the node
 * for {@code semantic_ranking.intent.vocabulary_refresh}.
 */
public final class TransportIntentVocabularyAction
        extends TransportAction<IntentVocabularyRequest, IntentVocabularyResponse> {

    private final NodeClient client;
    private final Cache<String, Vocabulary> cache;
    private final int maxValues;

    @Inject
    public TransportIntentVocabularyAction(
            TransportService transportService, ActionFilters actionFilters, NodeClient client, Settings settings) {
        super(
                IntentVocabularyAction.NAME,
                actionFilters,
                transportService.getTaskManager(),
                EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.client = client;
        this.cache = CacheBuilder.<String, Vocabulary>builder()
                .setExpireAfterWrite(IntentSettings.VOCABULARY_REFRESH.get(settings))
                .setMaximumWeight(10_000)
                .build();
        this.maxValues = IntentSettings.MAX_VALUES.get(settings);
    }

    @Override
    protected void doExecute(
            Task task, IntentVocabularyRequest request, ActionListener<IntentVocabularyResponse> listener) {
        String indices = String.join(",", request.indices());
        Map<String, Vocabulary> found = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String field : request.fields()) {
            Vocabulary v = cache.get(indices + "|" + field);
            if (v != null) {
                found.put(field, v);
            } else {
                missing.add(field);
            }
        }
        if (missing.isEmpty()) {
            listener.onResponse(new IntentVocabularyResponse(found));
            return;
        }
        SearchSourceBuilder source = new SearchSourceBuilder().size(0).trackTotalHits(false);
        for (String field : missing) {
            source.aggregation(AggregationBuilders.terms(field).field(field).size(maxValues));
        }
        client.execute(
                TransportSearchAction.TYPE,
                new SearchRequest(request.indices()).source(source),
                listener.map(response -> {
                    for (String field : missing) {
                        Terms terms = response.getAggregations() == null
                                ? null
                                : response.getAggregations().get(field);
                        List<String> values = new ArrayList<>();
                        if (terms != null) {
                            for (Terms.Bucket bucket : terms.getBuckets()) {
                                values.add(bucket.getKeyAsString());
                            }
                        }
                        Vocabulary vocabulary = new Vocabulary(values);
                        cache.put(indices + "|" + field, vocabulary);
                        found.put(field, vocabulary);
                    }
                    return new IntentVocabularyResponse(found);
                }));
    }
}
