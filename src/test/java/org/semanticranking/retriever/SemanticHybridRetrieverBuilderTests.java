package org.semanticranking.retriever;

import org.elasticsearch.common.Strings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.search.SearchModule;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.retriever.RetrieverParserContext;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.usage.SearchUsage;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.json.JsonXContent;
import org.semanticranking.SemanticRankingPlugin;
import org.semanticranking.query.SemanticIntentQueryBuilder;
import org.semanticranking.rescore.PersonalizedBlendRescorerBuilder;
import org.semanticranking.scoring.Combination;
import org.semanticranking.scoring.Normalization;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;

/** {@code semantic_hybrid} read from its XContent and written back: the same retriever, every option kept. */
public class SemanticHybridRetrieverBuilderTests extends ESTestCase {

    @Override
    protected NamedXContentRegistry xContentRegistry() {
        return new NamedXContentRegistry(
                new SearchModule(Settings.EMPTY, List.of(new SemanticRankingPlugin())).getNamedXContents());
    }

    private SemanticHybridRetrieverBuilder parse(String json) throws IOException {
        try (XContentParser parser = createParser(JsonXContent.jsonXContent, json)) {
            return SemanticHybridRetrieverBuilder.fromXContent(
                    parser, new RetrieverParserContext(new SearchUsage(), feature -> true));
        }
    }

    private String randomBody() {
        String combination = randomFrom(Combination.values()).toString();
        String normalization = randomFrom(Normalization.values()).value();
        String rescore = randomBoolean()
                ? ""
                : ",\"rescore\":[{\"window_size\":20,\"personalized_blend\":{\"user_id\":\"u\",\"vector_field\":\"vec\",\"query_text\":\"q\"}}]";
        String filter = randomBoolean() ? "" : ",\"filter\":[{\"term\":{\"brand\":\"sony\"}}]";
        return String.format(
                Locale.ROOT,
                """
            {"lexical":{"standard":{"query":{"match":{"title":"usb fan"}}}},
             "semantic":{"standard":{"query":{"semantic_intent":{"query":"usb fan","field":"vec","k":%s}}}},
             "combination":"%s","normalization":"%s","weights":{"lexical":%s,"semantic":%s},
             "rank_constant":%s,"rank_window_size":%s,"score_breakdown":%s%s%s}""",
                randomIntBetween(1, 50),
                combination,
                normalization,
                randomIntBetween(0, 3),
                randomIntBetween(1, 3),
                randomIntBetween(1, 100),
                randomIntBetween(50, 200),
                randomBoolean(),
                rescore,
                filter);
    }

    public void testXContentRoundTrip() throws IOException {
        for (int i = 0; i < 20; i++) {
            SemanticHybridRetrieverBuilder original = parse(randomBody());
            String written = Strings.toString(original);
            // toXContent wraps it in its name: read what is inside
            String inner = written.substring(written.indexOf(':') + 1, written.length() - 1);
            SemanticHybridRetrieverBuilder again = parse(inner);
            assertThat(written, again, equalTo(original));
            assertThat(again.hashCode(), equalTo(original.hashCode()));
        }
    }

    public void testTheSemanticSideIsMarkedForTheLexicalFallbackAndItsRescorersKept() throws IOException {
        SemanticHybridRetrieverBuilder hybrid = parse("""
            {"lexical":{"standard":{"query":{"match":{"title":"usb fan"}}}},
             "semantic":{"standard":{"query":{"semantic_intent":{"query":"usb fan","field":"vec"}}}},
             "rescore":{"personalized_blend":{"user_id":"u","vector_field":"vec"}}}""");
        String written = Strings.toString(hybrid.semantic());
        assertThat(written, containsString("\"lexical_fallback\":true"));
        assertThat(Strings.toString(hybrid.lexical()).contains("lexical_fallback"), equalTo(false));
        assertThat(hybrid.rescorers().size(), equalTo(1));
        assertThat(hybrid.rescorers().get(0), instanceOf(PersonalizedBlendRescorerBuilder.class));
        assertThat(SemanticIntentQueryBuilder.NAME, equalTo("semantic_intent"));
    }

    /** Plain query sides and nothing asked of the final hits: one search, as sub-searches under the rank builder. */
    public void testOneSearchWherePossibleTheCompoundWayElsewhere() throws IOException {
        String sides = """
            "lexical":{"standard":{"query":{"match":{"title":"usb fan"}}}},
            "semantic":{"standard":{"query":{"semantic_intent":{"query":"usb fan","field":"vec"}}}}""";
        SemanticHybridRetrieverBuilder plain = parse("{" + sides + ",\"filter\":{\"term\":{\"brand\":\"sony\"}}}");
        assertThat(plain.isCompound(), equalTo(false));
        SearchSourceBuilder source = new SearchSourceBuilder();
        plain.extractToSearchSourceBuilder(source, false);
        assertThat(source.subSearches().size(), equalTo(2));
        assertThat(source.rankBuilder(), instanceOf(HybridRankBuilder.class));
        assertThat(((HybridRankBuilder) source.rankBuilder()).fusion(), equalTo(plain.fusion()));
        // each side under the hybrid's filter
        for (int i = 0; i < 2; i++) {
            assertThat(Strings.toString(source.subSearches().get(i).getQueryBuilder()), containsString("sony"));
        }
        assertThat(parse("{" + sides + ",\"score_breakdown\":true}").isCompound(), equalTo(true));
        assertThat(
                parse("{" + sides
                                + ",\"rescore\":{\"personalized_blend\":{\"user_id\":\"u\",\"vector_field\":\"vec\"}}}")
                        .isCompound(),
                equalTo(true));
        SemanticHybridRetrieverBuilder knnSide = parse("""
            {"lexical":{"standard":{"query":{"match":{"title":"usb fan"}}}},
             "semantic":{"knn":{"field":"vec","query_vector":[1,0],"k":5,"num_candidates":10}}}""");
        assertThat(knnSide.isCompound(), equalTo(true));
        SemanticHybridRetrieverBuilder sorted = parse("""
            {"lexical":{"standard":{"query":{"match":{"title":"usb fan"}},"sort":["price"]}},
             "semantic":{"standard":{"query":{"semantic_intent":{"query":"usb fan","field":"vec"}}}}}""");
        assertThat(sorted.isCompound(), equalTo(true));
        expectThrows(
                IllegalStateException.class,
                () -> knnSide.extractToSearchSourceBuilder(new SearchSourceBuilder(), false));
    }

    public void testBadInputNamesTheProblem() {
        Exception e = expectThrows(Exception.class, () -> parse("""
            {"lexical":{"standard":{"query":{"match_all":{}}}}}"""));
        assertThat(e.getMessage(), containsString("requires both a [lexical] and a [semantic] retriever"));
        e = expectThrows(Exception.class, () -> parse("""
            {"lexical":{"standard":{}},"semantic":{"standard":{}},"weights":{"visual":1}}"""));
        assertThat(
                e.getMessage(),
                containsString("[semantic_hybrid] [weights] has no side [visual], only [lexical] and [semantic]"));
        e = expectThrows(Exception.class, () -> parse("""
            {"lexical":{"standard":{}},"semantic":{"standard":{}},"colour":"red"}"""));
        assertThat(e.getMessage(), containsString("[semantic_hybrid] does not support [colour]"));
    }
}
