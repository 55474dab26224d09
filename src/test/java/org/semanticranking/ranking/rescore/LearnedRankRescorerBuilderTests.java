package org.semanticranking.ranking.rescore;

import org.elasticsearch.common.Strings;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.query.MatchQueryBuilder;
import org.elasticsearch.index.query.TermQueryBuilder;
import org.elasticsearch.search.SearchModule;
import org.elasticsearch.search.rank.RankDoc;
import org.elasticsearch.test.AbstractWireSerializingTestCase;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.json.JsonXContent;
import org.semanticranking.judgments.QueryClicks;
import org.semanticranking.personalization.context.ShopperContext;
import org.semanticranking.personalization.profile.PriceTaste;
import org.semanticranking.personalization.profile.UserProfile;
import org.semanticranking.ranking.feature.BoundFeature;
import org.semanticranking.ranking.feature.ClicksFeature;
import org.semanticranking.ranking.feature.Feature;
import org.semanticranking.ranking.feature.FieldFeature;
import org.semanticranking.ranking.feature.FirstPassFeature;
import org.semanticranking.ranking.feature.IntentFeature;
import org.semanticranking.ranking.feature.QueryFeature;
import org.semanticranking.ranking.feature.QueryLevelFeature;
import org.semanticranking.ranking.feature.ShopperFeature;
import org.semanticranking.ranking.feature.TermsFeature;
import org.semanticranking.ranking.feature.VectorFeature;
import org.semanticranking.ranking.feature.WindowFeature;
import org.semanticranking.ranking.model.LinearModel;
import org.semanticranking.ranking.model.RankerModel;
import org.semanticranking.ranking.model.TreeEnsemble;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;

/**
 * Wire round trips of {@code learned_rank} as a request parses it and as the coordinating node sends it to the shards
 * (features, the loaded model, the bound features, a hybrid's fused list), XContent round trips of every feature kind,
 * and its bad input.
 */
public class LearnedRankRescorerBuilderTests extends AbstractWireSerializingTestCase<LearnedRankRescorerBuilder> {

    @Override
    protected Writeable.Reader<LearnedRankRescorerBuilder> instanceReader() {
        return LearnedRankRescorerBuilder::new;
    }

    @Override
    protected NamedWriteableRegistry getNamedWriteableRegistry() {
        return new NamedWriteableRegistry(new SearchModule(Settings.EMPTY, List.of()).getNamedWriteables());
    }

    static String name(int i) {
        return "f" + i + "_" + randomAlphaOfLength(3);
    }

    /** One feature of a random kind, each kind's options random (text and model left to defaults or given). */
    static Feature randomFeature(int i) {
        String text = randomBoolean() ? null : "{{" + randomFrom("query", "q2") + "}}";
        return switch (randomIntBetween(0, 8)) {
            case 0 ->
                new QueryFeature(
                        name(i), Map.of("match", Map.of(randomAlphaOfLength(5), randomFrom("{{query}}", "usb"))));
            case 1 ->
                new VectorFeature(
                        name(i), randomAlphaOfLength(6), text, randomBoolean() ? null : randomAlphaOfLength(4));
            case 2 ->
                new FieldFeature(
                        name(i),
                        randomAlphaOfLength(6),
                        randomFrom(FieldFeature.Modifier.values()),
                        randomDoubleBetween(-10, 10, true));
            case 3 -> new FirstPassFeature(name(i), randomFrom(FirstPassFeature.Measure.values()));
            case 4 ->
                new TermsFeature(name(i), randomAlphaOfLength(6), randomFrom(TermsFeature.Measure.values()), text);
            case 5 -> new QueryLevelFeature(name(i), randomFrom(QueryLevelFeature.Measure.values()), text);
            case 6 -> new IntentFeature(name(i), randomAlphaOfLength(6), text);
            case 7 ->
                new ClicksFeature(
                        name(i),
                        randomFrom(ClicksFeature.Measure.values()),
                        text,
                        randomBoolean() ? null : randomAlphaOfLength(6),
                        randomIntBetween(1, 100),
                        randomIntBetween(1, 10_000),
                        randomDoubleBetween(0.01, 10, true));
            default ->
                new ShopperFeature(
                        name(i),
                        randomFrom(ShopperFeature.Measure.values()),
                        randomAlphaOfLength(6),
                        randomBoolean() ? null : "{{" + randomFrom("user_id", "shopper") + "}}",
                        randomIntBetween(1, 100));
        };
    }

    static List<Feature> randomFeatures() {
        List<Feature> features = new ArrayList<>();
        int n = randomIntBetween(1, 8);
        for (int i = 0; i < n; i++) {
            features.add(randomFeature(i));
        }
        if (randomBoolean()) {
            features.add(randomWindowFeature(n, randomFrom(features)));
        }
        return features;
    }

    /** A feature relative to the window, of one of the list's others. */
    static WindowFeature randomWindowFeature(int i, Feature of) {
        return new WindowFeature(name(i), of.name(), randomFrom(WindowFeature.Measure.values()));
    }

    /** What a request parses to: a ranker to rank with, or features inline or a feature set to log. */
    static LearnedRankRescorerBuilder randomRequest() {
        int which = randomIntBetween(0, 2);
        LearnedRankRescorerBuilder b = new LearnedRankRescorerBuilder(new LearnedRankOptions(
                which == 0 ? randomAlphaOfLength(6) : null,
                which == 1 ? randomFeatures() : null,
                which == 2 ? randomAlphaOfLength(6) : null,
                randomBoolean() ? Map.of() : Map.of("query", randomAlphaOfLength(8), "n", randomIntBetween(0, 9)),
                randomBoolean(),
                randomBoolean() ? null : randomShopper(),
                randomBoolean() ? null : randomClicks()));
        if (randomBoolean()) {
            b.windowSize(randomIntBetween(1, 1000));
        }
        return b;
    }

    /** An inline shopper as a training from impressions gives one: a profile, a session, either or neither. */
    static ShopperContext randomShopper() {
        UserProfile profile = randomBoolean()
                ? null
                : new UserProfile(
                        randomBoolean() ? null : randomAlphaOfLength(5),
                        randomBoolean() ? null : new float[] {randomFloat(), randomFloat(), randomFloat()},
                        randomDoubleBetween(0, 10, true),
                        randomIntBetween(1, 100),
                        randomBoolean() ? Map.of() : Map.of("brand", Map.of(randomAlphaOfLength(4), randomDouble())),
                        randomBoolean() ? null : new UserProfile.PriceStats(randomDouble(), randomDouble()),
                        null,
                        randomNonNegativeLong());
        List<float[]> recent = new ArrayList<>();
        for (int i = randomIntBetween(0, 3); i > 0; i--) {
            recent.add(new float[] {randomFloat(), randomFloat()});
        }
        return new ShopperContext(
                profile, randomBoolean() ? null : new float[] {randomFloat(), randomFloat()}, recent, null, List.of());
    }

    /** Inline clicks as a training from impressions gives them: the query's counts per product, maybe none. */
    static QueryClicks randomClicks() {
        Map<String, QueryClicks.Counts> counts = new java.util.HashMap<>();
        for (int i = randomIntBetween(0, 4); i > 0; i--) {
            counts.put(
                    randomAlphaOfLength(5),
                    new QueryClicks.Counts(
                            randomIntBetween(0, 9), randomDoubleBetween(0, 5, true), randomIntBetween(1, 99)));
        }
        return new QueryClicks(counts);
    }

    static double[] randomDoubles(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = randomDoubleBetween(-5, 5, true);
        }
        return v;
    }

    static RankerModel randomModel(int features) {
        if (randomBoolean()) {
            return new LinearModel(randomDoubles(features), randomDoubles(features), randomDoubles(features));
        }
        List<TreeEnsemble.Tree> trees = new ArrayList<>();
        for (int t = randomIntBetween(1, 4); t > 0; t--) {
            // a split and its two leaves
            trees.add(new TreeEnsemble.Tree(
                    new int[] {randomIntBetween(0, features - 1), -1, -1},
                    new float[] {randomFloat(), 0, 0},
                    new int[] {1, 0, 0},
                    new int[] {2, 0, 0},
                    new int[] {randomIntBetween(1, 2), 0, 0},
                    randomDoubles(3)));
        }
        return new TreeEnsemble(randomDouble(), trees, features);
    }

    static BoundFeature randomBound(Feature f) {
        String field = randomAlphaOfLength(5);
        return switch (randomIntBetween(0, 14)) {
            case 0 ->
                new BoundFeature.QueryScore(
                        f.name(),
                        randomBoolean()
                                ? new MatchQueryBuilder(field, randomAlphaOfLength(6))
                                : new TermQueryBuilder(field, randomAlphaOfLength(6)));
            case 1 -> new BoundFeature.VectorCosine(f.name(), field, new float[] {randomFloat(), randomFloat()});
            case 2 ->
                new BoundFeature.FieldValue(
                        f.name(), field, randomFrom(FieldFeature.Modifier.values()), randomDouble());
            case 3 -> new BoundFeature.FirstPass(f.name(), randomFrom(FirstPassFeature.Measure.values()));
            case 4 ->
                new BoundFeature.TermMatch(
                        f.name(), field, randomFrom(TermsFeature.Measure.values()), randomAlphaOfLength(9));
            case 5 -> new BoundFeature.Constant(f.name(), randomDouble());
            case 6 -> new BoundFeature.TopScore(f.name(), randomFrom(QueryLevelFeature.Measure.values()));
            case 7 -> new BoundFeature.IntentMatch(f.name(), field, List.of(randomAlphaOfLength(4)));
            case 8 -> new BoundFeature.AffinityShares(f.name(), field, Map.of(randomAlphaOfLength(4), randomDouble()));
            case 9 -> new BoundFeature.PriceFit(f.name(), field, randomDouble(), randomDouble());
            case 13 -> new BoundFeature.PricePosition(f.name(), field, randomDoubleBetween(-1, 1, true));
            case 14 ->
                new BoundFeature.ProductValues(
                        f.name(),
                        randomBoolean() ? Map.of() : Map.of(randomAlphaOfLength(4), randomDouble(), "p2", 2.0),
                        randomDouble());
            case 12 ->
                new BoundFeature.WindowRelative(
                        f.name(), randomAlphaOfLength(4), randomFrom(WindowFeature.Measure.values()));
            case 10 ->
                new BoundFeature.MaxCosine(f.name(), field, List.of(new float[] {randomFloat()}, new float[] {1}));
            default ->
                new BoundFeature.PriceLift(
                        f.name(),
                        field,
                        new PriceTaste(
                                new int[] {randomIntBetween(0, 10), randomIntBetween(11, 20)},
                                new double[] {randomDouble(), randomDouble()},
                                new double[] {randomDouble(), randomDouble()},
                                -0.5,
                                randomDoubleBetween(0.5, 10, true)));
        };
    }

    @Override
    protected LearnedRankRescorerBuilder createTestInstance() {
        LearnedRankRescorerBuilder request = randomRequest();
        if (randomBoolean()) {
            return request;
        }
        // as the coordinating node sends it to the shards: the features known, bound, the model loaded when it ranks
        List<Feature> features = request.features() != null ? request.features() : randomFeatures();
        boolean ranks = request.options().ranks();
        RankDoc[] firstStage = null;
        if (randomBoolean()) {
            firstStage = new RankDoc[randomIntBetween(0, 4)];
            for (int i = 0; i < firstStage.length; i++) {
                firstStage[i] = new RankDoc(randomIntBetween(0, 1000), randomFloat(), randomIntBetween(0, 3));
                firstStage[i].rank = i + 1;
            }
        }
        return request.copy(
                request.options(),
                features,
                ranks ? randomModel(features.size()) : null,
                ranks ? randomNonNegativeLong() : 0,
                features.stream()
                        .map(LearnedRankRescorerBuilderTests::randomBound)
                        .toList(),
                firstStage,
                null,
                null,
                null);
    }

    @Override
    protected LearnedRankRescorerBuilder mutateInstance(LearnedRankRescorerBuilder instance) throws IOException {
        LearnedRankRescorerBuilder other = copyInstance(instance);
        int window = instance.windowSize() == null ? 10 : instance.windowSize();
        return other.windowSize(window + 1);
    }

    public void testXContentRoundTrip() throws IOException {
        for (int i = 0; i < 100; i++) {
            LearnedRankRescorerBuilder original = randomRequest();
            XContentBuilder builder = JsonXContent.contentBuilder();
            original.toXContent(builder, ToXContent.EMPTY_PARAMS);
            String json = Strings.toString(builder);
            LearnedRankRescorerBuilder parsed = parse(json);
            assertEquals(json, original, parsed);
            assertEquals(original.hashCode(), parsed.hashCode());
        }
    }

    /** Every kind's XContent is what the parser reads back, with its options (a feature set stores this form). */
    public void testEveryFeatureKindRoundTrips() throws IOException {
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Feature f = randomFeature(i);
            kinds.add(f.kind());
            String json = Strings.toString(f);
            LearnedRankRescorerBuilder parsed = parse("{\"learned_rank\":{\"features\":[" + json + "]}}");
            assertEquals(json, List.of(f), parsed.options().features());
            // a window feature reads another of the list
            Feature w = randomWindowFeature(i + 1000, f);
            kinds.add(w.kind());
            String both = json + "," + Strings.toString(w);
            parsed = parse("{\"learned_rank\":{\"features\":[" + both + "]}}");
            assertEquals(both, List.of(f, w), parsed.options().features());
        }
        assertEquals(10, kinds.stream().distinct().count());
    }

    private LearnedRankRescorerBuilder parse(String json) throws IOException {
        try (XContentParser parser = createParser(JsonXContent.jsonXContent, json)) {
            // {"window_size":..,"learned_rank":{...}}: the body of one rescore entry, as Elasticsearch reads it
            parser.nextToken();
            Integer window = null;
            LearnedRankRescorerBuilder b = null;
            while (parser.nextToken() != XContentParser.Token.END_OBJECT) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("window_size")) {
                    window = parser.intValue();
                } else {
                    b = LearnedRankRescorerBuilder.fromXContent(parser);
                }
            }
            if (window != null) {
                b.windowSize(window);
            }
            return b;
        }
    }

    private String error(String body) {
        Exception e = expectThrows(Exception.class, () -> parse("{\"learned_rank\":" + body + "}"));
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" / ");
        }
        return all.toString();
    }

    public void testBadInlineShopperSaysWhy() {
        assertThat(
                error("{\"features\":[{\"name\":\"a\",\"shopper\":{\"measure\":\"affinity\",\"field\":\"brand\"}}],"
                        + "\"shopper\":{\"profile\":{},\"colour\":1}}"),
                containsString("[shopper] takes [profile], [session_vector] and [session_vectors] but got [colour]"));
        assertThat(
                error("{\"ranker_id\":\"r\",\"shopper\":{\"session_vector\":[1,\"x\"]}}"),
                containsString("[shopper.session_vector] must hold finite numbers only"));
        assertThat(
                error("{\"ranker_id\":\"r\",\"shopper\":{\"profile\":{\"age\":3}}}"),
                containsString("unknown field [age] in a user profile"));
    }

    public void testBadClicksSayWhy() {
        assertThat(
                error("{\"features\":[{\"name\":\"c\",\"clicks\":{\"measure\":\"ctr\"}}]}"),
                containsString("feature [c]: unknown [measure] [ctr]; expected one of [coec, impressions, clicks]"));
        assertThat(
                error("{\"features\":[{\"name\":\"c\",\"clicks\":{}}]}"),
                containsString("[clicks] requires [measure]"));
        assertThat(
                error("{\"features\":[{\"name\":\"c\",\"clicks\":{\"measure\":\"coec\",\"prior\":0}}]}"),
                containsString("[clicks] [prior] must be a positive number but was [0.0]"));
        assertThat(
                error("{\"features\":[{\"name\":\"c\",\"clicks\":{\"measure\":\"coec\",\"slots\":0}}]}"),
                containsString("[clicks] [slots] must be between 1 and 100 but was [0]"));
        assertThat(
                error("{\"ranker_id\":\"r\",\"clicks\":{\"p1\":{\"clicked\":-1}}}"),
                containsString("[clicks] [clicked] must be a non-negative number"));
        assertThat(
                error("{\"ranker_id\":\"r\",\"clicks\":{\"p1\":3}}"),
                containsString("[clicks.p1] must be an object of [clicked], [expected] and [shown]"));
    }

    public void testBadInputSaysWhy() {
        assertThat(error("{}"), containsString("needs exactly one of [ranker_id] (to rank), [features]"));
        assertThat(
                error("{\"ranker_id\":\"a\",\"feature_set\":\"b\"}"),
                containsString("needs exactly one of [ranker_id]"));
        assertThat(error("{\"ranker_id\":\"a\",\"colour\":\"red\"}"), containsString("unknown field [colour]"));
        assertThat(error("{\"features\":[{\"name\":\"x\",\"bm25\":{}}]}"), containsString("[bm25]"));
        assertThat(
                error("{\"features\":[{\"name\":\"x\",\"first_pass\":\"best\"}]}"),
                containsString("unknown [first_pass] [best]; expected one of [score, lexical_score"));
        assertThat(
                error("{\"features\":[{\"name\":\"x\",\"field\":{\"name\":\"price\",\"modifier\":\"cube\"}}]}"),
                containsString("unknown [modifier] [cube]"));
        assertThat(
                error(
                        "{\"features\":[{\"name\":\"x\",\"first_pass\":\"score\"},{\"name\":\"x\",\"first_pass\":\"score\"}]}"),
                containsString("[x]"));
        assertThat(error("{\"features\":[{\"name\":\"x\",\"vector\":{}}]}"), containsString("requires [field]"));
    }

    public void testAnUnresolvedBuilderDoesNotGoToTheShards() throws IOException {
        LearnedRankRescorerBuilder b = parse("{\"learned_rank\":{\"ranker_id\":\"shop\"}}");
        expectThrows(IllegalStateException.class, () -> b.innerBuildContext(10, null));
    }
}
