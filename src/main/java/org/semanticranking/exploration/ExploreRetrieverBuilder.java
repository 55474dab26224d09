package org.semanticranking.exploration;

import org.apache.lucene.search.ScoreDoc;
import org.elasticsearch.common.ParsingException;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.StoredFieldsContext;
import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.search.retriever.CompoundRetrieverBuilder;
import org.elasticsearch.search.retriever.RetrieverBuilder;
import org.elasticsearch.search.retriever.RetrieverParserContext;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParseException;
import org.elasticsearch.xcontent.XContentParser;
import org.semanticranking.retriever.HybridSideDoc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code explore}: shows a ranking with the last slots of its page drawn from the results below them
 * ({@link Exploration}), in a share of the impressions, so that the clicks logged say something of the products a
 * deterministic page never shows, and a ranker learned from them can find the relevant ones among them.
 *
 * <pre>
 * {"retriever": {"explore": {
 *    "retriever": {"semantic_hybrid": {...}},
 *    "seed": "imp-9", "rate": 0.1, "page_size": 10, "slots": 2, "rank_window_size": 50}}}
 * </pre>
 *
 * The same {@code seed} (the impression id) gives the same page; each hit's {@code fields._explore} gives its rank in
 * the ranking explored ({@code ranked_at}) and whether it was drawn ({@code explored}), for the events.
 */
public final class ExploreRetrieverBuilder extends CompoundRetrieverBuilder<ExploreRetrieverBuilder> {

    public static final String NAME = "explore";
    static final ParseField RETRIEVER = new ParseField("retriever");
    static final ParseField SEED = new ParseField("seed");
    static final ParseField RATE = new ParseField("rate");
    static final ParseField PAGE_SIZE = new ParseField("page_size");
    static final ParseField SLOTS = new ParseField("slots");
    public static final int DEFAULT_RANK_WINDOW_SIZE = 50, DEFAULT_PAGE_SIZE = 10, DEFAULT_SLOTS = 1;
    public static final double DEFAULT_RATE = 0.1;

    private final String seed;
    private final double rate;
    private final int pageSize;
    private final int slots;

    public ExploreRetrieverBuilder(
            RetrieverBuilder retriever, String seed, double rate, int pageSize, int slots, int rankWindowSize) {
        this(List.of(RetrieverSource.from(retriever)), seed, rate, pageSize, slots, rankWindowSize);
    }

    private ExploreRetrieverBuilder(
            List<RetrieverSource> child, String seed, double rate, int pageSize, int slots, int rankWindowSize) {
        super(new ArrayList<>(child), rankWindowSize);
        if (seed == null || seed.isEmpty()) {
            throw new IllegalArgumentException("[" + NAME + "] requires a [seed]: the impression id, so that the same "
                    + "impression always shows the same page");
        }
        if (Double.isFinite(rate) == false || rate < 0 || rate > 1) {
            throw new IllegalArgumentException(
                    "[" + NAME + "] [rate] is the share of impressions that explore, from 0 to 1, got [" + rate + "]");
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("[" + NAME + "] [page_size] must be at least 1, got [" + pageSize + "]");
        }
        if (slots < 1 || slots > pageSize) {
            throw new IllegalArgumentException("[" + NAME + "] [slots] are the page's last slots that explore: from 1 "
                    + "to [page_size] (" + pageSize + "), got [" + slots + "]");
        }
        if (rankWindowSize <= pageSize) {
            throw new IllegalArgumentException("[" + NAME + "] [rank_window_size] (" + rankWindowSize + ") must be "
                    + "larger than [page_size] (" + pageSize + "): the results below the page are what it explores");
        }
        this.seed = seed;
        this.rate = rate;
        this.pageSize = pageSize;
        this.slots = slots;
    }

    private static final class Parsed {
        RetrieverBuilder retriever;
        String seed, name;
        double rate = DEFAULT_RATE;
        int pageSize = DEFAULT_PAGE_SIZE, slots = DEFAULT_SLOTS, rankWindowSize = DEFAULT_RANK_WINDOW_SIZE;
        List<QueryBuilder> filters = List.of();
    }

    private static final ObjectParser<Parsed, RetrieverParserContext> PARSER = new ObjectParser<>(
            NAME,
            (p, field, value) -> {
                throw new XContentParseException("[" + NAME + "] does not support [" + field + "]");
            },
            Parsed::new);

    static {
        PARSER.declareObject((p, v) -> p.retriever = v, ExploreRetrieverBuilder::child, RETRIEVER);
        PARSER.declareField((p, v) -> p.seed = v, XContentParser::text, SEED, ObjectParser.ValueType.VALUE);
        PARSER.declareDouble((p, v) -> p.rate = v, RATE);
        PARSER.declareInt((p, v) -> p.pageSize = v, PAGE_SIZE);
        PARSER.declareInt((p, v) -> p.slots = v, SLOTS);
        PARSER.declareInt((p, v) -> p.rankWindowSize = v, RANK_WINDOW_SIZE_FIELD);
        PARSER.declareObjectArray(
                (p, v) -> p.filters = v,
                (parser, c) -> AbstractQueryBuilder.parseTopLevelQuery(parser, c::trackQueryUsage),
                RetrieverBuilder.PRE_FILTER_FIELD);
        PARSER.declareString((p, v) -> p.name = v, RetrieverBuilder.NAME_FIELD);
    }

    private static RetrieverBuilder child(XContentParser parser, RetrieverParserContext context) throws IOException {
        return parseInnerRetrieverBuilder(parser, context);
    }

    public static ExploreRetrieverBuilder fromXContent(XContentParser parser, RetrieverParserContext context)
            throws IOException {
        Parsed p = PARSER.parse(parser, context);
        if (p.retriever == null) {
            throw new ParsingException(
                    parser.getTokenLocation(), "[" + NAME + "] requires a [retriever]: the ranking it explores");
        }
        ExploreRetrieverBuilder retriever;
        try {
            retriever = new ExploreRetrieverBuilder(p.retriever, p.seed, p.rate, p.pageSize, p.slots, p.rankWindowSize);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
        retriever.getPreFilterQueryBuilders().addAll(p.filters);
        retriever.retrieverName(p.name);
        context.trackRetrieverUsage(retriever);
        return retriever;
    }

    @Override
    protected ExploreRetrieverBuilder clone(
            List<RetrieverSource> newChildRetrievers, List<QueryBuilder> newPreFilterQueryBuilders) {
        ExploreRetrieverBuilder clone =
                new ExploreRetrieverBuilder(newChildRetrievers, seed, rate, pageSize, slots, rankWindowSize);
        clone.preFilterQueryBuilders = newPreFilterQueryBuilders;
        clone.retrieverName = retrieverName;
        return clone;
    }

    @Override
    protected SearchSourceBuilder finalizeSourceBuilder(SearchSourceBuilder sourceBuilder) {
        return sourceBuilder
                .storedFields(StoredFieldsContext.fromList(List.of()))
                .fetchSource(false);
    }

    @Override
    protected RankDoc createRankDocFromHit(int docId, SearchHit hit, int shardRequestIndex) {
        return new HybridSideDoc(docId, hit.getScore(), shardRequestIndex, hit.getId());
    }

    @Override
    protected RankDoc[] combineInnerRetrieverResults(List<ScoreDoc[]> rankResults, boolean explain) {
        ScoreDoc[] ranking = rankResults.get(0);
        List<Exploration.Shown> order =
                Exploration.order(ranking.length, pageSize, slots, rate, Exploration.seed(seed));
        RankDoc[] out = new RankDoc[order.size()];
        for (int i = 0; i < out.length; i++) {
            Exploration.Shown shown = order.get(i);
            ScoreDoc d = ranking[shown.rank()];
            // scores fall with the rank: the final search orders the hits by them
            out[i] = new ExploreRankDoc(d.doc, out.length - i, d.shardIndex, shown.rank() + 1, shown.explored());
            out[i].rank = i + 1;
        }
        return out;
    }

    public String seed() {
        return seed;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    protected void doToXContent(XContentBuilder builder, ToXContent.Params params) throws IOException {
        builder.field(RETRIEVER.getPreferredName(), innerRetrievers().get(0).retriever());
        builder.field(SEED.getPreferredName(), seed);
        builder.field(RATE.getPreferredName(), rate);
        builder.field(PAGE_SIZE.getPreferredName(), pageSize);
        builder.field(SLOTS.getPreferredName(), slots);
        builder.field(RANK_WINDOW_SIZE_FIELD.getPreferredName(), rankWindowSize);
    }

    @Override
    public boolean doEquals(Object o) {
        ExploreRetrieverBuilder other = (ExploreRetrieverBuilder) o;
        return super.doEquals(o)
                && seed.equals(other.seed)
                && rate == other.rate
                && pageSize == other.pageSize
                && slots == other.slots;
    }

    @Override
    public int doHashCode() {
        return Objects.hash(super.doHashCode(), seed, rate, pageSize, slots);
    }
}
