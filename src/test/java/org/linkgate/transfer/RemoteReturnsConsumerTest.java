package org.linkgate.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.jcraft.jsch.JSchChangedHostKeyException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.linkgate.agreement.Department;
import org.linkgate.support.OpenSshServer;

/**
 * A Camel route consuming from a real OpenSSH server with the URI of
 * {@link RemoteSftpUris#returnsConsumer}: complete matching files arrive and are deleted remotely,
 * in-progress and non-matching files stay untouched, a changed host key stops the consumer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteReturnsConsumerTest {

    private static final String INCLUDE = "DWP_RETURN_\\d{8}\\.csv\\.gpg";
    private static final byte[] CONTENT = "-----BEGIN PGP MESSAGE-----\nreturn\n".getBytes(StandardCharsets.US_ASCII);

    private OpenSshServer server;
    private Path dir;
    private Path clientKey;
    private Path returns;

    @BeforeAll
    void startServer(@TempDir Path tempDir) throws Exception {
        assumeTrue(OpenSshServer.available(), "needs openssh-server (" + OpenSshServer.SSHD + ") and ssh-keygen");
        dir = tempDir;
        server = new OpenSshServer().start();
        clientKey = dir.resolve("id_gateway");
        server.authorize(OpenSshServer.generateKey(clientKey, "gateway"));
        returns = Files.createDirectories(server.baseDir().resolve("returns"));
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private Department.RemoteEndpoint endpoint(Path knownHosts) {
        return new Department.RemoteEndpoint(server.host(), server.port(), server.user(), clientKey, knownHosts,
                "upload", "returns");
    }

    @Test
    void consumesCompleteMatchingFilesAndDeletesThemRemotely() throws Exception {
        Path knownHosts = server.writeKnownHosts(dir.resolve("known_hosts"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.write(returns.resolve("DWP_RETURN_20250301.csv.gpg"), CONTENT);
        List<String> untouched = List.of("DWP_RETURN_20250302.csv.gpg.part", "x.part", "notes.txt",
                ".DWP_RETURN_20250303.csv.gpg", "dwp_return_20250304.csv.gpg");
        for (String name : untouched) {
            Files.write(returns.resolve(name), CONTENT);
        }
        String uri = RemoteSftpUris.returnsConsumer(endpoint(knownHosts), INCLUDE, work, 1_000);
        Map<String, byte[]> received = new ConcurrentHashMap<>();

        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("returns-test").process(exchange -> received.put(
                            exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class),
                            exchange.getMessage().getBody(byte[].class)));
                }
            });
            context.start();

            await().atMost(Duration.ofSeconds(40)).until(() -> received.containsKey("DWP_RETURN_20250301.csv.gpg"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(returns.resolve("DWP_RETURN_20250301.csv.gpg")));
            // Several more polls with the other files old enough for the read lock.
            Thread.sleep(RemoteSftpUris.READ_LOCK_MIN_AGE_MS + 3_000);
        }

        assertThat(received).containsOnlyKeys("DWP_RETURN_20250301.csv.gpg");
        assertThat(received.get("DWP_RETURN_20250301.csv.gpg")).isEqualTo(CONTENT);
        for (String name : untouched) {
            assertThat(returns.resolve(name)).as(name).exists();
        }
        try (var left = Files.list(work)) {
            assertThat(left).as("local work directory cleaned up").isEmpty();
        }
    }

    @Test
    void changedHostKeyStopsTheConsumer() throws Exception {
        String otherKey = OpenSshServer.generateKey(dir.resolve("other_host_key"), "other");
        String[] parts = otherKey.split(" ");
        Path wrongKnownHosts = Files.writeString(dir.resolve("known_hosts_changed"),
                "[127.0.0.1]:" + server.port() + " " + parts[0] + " " + parts[1] + "\n");
        Path work = Files.createDirectories(dir.resolve("work-changed"));
        Files.write(returns.resolve("DWP_RETURN_20250401.csv.gpg"), CONTENT);
        Queue<Exception> pollFailures = new ConcurrentLinkedQueue<>();
        Queue<String> received = new ConcurrentLinkedQueue<>();
        String uri = RemoteSftpUris.returnsConsumer(endpoint(wrongKnownHosts), INCLUDE, work, 1_000)
                + "&pollStrategy=#recordingPollStrategy";

        try (CamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("recordingPollStrategy", new RecordingPollStrategy(pollFailures));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("returns-changed-key")
                            .process(exchange -> received.add(exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class)));
                }
            });
            context.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> !pollFailures.isEmpty());
        }

        assertThat(received).isEmpty();
        assertThat(returns.resolve("DWP_RETURN_20250401.csv.gpg")).exists();
        assertThat(pollFailures.peek()).satisfies(e -> assertThat(causes(e))
                .anyMatch(JSchChangedHostKeyException.class::isInstance));
        assertThat(wrongKnownHosts).content().isEqualTo("[127.0.0.1]:" + server.port() + " " + parts[0] + " " + parts[1] + "\n");
        Files.delete(returns.resolve("DWP_RETURN_20250401.csv.gpg"));
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** Records poll failures instead of logging them; never retries within a poll. */
    private record RecordingPollStrategy(Queue<Exception> failures) implements PollingConsumerPollStrategy {

        @Override
        public boolean begin(Consumer consumer, Endpoint endpoint) {
            return true;
        }

        @Override
        public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        }

        @Override
        public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
            failures.add(cause);
            return false;
        }
    }
}
