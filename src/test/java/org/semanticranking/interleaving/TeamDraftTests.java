package org.semanticranking.interleaving;

import org.elasticsearch.test.ESTestCase;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/** Team-draft interleaving: its invariants on random lists, its determinism, and its fairness between the sides. */
public class TeamDraftTests extends ESTestCase {

    static List<Integer> randomRanking(int universe, int size) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < universe; i++) {
            all.add(i);
        }
        java.util.Collections.shuffle(all, random());
        return all.subList(0, size);
    }

    public void testEachSidePicksInItsOwnOrderTeamsStayBalancedAndNothingRepeats() {
        for (int round = 0; round < 200; round++) {
            List<Integer> a = randomRanking(30, randomIntBetween(0, 20));
            List<Integer> b = randomRanking(30, randomIntBetween(0, 20));
            int size = randomIntBetween(1, 40);
            List<TeamDraft.Pick<Integer>> picks = TeamDraft.interleave(a, b, size, randomLong());
            Set<Integer> union = new HashSet<>(a);
            union.addAll(b);
            assertThat(picks.size(), equalTo(Math.min(size, union.size())));
            Set<Integer> seen = new HashSet<>();
            int common = 0;
            while (common < a.size() && common < b.size() && a.get(common).equals(b.get(common))) {
                common++;
            }
            int[] team = new int[2];
            int[] last = {-1, -1};
            for (int at = 0; at < picks.size(); at++) {
                TeamDraft.Pick<Integer> pick = picks.get(at);
                assertTrue("no result twice", seen.add(pick.key()));
                if (at < common) {
                    assertThat(
                            "the common prefix is shown as it is, for neither side",
                            pick.side(),
                            equalTo(TeamDraft.BOTH));
                    assertThat(pick.key(), equalTo(a.get(at)));
                    continue;
                }
                assertThat(pick.side() == TeamDraft.A || pick.side() == TeamDraft.B, equalTo(true));
                List<Integer> own = pick.side() == TeamDraft.A ? a : b;
                int index = own.indexOf(pick.key());
                assertTrue("a side picks only its own results", index >= 0);
                assertTrue("in its own order", index > last[pick.side()]);
                // and the best it had left: everything above it in its list was already shown
                for (int i = 0; i < index; i++) {
                    assertTrue(seen.contains(own.get(i)));
                }
                last[pick.side()] = index;
                team[pick.side()]++;
                boolean bothHadSome = seen.containsAll(a) == false && seen.containsAll(b) == false;
                if (common == 0 && bothHadSome) {
                    assertThat(Math.abs(team[0] - team[1]), lessThanOrEqualTo(1));
                }
            }
        }
    }

    public void testTheSameSeedGivesTheSameListAndSeedsSpreadTheFirstPickEvenly() {
        List<Integer> a = List.of(1, 2, 3, 4, 5, 6), b = List.of(6, 5, 4, 3, 2, 1); // no common prefix
        long seed = TeamDraft.seed("imp-" + randomAlphaOfLength(6));
        assertThat(TeamDraft.interleave(a, b, 6, seed), equalTo(TeamDraft.interleave(a, b, 6, seed)));
        int aFirst = 0;
        for (int i = 0; i < 2000; i++) {
            aFirst += TeamDraft.interleave(a, b, 6, TeamDraft.seed("imp-" + i))
                                    .get(0)
                                    .side()
                            == 0
                    ? 1
                    : 0;
        }
        // a fair coin: 1000 +- 4.5 standard deviations
        assertTrue("side a first in " + aFirst + " of 2000", Math.abs(aFirst - 1000) < 100);
    }

    public void testIdenticalRankingsAreShownAsTheyAreForNeitherSide() {
        List<Integer> ranking = randomRanking(50, 20);
        List<TeamDraft.Pick<Integer>> picks = TeamDraft.interleave(ranking, ranking, 20, randomLong());
        assertThat(picks.stream().map(TeamDraft.Pick::key).toList(), equalTo(ranking));
        assertTrue(picks.stream().allMatch(p -> p.side() == TeamDraft.BOTH));
        // a shared top two: shown first, for neither; then the draft
        List<TeamDraft.Pick<Integer>> shared = TeamDraft.interleave(List.of(1, 2, 3, 4), List.of(1, 2, 4, 3), 4, 7);
        assertThat(shared.get(0).side(), equalTo(TeamDraft.BOTH));
        assertThat(shared.get(1).side(), equalTo(TeamDraft.BOTH));
        assertThat(shared.get(2).side() == TeamDraft.BOTH, equalTo(false));
    }
}
