package org.semanticranking.ranking.training;

import org.elasticsearch.action.search.MultiSearchRequest;
import org.elasticsearch.action.search.MultiSearchResponse;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.tasks.TaskCancelledException;
import org.semanticranking.common.JobTask;
import org.semanticranking.evaluation.Evaluator;
import org.semanticranking.evaluation.JudgedRequest;
import org.semanticranking.judgments.QueryClicks;
import org.semanticranking.personalization.context.ShopperContext;
import org.semanticranking.ranking.feature.Feature;
import org.semanticranking.ranking.model.TrainingSet;
import org.semanticranking.ranking.rescore.LearnedRankFetchPhase;
import org.semanticranking.ranking.rescore.LearnedRankOptions;
import org.semanticranking.ranking.rescore.LearnedRankRescorerBuilder;
import org.semanticranking.retriever.SemanticHybridRetrieverBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects a training's candidates request by request: the first stage's top {@code window_size} hits, with their
 * features computed by the very rescorer that serves the ranker ({@code learned_rank} logging them), so that training
 * and serving cannot disagree on a feature's value. Multi-searches of a few requests at a time keep memory to the
 * packed rows. Blocking: the jobs pool only.
 */
final class CandidateCollector {

    static final int REQUESTS_PER_SEARCH = 20;

    private CandidateCollector() {}

    static TrainingSet collect(Client client, Evaluator evaluator, TrainingRequest request, JobTask task) {
        List<Feature> features = request.features();
        List<String> names = features.stream().map(Feature::name).toList();
        TrainingSet set = new TrainingSet(names);
        List<JudgedRequest> requests = request.evaluation().requests();
        long candidates = 0;
        for (int start = 0; start < requests.size(); start += REQUESTS_PER_SEARCH) {
            if (task.isCancelled()) {
                throw new TaskCancelledException(task.getDescription() + " cancelled");
            }
            task.progress("collecting candidates", "requests", start, "of", requests.size(), "candidates", candidates);
            List<JudgedRequest> batch = requests.subList(start, Math.min(requests.size(), start + REQUESTS_PER_SEARCH));
            MultiSearchRequest msearch = new MultiSearchRequest();
            for (JudgedRequest r : batch) {
                msearch.add(search(evaluator, request, features, r, null, null));
            }
            MultiSearchResponse response = client.multiSearch(msearch).actionGet();
            try {
                MultiSearchResponse.Item[] items = response.getResponses();
                for (int i = 0; i < items.length; i++) {
                    TrainingSet.Group group = group(batch.get(i), names, hits(items[i]));
                    set.add(group);
                    candidates += group.size();
                }
            } finally {
                response.decRef();
            }
        }
        return set;
    }

    /** The hits of one search of a multi-search; its failure, as the training's. */
    static SearchHit[] hits(MultiSearchResponse.Item item) {
        if (item.isFailure()) {
            throw item.getFailure() instanceof RuntimeException re ? re : new IllegalStateException(item.getFailure());
        }
        return item.getResponse().getHits().getHits();
    }

    /**
     * The request's first stage, asking for its window with the features logged.
     *
     * @param shopper the shopper the shopper features read (an impression's, as they were then); {@code null} to load
     *                the request's from the profiles
     */
    static SearchRequest search(
            Evaluator evaluator,
            TrainingRequest request,
            List<Feature> features,
            JudgedRequest r,
            ShopperContext shopper,
            QueryClicks clicks) {
        SearchRequest search = evaluator.search(
                r.id(), request.evaluation().searchTemplate().render(r.id(), r.params()), request.windowSize());
        SearchSourceBuilder source = search.source();
        LearnedRankRescorerBuilder logger = new LearnedRankRescorerBuilder(
                new LearnedRankOptions(null, features, null, r.params(), false, shopper, clicks));
        logger.windowSize(request.windowSize());
        if (source.retriever() instanceof SemanticHybridRetrieverBuilder hybrid) {
            List<RescorerBuilder<?>> rescorers = new ArrayList<>(hybrid.rescorers());
            rescorers.add(logger);
            source.retriever(hybrid.withRescorers(rescorers));
        } else if (source.retriever() != null) {
            throw new IllegalArgumentException("[" + TrainingRequest.API + "] the [template]'s first stage must be a "
                    + "[query] or a [semantic_hybrid] retriever, not a ["
                    + source.retriever().getName() + "] retriever");
        } else {
            source.addRescorer(logger);
        }
        source.from(0).size(request.windowSize());
        return search;
    }

    @SuppressWarnings("unchecked")
    static TrainingSet.Group group(JudgedRequest request, List<String> names, SearchHit[] hits) {
        int f = names.size();
        String[] ids = new String[hits.length];
        float[] rows = new float[hits.length * f];
        int[] labels = new int[hits.length];
        for (int h = 0; h < hits.length; h++) {
            ids[h] = hits[h].getId();
            labels[h] = request.ratings().getOrDefault(ids[h], 0);
            DocumentField field = hits[h].field(LearnedRankFetchPhase.FIELD);
            if (field == null || field.getValues().isEmpty()) {
                throw new IllegalStateException(
                        "request [" + request.id() + "]: hit [" + ids[h] + "] came back without its features");
            }
            Map<String, Object> logged = (Map<String, Object>)
                    field.getValues().get(field.getValues().size() - 1);
            Map<String, Object> values = (Map<String, Object>) logged.get("features");
            for (int i = 0; i < f; i++) {
                float v = ((Number) values.get(names.get(i))).floatValue();
                if (Float.isFinite(v) == false) {
                    throw new IllegalArgumentException("[" + TrainingRequest.API + "] feature [" + names.get(i)
                            + "] is [" + v + "] for hit [" + ids[h] + "] of request [" + request.id() + "]");
                }
                rows[h * f + i] = v;
            }
        }
        return new TrainingSet.Group(request.id(), ids, rows, labels);
    }
}
