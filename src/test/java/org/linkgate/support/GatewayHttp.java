package org.linkgate.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The gateway's HTTP surface as a client sees it: Basic credentials of the demo users
 * ({@code <home>/data/demo/http-users.txt}: {@code name password} per line) and, for
 * state-changing requests, the CSRF token fetched from {@code GET /api/csrf} and sent back in
 * its header with its cookie. One cookie jar per client, so use one client per user.
 */
public final class GatewayHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final int port;
    private final Path demoUsers;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    public GatewayHttp(int port, Path demoUsersFile) {
        this.port = port;
        this.demoUsers = demoUsersFile;
    }

    public HttpResponse<String> get(String path, String user) {
        return send(request(path, user).GET(), user);
    }

    /** POSTs a JSON body (may be null) with the CSRF token. */
    public HttpResponse<String> post(String path, String user, String json) {
        return send(withCsrf(request(path, user), user)
                .header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)), user);
    }

    /** POSTs without the CSRF token: must be refused. */
    public HttpResponse<String> postWithoutCsrf(String path, String user, String json) {
        return send(request(path, user).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)), user);
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    public String password(String user) {
        try {
            return Files.readAllLines(demoUsers).stream().filter(l -> l.startsWith(user + " ")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no demo user " + user)).split(" ")[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpRequest.Builder request(String path, String user) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path));
        if (user != null) {
            builder.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password(user)).getBytes(StandardCharsets.UTF_8)));
        }
        return builder;
    }

    private HttpRequest.Builder withCsrf(HttpRequest.Builder builder, String user) {
        HttpResponse<String> csrf = get("/api/csrf", user);
        if (csrf.statusCode() != 200) {
            throw new IllegalStateException("GET /api/csrf as " + user + " -> " + csrf.statusCode());
        }
        JsonNode token = json(csrf);
        return builder.header(token.get("headerName").asText(), token.get("token").asText());
    }

    private HttpResponse<String> send(HttpRequest.Builder builder, String user) {
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
