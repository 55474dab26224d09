package org.semanticranking.personalization.events;

import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.test.ESTestCase;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

public class InteractionFieldsTests extends ESTestCase {

    private static Map<String, IndexMetadata> indices(String... nameAndMapping) {
        Map<String, IndexMetadata> map = new LinkedHashMap<>();
        for (int i = 0; i < nameAndMapping.length; i += 2) {
            map.put(
                    nameAndMapping[i],
                    IndexMetadata.builder(nameAndMapping[i])
                            .settings(indexSettings(IndexVersion.current(), 1, 0))
                            .putMapping(nameAndMapping[i + 1])
                            .build());
        }
        return map;
    }

    /** What Elasticsearch maps for the README's events when the index is created by the first bulk. */
    static final String DYNAMIC = """
        {"properties":{
          "user_id":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},
          "product_id":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},
          "type":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},
          "impression_id":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},
          "position":{"type":"long"},"@timestamp":{"type":"date"},
          "query":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}}}}""";

    public void testTheDocumentedMappingIsReadAsItIs() {
        String documented = InteractionEvent.MAPPING;
        assertThat(
                InteractionFields.resolve("api", "interactions", indices("interactions", documented)),
                equalTo(InteractionFields.DOCUMENTED));
        assertThat(
                "no index yet",
                InteractionFields.resolve("api", "interactions", Map.of()),
                equalTo(InteractionFields.DOCUMENTED));
    }

    public void testADynamicMappingIsReadThroughItsKeywordSubFields() {
        InteractionFields fields = InteractionFields.resolve("api", "interactions", indices("interactions", DYNAMIC));
        assertThat(
                fields,
                equalTo(new InteractionFields(
                        "user_id.keyword",
                        "product_id.keyword",
                        "type.keyword",
                        "impression_id.keyword",
                        "position",
                        "@timestamp")));
    }

    /** An interleaving's credit: a number wherever it is mapped, absent until an event has it; anything else, a 400. */
    public void testTheCreditIsSummedAsANumber() {
        assertThat(
                InteractionFields.decimalField(
                        "api", "interactions", "credit", indices("interactions", InteractionEvent.MAPPING)),
                equalTo("credit"));
        assertThat(
                InteractionFields.decimalField(
                        "api",
                        "events",
                        "credit",
                        indices("events", "{\"properties\":{\"side\":{\"type\":\"keyword\"}}}")),
                equalTo("credit"));
        IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class,
                () -> InteractionFields.decimalField(
                        "interleaving/_results",
                        "events",
                        "credit",
                        indices("events", "{\"properties\":{\"credit\":{\"type\":\"keyword\"}}}")));
        assertThat(
                e.getMessage(),
                equalTo(
                        "[interleaving/_results] the events' [credit] of [events] cannot be summed: [credit] is [keyword]"
                                + " in [events]; map it as [float] as the documented mapping does"));
    }

    public void testTheQueryIsAggregatedOnItsKeywordSubField() {
        assertThat(
                InteractionFields.keywordField(
                        "api", "interactions", "query", indices("interactions", InteractionEvent.MAPPING)),
                equalTo("query.keyword"));
        assertThat(
                InteractionFields.keywordField("api", "interactions", "query", indices("interactions", DYNAMIC)),
                equalTo("query.keyword"));
        assertThat(
                InteractionFields.keywordField(
                        "api",
                        "events",
                        "query",
                        indices("events", "{\"properties\":{\"query\":{\"type\":\"keyword\"}}}")),
                equalTo("query"));
        IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class,
                () -> InteractionFields.keywordField(
                        "_from_events",
                        "events",
                        "query",
                        indices("events", "{\"properties\":{\"query\":{\"type\":\"text\"}}}")));
        assertThat(
                e.getMessage(),
                equalTo(
                        "[_from_events] the events' [query] of [events] cannot be aggregated: [query] is [text] with no "
                                + "[keyword] sub-field in [events]; map it as [keyword], or as [text] with a [keyword] sub-field "
                                + "as the documented mapping does"));
    }

    public void testOtherKeywordSubFieldsNumericIdsAndFieldsNoEventHadYet() {
        InteractionFields fields = InteractionFields.resolve("api", "events", indices("events", """
            {"properties":{"user_id":{"type":"text","fields":{"raw":{"type":"keyword"}}},"product_id":{"type":"long"},
              "type":{"type":"keyword"},"@timestamp":{"type":"date_nanos"}}}"""));
        assertThat(
                fields,
                equalTo(new InteractionFields(
                        "user_id.raw", "product_id", "type", "impression_id", "position", "@timestamp")));
    }

    public void testFieldsThatCannotBeSearchedAreA400NamingEachAndTheMappingToCreate() {
        IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class,
                () -> InteractionFields.resolve("profiles/_build", "interactions", indices("interactions", """
                {"properties":{"user_id":{"type":"text"},"product_id":{"type":"keyword"},"type":{"type":"long"},
                  "position":{"type":"float"},"@timestamp":{"type":"long"}}}""")));
        assertThat(
                e.getMessage(),
                containsString("[profiles/_build] the interactions index [interactions] cannot be read as events: "
                        + "[user_id] is [text] with no [keyword] sub-field in [interactions]; [type] is [long] in [interactions]; "
                        + "[position] is [float] in [interactions]; [@timestamp] is [long] in [interactions]."));
        assertThat(e.getMessage(), not(containsString("[product_id] is")));
        assertThat(
                e.getMessage(),
                containsString(
                        "PUT interactions {\"mappings\":{\"dynamic\":\"strict\",\"properties\":{\"user_id\":{\"type\":\"keyword\"}"));
    }

    public void testIndicesThatDisagreeAreA400() {
        IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class,
                () -> InteractionFields.resolve(
                        "api", "events-*", indices("events-1", InteractionEvent.MAPPING, "events-2", DYNAMIC)));
        assertThat(
                e.getMessage(),
                containsString(
                        "[user_id] is searched as [user_id] in one index and as [user_id.keyword] in [events-2]"));
    }
}
