package org.semanticranking.interleaving;

import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.Strings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.search.SearchModule;
import org.elasticsearch.search.retriever.RetrieverParserContext;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.usage.SearchUsage;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.json.JsonXContent;
import org.semanticranking.SemanticRankingPlugin;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** {@code interleave} read from its XContent and written back, and what it refuses. */
public class InterleaveRetrieverBuilderTests extends ESTestCase {

    @Override
    protected NamedXContentRegistry xContentRegistry() {
        return new NamedXContentRegistry(
                new SearchModule(Settings.EMPTY, List.of(new SemanticRankingPlugin())).getNamedXContents());
    }

    private InterleaveRetrieverBuilder parse(String json) throws IOException {
        try (XContentParser parser = createParser(JsonXContent.jsonXContent, json)) {
            return InterleaveRetrieverBuilder.fromXContent(
                    parser, new RetrieverParserContext(new SearchUsage(), feature -> true));
        }
    }

    public void testXContentRoundTrip() throws IOException {
        for (int i = 0; i < 20; i++) {
            String experiment = randomBoolean() ? "" : ",\"experiment\":\"" + randomAlphaOfLength(5) + "\"";
            int window = randomIntBetween(10, 200);
            String method = switch (randomIntBetween(0, 2)) {
                case 0 -> "";
                case 1 -> ",\"method\":\"team_draft\"";
                default ->
                    ",\"method\":\"optimized\"" + (randomBoolean() ? "" : ",\"page_size\":" + randomIntBetween(1, 10));
            };
            InterleaveRetrieverBuilder original = parse(String.format(
                    Locale.ROOT, """
                {"a":{"standard":{"query":{"match":{"title":"usb fan"}}}},
                 "b":{"standard":{"query":{"match":{"brand":"%s"}}}},
                 "seed":"%s","rank_window_size":%d%s%s}""", randomAlphaOfLength(4), randomAlphaOfLength(8), window, experiment, method));
            String written = Strings.toString(original);
            String inner = written.substring(written.indexOf(':') + 1, written.length() - 1);
            InterleaveRetrieverBuilder again = parse(inner);
            assertThat(written, again, equalTo(original));
            assertThat(again.hashCode(), equalTo(original.hashCode()));
        }
        InterleaveRetrieverBuilder one = parse("""
            {"a":{"standard":{"query":{"match_all":{}}}},"b":{"standard":{"query":{"match_all":{}}}},"seed":1}""");
        InterleaveRetrieverBuilder other = parse("""
            {"a":{"standard":{"query":{"match_all":{}}}},"b":{"standard":{"query":{"match_all":{}}}},"seed":2}""");
        assertThat(one.seed(), equalTo("1"));
        assertThat(one, not(equalTo(other)));
        assertThat(one.method(), equalTo(InterleaveRetrieverBuilder.Method.TEAM_DRAFT));
        InterleaveRetrieverBuilder optimized = parse("""
            {"a":{"standard":{"query":{"match_all":{}}}},"b":{"standard":{"query":{"match_all":{}}}},"seed":1,
             "method":"optimized"}""");
        assertThat(optimized.method(), equalTo(InterleaveRetrieverBuilder.Method.OPTIMIZED));
        assertThat(optimized.pageSize(), equalTo(10));
        assertThat(optimized, not(equalTo(one)));
    }

    public void testAnUnknownMethodAPageTooLargeOrForATeamDraftIsRefusedWithTheReason() {
        String sides =
                "\"a\":{\"standard\":{\"query\":{\"match_all\":{}}}},\"b\":{\"standard\":{\"query\":{\"match_all\":{}}}},"
                        + "\"seed\":\"s\"";
        Exception method = expectThrows(Exception.class, () -> parse("{" + sides + ",\"method\":\"balanced\"}"));
        assertThat(
                method.getMessage() + " " + method.getCause(),
                containsString("[method] must be one of [team_draft, optimized] but was [balanced]"));
        ParsingException large = expectThrows(
                ParsingException.class, () -> parse("{" + sides + ",\"method\":\"optimized\",\"page_size\":11}"));
        assertThat(large.getMessage(), containsString("[page_size] must be between 1 and 10"));
        ParsingException zero = expectThrows(
                ParsingException.class, () -> parse("{" + sides + ",\"method\":\"optimized\",\"page_size\":0}"));
        assertThat(zero.getMessage(), containsString("[page_size] must be between 1 and 10"));
        ParsingException aboveWindow = expectThrows(
                ParsingException.class,
                () -> parse("{" + sides + ",\"method\":\"optimized\",\"page_size\":8,\"rank_window_size\":5}"));
        assertThat(
                aboveWindow.getMessage(), containsString("[page_size] [8] must not be above [rank_window_size] [5]"));
        ParsingException teamDraft =
                expectThrows(ParsingException.class, () -> parse("{" + sides + ",\"page_size\":5}"));
        assertThat(teamDraft.getMessage(), containsString("[page_size] applies to [method] [optimized]"));
    }

    public void testOneSideANoSeedOrAnUnknownFieldIsRefusedWithTheReason() {
        ParsingException oneSide = expectThrows(
                ParsingException.class,
                () -> parse("{\"a\":{\"standard\":{\"query\":{\"match_all\":{}}}},\"seed\":\"i1\"}"));
        assertThat(oneSide.getMessage(), containsString("requires both an [a] and a [b] retriever, but has only [a]"));
        ParsingException noSeed = expectThrows(ParsingException.class, () -> parse("""
            {"a":{"standard":{"query":{"match_all":{}}}},"b":{"standard":{"query":{"match_all":{}}}}}"""));
        assertThat(noSeed.getMessage(), containsString("requires a [seed]: the impression id"));
        Exception unknown = expectThrows(Exception.class, () -> parse("""
            {"a":{"standard":{"query":{"match_all":{}}}},"b":{"standard":{"query":{"match_all":{}}}},"seed":"s","c":{}}"""));
        assertThat(unknown.getMessage(), containsString("[interleave] does not support [c]"));
    }
}
