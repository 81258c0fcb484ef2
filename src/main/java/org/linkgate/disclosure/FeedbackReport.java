package org.linkgate.disclosure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The readable half of a feedback pack: one self-contained HTML page (inline CSS, inline SVG
 * charts drawn here, no script, no external resource) with, per outcome measure, bar charts of
 * the percentage with the outcome for treatment and comparison, and the released figures under
 * each chart. A withheld percentage is drawn as a hatched bar labelled "suppressed", never as a
 * zero. Only figures of {@link OutcomeTable} rows appear: counts and percentages, nothing about
 * a single person (no extremes, no outliers).
 */
public final class FeedbackReport {

    static final int CHART_WIDTH = 1100;
    static final int CHART_HEIGHT = 280;
    static final int LEFT = 56;
    static final int TOP = 24;
    static final int BOTTOM = 56;
    static final String TREATMENT_COLOUR = "#1d70b8";
    static final String COMPARISON_COLOUR = "#f47738";
    /** Stripes of a suppressed bar: light enough for the "suppressed" label on top to stay readable. */
    static final String HATCH_COLOUR = "#a0a4a8";

    private FeedbackReport() {
    }

    /** The cell key method's note: counts perturbed by at most the p-table's maximum, not additive, what it cost. */
    private static String cellKeyNote(ReleaseProtection.Perturbed perturbed) {
        return String.format(Locale.ROOT, "<p class=\"note\" id=\"cell-key-note\">Counts of people with an outcome are"
                + " shown by the cell key method (ONS, Census 2021): each is changed by at most %d, the same way in every"
                + " table and every re-send, so figures need not add up to their totals (tables are not additive)."
                + " Counts of people are exact; percentages are the shown count over the people. Of %d counts shown, %d"
                + " were changed, by %.2f on average.</p>%n", perturbed.maxPerturbation(), perturbed.shown(),
                perturbed.changed(), perturbed.meanAbsolutePerturbation());
    }

    public static String render(String council, String period, String generatedOn, DisclosureRules rules,
                                List<OutcomeTable> tables) {
        return render(council, period, generatedOn, rules, tables, null);
    }

    /** The same; {@code perturbed} (null: exact figures) says what the cell key method changed, in a note. */
    public static String render(String council, String period, String generatedOn, DisclosureRules rules,
                                List<OutcomeTable> tables, ReleaseProtection.Perturbed perturbed) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Feedback report ").append(esc(council)).append(' ').append(esc(period)).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n")
                .append("<h1>Outcomes feedback report</h1>\n")
                .append("<p class=\"meta\">Council <strong id=\"council\">").append(esc(council))
                .append("</strong> &middot; period <strong id=\"period\">").append(esc(period))
                .append("</strong> &middot; produced ").append(esc(generatedOn)).append("</p>\n")
                .append("<p class=\"note\" id=\"disclosure-note\">Aggregate figures only. Under the data sharing agreement"
                        + " (clause 11) no figure based on ").append(rules.threshold()).append(" or fewer people is shown")
                .append(rules.zerosDisclosive() ? ", nor any zero," : "")
                .append(" and neither is any figure from which one could be worked out: such figures are marked ")
                .append("<code>").append(SafeCell.SUPPRESSED_SYMBOL).append("</code> in the tables and drawn as hatched bars"
                        + " labelled <em>suppressed</em> in the charts. A suppressed bar is not a zero. Figures are"
                        + " also withheld where all, or nearly all, of a group have the outcome."
                        + " <code>" + SafeCell.NOT_APPLICABLE_SYMBOL + "</code> marks groups no one of whom is sent to the"
                        + " department (outside its age range), where the outcome cannot occur.</p>\n")
                .append(perturbed == null ? "" : cellKeyNote(perturbed))
                .append(legend());
        Map<Measure, List<OutcomeTable>> byMeasure = new LinkedHashMap<>();
        for (OutcomeTable t : tables) {
            byMeasure.computeIfAbsent(t.spec().measure(), m -> new ArrayList<>()).add(t);
        }
        for (Map.Entry<Measure, List<OutcomeTable>> entry : byMeasure.entrySet()) {
            Measure measure = entry.getKey();
            html.append("<section class=\"measure\" id=\"").append(esc(measure.key())).append("\">\n<h2>")
                    .append(esc(measure.title())).append("</h2>\n<p class=\"source\">Source: ")
                    .append(esc(measure.department())).append(' ').append(esc(measure.dataset()))
                    .append(" returns; percentage of people with at least one record.</p>\n");
            for (OutcomeTable table : entry.getValue()) {
                figure(html, table);
            }
            html.append("</section>\n");
        }
        html.append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void figure(StringBuilder html, OutcomeTable table) {
        TableSpec spec = table.spec();
        String by = spec.breakdowns().isEmpty() ? "cohort" : spec.breakdowns().get(0).title().toLowerCase(Locale.ROOT);
        html.append("<figure class=\"table\" id=\"").append(esc(spec.name())).append("\">\n<figcaption>")
                .append(esc(spec.measure().title())).append(" by ").append(esc(by)).append("</figcaption>\n");
        if (table.refused()) {
            html.append("<p class=\"withheld\">Withheld: ").append(esc(table.refusedBecause())).append(".</p>\n</figure>\n");
            return;
        }
        chart(html, table);
        figures(html, table);
        html.append("</figure>\n");
    }

    /** Grouped bars: per category (or one group for the whole cohort), treatment then comparison. */
    private static void chart(StringBuilder html, OutcomeTable table) {
        Map<String, OutcomeTable.Row[]> groups = new LinkedHashMap<>();
        for (OutcomeTable.Row row : table.rows()) {
            if (Dimension.TOTAL.equals(row.cohort())) {
                continue;
            }
            String group = row.category() == null ? "All people" : row.category().equals(Dimension.TOTAL) ? "All" : row.category();
            OutcomeTable.Row[] pair = groups.computeIfAbsent(group, g -> new OutcomeTable.Row[2]);
            pair["Treatment".equals(row.cohort()) ? 0 : 1] = row;
        }
        double max = table.rows().stream().filter(r -> r.percentValue().isPresent())
                .mapToDouble(r -> r.percentValue().getAsDouble()).max().orElse(0);
        // a multiple of 20 so the quarter ticks fall on whole multiples of 5
        double top = Math.max(20, Math.min(100, Math.ceil(max * 1.15 / 20) * 20));
        int plotWidth = CHART_WIDTH - LEFT - 16;
        int plotHeight = CHART_HEIGHT - TOP - BOTTOM;
        double groupWidth = (double) plotWidth / groups.size();
        double barWidth = Math.min(48, groupWidth * 0.36);
        html.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(CHART_WIDTH)
                .append("\" height=\"").append(CHART_HEIGHT).append("\" viewBox=\"0 0 ").append(CHART_WIDTH).append(' ')
                .append(CHART_HEIGHT).append("\" role=\"img\" aria-label=\"").append(esc(table.spec().measure().title()))
                .append(": percentage with the outcome, treatment and comparison\">\n")
                .append("<defs><pattern id=\"hatch-").append(esc(table.spec().name()))
                .append("\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\" patternTransform=\"rotate(45)\">")
                .append("<rect width=\"8\" height=\"8\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\"")
                .append(" stroke=\"").append(HATCH_COLOUR).append("\" stroke-width=\"3\"/></pattern></defs>\n");
        for (int tick = 0; tick <= 4; tick++) {
            double value = top * tick / 4;
            double y = TOP + plotHeight - plotHeight * tick / 4.0;
            html.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                            + "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f%%</text>%n",
                    LEFT, y, CHART_WIDTH - 16, y, LEFT - 6, y + 4, value));
        }
        int g = 0;
        for (Map.Entry<String, OutcomeTable.Row[]> group : groups.entrySet()) {
            double groupX = LEFT + g * groupWidth;
            double centre = groupX + groupWidth / 2;
            for (int c = 0; c < 2; c++) {
                OutcomeTable.Row row = group.getValue()[c];
                double x = centre - barWidth - 2 + c * (barWidth + 4);
                String cohort = c == 0 ? "Treatment" : "Comparison";
                String colour = c == 0 ? TREATMENT_COLOUR : COMPARISON_COLOUR;
                if (row != null && SafeCell.NOT_APPLICABLE_SYMBOL.equals(row.withOutcome())) {
                    // nobody there is sent to the department: no bar, said in words
                    html.append(String.format(Locale.ROOT, "<g class=\"bar not-applicable\" data-cohort=\"%s\""
                                    + " data-group=\"%s\"><title>%s, %s: not applicable</title>"
                                    + "<text class=\"na-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">n/a</text></g>%n",
                            cohort, esc(group.getKey()), cohort, esc(group.getKey()), x + barWidth / 2,
                            (double) (TOP + plotHeight - 6)));
                } else if (row == null || row.percentValue().isEmpty()) {
                    double h = plotHeight * 0.45;
                    double y = TOP + plotHeight - h;
                    html.append(String.format(Locale.ROOT, "<g class=\"bar suppressed\" data-cohort=\"%s\" data-group=\"%s\">"
                                    + "<title>%s, %s: suppressed</title>"
                                    + "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"url(#hatch-%s)\""
                                    + " stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"
                                    + "<text class=\"suppressed-label\" transform=\"translate(%.1f %.1f) rotate(-90)\""
                                    + " text-anchor=\"start\">suppressed</text></g>%n",
                            cohort, esc(group.getKey()), cohort, esc(group.getKey()), x, y, barWidth, h,
                            esc(table.spec().name()), colour, x + barWidth / 2 + 4, (double) (TOP + plotHeight - 6)));
                } else {
                    double value = row.percentValue().getAsDouble();
                    double h = plotHeight * Math.min(value, top) / top;
                    double y = TOP + plotHeight - h;
                    html.append(String.format(Locale.ROOT, "<g class=\"bar published\" data-cohort=\"%s\" data-group=\"%s\">"
                                    + "<title>%s, %s: %s%%</title>"
                                    + "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>"
                                    + "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s%%</text></g>%n",
                            cohort, esc(group.getKey()), cohort, esc(group.getKey()), row.percent(), x, y, barWidth, h,
                            colour, x + barWidth / 2, y - 4, row.percent()));
                }
            }
            html.append(String.format(Locale.ROOT, "<text class=\"category\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    centre, TOP + plotHeight + 20, esc(group.getKey())));
            g++;
        }
        html.append(String.format(Locale.ROOT, "<line class=\"baseline\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n",
                LEFT, TOP + plotHeight, CHART_WIDTH - 16, TOP + plotHeight));
        html.append("</svg>\n");
    }

    private static void figures(StringBuilder html, OutcomeTable table) {
        boolean broken = !table.spec().breakdowns().isEmpty();
        html.append("<table class=\"figures\">\n<thead><tr><th>Cohort</th>");
        if (broken) {
            html.append("<th>").append(esc(table.spec().breakdowns().get(0).title())).append("</th>");
        }
        html.append("<th>People</th><th>With the outcome</th><th>% with the outcome</th></tr></thead>\n<tbody>\n");
        for (OutcomeTable.Row row : table.rows()) {
            html.append("<tr").append(Dimension.TOTAL.equals(row.cohort()) || Dimension.TOTAL.equals(row.category())
                    ? " class=\"total\"" : "").append("><td>").append(esc(row.cohort())).append("</td>");
            if (broken) {
                html.append("<td>").append(esc(row.category())).append("</td>");
            }
            cell(html, row.persons());
            cell(html, row.withOutcome());
            cell(html, row.percent());
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    private static void cell(StringBuilder html, String text) {
        if (SafeCell.SUPPRESSED_SYMBOL.equals(text)) {
            html.append("<td class=\"num suppressed\" title=\"suppressed\">").append(esc(text)).append("</td>");
        } else {
            html.append("<td class=\"num\">").append(esc(text)).append("</td>");
        }
    }

    private static String legend() {
        return "<div class=\"legend\" id=\"legend\"><span><i style=\"background:" + TREATMENT_COLOUR + "\"></i>Treatment</span>"
                + "<span><i style=\"background:" + COMPARISON_COLOUR + "\"></i>Comparison</span>"
                + "<span><i class=\"hatched\"></i>suppressed (" + SafeCell.SUPPRESSED_SYMBOL + ")</span></div>\n";
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private static final String CSS = """
            body { font-family: "Helvetica Neue", Arial, sans-serif; color: #0b0c0c; margin: 0; background: #fff; }
            main { max-width: 1140px; margin: 0 auto; padding: 24px 20px 48px; }
            h1 { font-size: 32px; margin: 0 0 8px; }
            h2 { font-size: 24px; margin: 40px 0 4px; border-top: 4px solid #1d70b8; padding-top: 12px; }
            .meta { font-size: 18px; margin: 0 0 12px; }
            .note { background: #f3f2f1; border-left: 6px solid #505a5f; padding: 10px 14px; font-size: 15px; }
            .source { color: #505a5f; margin: 0 0 8px; }
            .legend span { margin-right: 24px; font-size: 15px; }
            .legend i { display: inline-block; width: 16px; height: 16px; margin-right: 6px; vertical-align: -3px; }
            .legend i.hatched { background: repeating-linear-gradient(45deg, #f3f2f1 0 3px, #505a5f 3px 5px);
              border: 1px dashed #505a5f; }
            figure { margin: 20px 0 28px; }
            figcaption { font-weight: bold; font-size: 17px; margin-bottom: 6px; }
            svg.chart { display: block; max-width: 100%; height: auto; }
            svg .grid { stroke: #dddddd; stroke-width: 1; }
            svg .baseline { stroke: #0b0c0c; stroke-width: 1.5; }
            svg text { font-family: Arial, sans-serif; font-size: 12px; fill: #0b0c0c; }
            svg text.value { font-size: 11px; }
            svg text.suppressed-label { font-size: 12px; font-weight: bold; fill: #0b0c0c; }
            table.figures { border-collapse: collapse; font-size: 13px; margin-top: 8px; }
            table.figures th, table.figures td { border-bottom: 1px solid #b1b4b6; padding: 3px 10px; text-align: left; }
            table.figures td.num { text-align: right; font-variant-numeric: tabular-nums; }
            table.figures td.suppressed { color: #505a5f; background: #f3f2f1; }
            table.figures tr.total td { font-weight: bold; }
            .withheld { color: #d4351c; font-weight: bold; }
            """;
}
