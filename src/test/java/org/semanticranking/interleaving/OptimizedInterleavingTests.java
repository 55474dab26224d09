package org.semanticranking.interleaving;

import org.elasticsearch.test.ESTestCase;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

public class OptimizedInterleavingTests extends ESTestCase {

    public void testTiming() {
        Random r = new Random(1);
        for (OptimizedInterleaving.Credit credit : OptimizedInterleaving.Credit.values()) {
            for (int overlap : new int[] {0, 5, 8}) {
                long t0 = System.nanoTime();
                double worst = 0;
                int lists = 0;
                for (int it = 0; it < 20; it++) {
                    List<Integer> pool = new ArrayList<>();
                    for (int i = 0; i < 30; i++) pool.add(i);
                    Collections.shuffle(pool, r);
                    List<Integer> a = new ArrayList<>(pool.subList(0, 10));
                    List<Integer> b = new ArrayList<>(a.subList(0, overlap));
                    b.addAll(pool.subList(10, 20 - overlap));
                    Collections.shuffle(b, r);
                    OptimizedInterleaving.Plan<Integer> plan = OptimizedInterleaving.plan(a, b, 10, credit);
                    worst = Math.max(worst, plan.bias());
                    lists = Math.max(lists, plan.lists().size());
                }
                logger.info(
                        "{} overlap {}: {} ms a plan, lists {}, worst bias {}",
                        credit,
                        overlap,
                        (System.nanoTime() - t0) / 20e6,
                        lists,
                        worst);
            }
        }
    }
}
