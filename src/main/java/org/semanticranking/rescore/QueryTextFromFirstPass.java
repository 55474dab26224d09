package org.semanticranking.rescore;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.TransportSearchAction;
import org.elasticsearch.action.support.ActionFilterChain;
import org.elasticsearch.action.support.MappedActionFilter;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.search.vectors.KnnSearchBuilder;
import org.elasticsearch.tasks.Task;
import org.semanticranking.query.SemanticIntentQueryBuilder;
import org.semanticranking.query.SemanticIntentVectorBuilder;

import java.util.List;

/**
 * Lets {@code personalized_blend} leave out {@code query_text} when the search already has the shopper's text
 * in a {@code semantic_intent} query (at the top or in a {@code bool}) or a {@code knn} section with the
 * {@code semantic_intent} query vector builder: it copies that text (and model) into the rescorer before the
 * search starts, so both ask the encoder for the same (model, text), which the node's query vector cache
 * and its in-flight coalescing turn into one encode.
 */
public final class QueryTextFromFirstPass implements MappedActionFilter {

    @Override
    public String actionName() {
        return TransportSearchAction.NAME;
    }

    @Override
    public <Request extends ActionRequest, Response extends ActionResponse> void apply(
        Task task,
        String action,
        Request request,
        ActionListener<Response> listener,
        ActionFilterChain<Request, Response> chain
    ) {
        if (request instanceof SearchRequest search && search.source() != null) {
            fill(search.source());
        }
        chain.proceed(task, action, request, listener);
    }

    static void fill(SearchSourceBuilder source) {
        @SuppressWarnings("rawtypes")
        List<RescorerBuilder> rescores = source.rescores();
        if (rescores == null) {
            return;
        }
        for (int i = 0; i < rescores.size(); i++) {
            if (rescores.get(i) instanceof PersonalizedBlendRescorerBuilder blend && blend.needsQueryText()) {
                String[] textAndModel = firstPassText(source);
                if (textAndModel != null) {
                    rescores.set(i, blend.withQueryText(textAndModel[0], textAndModel[1]));
                }
            }
        }
    }

    /** The text and model of the request's semantic_intent, or {@code null}. */
    static String[] firstPassText(SearchSourceBuilder source) {
        String[] found = fromQuery(source.query());
        if (found == null && source.knnSearch() != null) {
            for (KnnSearchBuilder knn : source.knnSearch()) {
                if (knn.getQueryVectorBuilder() instanceof SemanticIntentVectorBuilder intent) {
                    return new String[] { intent.text(), intent.model() };
                }
            }
        }
        return found;
    }

    private static String[] fromQuery(QueryBuilder query) {
        if (query instanceof SemanticIntentQueryBuilder intent) {
            return new String[] { intent.encoderText(), intent.model() };
        }
        if (query instanceof BoolQueryBuilder bool) {
            for (List<QueryBuilder> clauses : List.of(bool.must(), bool.should(), bool.filter())) {
                for (QueryBuilder clause : clauses) {
                    String[] found = fromQuery(clause);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return null;
    }
}
