package org.semanticranking.judgments;

import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Graded judgments computed from the logs, in the body {@code _evaluate} takes ({@code requests} and {@code ratings},
 * one request per query text), with what they were computed from: each slot's propensity (the position-based model)
 * or click-through rate (COEC), and the counts.
 *
 * @param slotRates   per slot (index 0 is position 0): the examination relative to the top slot ({@code pbm}) or the
 *                    click-through rate ({@code coec})
 * @param slotShown   per slot, the impressions the rates were computed from
 * @param iterations  EM rounds ({@code pbm}; 0 for {@code coec})
 * @param converged   whether EM stopped on its tolerance rather than on {@code max_iterations}
 */
public record Judgments(
        ClickModel clickModel,
        double[] slotRates,
        long[] slotShown,
        int iterations,
        boolean converged,
        List<Rating> ratings,
        Counts counts)
        implements ToXContentObject {

    /** One judged pair: its grade, the debiased value it was graded from, and the evidence. */
    public record Rating(String query, String productId, int grade, double value, long impressions, long clicks) {}

    /**
     * @param shown           impressions of products (views in an impression with a position and a query)
     * @param clicked         of those, the ones clicked
     * @param pairs           distinct (query, product) pairs shown
     * @param queries         distinct queries with at least one rated pair
     * @param belowMinimum    pairs left out for having fewer than {@code min_impressions}
     * @param unplacedClicks  clicks, carts and purchases logged without a position or a query, not counted
     */
    public record Counts(long shown, long clicked, long pairs, long queries, long belowMinimum, long unplacedClicks) {}

    /** Each query's grades by product id, the way {@code _evaluate} reads its ratings. */
    public Map<String, Map<String, Integer>> gradesByQuery() {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        for (Rating r : ratings) {
            out.computeIfAbsent(r.query(), q -> new LinkedHashMap<>()).put(r.productId(), r.grade());
        }
        return out;
    }

    /** Lower-cased, trimmed, single-spaced: how a logged query text and a request's text are matched. */
    public static String normalize(String query) {
        return query.trim().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("click_model", clickModel.value());
        if (clickModel == ClickModel.PBM) {
            builder.field("iterations", iterations).field("converged", converged);
        }
        builder.startArray(clickModel == ClickModel.PBM ? "propensities" : "click_through_rates");
        for (int k = 0; k < slotRates.length; k++) {
            builder.startObject()
                    .field("position", k)
                    .field(clickModel == ClickModel.PBM ? "propensity" : "rate", slotRates[k])
                    .field("impressions", slotShown[k])
                    .endObject();
        }
        builder.endArray();
        builder.startObject("counts")
                .field("impressions", counts.shown)
                .field("clicked", counts.clicked)
                .field("pairs", counts.pairs)
                .field("rated_pairs", ratings.size())
                .field("queries", counts.queries)
                .field("pairs_below_min_impressions", counts.belowMinimum)
                .field("interactions_without_position", counts.unplacedClicks)
                .endObject();
        String param = params.param("query_param", "query");
        builder.startArray("requests");
        for (String query : gradesByQuery().keySet()) {
            builder.startObject()
                    .field("id", query)
                    .startObject("params")
                    .field(param, query)
                    .endObject()
                    .endObject();
        }
        builder.endArray();
        builder.startArray("ratings");
        for (Rating r : ratings) {
            builder.startObject()
                    .field("request", r.query)
                    .field("_id", r.productId)
                    .field("grade", r.grade)
                    .field("value", r.value)
                    .field("impressions", r.impressions)
                    .field("clicks", r.clicks)
                    .endObject();
        }
        builder.endArray();
        return builder.endObject();
    }
}
