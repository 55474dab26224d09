package org.semanticranking.evaluation;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.search.MultiSearchRequest;
import org.elasticsearch.action.search.MultiSearchResponse;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which rated documents are not in the evaluated indices. A typo in an id silently lowers every score, so by default
 * a missing document is a 400; real judgment lists also name products deleted since they were rated, so it may be
 * reported instead, or not checked at all. The ids are looked up a page at a time (each page's search asks for no
 * more hits than the indices' {@code index.max_result_window}), a few pages per multi-search, so no single query
 * grows with the judgment list.
 */
public final class RatedDocsCheck {

    /** {@code missing_rated_docs}: what a rated document missing from the indices does. */
    public enum Mode {
        /** a 400 naming the first ten */
        FAIL,
        /** go on, and count them in the response */
        REPORT,
        /** no lookup at all (the response says they were not checked) */
        IGNORE;

        public static final String FIELD = "missing_rated_docs";

        public static Mode parse(String api, Object value, Mode defaultValue) {
            if (value == null) {
                return defaultValue;
            }
            if (value instanceof String s) {
                for (Mode m : values()) {
                    if (m.toString().equals(s)) {
                        return m;
                    }
                }
            }
            throw new IllegalArgumentException(
                    "[" + api + "] [" + FIELD + "] must be one of [fail, report, ignore] but was [" + value + "]");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the check found: {@code missing} is {@code null} when the documents were not checked. */
    public record Outcome(int rated, Integer missing, List<String> sample) implements ToXContentFragment {
        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject("rated_docs").field("distinct", rated).field("checked", missing != null);
            if (missing != null) {
                builder.field("missing", missing).field("missing_sample", sample);
            }
            return builder.endObject();
        }
    }

    static final int MAX_PAGE = 1000;
    static final int PAGES_PER_SEARCH = 10;
    static final int SAMPLE = 10;

    private final Client client;
    private final String[] indices;
    private final int pageSize;

    /** @param maxResultWindow the smallest {@code index.max_result_window} of the indices */
    public RatedDocsCheck(Client client, String[] indices, int maxResultWindow) {
        this.client = client;
        this.indices = indices;
        this.pageSize = Math.max(1, Math.min(MAX_PAGE, maxResultWindow));
    }

    /** Checks the rated documents of {@code requests} as {@code mode} says; a 400 when they are missing and it says {@code fail}. */
    public void check(List<JudgedRequest> requests, Mode mode, ActionListener<Outcome> listener) {
        Set<String> distinct = new HashSet<>();
        requests.forEach(r -> distinct.addAll(r.ratings().keySet()));
        List<String> ids = new ArrayList<>(distinct);
        ids.sort(null); // the sample names the same documents on every run
        if (mode == Mode.IGNORE) {
            listener.onResponse(new Outcome(ids.size(), null, List.of()));
            return;
        }
        new Lookup(ids, listener.delegateFailureAndWrap((l, outcome) -> {
                    if (mode == Mode.FAIL && outcome.missing() > 0) {
                        l.onFailure(new IllegalArgumentException("[ratings] name " + outcome.missing()
                                + " document(s) that are not in " + List.of(indices) + ": " + outcome.sample() + " (\""
                                + Mode.FIELD + "\": \"report\" evaluates without them)"));
                    } else {
                        l.onResponse(outcome);
                    }
                }))
                .next(0);
    }

    /** One pass over the sorted ids, a multi-search of a few pages at a time; only the count and a sample are kept. */
    private final class Lookup {
        private final List<String> ids;
        private final ActionListener<Outcome> listener;
        private final List<String> sample = new ArrayList<>();
        private int missing;

        Lookup(List<String> ids, ActionListener<Outcome> listener) {
            this.ids = ids;
            this.listener = listener;
        }

        void next(int from) {
            if (from >= ids.size()) {
                listener.onResponse(new Outcome(ids.size(), missing, List.copyOf(sample)));
                return;
            }
            MultiSearchRequest msearch = new MultiSearchRequest();
            List<List<String>> pages = new ArrayList<>();
            int to = from;
            while (to < ids.size() && pages.size() < PAGES_PER_SEARCH) {
                List<String> page = ids.subList(to, Math.min(ids.size(), to + pageSize));
                pages.add(page);
                msearch.add(new SearchRequest(indices)
                        .source(new SearchSourceBuilder()
                                .query(QueryBuilders.idsQuery().addIds(page.toArray(String[]::new)))
                                .size(page.size())
                                .fetchSource(false)
                                .trackTotalHits(false)));
                to += page.size();
            }
            final int nextFrom = to;
            client.multiSearch(msearch, listener.delegateFailureAndWrap((l, response) -> {
                MultiSearchResponse.Item[] items = response.getResponses();
                for (int i = 0; i < items.length; i++) {
                    if (items[i].isFailure()) {
                        l.onFailure(items[i].getFailure());
                        return;
                    }
                    Set<String> found = new HashSet<>();
                    for (SearchHit hit : items[i].getResponse().getHits().getHits()) {
                        found.add(hit.getId());
                    }
                    for (String id : pages.get(i)) {
                        if (found.contains(id) == false) {
                            missing++;
                            if (sample.size() < SAMPLE) {
                                sample.add(id);
                            }
                        }
                    }
                }
                next(nextFrom);
            }));
        }
    }
}
