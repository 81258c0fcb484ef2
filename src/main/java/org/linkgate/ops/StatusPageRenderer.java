package org.linkgate.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Renders a {@link StatusReport} as one self-contained HTML page: inline CSS (allowed by its hash
 * in the Content-Security-Policy, nothing else is), no script, no external resource, every value
 * escaped. Refreshes itself every minute.
 */
public final class StatusPageRenderer {

    static final String STYLE = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2733;background:#f4f6f8}
            header{background:#1d3557;color:#fff;padding:14px 24px}
            header h1{margin:0;font-size:20px}
            header p{margin:4px 0 0;color:#c9d6e8}
            main{padding:12px 24px 32px}
            .summary{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 4px}
            .tile{background:#fff;border:1px solid #d8dee6;border-radius:6px;padding:8px 14px;min-width:120px}
            .tile b{display:block;font-size:22px}
            section{background:#fff;border:1px solid #d8dee6;border-radius:6px;margin:16px 0;padding:4px 16px 12px}
            h2{font-size:16px;margin:12px 0 8px}
            table{border-collapse:collapse;width:100%}
            .scroll{overflow-x:auto}
            th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e6eaef;white-space:nowrap}
            th{background:#eef2f6;font-weight:600;white-space:normal;vertical-align:bottom}
            .id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px}
            td.num,th.num{text-align:right}
            .st{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:12px}
            .ok{background:#dff3e4;color:#1e6b34}.warn{background:#fff1cc;color:#7a5200}
            .bad{background:#fbdada;color:#9b1c1c}.info{background:#e3ecfa;color:#1d3f7a}
            .empty{color:#6b7785;font-style:italic}
            .sub{color:#6b7785;font-size:12px}
            footer{color:#6b7785;padding:0 24px 16px}
            """;
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(STYLE)
            + "'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final Set<String> GOOD = Set.of("OK", "UP", "ACCEPTED", "RETURNED", "SENT");
    private static final Set<String> WARNING = Set.of("WARN", "PARTIAL", "PROCESSING", "AWAITING_FIRST_BATCH", "RECEIVED",
            "DUE_SOON",
            "UNKNOWN");

    private StatusPageRenderer() {
    }

    public static String contentSecurityPolicy() {
        return CONTENT_SECURITY_POLICY;
    }

    public static String render(StatusReport report) {
        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"60\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Linkgate status</title><style>").append(STYLE).append("</style></head><body>");
        html.append("<header><h1>Linkgate status</h1><p>Generated ").append(time(report.generatedAt()))
                .append(" &middot; refreshes every minute</p></header><main>");
        long overdueReturns = report.departments().stream().mapToLong(StatusReport.DepartmentStatus::overdue).sum();
        long lateCouncils = report.councils().stream().filter(c -> "OVERDUE".equals(c.status())).count();
        html.append("<div class=\"summary\">");
        tile(html, "Councils", report.councils().size());
        tile(html, "Late councils", lateCouncils);
        tile(html, "Departments", report.departments().size());
        tile(html, "Overdue returns", overdueReturns);
        tile(html, "Open incidents", report.incidents().size());
        tile(html, "Open alerts", report.openAlerts());
        tile(html, "Recent failures", report.failures().size());
        tile(html, "Stopped routes", report.stoppedRoutes().size());
        html.append("</div>");

        // First: a stopped route is a control (or a partner's flow) that is not running.
        table(html, "routes", "Routes not running",
                List.of("Route", "State"),
                report.stoppedRoutes(), r -> new String[] {code(r.route()), status(r.status().toUpperCase(java.util.Locale.ROOT))},
                Set.of());

        table(html, "councils", "Councils",
                List.of("Council", "Status", "Last batch (intake id)", "Batch status", "Rows accepted / rejected",
                        "Expected next batch", "Files (rejected)", "Rejected rows, all files"),
                report.councils(), c -> {
                    StatusReport.Batch b = c.lastBatch();
                    String batch = b == null ? "&ndash;" : id(b.intakeId()) + "<br><span class=\"sub\">period "
                            + esc(b.period()) + " &middot; received " + time(b.receivedAt()) + "</span>";
                    String expected = (c.expectedNextBatch() == null ? "after the first batch" : time(c.expectedNextBatch()))
                            + "<br><span class=\"sub\">every " + esc(c.expectedEvery()) + "</span>";
                    return new String[] {code(c.code()), status(c.status()), batch, b == null ? "" : status(b.status()),
                            b == null ? "" : num(b.rowsAccepted()) + " / " + num(b.rowsRejected()), expected,
                            num(c.files()) + " (" + num(c.filesRejected()) + ")", num(c.rowsRejected())};
                }, Set.of(4, 6, 7));

        table(html, "departments", "Departments",
                List.of("Department", "Endpoint", "Pending", "Extracts sent", "Awaiting return", "Overdue", "Returned",
                        "Refused", "Next return due", "Last sent", "Last delivery error"),
                report.departments(), d -> new String[] {code(d.code()), esc(d.endpoint()), num(d.pending()),
                        num(d.extractsSent()), num(d.awaitingReturn()),
                        d.overdue() > 0 ? "<span class=\"st bad\">" + d.overdue() + "</span>" : num(d.overdue()),
                        num(d.returned()), num(d.refused()), time(d.nextReturnDue()), time(d.lastSent()), esc(d.lastError())},
                Set.of(2, 3, 4, 5, 6, 7));

        table(html, "incidents", "Open incidents",
                List.of("Incident", "Category", "Partner", "State", "Opened", "Report by", "Reported"),
                report.incidents(), i -> new String[] {id(i.id()), esc(i.category()), code(i.partner()), status(i.status()),
                        time(i.openedAt()), time(i.deadline()) + (i.pastDeadline() ? " " + status("PAST_DEADLINE") : ""),
                        i.reportedAt() == null ? "not yet" : time(i.reportedAt())},
                Set.of());

        table(html, "failures", "Recent failures",
                List.of("Last", "What", "Partner", "Subject (id)", "Times", "First"),
                report.failures(), f -> new String[] {time(f.last()), esc(f.kind()), code(f.partner()), id(f.subject()),
                        num(f.count()), time(f.first())},
                Set.of(4));

        table(html, "keys", "OpenPGP keys",
                List.of("Owner", "Status", "Expires", "Days left"),
                report.keys(), k -> new String[] {code(k.owner()), status(k.status()), expiry(k.expires()),
                        k.daysLeft() == null ? "" : num(k.daysLeft())},
                Set.of(3));

        html.append("</main><footer>Codes, ids, counts and times only. JSON: /api/ops/status &middot; metrics: "
                + "/actuator/prometheus &middot; health: /actuator/health</footer></body></html>\n");
        return html.toString();
    }

    private static void tile(StringBuilder html, String label, long value) {
        html.append("<div class=\"tile\"><b>").append(value).append("</b>").append(esc(label)).append("</div>");
    }

    private static <T> void table(StringBuilder html, String id, String title, List<String> headings, List<T> rows,
                                  Function<T, String[]> cells, Set<Integer> numeric) {
        html.append("<section id=\"").append(id).append("\"><h2>").append(esc(title)).append("</h2>");
        if (rows.isEmpty()) {
            html.append("<p class=\"empty\">None.</p></section>");
            return;
        }
        html.append("<div class=\"scroll\"><table><thead><tr>");
        for (int i = 0; i < headings.size(); i++) {
            html.append(numeric.contains(i) ? "<th class=\"num\">" : "<th>").append(esc(headings.get(i))).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        for (T row : rows) {
            html.append("<tr>");
            String[] values = cells.apply(row);
            for (int i = 0; i < values.length; i++) {
                html.append(numeric.contains(i) ? "<td class=\"num\">" : "<td>").append(values[i]).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table></div></section>");
    }

    /** A status as a coloured badge; the colour comes from a fixed list, the text is escaped. */
    static String status(String status) {
        if (status == null) {
            return "";
        }
        String kind = GOOD.contains(status) ? "ok" : WARNING.contains(status) ? "warn"
                : "OPEN".equals(status) || "ACKNOWLEDGED".equals(status) ? "info" : "bad";
        return "<span class=\"st " + kind + "\">" + esc(status) + "</span>";
    }

    private static String code(String code) {
        return code == null ? "" : "<b>" + esc(code) + "</b>";
    }

    private static String id(String id) {
        return id == null ? "" : "<span class=\"id\">" + esc(id) + "</span>";
    }

    private static String expiry(String expires) {
        try {
            return time(Instant.parse(expires));
        } catch (RuntimeException e) {
            return esc(expires);
        }
    }

    private static String num(long value) {
        return Long.toString(value);
    }

    private static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** HTML-escapes text for element content and quoted attribute values. */
    public static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String sha256(String text) {
        try {
            return "sha256-" + Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
