package org.semanticranking.query;

import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.test.AbstractXContentSerializingTestCase;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;

import static org.hamcrest.Matchers.containsString;

/** Wire and XContent round trips of the {@code semantic_intent} query vector builder. */
public class SemanticIntentVectorBuilderTests extends AbstractXContentSerializingTestCase<SemanticIntentVectorBuilder> {

    @Override
    protected SemanticIntentVectorBuilder createTestInstance() {
        return new SemanticIntentVectorBuilder(
                randomAlphaOfLengthBetween(1, 30), randomBoolean() ? null : randomAlphaOfLength(8));
    }

    @Override
    protected SemanticIntentVectorBuilder mutateInstance(SemanticIntentVectorBuilder instance) {
        if (randomBoolean()) {
            return new SemanticIntentVectorBuilder(instance.text() + "x", instance.model());
        }
        return new SemanticIntentVectorBuilder(instance.text(), instance.model() == null ? "m" : null);
    }

    @Override
    protected Writeable.Reader<SemanticIntentVectorBuilder> instanceReader() {
        return SemanticIntentVectorBuilder::new;
    }

    @Override
    protected SemanticIntentVectorBuilder doParseInstance(XContentParser parser) throws IOException {
        return SemanticIntentVectorBuilder.fromXContent(parser);
    }

    public void testEmptyTextIsRefused() {
        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> new SemanticIntentVectorBuilder(" ", null));
        assertThat(e.getMessage(), containsString("[semantic_intent] [text] must not be empty"));
    }
}
