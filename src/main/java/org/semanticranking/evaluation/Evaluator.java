package org.semanticranking.evaluation;

import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.search.MultiSearchRequest;
import org.elasticsearch.action.search.MultiSearchResponse;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.XContentParserConfiguration;
import org.elasticsearch.xcontent.json.JsonXContent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the judged requests of an evaluation (one {@code _msearch}, with the caller's privileges; a request's result is
 * its top {@code k} ids only, so memory grows with the number of requests, not with their ratings) and scores
 * each result list with {@link RankingMetrics}, the same code as the relevance report, so both agree to the
 * last digit on the same rankings.
 */
public final class Evaluator {

    public record RequestResult(String id, Map<String, Double> metrics, List<String> unratedInTopK) {}

    public record Result(
            List<MetricSpec> metricSpecs,
            Map<String, Double> mean,
            List<RequestResult> requests,
            boolean details,
            RatedDocsCheck.Outcome ratedDocs)
            implements ToXContentObject {

        public double mean(MetricSpec metric) {
            return mean.get(metric.toString());
        }

        /** The same result with what the check of the rated documents found, for the response. */
        public Result withRatedDocs(RatedDocsCheck.Outcome outcome) {
            return new Result(metricSpecs, mean, requests, details, outcome);
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject();
            builder.field("metrics", mean);
            if (ratedDocs != null) {
                ratedDocs.toXContent(builder, params);
            }
            if (details) {
                builder.startObject("requests");
                for (RequestResult r : requests) {
                    builder.startObject(r.id())
                            .field("metrics", r.metrics())
                            .field("unrated_docs", r.unratedInTopK())
                            .endObject();
                }
                builder.endObject();
            }
            return builder.endObject();
        }
    }

    private final Client client;
    private final NamedXContentRegistry registry;
    private final String[] indices;

    public Evaluator(Client client, NamedXContentRegistry registry, String[] indices) {
        this.client = client;
        this.registry = registry;
        this.indices = indices;
    }

    /** A rendered body as a search of the evaluation's indices, asking for the top {@code maxK} ids only. */
    public SearchRequest search(String requestId, String body, int maxK) {
        SearchSourceBuilder source;
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(
                XContentParserConfiguration.EMPTY.withRegistry(registry), body)) {
            source = new SearchSourceBuilder().parseXContent(parser, true, feature -> true);
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "[template] is not a valid search for request [" + requestId + "]: "
                            + ExceptionsHelper.unwrapCause(e).getMessage(),
                    e);
        }
        source.size(maxK).fetchSource(false).trackTotalHits(false);
        return new SearchRequest(indices).source(source);
    }

    /** Renders and parses one request's search: a 400 naming the request when the template does not make a valid search. */
    public void checkTemplate(SearchTemplate template, JudgedRequest request, int maxK) {
        search(request.id(), template.render(request.id(), request.params()), maxK);
    }

    public void evaluate(
            SearchTemplate template,
            List<JudgedRequest> requests,
            List<MetricSpec> metrics,
            int relevantGrade,
            boolean details,
            ActionListener<Result> listener) {
        int maxK = metrics.stream().mapToInt(MetricSpec::k).max().orElse(10);
        MultiSearchRequest msearch = new MultiSearchRequest();
        for (JudgedRequest r : requests) {
            msearch.add(search(r.id(), template.render(r.id(), r.params()), maxK));
        }
        client.multiSearch(msearch, listener.delegateFailureAndWrap((l, response) -> {
            List<RequestResult> results = new ArrayList<>();
            Map<String, Double> sums = new LinkedHashMap<>();
            metrics.forEach(m -> sums.put(m.toString(), 0.0));
            MultiSearchResponse.Item[] items = response.getResponses();
            for (int i = 0; i < items.length; i++) {
                if (items[i].isFailure()) {
                    l.onFailure(items[i].getFailure());
                    return;
                }
                JudgedRequest request = requests.get(i);
                List<String> ranking = new ArrayList<>();
                for (SearchHit hit : items[i].getResponse().getHits().getHits()) {
                    ranking.add(hit.getId());
                }
                Map<String, Double> values = new LinkedHashMap<>();
                for (MetricSpec m : metrics) {
                    double v = m.compute(ranking, request.ratings(), relevantGrade);
                    values.put(m.toString(), v);
                    sums.merge(m.toString(), v, Double::sum);
                }
                List<String> unrated = ranking.stream()
                        .limit(maxK)
                        .filter(id -> request.ratings().containsKey(id) == false)
                        .toList();
                results.add(new RequestResult(request.id(), values, unrated));
            }
            Map<String, Double> mean = new LinkedHashMap<>();
            sums.forEach((k, v) -> mean.put(k, v / requests.size()));
            l.onResponse(new Result(metrics, mean, results, details, null));
        }));
    }
}
