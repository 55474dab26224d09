package org.semanticranking.query.intent;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.TransportSearchAction;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.cache.Cache;
import org.elasticsearch.common.cache.CacheBuilder;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.search.aggregations.AggregationBuilders;
import org.elasticsearch.search.aggregations.bucket.terms.Terms;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The vocabularies of keyword fields (brands, colours, types) in the searched indices, read with a
 * terms aggregation and cached on the node for {@code semantic_ranking.intent.vocabulary_refresh}.
 * Local only: used by {@code semantic_intent} during its rewrite on the coordinating node.
 */
public final class IntentVocabularyAction {

    public static final String NAME = "indices:data/read/semantic_ranking/intent_vocabulary";
    public static final ActionType<Response> TYPE = new ActionType<>(NAME);

    public static final Setting<TimeValue> REFRESH = Setting.positiveTimeSetting(
        "semantic_ranking.intent.vocabulary_refresh",
        TimeValue.timeValueMinutes(1),
        Setting.Property.NodeScope
    );
    /** Values read per field; a catalogue's brands, colours and types fit well within it. */
    public static final Setting<Integer> MAX_VALUES = Setting.intSetting(
        "semantic_ranking.intent.max_values",
        10_000,
        1,
        65_536,
        Setting.Property.NodeScope
    );

    private IntentVocabularyAction() {}

    /** An index request, so that a role's read privilege on the searched indices covers it. */
    public static final class Request extends ActionRequest implements org.elasticsearch.action.IndicesRequest {
        private final String[] indices;

        @Override
        public String[] indices() {
            return indices;
        }

        @Override
        public org.elasticsearch.action.support.IndicesOptions indicesOptions() {
            return org.elasticsearch.action.support.IndicesOptions.lenientExpandOpen();
        }
        private final List<String> fields;

        public Request(String[] indices, List<String> fields) {
            this.indices = indices.clone();
            Arrays.sort(this.indices);
            this.fields = List.copyOf(fields);
        }

        @Override
        public ActionRequestValidationException validate() {
            return null;
        }

        @Override
        public void writeTo(StreamOutput out) {
            TransportAction.localOnly();
        }
    }

    public static final class Response extends ActionResponse {
        private final Map<String, Vocabulary> vocabularies;

        Response(Map<String, Vocabulary> vocabularies) {
            this.vocabularies = vocabularies;
        }

        public Map<String, Vocabulary> vocabularies() {
            return vocabularies;
        }

        @Override
        public void writeTo(StreamOutput out) {
            TransportAction.localOnly();
        }
    }

    public static final class TransportIntentVocabularyAction extends TransportAction<Request, Response> {

        private final NodeClient client;
        private final Cache<String, Vocabulary> cache;
        private final int maxValues;

        @Inject
        public TransportIntentVocabularyAction(TransportService transportService, ActionFilters actionFilters, NodeClient client, Settings settings) {
            super(NAME, actionFilters, transportService.getTaskManager(), EsExecutors.DIRECT_EXECUTOR_SERVICE);
            this.client = client;
            this.cache = CacheBuilder.<String, Vocabulary>builder().setExpireAfterWrite(REFRESH.get(settings)).setMaximumWeight(10_000).build();
            this.maxValues = MAX_VALUES.get(settings);
        }

        @Override
        protected void doExecute(Task task, Request request, ActionListener<Response> listener) {
            String indices = String.join(",", request.indices);
            Map<String, Vocabulary> found = new HashMap<>();
            List<String> missing = new ArrayList<>();
            for (String field : request.fields) {
                Vocabulary v = cache.get(indices + "|" + field);
                if (v != null) {
                    found.put(field, v);
                } else {
                    missing.add(field);
                }
            }
            if (missing.isEmpty()) {
                listener.onResponse(new Response(found));
                return;
            }
            SearchSourceBuilder source = new SearchSourceBuilder().size(0).trackTotalHits(false);
            for (String field : missing) {
                source.aggregation(AggregationBuilders.terms(field).field(field).size(maxValues));
            }
            client.execute(TransportSearchAction.TYPE, new SearchRequest(request.indices).source(source), listener.map(response -> {
                for (String field : missing) {
                    Terms terms = response.getAggregations() == null ? null : response.getAggregations().get(field);
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
                return new Response(found);
            }));
        }
    }
}
