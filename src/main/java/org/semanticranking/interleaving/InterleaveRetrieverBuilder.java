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
import java.util.Locale;
import java.util.Objects;

/**
 * {@code interleave}: shows two rankings as one list, so that the shoppers' clicks say which of the two they prefer,
 * on live traffic, with both seen by everyone. By team-draft interleaving ({@link TeamDraft}, the default), or by
 * optimized interleaving ({@link OptimizedInterleaving}, {@code "method": "optimized"}) over the first
 * {@code page_size} results, which does not prefer one of two rankings that are equally good slot by slot.
 *
 * <pre>
 * {"retriever": {"interleave": {
 *    "a": {"standard": {...}}, "b": {"semantic_hybrid": {...}},
 *    "seed": "imp-9",  "experiment": "hybrid-vs-bm25",  "rank_window_size": 100,
 *    "method": "optimized", "page_size": 10}}}
 * </pre>
 *
 * The same {@code seed} (the impression id) gives the same list; each hit's {@code fields._interleave} names the side
 * a click on it credits ({@code both}: neither) and by how much, for the events. Elasticsearch's
 * {@link CompoundRetrieverBuilder} runs both sides as one multi-search over a point in time, so a product is the same
 * (shard, doc) in both lists.
 */
public final class InterleaveRetrieverBuilder extends CompoundRetrieverBuilder<InterleaveRetrieverBuilder> {

    public static final String NAME = "interleave";
    static final ParseField A = new ParseField("a");
    static final ParseField B = new ParseField("b");
    static final ParseField SEED = new ParseField("seed");
    static final ParseField EXPERIMENT = new ParseField("experiment");
    static final ParseField METHOD = new ParseField("method");
    static final ParseField PAGE_SIZE = new ParseField("page_size");
    public static final int DEFAULT_RANK_WINDOW_SIZE = 100;
    public static final int DEFAULT_PAGE_SIZE = 10;
    /** The optimized page's lists number up to {@code 2^page_size}: 1,024 at 10, a linear program of about 1 ms. */
    public static final int MAX_PAGE_SIZE = 10;

    /** How the two rankings are shown as one list. */
    public enum Method {
        TEAM_DRAFT,
        OPTIMIZED;

        public static Method parse(String value) {
            for (Method m : values()) {
                if (m.value().equals(value)) {
                    return m;
                }
            }
            throw new IllegalArgumentException(
                    "[" + NAME + "] [method] must be one of [team_draft, optimized] but was [" + value + "]");
        }

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String seed;
    private final String experiment;
    private final Method method;
    private final int pageSize;

    public InterleaveRetrieverBuilder(
            RetrieverBuilder a, RetrieverBuilder b, String seed, String experiment, int rankWindowSize) {
        this(a, b, seed, experiment, rankWindowSize, Method.TEAM_DRAFT, DEFAULT_PAGE_SIZE);
    }

    public InterleaveRetrieverBuilder(
            RetrieverBuilder a,
            RetrieverBuilder b,
            String seed,
            String experiment,
            int rankWindowSize,
            Method method,
            int pageSize) {
        this(
                List.of(RetrieverSource.from(a), RetrieverSource.from(b)),
                seed,
                experiment,
                rankWindowSize,
                method,
                pageSize);
    }

    private InterleaveRetrieverBuilder(
            List<RetrieverSource> sides,
            String seed,
            String experiment,
            int rankWindowSize,
            Method method,
            int pageSize) {
        super(new ArrayList<>(sides), rankWindowSize);
        if (rankWindowSize < 1) {
            throw new IllegalArgumentException(
                    "[" + NAME + "] [rank_window_size] must be at least 1, got [" + rankWindowSize + "]");
        }
        if (seed == null || seed.isEmpty()) {
            throw new IllegalArgumentException("[" + NAME + "] requires a [seed]: the impression id, so that the same "
                    + "impression always shows the same list and the same sides");
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("[" + NAME + "] [page_size] must be between 1 and " + MAX_PAGE_SIZE
                    + " (optimized interleaving weighs every list the page can show, up to 2^page_size), got ["
                    + pageSize + "]");
        }
        if (method == Method.OPTIMIZED && pageSize > rankWindowSize) {
            throw new IllegalArgumentException("[" + NAME + "] [page_size] [" + pageSize
                    + "] must not be above [rank_window_size] [" + rankWindowSize + "]");
        }
        this.seed = seed;
        this.experiment = experiment;
        this.method = method;
        this.pageSize = pageSize;
    }

    private static final class Parsed {
        RetrieverBuilder a, b;
        String seed, experiment, name;
        int rankWindowSize = DEFAULT_RANK_WINDOW_SIZE;
        Method method = Method.TEAM_DRAFT;
        Integer pageSize;
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
        PARSER.declareString((p, v) -> p.method = Method.parse(v), METHOD);
        PARSER.declareInt((p, v) -> p.pageSize = v, PAGE_SIZE);
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
        if (p.pageSize != null && p.method != Method.OPTIMIZED) {
            throw new ParsingException(
                    parser.getTokenLocation(),
                    "[" + NAME + "] [page_size] applies to [method] [optimized]; a team draft interleaves the whole "
                            + "[rank_window_size]");
        }
        InterleaveRetrieverBuilder retriever;
        try {
            retriever = new InterleaveRetrieverBuilder(
                    p.a,
                    p.b,
                    p.seed,
                    p.experiment,
                    p.rankWindowSize,
                    p.method,
                    p.pageSize == null ? DEFAULT_PAGE_SIZE : p.pageSize);
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
                new InterleaveRetrieverBuilder(newChildRetrievers, seed, experiment, rankWindowSize, method, pageSize);
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
        List<Key> a = sides.get(0), b = sides.get(1);
        List<Key> shown = new ArrayList<>();
        List<Double> credits = new ArrayList<>();
        if (method == Method.TEAM_DRAFT) {
            for (TeamDraft.Pick<Key> pick : TeamDraft.interleave(a, b, rankWindowSize, TeamDraft.seed(seed))) {
                shown.add(pick.key());
                credits.add(pick.side() == TeamDraft.A ? 1.0 : pick.side() == TeamDraft.B ? -1.0 : 0.0);
            }
        } else {
            // the page is drawn from, and credited by, each side's first page_size results, as the method is defined
            List<Key> topA = a.subList(0, Math.min(pageSize, a.size()));
            List<Key> topB = b.subList(0, Math.min(pageSize, b.size()));
            OptimizedInterleaving.Page<Key> page = OptimizedInterleaving.interleave(
                    topA, topB, pageSize, TeamDraft.seed(seed), OptimizedInterleaving.CREDIT);
            shown.addAll(page.keys());
            for (double c : page.credits()) {
                credits.add(c);
            }
            // below the page (a second page, a deeper window): a team draft of what is left, credited by the same
            // rule; the optimized page's guarantee covers the page only
            List<Key> restA = new ArrayList<>(a), restB = new ArrayList<>(b);
            restA.removeAll(shown);
            restB.removeAll(shown);
            for (TeamDraft.Pick<Key> pick :
                    TeamDraft.interleave(restA, restB, rankWindowSize - shown.size(), TeamDraft.seed(seed))) {
                shown.add(pick.key());
                credits.add(
                        OptimizedInterleaving.creditOf(pick.key(), topA, topB, pageSize, OptimizedInterleaving.CREDIT));
            }
        }
        RankDoc[] out = new RankDoc[shown.size()];
        for (int i = 0; i < shown.size(); i++) {
            Key key = shown.get(i);
            double credit = credits.get(i);
            int side = credit > 0 ? TeamDraft.A : credit < 0 ? TeamDraft.B : TeamDraft.BOTH;
            int sideRank =
                    sides.get(side == TeamDraft.BOTH ? TeamDraft.A : side).indexOf(key) + 1;
            // scores fall with the rank: the final search orders the hits by them
            out[i] = new InterleaveRankDoc(
                    key.doc(), shown.size() - i, key.shardIndex(), side, sideRank, credit, experiment);
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

    public Method method() {
        return method;
    }

    public int pageSize() {
        return pageSize;
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
        builder.field(METHOD.getPreferredName(), method.value());
        if (method == Method.OPTIMIZED) {
            builder.field(PAGE_SIZE.getPreferredName(), pageSize);
        }
    }

    @Override
    public boolean doEquals(Object o) {
        InterleaveRetrieverBuilder other = (InterleaveRetrieverBuilder) o;
        return super.doEquals(o)
                && seed.equals(other.seed)
                && Objects.equals(experiment, other.experiment)
                && method == other.method
                && pageSize == other.pageSize;
    }

    @Override
    public int doHashCode() {
        return Objects.hash(super.doHashCode(), seed, experiment, method, pageSize);
    }
}
