package org.semanticranking.rescore;

import org.elasticsearch.common.Strings;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.test.AbstractWireSerializingTestCase;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.json.JsonXContent;
import org.semanticranking.personalization.FeatureSpec;
import org.semanticranking.personalization.context.ShopperContext;
import org.semanticranking.personalization.model.LogisticRegression;
import org.semanticranking.personalization.model.PersonalizationModel;
import org.semanticranking.personalization.profile.PriceTaste;
import org.semanticranking.personalization.profile.UserProfile;
import org.semanticranking.scoring.Normalization;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;

/** Wire and XContent round trips of {@code personalized_blend}, resolved and not, and its bad input. */
public class PersonalizedBlendRescorerBuilderTests
        extends AbstractWireSerializingTestCase<PersonalizedBlendRescorerBuilder> {

    @Override
    protected Writeable.Reader<PersonalizedBlendRescorerBuilder> instanceReader() {
        return PersonalizedBlendRescorerBuilder::new;
    }

    static float[] randomVector(int dims) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = randomFloat();
        }
        return v;
    }

    static UserProfile randomProfile() {
        return new UserProfile(
                randomBoolean() ? null : randomAlphaOfLength(5),
                randomBoolean() ? null : randomVector(4),
                randomDoubleBetween(0, 10, true),
                randomIntBetween(0, 100),
                randomBoolean() ? Map.of() : Map.of("brand", Map.of(randomAlphaOfLength(4), randomDouble())),
                randomBoolean() ? null : new UserProfile.PriceStats(randomDouble(), randomDouble()),
                randomBoolean() ? null : randomPriceTaste(),
                randomNonNegativeLong());
    }

    static PriceTaste randomPriceTaste() {
        int n = randomIntBetween(0, 5);
        int[] bins = new int[n];
        double[] clicks = new double[n], expected = new double[n];
        for (int i = 0; i < n; i++) {
            bins[i] = (i == 0 ? randomIntBetween(-20, 80) : bins[i - 1] + randomIntBetween(1, 10));
            clicks[i] = randomIntBetween(0, 3);
            expected[i] = randomDouble();
        }
        return new PriceTaste(bins, clicks, expected);
    }

    /** Unresolved: what a request parses to. */
    static PersonalizedBlendRescorerBuilder randomRequest() {
        boolean inline = randomBoolean();
        boolean text = randomBoolean();
        PersonalizedBlendRescorerBuilder b = new PersonalizedBlendRescorerBuilder(new BlendOptions.Builder()
                .userId(inline ? null : randomAlphaOfLength(6))
                .user(inline ? randomProfile() : null)
                .modelId(randomBoolean() ? null : randomAlphaOfLength(5))
                .vectorField(randomAlphaOfLength(7))
                .queryText(text ? randomAlphaOfLength(10) : null)
                .model(text && randomBoolean() ? randomAlphaOfLength(4) : null)
                .queryVector(text ? null : randomVector(4))
                .weights(
                        randomBoolean() ? null : new BlendWeights(randomDouble(), randomDouble(), 0.1 + randomDouble()))
                .normalization(randomFrom(Normalization.values()))
                .sessionSize(randomBoolean() ? null : randomIntBetween(0, 100))
                .profilesIndex(randomBoolean() ? null : randomAlphaOfLength(5))
                .interactionsIndex(randomBoolean() ? null : randomAlphaOfLength(5))
                .scoreBreakdown(randomBoolean())
                .build());
        if (randomBoolean()) {
            b.windowSize(randomIntBetween(1, 1000));
        }
        return b;
    }

    static PersonalizationModel randomModel() {
        FeatureSpec spec = new FeatureSpec(
                "v",
                randomBoolean() ? List.of() : List.of("brand"),
                randomBoolean() ? null : "price",
                randomBoolean() ? null : "popularity",
                randomBoolean() ? null : "clicks",
                randomBoolean());
        int d = spec.featureNames().size();
        double[] w = new double[d], m = new double[d], s = new double[d];
        for (int i = 0; i < d; i++) {
            w[i] = randomDouble();
            m[i] = randomDouble();
            s[i] = 0.1 + randomDouble();
        }
        return new PersonalizationModel(
                randomAlphaOfLength(4),
                randomNonNegativeLong(),
                spec,
                randomIntBetween(0, 20),
                new LogisticRegression.Fit(m, s, w, randomDouble(), randomIntBetween(1, 10)),
                Map.of("auc", randomDouble()));
    }

    @Override
    protected PersonalizedBlendRescorerBuilder createTestInstance() {
        PersonalizedBlendRescorerBuilder request = randomRequest();
        if (randomBoolean()) {
            return request;
        }
        // as the coordinating node sends it to the shards
        ShopperContext shopper = new ShopperContext(
                randomBoolean() ? null : randomProfile(),
                randomBoolean() ? null : randomVector(4),
                randomBoolean() ? null : randomModel(),
                randomBoolean() ? List.of() : List.of(randomAlphaOfLength(20)));
        return request.resolved(request.queryVector() != null ? request.queryVector() : randomVector(4), shopper);
    }

    @Override
    protected PersonalizedBlendRescorerBuilder mutateInstance(PersonalizedBlendRescorerBuilder instance)
            throws IOException {
        PersonalizedBlendRescorerBuilder other = copyInstance(instance);
        int window = instance.windowSize() == null ? 10 : instance.windowSize();
        return other.windowSize(window + 1);
    }

    public void testXContentRoundTrip() throws IOException {
        for (int i = 0; i < 50; i++) {
            PersonalizedBlendRescorerBuilder original = randomRequest();
            XContentBuilder builder = JsonXContent.contentBuilder();
            original.toXContent(builder, ToXContent.EMPTY_PARAMS);
            String json = Strings.toString(builder);
            PersonalizedBlendRescorerBuilder parsed = parse(json);
            assertEquals(json, original, parsed);
            assertEquals(original.hashCode(), parsed.hashCode());
        }
    }

    private PersonalizedBlendRescorerBuilder parse(String json) throws IOException {
        try (XContentParser parser = createParser(JsonXContent.jsonXContent, json)) {
            // {"window_size":..,"personalized_blend":{...}}: the body of one rescore entry, as Elasticsearch reads it
            parser.nextToken();
            Integer window = null;
            PersonalizedBlendRescorerBuilder b = null;
            while (parser.nextToken() != XContentParser.Token.END_OBJECT) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals("window_size")) {
                    window = parser.intValue();
                } else {
                    b = PersonalizedBlendRescorerBuilder.fromXContent(parser);
                }
            }
            if (window != null) {
                b.windowSize(window);
            }
            return b;
        }
    }

    private String error(String body) {
        return expectThrows(IllegalArgumentException.class, () -> parse("{\"personalized_blend\":" + body + "}"))
                .getMessage();
    }

    public void testBadInputSaysWhy() {
        assertThat(error("{\"user_id\":\"u\"}"), containsString("requires [vector_field]"));
        assertThat(
                error("{\"vector_field\":\"v\",\"query_text\":\"q\",\"weights\":{\"query\":-1}}"),
                containsString("[weights.query] of [personalized_blend] must be a finite number >= 0"));
        assertThat(
                error("{\"vector_field\":\"v\",\"weights\":{\"query\":0,\"vector\":0,\"personalization\":0}}"),
                containsString("must not all be 0"));
        assertThat(
                error("{\"vector_field\":\"v\",\"query_text\":\"q\",\"weights\":{\"lexical\":1}}"),
                containsString("unknown weight [lexical]"));
        assertThat(
                error("{\"vector_field\":\"v\",\"query_text\":\"q\",\"normalization\":\"l2\"}"),
                containsString("[normalization]"));
        assertThat(
                error("{\"vector_field\":\"v\",\"query_text\":\"q\",\"colour\":\"red\"}"),
                containsString("unknown field [colour]"));
        assertThat(
                error("{\"vector_field\":\"v\",\"query_text\":\"q\",\"user_id\":\"u\",\"user\":{}}"),
                containsString("not both"));
        assertThat(
                error("{\"vector_field\":\"v\",\"query_text\":\"q\",\"session_size\":1000}"),
                containsString("[session_size]"));
        assertThat(
                error("{\"vector_field\":\"v\",\"query_text\":\"q\",\"user\":{\"vector\":[\"a\"]}}"),
                containsString("[vector] of a user profile"));
        assertThat(
                error("{\"vector_field\":\"v\",\"query_text\":\"   \"}"),
                containsString("[query_text] must not be blank"));
    }

    public void testAnUnresolvedBuilderDoesNotGoToTheShards() throws IOException {
        PersonalizedBlendRescorerBuilder b =
                parse("{\"personalized_blend\":{\"vector_field\":\"v\",\"query_text\":\"q\",\"user_id\":\"u\"}}");
        expectThrows(IllegalStateException.class, () -> b.innerBuildContext(10, null));
    }
}
