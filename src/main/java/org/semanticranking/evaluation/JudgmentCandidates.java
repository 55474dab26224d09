package org.semanticranking.evaluation;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.search.MultiSearchRequest;
import org.elasticsearch.action.search.MultiSearchResponse;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code _judgment_candidates}: for each request, the unrated documents where a human grade would tell the
 * most, namely those on which the lexical and the semantic rankers disagree most: in the top k of either, ranked
 * by the distance between their two ranks (a document one ranker does not return counts at rank k + 1).
 * The output lists them with the fields a rater needs.
 */
public final class JudgmentCandidates {

    public static final Set<String> KEYS =
            Set.of("lexical", "semantic", "requests", "ratings", "k", "size", "fields", RatedDocsCheck.Mode.FIELD);

    public record Candidate(
            String request,
            Map<String, Object> params,
            String id,
            Integer lexicalRank,
            Integer semanticRank,
            int disagreement,
            Map<String, Object> fields) {}

    public record Result(List<Candidate> candidates, RatedDocsCheck.Outcome ratedDocs) implements ToXContentObject {
        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject();
            ratedDocs.toXContent(builder, params);
            builder.startArray("candidates");
            for (Candidate c : candidates) {
                builder.startObject()
                        .field("request", c.request())
                        .field("params", c.params())
                        .field("_id", c.id());
                builder.field("lexical_rank", c.lexicalRank())
                        .field("semantic_rank", c.semanticRank())
                        .field("disagreement", c.disagreement());
                builder.field("fields", c.fields()).endObject();
            }
            return builder.endArray().endObject();
        }
    }

    private JudgmentCandidates() {}

    /** A {@code _judgment_candidates} body, read and checked: the two rankers, the requests and ratings, and how many of what to show. */
    public record Spec(
            SearchTemplate lexical,
            SearchTemplate semantic,
            EvaluationRequest requests,
            int k,
            int size,
            List<String> fields) {

        @SuppressWarnings("unchecked")
        public static Spec parse(Map<String, Object> body) {
            for (String key : body.keySet()) {
                if (KEYS.contains(key) == false) {
                    throw new IllegalArgumentException("[_judgment_candidates] unknown parameter [" + key + "]");
                }
            }
            for (String side : List.of("lexical", "semantic")) {
                if (body.get(side) instanceof Map<?, ?> == false) {
                    throw new IllegalArgumentException("[_judgment_candidates] requires [" + side + "]: the " + side
                            + " ranker's _search body with {{placeholders}}");
                }
            }
            int k = positive(body, "k", 10);
            int size = positive(body, "size", 10);
            List<String> fields = fieldNames(body.get("fields"));
            // the requests and ratings are read as in _evaluate (same checks), with the lexical side as template
            Map<String, Object> asEvaluation = new LinkedHashMap<>();
            asEvaluation.put("template", body.get("lexical"));
            asEvaluation.put("requests", body.get("requests"));
            for (String key : List.of("ratings", RatedDocsCheck.Mode.FIELD)) {
                if (body.containsKey(key)) {
                    asEvaluation.put(key, body.get(key));
                }
            }
            // a rated document missing from the index does not change what is worth rating next: reported, not refused
            EvaluationRequest parsed =
                    EvaluationRequest.parse("_judgment_candidates", asEvaluation, Set.of(), RatedDocsCheck.Mode.REPORT);
            return new Spec(
                    parsed.searchTemplate(),
                    SearchTemplate.of((Map<String, Object>) body.get("semantic")),
                    parsed,
                    k,
                    size,
                    fields);
        }
    }

    public static void find(
            Client client, Evaluator evaluator, RatedDocsCheck ratedDocs, Spec spec, ActionListener<Result> listener) {
        EvaluationRequest parsed = spec.requests();
        int k = spec.k(), size = spec.size();
        List<String> fields = spec.fields();
        MultiSearchRequest msearch = new MultiSearchRequest();
        for (JudgedRequest r : parsed.requests()) {
            for (SearchTemplate t : List.of(spec.lexical(), spec.semantic())) {
                SearchRequest search = evaluator.search(r.id(), t.render(r.id(), r.params()), k);
                fields.forEach(search.source()::fetchField);
                msearch.add(search);
            }
        }
        ratedDocs.check(
                parsed.requests(),
                parsed.missingRatedDocs(),
                listener.delegateFailureAndWrap((checked, outcome) -> client.multiSearch(
                        msearch,
                        checked.delegateFailureAndWrap((l, response) -> l.onResponse(new Result(
                                candidates(parsed.requests(), response.getResponses(), fields, k, size), outcome))))));
    }

    /** Each request's unrated hits, most disagreement first; a failed search fails the whole request. */
    private static List<Candidate> candidates(
            List<JudgedRequest> requests, MultiSearchResponse.Item[] items, List<String> fields, int k, int size)
            throws Exception {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            JudgedRequest request = requests.get(i);
            for (MultiSearchResponse.Item item : List.of(items[2 * i], items[2 * i + 1])) {
                if (item.isFailure()) {
                    throw item.getFailure();
                }
            }
            Map<String, Integer> lexicalRanks =
                    ranks(items[2 * i].getResponse().getHits().getHits());
            Map<String, Integer> semanticRanks =
                    ranks(items[2 * i + 1].getResponse().getHits().getHits());
            Map<String, Map<String, Object>> shown = new LinkedHashMap<>();
            for (MultiSearchResponse.Item item : List.of(items[2 * i], items[2 * i + 1])) {
                for (SearchHit hit : item.getResponse().getHits().getHits()) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (String f : fields) {
                        DocumentField df = hit.field(f);
                        if (df != null) {
                            values.put(
                                    f,
                                    df.getValues().size() == 1 ? df.getValues().get(0) : df.getValues());
                        }
                    }
                    shown.putIfAbsent(hit.getId(), values);
                }
            }
            Set<String> ids = new LinkedHashSet<>(shown.keySet());
            ids.removeAll(request.ratings().keySet());
            List<Candidate> mine = new ArrayList<>();
            for (String id : ids) {
                Integer lr = lexicalRanks.get(id), sr = semanticRanks.get(id);
                int disagreement = Math.abs((lr == null ? k + 1 : lr) - (sr == null ? k + 1 : sr));
                mine.add(new Candidate(request.id(), request.params(), id, lr, sr, disagreement, shown.get(id)));
            }
            mine.sort(Comparator.comparingInt(Candidate::disagreement)
                    .reversed()
                    .thenComparingInt(c -> Math.min(
                            c.lexicalRank() == null ? k + 1 : c.lexicalRank(),
                            c.semanticRank() == null ? k + 1 : c.semanticRank())));
            out.addAll(mine.subList(0, Math.min(size, mine.size())));
        }
        return out;
    }

    private static Map<String, Integer> ranks(SearchHit[] hits) {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (int i = 0; i < hits.length; i++) {
            ranks.putIfAbsent(hits[i].getId(), i + 1);
        }
        return ranks;
    }

    private static List<String> fieldNames(Object value) {
        if (value == null) {
            return List.of("title");
        }
        if (value instanceof List<?> list && list.isEmpty() == false) {
            List<String> names = new ArrayList<>();
            for (Object name : list) {
                if (name instanceof String s && s.isBlank() == false) {
                    names.add(s);
                } else {
                    throw new IllegalArgumentException(
                            "[_judgment_candidates] [fields] must be a non-empty list of field names but has [" + name
                                    + "]");
                }
            }
            return names;
        }
        throw new IllegalArgumentException(
                "[_judgment_candidates] [fields] must be a non-empty list of field names but was [" + value + "]");
    }

    private static int positive(Map<String, Object> body, String key, int defaultValue) {
        Object v = body.getOrDefault(key, defaultValue);
        if (v instanceof Integer i && i > 0 && i <= 10_000) {
            return i;
        }
        throw new IllegalArgumentException(
                "[_judgment_candidates] [" + key + "] must be an integer between 1 and 10000 but was [" + v + "]");
    }
}
