package org.semanticranking.integ;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster of real Elasticsearch nodes of the distribution on 127.0.0.1, each with the plugin installed by
 * {@code elasticsearch-plugin} and entitlements enforced: started, stopped and killed by {@code integ-tests/cluster.sh}
 * (one {@code node.sh} node each, own ports and data paths), with a {@link RealNode} client per node.
 */
public final class RealCluster implements AutoCloseable {

    private final Path dir;
    private final List<RealNode> nodes = new ArrayList<>();

    private RealCluster(Path dir, int basePort, int size) {
        this.dir = dir;
        for (int i = 0; i < size; i++) {
            nodes.add(RealNode.ofCluster(dir.resolve("node-" + i), basePort + i));
        }
    }

    /** Installs {@code size} nodes in {@code integ.work.dir/<name>}, HTTP on {@code basePort} and up; not started. */
    public static RealCluster install(String name, int basePort, int size) throws IOException, InterruptedException {
        Path dir = Path.of(RealNode.property("integ.work.dir")).resolve(name);
        RealCluster cluster = new RealCluster(dir, basePort, size);
        cluster.script(
                "install",
                dir.toString(),
                RealNode.property("integ.es.zip"),
                RealNode.property("integ.plugin.zip"),
                Integer.toString(basePort),
                Integer.toString(size));
        return cluster;
    }

    /** Starts every node together and waits until all have joined. */
    public void start() throws IOException, InterruptedException {
        script("start", dir.toString());
        nodes.forEach(RealNode::connect);
    }

    public RealNode node(int i) {
        return nodes.get(i);
    }

    public int size() {
        return nodes.size();
    }

    /** SIGKILL of node {@code i}: no shutdown, no flush. */
    public void kill9(int i) throws IOException, InterruptedException {
        nodes.get(i).closeClients();
        script("kill9", dir.toString(), Integer.toString(i));
    }

    /** Starts node {@code i} again and waits until it has joined. */
    public void startNode(int i) throws IOException, InterruptedException {
        script("start-node", dir.toString(), Integer.toString(i));
        nodes.get(i).connect();
    }

    private String script(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "bash",
                Path.of(RealNode.property("integ.node.script"))
                        .resolveSibling("cluster.sh")
                        .toString()));
        command.addAll(List.of(args));
        return RealNode.run(command);
    }

    @Override
    public void close() throws Exception {
        for (RealNode node : nodes) {
            node.closeClients();
        }
        script("stop", dir.toString());
    }
}
