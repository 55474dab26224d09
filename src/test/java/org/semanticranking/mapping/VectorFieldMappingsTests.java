package org.semanticranking.mapping;

import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.index.Index;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.test.ESTestCase;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

public class VectorFieldMappingsTests extends ESTestCase {

    private static IndexMetadata index(String name, String properties) {
        return IndexMetadata.builder(name)
                .settings(indexSettings(IndexVersion.current(), 1, 0))
                .putMapping("{\"properties\":{" + properties + "}}")
                .build();
    }

    private static Map<Index, IndexMetadata> indices(IndexMetadata... metadata) {
        Map<Index, IndexMetadata> map = new LinkedHashMap<>();
        for (IndexMetadata m : metadata) {
            map.put(m.getIndex(), m);
        }
        return map;
    }

    private static String vector(int dims) {
        return "\"vec\":{\"type\":\"dense_vector\",\"dims\":" + dims + "}";
    }

    public void testDimsOfEachIndexThatMapsTheField() {
        Map<String, Integer> dims = VectorFieldMappings.dimsByIndex(
                "q",
                "vec",
                indices(index("a", vector(384)), index("b", vector(512)), index("c", "\"title\":{\"type\":\"text\"}")));
        assertThat(dims, equalTo(Map.of("a", 384, "b", 512)));
    }

    public void testAChangedMappingIsReadAgain() {
        // the parsed mappings are cached: by content, not by index, so a new mapping of the same index is seen at once
        assertThat(
                VectorFieldMappings.dimsByIndex("q", "vec", indices(index("shop", vector(384)))),
                equalTo(Map.of("shop", 384)));
        assertThat(
                VectorFieldMappings.dimsByIndex("q", "vec", indices(index("shop", vector(768)))),
                equalTo(Map.of("shop", 768)));
        IllegalArgumentException gone = expectThrows(
                IllegalArgumentException.class,
                () -> VectorFieldMappings.dimsByIndex(
                        "q", "vec", indices(index("shop", "\"vec\":{\"type\":\"keyword\"}"))));
        assertThat(
                gone.getMessage(),
                equalTo("[q] field [vec] in index [shop] is of type [keyword]; it must be a [dense_vector]"));
    }

    public void testUnmappedEverywhereIsRefusedWithTheIndices() {
        IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class,
                () -> VectorFieldMappings.dimsByIndex("q", "nope", indices(index("a", vector(384)))));
        assertThat(e.getMessage(), equalTo("[q] field [nope] does not exist in the mapping of index [a]"));
    }

    public void testObjectPathsAndDottedNames() {
        IndexMetadata nested =
                index("n", "\"embeddings\":{\"properties\":{\"title\":{\"type\":\"dense_vector\",\"dims\":8}}}");
        IndexMetadata dotted = index("d", "\"embeddings.title\":{\"type\":\"dense_vector\",\"dims\":16}");
        assertThat(
                VectorFieldMappings.dimsByIndex("q", "embeddings.title", indices(nested, dotted)),
                equalTo(Map.of("n", 8, "d", 16)));
    }
}
