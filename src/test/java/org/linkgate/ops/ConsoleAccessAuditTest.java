package org.linkgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkgate.audit.AuditLog;
import org.linkgate.store.TestDatabases;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The console audit filter (outside Spring Security's chain) on its own: every Jolokia request is
 * audited whatever its path ends in, and the user recorded is the one Spring Security authenticated,
 * never a name merely claimed in an Authorization header.
 */
class ConsoleAccessAuditTest {

    static final HttpSecurityProperties SETTINGS = new HttpSecurityProperties(5, java.time.Duration.ofMinutes(15),
            java.time.Duration.ofMinutes(1), List.of(), 65536, 100);
    JdbcTemplate jdbc;
    ConsoleAccessAudit filter;

    @BeforeEach
    void setUp() {
        jdbc = new JdbcTemplate(TestDatabases.h2());
        AuditLog audit = new AuditLog(jdbc, Clock.systemUTC());
        filter = new ConsoleAccessAudit(audit, SETTINGS,
                new AnonymousRefusals(audit, SETTINGS.refusalWindow(), Clock.systemUTC(), false));
    }

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    /** Stands in for Spring Security plus the servlet: authenticates (or not), answers, clears the context. */
    static FilterChain answering(String authenticatedAs, int status) {
        return (request, response) -> {
            try {
                if (authenticatedAs != null) {
                    SecurityContextHolder.getContext().setAuthentication(
                            UsernamePasswordAuthenticationToken.authenticated(authenticatedAs, null, List.of()));
                }
                if (status >= 400) {
                    ((jakarta.servlet.http.HttpServletResponse) response).sendError(status);
                } else {
                    ((jakarta.servlet.http.HttpServletResponse) response).setStatus(status);
                    response.getWriter().write("{}");
                }
            } finally {
                SecurityContextHolder.clearContext();
            }
        };
    }

    static MockHttpServletRequest request(String method, String path, String basicUser) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        if (basicUser != null) {
            request.addHeader("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((basicUser + ":wrong-password").getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    @Test
    void jolokiaPathsThatLookLikeScriptsAreAudited() throws Exception {
        for (String path : List.of("/actuator/hawtio/jolokia/read/java.lang:type=Memory/x.js",
                "/actuator/jolokia/list/a.css", "/actuator/hawtio/jolokia/exec/b.png")) {
            filter.doFilter(request("GET", path, null), new MockHttpServletResponse(), answering("operator", 200));
            assertThat(actors("GET " + path + " -> 200")).containsExactly("http:operator");
        }
        // Hawtio's own scripts are still not audited.
        filter.doFilter(request("GET", "/actuator/hawtio/static/app.js", null), new MockHttpServletResponse(),
                answering("operator", 200));
        assertThat(actors("GET /actuator/hawtio/static/app.js%")).isEmpty();
    }

    @Test
    void aNameClaimedInAFailedBasicLoginIsNotRecordedAsTheUser() throws Exception {
        filter.doFilter(request("POST", "/actuator/jolokia", "admin"), new MockHttpServletResponse(),
                answering(null, 401));
        assertThat(actors("POST /actuator/jolokia -> 401%")).containsExactly("anonymous");
    }

    @Test
    void theAuthenticatedPrincipalIsRecordedEvenWhenRefused() throws Exception {
        filter.doFilter(request("POST", "/actuator/jolokia", "analyst"), new MockHttpServletResponse(),
                answering("analyst", 403));
        assertThat(actors("POST /actuator/jolokia -> 403%")).containsExactly("http:analyst");
    }

    @Test
    void everyEntryOfABulkIsAuditedAndEachExecStandsAlone() {
        StringBuilder bulk = new StringBuilder("[");
        for (int i = 0; i < 300; i++) {
            bulk.append("{\"type\":\"read\",\"mbean\":\"org.apache.camel:type=routes,name=\\\"intake-e1000").append(i % 7)
                    .append("\\\"\",\"attribute\":\"A").append("b".repeat(i % 50)).append("\"},");
            if (i % 100 == 99) {
                bulk.append("{\"type\":\"exec\",\"mbean\":\"org.apache.camel:type=routes,name=\\\"fanout-dfe\\\"\",")
                        .append("\"operation\":\"stop()\",\"arguments\":[\"secret-argument\"]},");
            }
        }
        bulk.setLength(bulk.length() - 1);
        bulk.append("]");
        JolokiaBody body = JolokiaBody.parse(bulk.toString().getBytes(StandardCharsets.UTF_8), 1000);
        assertThat(body.problem()).isEqualTo(JolokiaBody.Problem.NONE);
        List<String> details = ConsoleAccessAudit.details("POST /actuator/jolokia -> 200", body);

        java.util.Set<Integer> covered = new java.util.TreeSet<>();
        java.util.regex.Pattern range = java.util.regex.Pattern.compile("\\((?:entries (\\d+)-(\\d+)|entry (\\d+)) of 303\\)");
        int execs = 0;
        for (String detail : details) {
            assertThat(detail.length()).isLessThanOrEqualTo(2000);
            assertThat(detail).doesNotContain("secret-argument");
            java.util.regex.Matcher m = range.matcher(detail);
            assertThat(m.find()).as(detail).isTrue();
            int from = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(3));
            int to = Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(3));
            for (int k = from; k <= to; k++) {
                assertThat(covered.add(k)).as("entry " + k + " once").isTrue();
            }
            if (detail.contains("exec ")) {
                execs++;
                assertThat(detail).contains("[exec org.apache.camel:type=routes,name=\"fanout-dfe\" stop()]").doesNotContain("read ");
            }
        }
        assertThat(covered).hasSize(303);
        assertThat(execs).isEqualTo(3);
    }

    List<String> actors(String detailLike) {
        return jdbc.queryForList("select actor from audit_event where event_type = 'CONSOLE_ACCESS' and detail like ?",
                String.class, detailLike);
    }
}
