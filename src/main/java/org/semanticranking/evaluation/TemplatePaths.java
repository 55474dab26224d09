package org.semanticranking.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values inside a search body addressed by dotted paths: {@code retriever.semantic_hybrid.weights.lexical},
 * {@code rescore.0.window_size} (a number steps into an array).
 */
final class TemplatePaths {

    private TemplatePaths() {}

    /** The value at the path, or throws naming the path when the body has nothing there. */
    static Object get(Object body, String path) {
        Object current = body;
        for (String key : path.split("\\.")) {
            current = step(current, key, path);
        }
        return current;
    }

    private static Object step(Object node, String key, String path) {
        if (node instanceof Map<?, ?> map && map.containsKey(key)) {
            return map.get(key);
        }
        if (node instanceof List<?> list) {
            try {
                int i = Integer.parseInt(key);
                if (i >= 0 && i < list.size()) {
                    return list.get(i);
                }
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException(
                "parameter [" + path + "] is not in the template: it has nothing at [" + key + "]");
    }

    /** A deep copy of the body with the values at the paths replaced. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> with(Map<String, Object> body, Map<String, Object> values) {
        Map<String, Object> copy = (Map<String, Object>) deepCopy(body);
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String[] keys = e.getKey().split("\\.");
            Object parent = copy;
            for (int i = 0; i < keys.length - 1; i++) {
                parent = step(parent, keys[i], e.getKey());
            }
            String last = keys[keys.length - 1];
            if (parent instanceof Map<?, ?> map) {
                ((Map<String, Object>) map).put(last, e.getValue());
            } else if (parent instanceof List<?> list) {
                ((List<Object>) list).set(Integer.parseInt(last), e.getValue());
            }
        }
        return copy;
    }

    private static Object deepCopy(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k.toString(), deepCopy(v)));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(deepCopy(v)));
            return copy;
        }
        return node;
    }
}
