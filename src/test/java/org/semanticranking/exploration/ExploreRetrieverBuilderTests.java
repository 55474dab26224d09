package org.semanticranking.exploration;

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

/** {@code explore} read from its XContent and written back, and what it refuses. */
public class ExploreRetrieverBuilderTests extends ESTestCase {

    static final String CHILD = "\"retriever\":{\"standard\":{\"query\":{\"match\":{\"title\":\"usb fan\"}}}}";

    @Override
    protected NamedXContentRegistry xContentRegistry() {
        return new NamedXContentRegistry(
                new SearchModule(Settings.EMPTY, List.of(new SemanticRankingPlugin())).getNamedXContents());
    }

    private ExploreRetrieverBuilder parse(String json) throws IOException {
        try (XContentParser parser = createParser(JsonXContent.jsonXContent, json)) {
            return ExploreRetrieverBuilder.fromXContent(
                    parser, new RetrieverParserContext(new SearchUsage(), feature -> true));
        }
    }

    public void testXContentRoundTrip() throws IOException {
        for (int i = 0; i < 20; i++) {
            int page = randomIntBetween(1, 30);
            ExploreRetrieverBuilder original = parse(String.format(
                    Locale.ROOT,
                    "{%s,\"seed\":\"%s\",\"rate\":%s,\"page_size\":%d,\"slots\":%d,\"rank_window_size\":%d}",
                    CHILD,
                    randomAlphaOfLength(8),
                    randomDoubleBetween(0, 1, true),
                    page,
                    randomIntBetween(1, page),
                    randomIntBetween(page + 1, 200)));
            String written = Strings.toString(original);
            String inner = written.substring(written.indexOf(':') + 1, written.length() - 1);
            ExploreRetrieverBuilder again = parse(inner);
            assertThat(written, again, equalTo(original));
            assertThat(again.hashCode(), equalTo(original.hashCode()));
        }
        ExploreRetrieverBuilder defaults = parse("{" + CHILD + ",\"seed\":7}");
        assertThat(defaults.seed(), equalTo("7"));
        assertThat(
                Strings.toString(defaults),
                containsString("\"rate\":0.1,\"page_size\":10,\"slots\":1,\"rank_window_size\":50"));
        assertThat(defaults, not(equalTo(parse("{" + CHILD + ",\"seed\":7,\"slots\":2}"))));
        assertThat(defaults, not(equalTo(parse("{" + CHILD + ",\"seed\":7,\"rate\":0.2}"))));
        assertThat(defaults, not(equalTo(parse("{" + CHILD + ",\"seed\":8}"))));
    }

    public void testBadOptionsAreRefusedWithTheReason() {
        String[][] cases = {
            {"{\"seed\":\"i1\"}", "requires a [retriever]: the ranking it explores"},
            {"{" + CHILD + "}", "requires a [seed]: the impression id"},
            {
                "{" + CHILD + ",\"seed\":\"s\",\"rate\":1.5}",
                "[rate] is the share of impressions that explore, from 0 to 1"
            },
            {"{" + CHILD + ",\"seed\":\"s\",\"rate\":-0.1}", "from 0 to 1, got [-0.1]"},
            {"{" + CHILD + ",\"seed\":\"s\",\"slots\":0}", "[slots] are the page's last slots that explore"},
            {"{" + CHILD + ",\"seed\":\"s\",\"page_size\":5,\"slots\":6}", "from 1 to [page_size] (5), got [6]"},
            {"{" + CHILD + ",\"seed\":\"s\",\"page_size\":0}", "[page_size] must be at least 1"},
            {"{" + CHILD + ",\"seed\":\"s\",\"rank_window_size\":10}", "[rank_window_size] (10) must be larger than"},
            {"{" + CHILD + ",\"seed\":\"s\",\"c\":{}}", "[explore] does not support [c]"},
        };
        for (String[] c : cases) {
            Exception e = expectThrows(Exception.class, () -> parse(c[0]));
            assertThat(c[0], e.getMessage(), containsString(c[1]));
            if (c[1].contains("does not support") == false) {
                assertThat(e, org.hamcrest.Matchers.instanceOf(ParsingException.class));
            }
        }
    }
}
