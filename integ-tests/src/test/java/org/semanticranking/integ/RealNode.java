package org.semanticranking.integ;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One real Elasticsearch node from the distribution, with the built plugin zip installed by
 * {@code bin/elasticsearch-plugin install --batch}, run as a non-root user with entitlements
 * enforced, on 127.0.0.1 only. The lifecycle lives in {@code integ-tests/node.sh}, shared with the
 * demo and the benchmarks; this class drives it and hands out clients.
 */
public final class RealNode implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path workDir;
    private final int port;
    private Rest5Client restClient;
    private ElasticsearchClient client;

    private RealNode(Path workDir, int port) {
        this.workDir = workDir;
        this.port = port;
    }

    /** Installs a fresh node with the plugin in {@code integ.work.dir/<name>} and starts it. */
    public static RealNode installAndStart(String name, int port) throws IOException, InterruptedException {
        RealNode node = install(name, port);
        node.start();
        return node;
    }

    /** Installs a fresh node with the plugin, not started, so that its config can be changed first. */
    public static RealNode install(String name, int port) throws IOException, InterruptedException {
        Path workDir = Path.of(property("integ.work.dir")).resolve(name);
        RealNode node = new RealNode(workDir, port);
        node.script(
                "install",
                workDir.toString(),
                property("integ.es.zip"),
                property("integ.plugin.zip"),
                Integer.toString(port));
        return node;
    }

    /** Adds lines to the node's {@code elasticsearch.yml} (before it starts) and hands the config back to the node's user. */
    public void appendConfig(String yaml) throws IOException, InterruptedException {
        Path yml = home().resolve("config/elasticsearch.yml");
        Files.writeString(yml, Files.readString(yml) + "\n" + yaml + "\n", StandardCharsets.UTF_8);
        configToNodeUser();
    }

    /** After a test wrote into the node's config directory as root: hands it back to the user that runs the node. */
    public void configToNodeUser() throws IOException, InterruptedException {
        if ("root".equals(System.getProperty("user.name"))) {
            run(List.of(
                    "chown",
                    "-R",
                    System.getenv().getOrDefault("ES_USER", "semrank") + ":",
                    home().resolve("config").toString()));
        }
    }

    /** The node's Elasticsearch home directory. */
    public Path home() {
        return workDir.resolve("elasticsearch-9.5.3");
    }

    /** Runs a command (a repo script) to completion; fails with its output when it fails. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (process.waitFor(10, TimeUnit.MINUTES) == false) {
            process.destroyForcibly();
            throw new IOException(command + " did not finish");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + output);
        }
        return output;
    }

    public static String property(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            throw new IllegalStateException(
                    "system property [" + key + "] is not set: run integ-tests through Maven (mvn verify)");
        }
        return value;
    }

    /** user:password of the node's admin when security is on, or {@code null}. */
    private String adminAuth;

    /** For a node with security on: the readiness check and {@link #call} use this user. */
    public void adminAuth(String user, String password) {
        this.adminAuth = user + ":" + password;
    }

    /** A node that {@code integ-tests/cluster.sh} installed in {@code workDir}, serving HTTP on {@code port}. */
    static RealNode ofCluster(Path workDir, int port) {
        return new RealNode(workDir, port);
    }

    public void start() throws IOException, InterruptedException {
        script("start", workDir.toString());
        connect();
    }

    /**
     * Stores a personalization model as a trained one is stored (a document of the models index), weighing the
     * shopper's profile cosine only, and creates the profiles index: what a test needs to rescore without a training.
     */
    public void putBlendModelAndProfilesIndex(String modelId, int version) throws IOException {
        call(
                "PUT",
                "/semantic-ranking-models/_doc/" + modelId + "?refresh=true",
                String.format(java.util.Locale.ROOT, """
            {"model_id":"%s","version":%d,"vector_field":"product_vector","affinity_fields":[],"session_size":5,
             "features":[{"name":"user_vector_cosine","weight":2,"mean":0,"std":1},{"name":"session_vector_cosine","weight":0,"mean":0,"std":1}],
             "bias":0,"iterations":1,"training":{}}""", modelId, version));
        call(
                "PUT",
                "/user_profiles",
                "{\"mappings\":" + org.semanticranking.personalization.profile.ProfilesIndex.MAPPING + "}");
    }

    /** Clients to the running node (started here or by the cluster's script). */
    void connect() {
        closeClientsQuietly();
        var builder = Rest5Client.builder(URI.create("http://127.0.0.1:" + port));
        if (adminAuth != null) {
            builder.setDefaultHeaders(new org.apache.hc.core5.http.Header[] {basic(adminAuth)});
        }
        restClient = builder.build();
        client = new ElasticsearchClient(new Rest5ClientTransport(restClient, new JacksonJsonpMapper()));
    }

    /** Kills the node's process with SIGKILL: no shutdown, no flush. */
    public void kill9() throws IOException, InterruptedException {
        closeClients();
        script("kill9", workDir.toString());
    }

    public void stop() throws IOException, InterruptedException {
        closeClients();
        script("stop", workDir.toString());
    }

    public String logs() {
        try {
            return script("logs", workDir.toString());
        } catch (Exception e) {
            return "(no logs: " + e + ")";
        }
    }

    /** The official Java client. */
    public ElasticsearchClient client() {
        return client;
    }

    private static org.apache.hc.core5.http.Header basic(String userAndPassword) {
        return new org.apache.hc.core5.http.message.BasicHeader(
                "Authorization",
                "Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString(userAndPassword.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The response's {@code Warning} headers (2xx only), for requests whose answer says something beside the body. */
    public List<String> warnings(String method, String path, String body) throws IOException {
        Request request = new Request(method, path);
        if (body != null) {
            request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        }
        return restClient.performRequest(request).getWarnings();
    }

    /** {@link #call} as another user of a node with security on. */
    public JsonNode callAs(String user, String password, String method, String path, String body) throws IOException {
        return call(method, path, body, user + ":" + password);
    }

    /** For the plugin's own APIs, which the typed client does not know: JSON in, JSON out. */
    public JsonNode call(String method, String path, String body) throws IOException {
        return call(method, path, body, null);
    }

    private JsonNode call(String method, String path, String body, String userAndPassword) throws IOException {
        Request request = new Request(method, path);
        if (userAndPassword != null) {
            var options = co.elastic.clients.transport.rest5_client.low_level.RequestOptions.DEFAULT.toBuilder();
            options.addHeader("Authorization", basic(userAndPassword).getValue());
            request.setOptions(options);
        }
        if (body != null) {
            request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        }
        // the status decides, whatever the low-level client's own policy on 4xx is
        Response response;
        try {
            response = restClient.performRequest(request);
        } catch (co.elastic.clients.transport.rest5_client.low_level.ResponseException e) {
            response = e.getResponse();
        }
        String text;
        try {
            text = response.getEntity() == null ? "{}" : EntityUtils.toString(response.getEntity());
        } catch (org.apache.hc.core5.http.ParseException e) {
            throw new IOException(e);
        }
        int status = response.getStatusCode();
        if (status >= 300) {
            throw new HttpError(status, text);
        }
        return JSON.readTree(text);
    }

    /** A non-2xx answer: its status and body, for tests of bad input. */
    public static final class HttpError extends IOException {
        private final int status;
        private final String body;

        HttpError(int status, String body) {
            super("HTTP " + status + ": " + body);
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }
    }

    public Rest5Client restClient() {
        return restClient;
    }

    private String script(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (adminAuth != null) {
            command.addAll(List.of("env", "ES_AUTH=" + adminAuth));
        }
        command.add("bash");
        command.add(property("integ.node.script"));
        command.addAll(List.of(args));
        return run(command);
    }

    private void closeClientsQuietly() {
        try {
            closeClients();
        } catch (IOException e) {
            // a client of a node that is gone
        }
    }

    void closeClients() throws IOException {
        if (restClient != null) {
            restClient.close();
            restClient = null;
            client = null;
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
