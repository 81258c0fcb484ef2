package org.linkgate.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Decides on a Jolokia POST after Spring Security let the user in and before Jolokia runs any of
 * it: the whole request is refused, nothing executed, when it is sent from another origin than the
 * gateway's own (or a configured console origin), is too large or has too many entries (never cut
 * to fit), cannot be read, or controls a route that is not a partner route
 * ({@link ConsoleRouteControl}). The body is the one the console audit read ({@link JolokiaBody}).
 */
final class JolokiaRequestGuard extends OncePerRequestFilter {

    private final HttpSecurityProperties settings;

    JolokiaRequestGuard(HttpSecurityProperties settings) {
        this.settings = settings;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !ConsoleAccessAudit.isJolokia(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!fromAllowedOrigin(request)) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "the console is used from the gateway's own origin only");
            return;
        }
        HttpServletRequest forward = request;
        JolokiaBody body = request.getAttribute(JolokiaBody.ATTRIBUTE) instanceof JolokiaBody read ? read : null;
        if (body == null) {
            body = JolokiaBody.read(request.getInputStream(), settings.maxJolokiaBody(), settings.maxJolokiaBulk());
            forward = body.replay(request);
        }
        switch (body.problem()) {
            case TOO_LARGE -> {
                refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                        "Jolokia request larger than " + settings.maxJolokiaBody() + " bytes");
                return;
            }
            case TOO_MANY_ENTRIES -> {
                refuse(response, HttpServletResponse.SC_BAD_REQUEST,
                        "Jolokia bulk request of more than " + settings.maxJolokiaBulk() + " entries");
                return;
            }
            case UNREADABLE, EMPTY -> {
                refuse(response, HttpServletResponse.SC_BAD_REQUEST, "not a Jolokia request");
                return;
            }
            case NONE -> {
                // go on
            }
        }
        Optional<String> refused = ConsoleRouteControl.refusal(body.operations());
        if (refused.isPresent()) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, refused.get());
            return;
        }
        chain.doFilter(forward, response);
    }

    /** The request's Origin (or, without one, its Referer's) is the gateway's own or a configured one. */
    boolean fromAllowedOrigin(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null || origin.isBlank()) {
            String referer = request.getHeader("Referer");
            origin = referer == null ? null : originOf(referer);
        }
        if (origin == null) {
            return false;
        }
        String asked = normalise(origin);
        List<String> allowed = settings.consoleOrigins().isEmpty()
                ? List.of(ownOrigin(request))
                : settings.consoleOrigins().stream().map(JolokiaRequestGuard::normalise).toList();
        return asked != null && allowed.contains(asked);
    }

    /** The origin the request was sent to, as the gateway sees it (scheme, host, port). */
    static String ownOrigin(HttpServletRequest request) {
        return normalise(request.getScheme() + "://" + hostForUri(request.getServerName()) + ":" + request.getServerPort());
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String originOf(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() == null || uri.getHost() == null ? null
                    : uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** scheme://host[:port] in lower case, default ports dropped; null if not an origin. */
    static String normalise(String origin) {
        try {
            URI uri = URI.create(origin.strip());
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme == null || uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty())
                    || uri.getQuery() != null || uri.getUserInfo() != null) {
                return null;
            }
            int port = uri.getPort();
            boolean defaultPort = port < 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void refuse(HttpServletResponse response, int status, String why) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"status\":" + status + ",\"error_type\":\"refused\",\"error\":\""
                + why.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }
}
