package org.semanticranking.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Fixed folds by request for cross-validation: the requests shuffled with the seed, then dealt round-robin, so the same
 * requests, folds and seed give the same folds to {@code _tune} and to a ranker's training.
 */
public final class Folds {

    private Folds() {}

    /** Each request's fold, 0 to {@code folds - 1}. */
    public static int[] assign(int requests, int folds, int seed) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        int[] foldOf = new int[requests];
        for (int i = 0; i < requests; i++) {
            foldOf[order.get(i)] = i % folds;
        }
        return foldOf;
    }
}
