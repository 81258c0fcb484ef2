package org.linkgate.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven over the DevTools protocol with the
 * JDK's own HTTP client and WebSocket: no driver binary, no extra dependency. Two ways to use it:
 * {@link #open} loads a page in its own tab (http(s) with optional Basic credentials sent as a
 * header, or {@code file://}) and reports the main document's HTTP status and headers, the
 * rendered DOM and any console or security messages, and takes a full-page PNG screenshot;
 * {@link #navigate}, {@link #evaluate} and {@link #await} script one default tab (log in through a
 * form, wait for a single-page app). Each instance has its own fresh profile directory, removed on close.
 *
 * <pre>{@code
 * HeadlessChromium.requireOrSkip();
 * try (HeadlessChromium browser = HeadlessChromium.start()) {
 *     HeadlessChromium.Page page = browser.open(uri, "Basic " + base64);
 *     page.screenshot(Path.of("target/screenshots/x.png"));
 * }
 * }</pre>
 *
 * Absent locally, tests skip with the reason; in CI ({@code CI} set) its absence fails them.
 */
public final class HeadlessChromium implements AutoCloseable {

    /** Override with {@code -Dlinkgate.test.chromium=/path/to/chromium}. */
    public static final Path EXECUTABLE = Path.of(System.getProperty("linkgate.test.chromium", "/usr/bin/chromium"));
    /** The same path, under the name the operations console test uses. */
    public static final Path CHROMIUM = EXECUTABLE;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private final int width;
    private Tab defaultTab;

    private HeadlessChromium(Process process, Path profile, int port, int width) {
        this.process = process;
        this.profile = profile;
        this.port = port;
        this.width = width;
    }

    public static boolean available() {
        return Files.isExecutable(EXECUTABLE);
    }

    /** Skips the calling test when Chromium is missing, but fails it in CI, where it must be installed. */
    public static void requireOrSkip() {
        if (available()) {
            return;
        }
        String reason = "headless Chromium not found at " + EXECUTABLE + " (apt-get install chromium; .ci/run installs it)";
        if (System.getenv("CI") != null) {
            throw new IllegalStateException(reason + ": it must be present in CI");
        }
        Assumptions.abort(reason);
    }

    /** Starts a browser with a 1400 x 900 window. */
    public static HeadlessChromium start() {
        return start(1400, 900);
    }

    public static HeadlessChromium start(int width, int height) {
        return new HeadlessChromium(launch(width, height), width);
    }

    /**
     * Starts a browser (1400 x 900) whose default tab is driven by {@link #navigate}, {@link #evaluate}
     * and {@link #await} (for pages that need scripts and a login form, e.g. Hawtio).
     */
    public HeadlessChromium() {
        this(launch(1400, 900), 1400);
    }

    private HeadlessChromium(Launched launched, int width) {
        this(launched.process(), launched.profile(), launched.port(), width);
    }

    private record Launched(Process process, Path profile, int port) {
    }

    private static Launched launch(int width, int height) {
        Path profile;
        try {
            profile = Files.createTempDirectory("linkgate-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = List.of(EXECUTABLE.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--window-size=" + width + "," + height, "about:blank");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        } catch (IOException e) {
            deleteTree(profile);
            throw new UncheckedIOException("cannot start " + EXECUTABLE, e);
        }
        // Chromium writes the port it chose to <profile>/DevToolsActivePort once it listens.
        Path activePort = profile.resolve("DevToolsActivePort");
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        try {
            while (true) {
                if (Files.isRegularFile(activePort)) {
                    List<String> lines = Files.readAllLines(activePort, StandardCharsets.UTF_8);
                    if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                        return new Launched(process, profile, Integer.parseInt(lines.get(0).strip()));
                    }
                }
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    String log = Files.isRegularFile(profile.resolve("chromium.log"))
                            ? Files.readString(profile.resolve("chromium.log")) : "";
                    process.destroyForcibly();
                    deleteTree(profile);
                    throw new IllegalStateException("Chromium did not open its DevTools port: " + log);
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }

    /** Starts navigating the default tab to {@code url}; does not wait (see {@link #await}). */
    public void navigate(String url) {
        defaultTab().call("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** Evaluates a JavaScript expression in the default tab and returns its value (JSON). */
    public JsonNode evaluate(String expression) {
        return defaultTab().call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true)).path("result").path("value");
    }

    /** Waits until the expression is true in the default tab. */
    public void await(String expression, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!evaluate(expression).asBoolean(false)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout + ": " + expression + " (at " + evaluate("location.href").asText()
                        + ": " + evaluate("document.body ? document.body.innerText.slice(0, 500) : ''").asText() + ")");
            }
            Thread.sleep(250);
        }
    }

    private synchronized Tab defaultTab() {
        if (defaultTab == null) {
            defaultTab = newTab();
        }
        return defaultTab;
    }

    /** Opens {@code uri} in a new tab without credentials. */
    public Page open(URI uri) {
        return open(uri, null);
    }

    /**
     * Opens {@code uri} in a new tab, sending {@code authorization} (e.g. {@code "Basic ..."}) with
     * every request of that tab when not null, and waits until the page has loaded. A navigation
     * the browser gives up on is not an exception: see {@link Page#navigationError()}.
     */
    public Page open(URI uri, String authorization) {
        Tab tab = newTab();
        try {
            tab.call("Page.enable", null);
            tab.call("Network.enable", null);
            tab.call("Log.enable", null);
            tab.call("Runtime.enable", null);
            if (authorization != null) {
                ObjectNode headers = JSON.createObjectNode();
                headers.putObject("headers").put("Authorization", authorization);
                tab.call("Network.setExtraHTTPHeaders", headers);
            }
            CompletableFuture<JsonNode> loaded = tab.nextEvent("Page.loadEventFired");
            ObjectNode navigate = JSON.createObjectNode().put("url", uri.toString());
            JsonNode result = tab.call("Page.navigate", navigate);
            String frameId = result.path("frameId").asText();
            if (result.hasNonNull("errorText")) {
                // Refused before a page could load (e.g. a Basic challenge headless Chromium cannot answer:
                // net::ERR_INVALID_AUTH_CREDENTIALS). Chromium shows its error page instead.
                try {
                    loaded.get(5, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    // no load event for an error page: nothing more to wait for
                }
                return new Page(tab, frameId, result.get("errorText").asText());
            }
            loaded.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new Page(tab, frameId, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tab.close();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            tab.close();
            throw new IllegalStateException("page " + uri + " did not load", e);
        }
    }

    private Tab newTab() {
        try {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/json/new?about:blank"))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 200) {
                throw new IllegalStateException("DevTools /json/new -> " + created.statusCode() + ": " + created.body());
            }
            JsonNode target = JSON.readTree(created.body());
            return new Tab(http, URI.create(target.get("webSocketDebuggerUrl").asText()), target.get("id").asText(), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (defaultTab != null) {
                defaultTab.close();
            }
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteTree(profile);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary profile left behind is harmless
        }
    }

    /** One loaded page: what the server answered, what the browser made of it. */
    public final class Page implements AutoCloseable {
        private final Tab tab;
        private final String frameId;
        private final String navigationError;

        private Page(Tab tab, String frameId, String navigationError) {
            this.tab = tab;
            this.frameId = frameId;
            this.navigationError = navigationError;
        }

        /** Chromium's reason when the navigation itself failed (e.g. {@code net::ERR_INVALID_AUTH_CREDENTIALS}), else null. */
        public String navigationError() {
            return navigationError;
        }

        /** The main document's response ({@code Network.responseReceived}), or null if none was seen. */
        private JsonNode documentResponse() {
            JsonNode found = null;
            for (JsonNode event : tab.events) {
                if ("Network.responseReceived".equals(event.path("method").asText())
                        && "Document".equals(event.path("params").path("type").asText())
                        && frameId.equals(event.path("params").path("frameId").asText())) {
                    found = event.path("params").path("response");
                }
            }
            return found;
        }

        /** HTTP status of the main document (Chromium reports 200 for a file:// page it found; 0 if none was seen). */
        public int status() {
            JsonNode response = documentResponse();
            return response == null ? 0 : response.path("status").asInt();
        }

        /** A header of the main document's response (case-insensitive), or null. */
        public String header(String name) {
            JsonNode response = documentResponse();
            if (response == null) {
                return null;
            }
            for (Map.Entry<String, JsonNode> header : response.path("headers").properties()) {
                if (header.getKey().equalsIgnoreCase(name)) {
                    return header.getValue().asText();
                }
            }
            return null;
        }

        /** Every URL the page requested (the document included). */
        public List<String> requestedUrls() {
            List<String> urls = new ArrayList<>();
            for (JsonNode event : tab.events) {
                if ("Network.requestWillBeSent".equals(event.path("method").asText())) {
                    urls.add(event.path("params").path("request").path("url").asText());
                }
            }
            return urls;
        }

        /** Console and browser log messages (CSP violations appear here). */
        public List<String> messages() {
            List<String> messages = new ArrayList<>();
            for (JsonNode event : tab.events) {
                String method = event.path("method").asText();
                if ("Log.entryAdded".equals(method)) {
                    JsonNode entry = event.path("params").path("entry");
                    messages.add(entry.path("level").asText() + " " + entry.path("source").asText() + ": "
                            + entry.path("text").asText());
                } else if ("Runtime.consoleAPICalled".equals(method)) {
                    messages.add("console " + event.path("params").path("type").asText() + ": "
                            + event.path("params").path("args").toString());
                }
            }
            return messages;
        }

        /** The DOM as rendered ({@code DOM.getOuterHTML} of the document: what {@code --dump-dom} prints). */
        public String dom() {
            JsonNode root = tab.call("DOM.getDocument", JSON.createObjectNode().put("depth", -1));
            JsonNode html = tab.call("DOM.getOuterHTML", JSON.createObjectNode()
                    .put("nodeId", root.path("root").path("nodeId").asInt()));
            return html.path("outerHTML").asText();
        }

        /** The page's visible text (DOM text content, tags removed), for simple assertions. */
        public String text() {
            return dom().replaceAll("(?s)<style.*?</style>", " ").replaceAll("<[^>]+>", " ")
                    .replace("&nbsp;", " ").replaceAll("\\s+", " ").strip();
        }

        /** Writes a PNG of the whole page (the viewport stretched to its full height). */
        public Path screenshot(Path file) {
            JsonNode metrics = tab.call("Page.getLayoutMetrics", null);
            JsonNode size = metrics.has("cssContentSize") ? metrics.get("cssContentSize") : metrics.get("contentSize");
            int height = (int) Math.ceil(Math.max(200, Math.min(size.path("height").asDouble(), 16000)));
            tab.call("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width)
                    .put("height", height).put("deviceScaleFactor", 1).put("mobile", false));
            JsonNode shot = tab.call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")
                    .put("captureBeyondViewport", true));
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            tab.close();
        }
    }

    /** One tab's DevTools WebSocket: commands by id, every event kept. */
    private static final class Tab implements WebSocket.Listener {
        private final HttpClient http;
        private final String targetId;
        private final int port;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final Map<String, CompletableFuture<JsonNode>> awaited = new ConcurrentHashMap<>();
        final List<JsonNode> events = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket socket;

        Tab(HttpClient http, URI debuggerUrl, String targetId, int port) {
            this.http = http;
            this.targetId = targetId;
            this.port = port;
            try {
                this.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                        .buildAsync(debuggerUrl, this).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot connect to Chromium's DevTools at " + debuggerUrl, e);
            }
        }

        /** The next event of this name (register before causing it). */
        CompletableFuture<JsonNode> nextEvent(String method) {
            return awaited.computeIfAbsent(method, m -> new CompletableFuture<>());
        }

        JsonNode call(String method, JsonNode params) {
            int id = ids.incrementAndGet();
            ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
            if (params != null) {
                message.set("params", params);
            }
            CompletableFuture<JsonNode> reply = new CompletableFuture<>();
            pending.put(id, reply);
            try {
                socket.sendText(message.toString(), true).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                JsonNode answer = reply.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (answer.has("error")) {
                    throw new IllegalStateException(method + " failed: " + answer.get("error"));
                }
                return answer.path("result");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException(method + " got no answer", e);
            } finally {
                pending.remove(id);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode message = JSON.readTree(text);
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> reply = pending.get(message.get("id").asInt());
                        if (reply != null) {
                            reply.complete(message);
                        }
                    } else if (message.has("method")) {
                        events.add(message);
                        CompletableFuture<JsonNode> waiting = awaited.remove(message.get("method").asText());
                        if (waiting != null) {
                            waiting.complete(message);
                        }
                    }
                } catch (IOException e) {
                    // not JSON: ignore, DevTools only sends JSON
                }
            }
            webSocket.request(1);
            return null;
        }

        void close() {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                socket.abort();
            }
            try {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/close/" + targetId)).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException ignored) {
                // the browser is closing anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
