package org.semanticranking.personalization.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Examples of one split, kept as a reservoir sample of at most {@code max} rows. */
final class Examples {
    final List<double[]> x = new ArrayList<>();
    final List<Integer> y = new ArrayList<>();
    final int max;
    final Random random;
    long seen;
    long positives;

    Examples(int max, Random random) {
        this.max = max;
        this.random = random;
    }

    void add(double[] features, int label) {
        seen++;
        positives += label;
        if (x.size() < max) {
            x.add(features);
            y.add(label);
        } else {
            long slot = (long) (random.nextDouble() * seen);
            if (slot < max) {
                x.set((int) slot, features);
                y.set((int) slot, label);
            }
        }
    }

    long keptPositives() {
        return y.stream().filter(v -> v == 1).count();
    }
}
