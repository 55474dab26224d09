package org.semanticranking.query;

import org.elasticsearch.core.CheckedSupplier;

import java.io.IOException;

/**
 * Marks the {@code semantic_intent} queries parsed as the semantic side of a {@code semantic_hybrid}, so that an
 * unavailable encoder can leave that side empty instead of failing the search. Parsing is synchronous on one
 * thread, so the mark is a thread-local set only for the duration of the side's parse.
 */
final class HybridSemanticSide {

    private static final ThreadLocal<Boolean> PARSING = ThreadLocal.withInitial(() -> false);

    private HybridSemanticSide() {}

    static <T> T parse(CheckedSupplier<T, IOException> side) throws IOException {
        boolean outer = PARSING.get();
        PARSING.set(true);
        try {
            return side.get();
        } finally {
            PARSING.set(outer);
        }
    }

    static boolean parsing() {
        return PARSING.get();
    }
}
