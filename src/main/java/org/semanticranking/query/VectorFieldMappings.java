package org.semanticranking.query;

import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.cluster.metadata.MappingMetadata;
import org.elasticsearch.index.Index;

import java.util.ArrayList;
import java.util.Arrays;
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
            Map<String, Object> mapping = fieldMapping(e.getValue().mapping(), field);
            if (mapping == null) {
                unmapped.add(index);
                continue;
            }
            Object type = mapping.getOrDefault("type", "object");
            if ("dense_vector".equals(type) == false) {
                throw new IllegalArgumentException(
                    "[" + queryName + "] field [" + field + "] in index [" + index + "] is of type [" + type + "]; it must be a [dense_vector]"
                );
            }
            Object d = mapping.get("dims");
            if (d instanceof Number n) {
                dims.put(index, n.intValue());
            }
        }
        if (dims.isEmpty() && unmapped.isEmpty() == false) {
            throw new IllegalArgumentException(
                "[" + queryName + "] field [" + field + "] does not exist in the mapping of " + (unmapped.size() == 1 ? "index " : "indices ") + unmapped
            );
        }
        return dims;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fieldMapping(MappingMetadata metadata, String field) {
        Map<String, Object> root = metadata.sourceAsMap();
        if (root.size() == 1 && root.get("_doc") instanceof Map<?, ?> doc) {
            root = (Map<String, Object>) doc;
        }
        Object properties = root.get("properties");
        String[] path = field.split("\\.");
        for (int i = 0; i < path.length; i++) {
            if (properties instanceof Map<?, ?> props) {
                // a mapping may also hold the dotted name as one key
                Object whole = props.get(String.join(".", Arrays.copyOfRange(path, i, path.length)));
                if (whole instanceof Map<?, ?> found) {
                    return (Map<String, Object>) found;
                }
                Object next = props.get(path[i]);
                if (next instanceof Map<?, ?> child) {
                    if (i == path.length - 1) {
                        return (Map<String, Object>) child;
                    }
                    properties = child.get("properties");
                    continue;
                }
            }
            return null;
        }
        return null;
    }
}
