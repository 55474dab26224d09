package org.semanticranking.interleaving;

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
 * {@code interleave}: shows two rankings as one list, by team-draft interleaving ({@link TeamDraft}), so that the
 * shoppers' clicks say which of the two they prefer, on live traffic, with both seen by everyone.
 *
 * <pre>
 * {"retriever": {"interleave": {
 *    "a": {"standard": {...}}, "b": {"semantic_hybrid": {...}},
 *    "seed": "imp-9",  "experiment": "hybrid-vs-bm25",  "rank_window_size": 100}}}
 * </pre>
 *
 * The same {@code seed} (the impression id) gives the same list; each hit's {@code fields._interleave} names the side
 * that picked it ({@code both} for the results the two lists begin with alike), for the events. Elasticsearch's {@link CompoundRetrieverBuilder} runs both sides as one multi-search
 * over a point in time, so a product is the same (shard, doc) in both lists.
 */
public final class InterleaveRetrieverBuilder extends CompoundRetrieverBuilder<InterleaveRetrieverBuilder> {

    public static final String NAME = "interleave";
    static final ParseField A = new ParseField("a");
    static final ParseField B = new ParseField("b");
    static final ParseField SEED = new ParseField("seed");
    static final ParseField EXPERIMENT = new ParseField("experiment");
    public static final int DEFAULT_RANK_WINDOW_SIZE = 100;

    private final String seed;
    private final String experiment;

    public InterleaveRetrieverBuilder(
            RetrieverBuilder a, RetrieverBuilder b, String seed, String experiment, int rankWindowSize) {
        this(List.of(RetrieverSource.from(a), RetrieverSource.from(b)), seed, experiment, rankWindowSize);
    }

    private InterleaveRetrieverBuilder(
            List<RetrieverSource> sides, String seed, String experiment, int rankWindowSize) {
        super(new ArrayList<>(sides), rankWindowSize);
        if (rankWindowSize < 1) {
            throw new IllegalArgumentException(
                    "[" + NAME + "] [rank_window_size] must be at least 1, got [" + rankWindowSize + "]");
        }
        if (seed == null || seed.isEmpty()) {
            throw new IllegalArgumentException("[" + NAME + "] requires a [seed]: the impression id, so that the same "
                    + "impression always shows the same list and the same sides");
        }
        this.seed = seed;
        this.experiment = experiment;
    }

    private static final class Parsed {
        RetrieverBuilder a, b;
        String seed, experiment, name;
        int rankWindowSize = DEFAULT_RANK_WINDOW_SIZE;
        List<QueryBuilder> filters = List.of();
    }

    private static final ObjectParser<Parsed, RetrieverParserContext> PARSER = new ObjectParser<>(
            NAME,
            (p, field, value) -> {
                throw new XContentParseException("[" + NAME + "] does not support [" + field + "]");
            },
            Parsed::new);

    static {
        PARSER.declareObject((p, v) -> p.a = v, InterleaveRetrieverBuilder::side, A);
        PARSER.declareObject((p, v) -> p.b = v, InterleaveRetrieverBuilder::side, B);
        PARSER.declareField((p, v) -> p.seed = v, XContentParser::text, SEED, ObjectParser.ValueType.VALUE);
        PARSER.declareString((p, v) -> p.experiment = v, EXPERIMENT);
        PARSER.declareInt((p, v) -> p.rankWindowSize = v, RANK_WINDOW_SIZE_FIELD);
        PARSER.declareObjectArray(
                (p, v) -> p.filters = v,
                (parser, c) -> AbstractQueryBuilder.parseTopLevelQuery(parser, c::trackQueryUsage),
                RetrieverBuilder.PRE_FILTER_FIELD);
        PARSER.declareString((p, v) -> p.name = v, RetrieverBuilder.NAME_FIELD);
    }

    private static RetrieverBuilder side(XContentParser parser, RetrieverParserContext context) throws IOException {
        return parseInnerRetrieverBuilder(parser, context);
    }

    public static InterleaveRetrieverBuilder fromXContent(XContentParser parser, RetrieverParserContext context)
            throws IOException {
        Parsed p = PARSER.parse(parser, context);
        if (p.a == null || p.b == null) {
            throw new ParsingException(
                    parser.getTokenLocation(),
                    "[" + NAME + "] compares two rankings: it requires both an [a] and a [b] retriever, but has "
                            + (p.a == null && p.b == null ? "neither" : "only [" + (p.a == null ? "b" : "a") + "]"));
        }
        InterleaveRetrieverBuilder retriever;
        try {
            retriever = new InterleaveRetrieverBuilder(p.a, p.b, p.seed, p.experiment, p.rankWindowSize);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
        retriever.getPreFilterQueryBuilders().addAll(p.filters);
        retriever.retrieverName(p.name);
        context.trackRetrieverUsage(retriever);
        return retriever;
    }

    @Override
    protected InterleaveRetrieverBuilder clone(
            List<RetrieverSource> newChildRetrievers, List<QueryBuilder> newPreFilterQueryBuilders) {
        InterleaveRetrieverBuilder clone =
                new InterleaveRetrieverBuilder(newChildRetrievers, seed, experiment, rankWindowSize);
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

    /** A result of either side: the same point in time, so the same shard and doc in both. */
    private record Key(int shardIndex, int doc) {}

    @Override
    protected RankDoc[] combineInnerRetrieverResults(List<ScoreDoc[]> rankResults, boolean explain) {
        List<List<Key>> sides = new ArrayList<>();
        for (ScoreDoc[] docs : rankResults) {
            List<Key> keys = new ArrayList<>();
            for (ScoreDoc d : docs) {
                keys.add(new Key(d.shardIndex, d.doc));
            }
            sides.add(keys);
        }
        List<TeamDraft.Pick<Key>> picks =
                TeamDraft.interleave(sides.get(0), sides.get(1), rankWindowSize, TeamDraft.seed(seed));
        RankDoc[] out = new RankDoc[picks.size()];
        for (int i = 0; i < picks.size(); i++) {
            TeamDraft.Pick<Key> pick = picks.get(i);
            // in the common prefix both lists have it at this rank
            int sideRank = sides.get(pick.side() == TeamDraft.BOTH ? TeamDraft.A : pick.side())
                            .indexOf(pick.key())
                    + 1;
            // scores fall with the rank: the final search orders the hits by them
            out[i] = new InterleaveRankDoc(
                    pick.key().doc(), picks.size() - i, pick.key().shardIndex(), pick.side(), sideRank, experiment);
            out[i].rank = i + 1;
        }
        return out;
    }

    public String seed() {
        return seed;
    }

    public String experiment() {
        return experiment;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    protected void doToXContent(XContentBuilder builder, ToXContent.Params params) throws IOException {
        builder.field(A.getPreferredName(), innerRetrievers().get(0).retriever());
        builder.field(B.getPreferredName(), innerRetrievers().get(1).retriever());
        builder.field(SEED.getPreferredName(), seed);
        if (experiment != null) {
            builder.field(EXPERIMENT.getPreferredName(), experiment);
        }
        builder.field(RANK_WINDOW_SIZE_FIELD.getPreferredName(), rankWindowSize);
    }

    @Override
    public boolean doEquals(Object o) {
        InterleaveRetrieverBuilder other = (InterleaveRetrieverBuilder) o;
        return super.doEquals(o) && seed.equals(other.seed) && Objects.equals(experiment, other.experiment);
    }

    @Override
    public int doHashCode() {
        return Objects.hash(super.doHashCode(), seed, experiment);
    }
}
