package org.semanticranking.mapping;

import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.index.Index;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks, on the coordinating node and from index metadata alone, that a query's field is a
 * {@code dense_vector} in the indices searched, so that mistakes come back as a 400 naming the field
 * and the index, instead of as empty results (Elasticsearch's answer for unmapped fields) or shard
 * failures.
 */
public final class VectorFieldMappings {

    private VectorFieldMappings() {}

    /**
     * @return the field's dims per index that maps it (indices that do not map it are skipped, as for
     *         any query, unless none maps it)
     * @throws IllegalArgumentException when no index maps the field, or one maps it as another type
     */
    public static Map<String, Integer> dimsByIndex(String queryName, String field, Map<Index, IndexMetadata> indices) {
        Map<String, Integer> dims = new TreeMap<>();
        List<String> unmapped = new ArrayList<>();
        for (Map.Entry<Index, IndexMetadata> e : indices.entrySet()) {
            String index = e.getKey().getName();
            if (e.getValue().mapping() == null) {
                continue; // no mapping metadata to judge by: leave it to the shards
            }
            FieldMappings.Field mapping = FieldMappings.field(e.getValue().mapping(), field);
            if (mapping.isMapped() == false) {
                unmapped.add(index);
                continue;
            }
            if ("dense_vector".equals(mapping.type()) == false) {
                throw new IllegalArgumentException("[" + queryName + "] field [" + field + "] in index [" + index
                        + "] is of type [" + mapping.type() + "]; it must be a [dense_vector]");
            }
            if (mapping.dims() != null) {
                dims.put(index, mapping.dims());
            }
        }
        if (dims.isEmpty() && unmapped.isEmpty() == false) {
            throw new IllegalArgumentException(
                    "[" + queryName + "] field [" + field + "] does not exist in the mapping of "
                            + (unmapped.size() == 1 ? "index " : "indices ") + unmapped);
        }
        return dims;
    }

    /** What a dims mismatch is called in the caller's words: from the index and the field's dims. */
    @FunctionalInterface
    public interface Mismatch {
        String describe(String index, int fieldDims);
    }

    /** A 400 when a vector's dims are not those of the field in one of the indices ({@link #dimsByIndex}), in the caller's words. */
    public static void checkDims(Map<String, Integer> fieldDimsByIndex, int vectorDims, Mismatch mismatch) {
        for (Map.Entry<String, Integer> e : fieldDimsByIndex.entrySet()) {
            if (e.getValue() != vectorDims) {
                throw new IllegalArgumentException(mismatch.describe(e.getKey(), e.getValue()));
            }
        }
    }
}
