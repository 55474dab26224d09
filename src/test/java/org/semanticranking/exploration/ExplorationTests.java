package org.semanticranking.exploration;

import org.elasticsearch.test.ESTestCase;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

/** The exploring page: a permutation that moves only the page's last slots, uniform over the pool, seeded. */
public class ExplorationTests extends ESTestCase {

    public void testOnlyThePagesLastSlotsAreDrawnAndTheRestKeepsItsOrder() {
        for (int round = 0; round < 300; round++) {
            int size = randomIntBetween(0, 60), page = randomIntBetween(1, 20), slots = randomIntBetween(1, page);
            List<Exploration.Shown> order = Exploration.order(size, page, slots, 1.0, randomLong());
            assertThat(order.size(), equalTo(size));
            Set<Integer> ranks = new HashSet<>();
            order.forEach(s -> ranks.add(s.rank()));
            assertThat("a permutation", ranks.size(), equalTo(size));
            int first = Math.max(0, Math.min(page, size) - slots);
            boolean explores = size - first > Math.min(page, size) - first;
            int last = -1;
            for (int i = 0; i < size; i++) {
                Exploration.Shown shown = order.get(i);
                boolean slot = i >= first && i < Math.min(page, size);
                assertThat("rank " + i + " of " + order, shown.explored(), equalTo(explores && slot));
                if (i < first) {
                    assertThat(shown.rank(), equalTo(i));
                } else if (shown.explored()) {
                    assertThat("drawn from the pool", shown.rank(), greaterThanOrEqualTo(first));
                } else {
                    assertThat("the pool's rest in its order", shown.rank(), greaterThanOrEqualTo(last));
                    last = shown.rank();
                }
            }
        }
    }

    public void testEachProductOfThePoolIsAsLikelyInEachSlot() {
        // a page of 10 whose last 3 slots explore a window of 30: 23 in the pool, each in a given slot 1 time in 23
        int seeds = 46_000, pool = 23;
        int[][] counts = new int[3][30];
        for (int s = 0; s < seeds; s++) {
            List<Exploration.Shown> order = Exploration.order(30, 10, 3, 1.0, Exploration.seed("imp-" + s));
            for (int slot = 0; slot < 3; slot++) {
                counts[slot][order.get(7 + slot).rank()]++;
            }
        }
        double expected = (double) seeds / pool, sd = Math.sqrt(expected * (1 - 1.0 / pool));
        for (int slot = 0; slot < 3; slot++) {
            for (int rank = 0; rank < 30; rank++) {
                if (rank < 7) {
                    assertThat(counts[slot][rank], equalTo(0));
                } else {
                    assertThat(
                            "slot " + slot + ", rank " + rank, (double) counts[slot][rank], closeTo(expected, 5 * sd));
                }
            }
        }
    }

    public void testAShareRateOfTheSeedsExploresAndTheSameSeedGivesTheSamePage() {
        int explored = 0, seeds = 20_000;
        double rate = randomDoubleBetween(0.05, 0.95, true);
        for (int s = 0; s < seeds; s++) {
            List<Exploration.Shown> order = Exploration.order(50, 10, 2, rate, Exploration.seed("imp-" + s));
            if (order.get(9).explored()) {
                explored++;
            }
            assertThat(Exploration.order(50, 10, 2, rate, Exploration.seed("imp-" + s)), equalTo(order));
        }
        assertThat((double) explored / seeds, closeTo(rate, 5 * Math.sqrt(rate * (1 - rate) / seeds)));
        for (double never : new double[] {0.0}) {
            List<Exploration.Shown> order = Exploration.order(50, 10, 2, never, randomLong());
            for (int i = 0; i < 50; i++) {
                assertThat(order.get(i), equalTo(new Exploration.Shown(i, false)));
            }
        }
    }

    public void testNothingMovesWhenNothingIsBelowThePage() {
        for (int size = 0; size <= 10; size++) {
            List<Exploration.Shown> order = Exploration.order(size, 10, 3, 1.0, randomLong());
            for (int i = 0; i < size; i++) {
                assertThat(order.get(i), equalTo(new Exploration.Shown(i, false)));
            }
        }
        // one result below the page of 10 with 3 slots: four in the pool, all four places drawn from
        List<Exploration.Shown> order = Exploration.order(11, 10, 3, 1.0, randomLong());
        assertThat(order.stream().filter(Exploration.Shown::explored).count(), equalTo(3L));
        assertThat(order.get(6).rank(), lessThan(7));
    }
}
