package org.semanticranking;

import org.elasticsearch.test.ESTestCase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rules ARCHITECTURE.md states, read off the main sources: no import cycle between packages, no source file over
 * 400 lines, and {@code rest/} holding REST handlers only.
 */
public class ArchitectureTests extends ESTestCase {

    private static final Path MAIN = Path.of("src/main/java/org/semanticranking");
    private static final Pattern PACKAGE =
            Pattern.compile("^package org\\.semanticranking(\\.[a-z.]+)?;", Pattern.MULTILINE);
    /** An import of one of the plugin's classes, or a fully qualified use of one. */
    private static final Pattern USES = Pattern.compile("org\\.semanticranking\\.([a-z.]+)\\.[A-Z]");

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static String packageOf(String source) {
        Matcher m = PACKAGE.matcher(source);
        assertTrue("a package declaration", m.find());
        return m.group(1) == null ? "" : m.group(1).substring(1);
    }

    /** Each package's uses of the others, from its sources' imports and fully qualified names. */
    static Map<String, Set<String>> packageGraph() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Path p : sources()) {
            String source = Files.readString(p, StandardCharsets.UTF_8);
            String from = packageOf(source);
            Set<String> uses = graph.computeIfAbsent(from, k -> new TreeSet<>());
            Matcher m = USES.matcher(source.substring(source.indexOf(';')));
            while (m.find()) {
                if (m.group(1).equals(from) == false) {
                    uses.add(m.group(1));
                }
            }
        }
        return graph;
    }

    public void testNoPackageDependsOnItselfThroughOthers() throws IOException {
        Map<String, Set<String>> graph = packageGraph();
        assertTrue("the packages were found: " + graph.keySet(), graph.size() > 10);
        List<String> cycles = new ArrayList<>();
        Map<String, Integer> state = new HashMap<>(); // 1 on the path, 2 done
        for (String start : graph.keySet()) {
            findCycles(start, graph, state, new ArrayDeque<>(), cycles);
        }
        assertEquals("package cycles: " + cycles, List.of(), cycles);
    }

    private static void findCycles(
            String at,
            Map<String, Set<String>> graph,
            Map<String, Integer> state,
            Deque<String> path,
            List<String> cycles) {
        Integer s = state.get(at);
        if (s != null && s == 2) {
            return;
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(path);
            cycles.add(String.join(" -> ", cycle.subList(cycle.indexOf(at), cycle.size())) + " -> " + at);
            return;
        }
        state.put(at, 1);
        path.addLast(at);
        for (String next : graph.getOrDefault(at, Set.of())) {
            findCycles(next, graph, state, path, cycles);
        }
        path.removeLast();
        state.put(at, 2);
    }

    public void testNoMainSourceFileIsOverFourHundredLines() throws IOException {
        Map<String, Integer> long_ = new TreeMap<>();
        for (Path p : sources()) {
            int lines = Files.readAllLines(p, StandardCharsets.UTF_8).size();
            if (lines > 400) {
                long_.put(MAIN.relativize(p).toString(), lines);
            }
        }
        assertEquals("split these: " + long_, Map.of(), long_);
    }

    public void testRestHoldsRestHandlersOnly() throws IOException {
        Set<String> others = new HashSet<>();
        for (Path p : sources()) {
            String source = Files.readString(p, StandardCharsets.UTF_8);
            if (packageOf(source).equals("rest")
                    && source.contains("extends BaseRestHandler") == false
                    && source.contains("final class RestBodies") == false) {
                others.add(p.getFileName().toString());
            }
        }
        assertEquals("not REST handlers: " + others, Set.of(), others);
    }
}
