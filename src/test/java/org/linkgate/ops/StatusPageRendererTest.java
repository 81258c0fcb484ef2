package org.linkgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusPageRendererTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    static StatusReport report(String hostileCode) {
        return new StatusReport(NOW, 3,
                List.of(new StatusReport.CouncilStatus(hostileCode, "OVERDUE",
                        new StatusReport.Batch("id-1", "2015-06", "PARTIAL", NOW, NOW, 10, 9, 1), "P6M",
                        NOW.minusSeconds(60), 4, 1, 7)),
                List.of(new StatusReport.DepartmentStatus("DFE", "embedded", 0, 2, 1, 1, 1, 0, NOW, NOW, "<b>x</b>")),
                List.of(new StatusReport.OpenIncident("inc-1", "IDENTIFIERS_IN_RETURN", "DFE", "OPEN", NOW, NOW.minusSeconds(3600), null, true)),
                List.of(new StatusReport.KeyStatus("gateway", "WARN", "2026-12-14T00:00:00Z", 19L)),
                List.of(new StatusReport.RecentFailure(NOW, NOW, 2, "FILE_REJECTED", "E10000012", "id-2")));
    }

    @Test
    void everyValueIsEscaped() {
        String html = StatusPageRenderer.render(report("<script>alert('x')</script>\"&"));
        assertThat(html).doesNotContain("<script").doesNotContain("<b>x</b>")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;")
                .contains("&lt;b&gt;x&lt;/b&gt;");
    }

    @Test
    void showsEachSectionWithItsFigures() {
        String html = StatusPageRenderer.render(report("E10000012"));
        assertThat(html).contains("<section id=\"councils\">", "<section id=\"departments\">", "<section id=\"incidents\">",
                "<section id=\"failures\">", "<section id=\"keys\">");
        assertThat(html).contains("<span class=\"st bad\">OVERDUE</span>", "<span class=\"st warn\">PARTIAL</span>",
                "<span class=\"st warn\">WARN</span>", "IDENTIFIERS_IN_RETURN", "<span class=\"st info\">OPEN</span>",
                "<span class=\"st bad\">PAST_DEADLINE</span>", "not yet", "2026-12-14 00:00 UTC",
                "<td class=\"num\">7</td>", "4 (1)", "9 / 1", "<span class=\"sub\">every P6M</span>");
        assertThat(html).contains("<b>3</b>Open alerts", "<b>1</b>Overdue returns", "<b>1</b>Late councils");
    }

    @Test
    void theOnlyThingThePolicyAllowsIsThePagesOwnStyle() throws Exception {
        String html = StatusPageRenderer.render(report("E10000012"));
        String style = html.substring(html.indexOf("<style>") + 7, html.indexOf("</style>"));
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(style.getBytes(StandardCharsets.UTF_8)));
        assertThat(StatusPageRenderer.contentSecurityPolicy())
                .isEqualTo("default-src 'none'; style-src 'sha256-" + hash + "'; img-src 'none'; base-uri 'none';"
                        + " form-action 'none'; frame-ancestors 'none'");
        assertThat(html).doesNotContain("<script", "style=\"", "<link", "<img", "http://", "https://");
        assertThat(html.indexOf("<style>")).isEqualTo(html.lastIndexOf("<style>"));
    }

    @Test
    void emptySectionsSaySo() {
        String html = StatusPageRenderer.render(new StatusReport(NOW, 0, List.of(), List.of(), List.of(), List.of(), List.of()));
        assertThat(html).contains("<section id=\"incidents\"><h2>Open incidents</h2><p class=\"empty\">None.</p></section>");
    }
}
