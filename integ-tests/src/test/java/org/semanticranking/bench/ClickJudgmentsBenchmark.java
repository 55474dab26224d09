package org.semanticranking.bench;

import org.junit.jupiter.api.Test;
import org.semanticranking.integ.RealNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rankers learned from simulated clicks against rankers learned from the human grades the clicks follow (issue 17), on
 * Chorus (in the repository) and on the Home Depot development half ({@code -Dbench.homedepot.dir}, skipped without
 * it). The simulation and the rows are {@link ClickJudgmentsRows}'s.
 *
 * <p>{@code mvn -Pbench verify -Dit.test=ClickJudgmentsBenchmark [-Dbench.homedepot.dir=...]
 * [-Dbench.clicks.only_chorus=true]}; the report goes to stdout and {@code target/benchmarks/click-judgments.md}.
 */
public class ClickJudgmentsBenchmark {

    @Test
    void rankersFromClicksAgainstRankersFromRatings() throws Exception {
        StringBuilder report = new StringBuilder("## Rankers learned from clicks\n\n");
        Path out = Path.of("target/benchmarks/click-judgments.md");
        Files.createDirectories(out.getParent());
        try (RealNode node = RealNode.install("bench-clicks", 9266)) {
            Files.writeString(
                    node.home().resolve("config/jvm.options.d/heap.options"),
                    "-Xms" + LearnedRankingBenchmark.HEAP + "\n-Xmx" + LearnedRankingBenchmark.HEAP + "\n",
                    StandardCharsets.UTF_8);
            RealNode.run(List.of(
                    "bash",
                    RealNode.property("integ.models.dir") + "/fetch-model.sh",
                    LearnedRankingBenchmark.SECOND_MODEL,
                    node.home().toString()));
            node.configToNodeUser();
            node.start();
            List<LearnedRankingBenchmark.Catalogue> catalogues = new ArrayList<>();
            List<Integer> impressions = new ArrayList<>();
            catalogues.add(LearnedRankingSetup.chorus(node));
            impressions.add(Integer.getInteger("bench.clicks.chorus_impressions", 200));
            String homeDepot = System.getProperty("bench.homedepot.dir", "");
            if (homeDepot.isEmpty() == false && Boolean.getBoolean("bench.clicks.only_chorus") == false) {
                catalogues.add(LearnedRankingSetup.homeDepot(node, Path.of(homeDepot)));
                impressions.add(Integer.getInteger("bench.clicks.homedepot_impressions", 40));
            } else {
                report.append("(Home Depot rows skipped: no -Dbench.homedepot.dir)\n\n");
            }
            for (int i = 0; i < catalogues.size(); i++) {
                report.append(new ClickJudgmentsRows(node, catalogues.get(i), impressions.get(i)).run());
                Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
            }
        }
        System.out.println(report);
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    }
}
