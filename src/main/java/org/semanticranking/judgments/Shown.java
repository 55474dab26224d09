package org.semanticranking.judgments;

import java.util.Objects;

/**
 * One product shown on one results page: the query it was shown for, where (1 is the top slot), and whether the shopper
 * clicked it. Implicit judgments are computed from many of these.
 */
public record Shown(String query, String productId, int position, boolean clicked) {

    public Shown {
        Objects.requireNonNull(query);
        Objects.requireNonNull(productId);
        if (position < 1) {
            throw new IllegalArgumentException("[position] must be 1 or more but was [" + position + "]");
        }
    }

    /** The (query, product) pair a judgment is about. */
    public Pair pair() {
        return new Pair(query, productId);
    }

    public record Pair(String query, String productId) {}
}
