package org.semanticranking.judgments.action;

import org.elasticsearch.action.support.PlainActionFuture;
import org.elasticsearch.client.internal.Client;
import org.semanticranking.judgments.Coec;
import org.semanticranking.judgments.Judgments;
import org.semanticranking.judgments.QueryClicks;
import org.semanticranking.judgments.Shown;
import org.semanticranking.judgments.ShownCounts;
import org.semanticranking.personalization.events.InteractionEvent;
import org.semanticranking.personalization.events.InteractionFields;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every query's clicks per product in an events index, for a training whose rankers read {@code clicks} features: read
 * once with the composite aggregation of {@code _from_events}, each slot's click-through over all of it, as a search
 * reads one query's ({@link TransportQueryClicksAction}). {@link #without} takes one shopper's own impressions out, so
 * that a training's impression is never among the clicks its features read.
 */
public final class ClickTable {

    private final Map<String, QueryClicks> byQuery;
    private final double[] ctr;

    private ClickTable(Map<String, QueryClicks> byQuery, double[] ctr) {
        this.byQuery = byQuery;
        this.ctr = ctr;
    }

    /** Reads the index's impressions in the first {@code slots} slots. Blocking: the jobs pool only. */
    public static ClickTable load(Client client, String index, InteractionFields fields, String queryField, int slots) {
        PlainActionFuture<List<ShownCounts>> rows = new PlainActionFuture<>();
        new EventCounts(client, index, fields, queryField, slots, Map.of()).rows(rows);
        return of(rows.actionGet(), slots);
    }

    static ClickTable of(List<ShownCounts> rows, int slots) {
        double[] ctr = Coec.clickThroughRates(rows, slots);
        return new ClickTable(QueryClicks.byQuery(rows, ctr), ctr);
    }

    /** The query's clicks (matched as the events index matches them: normalised); none for a query never logged. */
    public QueryClicks of(String query) {
        return byQuery.getOrDefault(Judgments.normalize(query), QueryClicks.EMPTY);
    }

    /**
     * What one shopper's own impressions (their events, any order) count per query, as the table counts everyone's:
     * each (query, product, slot) shown as often as viewed (at least as often as clicked there), clicked once per
     * impression with a click, a cart or a purchase on it.
     */
    public Map<String, QueryClicks> own(List<InteractionEvent> events) {
        Map<Shown.Pair, Map<Integer, long[]>> counts = new HashMap<>(); // slot -> views, clicked
        Set<String> clicked = new HashSet<>();
        for (InteractionEvent e : events) {
            if (e.impressionId() == null || e.position() == null || e.query() == null) {
                continue;
            }
            int slot = e.position() + 1;
            if (slot < 1 || slot > ctr.length) {
                continue;
            }
            String query = Judgments.normalize(e.query());
            long[] c = counts.computeIfAbsent(new Shown.Pair(query, e.productId()), p -> new HashMap<>())
                    .computeIfAbsent(slot, k -> new long[2]);
            if (e.type().positive()) {
                if (clicked.add(e.impressionId() + '\u0000' + query + '\u0000' + e.productId() + '\u0000' + slot)) {
                    c[1]++;
                }
            } else if (e.isExposure()) {
                c[0]++;
            }
        }
        List<ShownCounts> rows = new ArrayList<>();
        counts.forEach((pair, bySlot) ->
                bySlot.forEach((slot, c) -> rows.add(new ShownCounts(pair, slot, Math.max(c[0], c[1]), c[1], c[1]))));
        return QueryClicks.byQuery(rows, ctr);
    }

    /** The query's clicks without the shopper's own ({@link #own}). */
    public QueryClicks without(String query, Map<String, QueryClicks> own) {
        String normalized = Judgments.normalize(query);
        QueryClicks all = byQuery.getOrDefault(normalized, QueryClicks.EMPTY);
        QueryClicks theirs = own.get(normalized);
        return theirs == null ? all : all.minus(theirs);
    }

    /** The queries read. */
    public int queries() {
        return byQuery.size();
    }
}
