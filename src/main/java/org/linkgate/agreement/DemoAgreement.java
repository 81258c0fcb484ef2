package org.linkgate.agreement;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * DEMO ONLY: writes an agreement for the partners the demo bootstrap creates, in the shape of
 * {@code agreement/agreement-demo.yaml}, with a term around the day it is written so the demo
 * runs. Contacts are placeholders on the reserved {@code .invalid} domain, never real people.
 */
public final class DemoAgreement {

    /** The sponsor and processor of the demo, as in the agreement (cl. 2.1). */
    public static final String SPONSOR = "DCLG";
    public static final String PROCESSOR = "ONS";
    static final String REFERENCE = "DSA-TF-DEMO";
    static final String PURPOSE = "Evaluation of the Expanded Troubled Families Programme"
            + " (research and statistics only, cl. 6.1) - synthetic demo data";
    /** The purposes a demo table request may name (cl. 6.1). */
    public static final String EVALUATION_PURPOSE = "Programme evaluation";
    public static final String STATISTICS_PURPOSE = "Official statistics";

    private DemoAgreement() {
    }

    /**
     * A valid agreement: every council and department a party, every council's data allowed to
     * every department, the term from a year before {@code today} to three years after.
     *
     * @throws IllegalArgumentException if a code is malformed, repeated or clashes with the sponsor or processor
     */
    public static String demoYaml(List<String> councils, List<String> departments, LocalDate today) {
        Objects.requireNonNull(today, "today");
        check(councils, departments);
        LocalDate start = today.minusYears(1);
        LocalDate end = today.plusYears(3);
        StringBuilder yaml = new StringBuilder(2048);
        yaml.append("# DEMO agreement, generated for synthetic data only. Contacts are placeholders.\n")
                .append("reference: ").append(REFERENCE).append('\n')
                .append("purpose: \"").append(PURPOSE).append("\"\n")
                .append("parties:\n");
        for (String council : councils) {
            yaml.append("  - {code: ").append(council).append(", role: DATA_CONTROLLER, kind: COUNCIL}\n");
        }
        yaml.append("  - {code: ").append(SPONSOR).append(", role: DATA_CONTROLLER, kind: SPONSOR}\n")
                .append("  - {code: ").append(PROCESSOR).append(", role: PROCESSOR, kind: PROCESSOR}\n");
        for (String department : departments) {
            yaml.append("  - {code: ").append(department).append(", role: DATA_PROVIDER, kind: DEPARTMENT}\n");
        }
        yaml.append("term: {start: ").append(start).append(", end: ").append(end).append("}\n");
        if (departments.isEmpty()) {
            yaml.append("flows: []\n");
        } else {
            yaml.append("flows:\n");
            String to = String.join(", ", departments);
            for (String council : councils) {
                yaml.append("  - {from: ").append(council).append(", to: [").append(to).append("]}\n");
            }
        }
        yaml.append("retention:\n")
                .append("  councilData: ").append(end).append('\n')
                .append("  linkedData: ").append(end.plusYears(3)).append('\n')
                .append("  auditTrail: ").append(end.plusYears(8)).append('\n')
                .append("disclosure: {threshold: 5, zerosDisclosive: true}\n")
                .append("release: {k: 5}\n")
                .append("contacts:\n");
        for (String council : councils) {
            contact(yaml, council, "Council authorised representative (placeholder)");
        }
        contact(yaml, SPONSOR, "Sponsor authorised representative (placeholder)");
        contact(yaml, PROCESSOR, "Processor authorised representative (placeholder)");
        yaml.append("purposes: [\"").append(EVALUATION_PURPOSE).append("\", \"").append(STATISTICS_PURPOSE).append("\"]\n")
                .append("ico: {name: \"Information Commissioner's Office (placeholder)\",")
                .append(" email: ico-breaches@example.invalid}\n");
        return yaml.toString();
    }

    private static void contact(StringBuilder yaml, String party, String name) {
        yaml.append("  - {party: ").append(party).append(", role: AUTHORISED_REPRESENTATIVE, name: \"").append(name)
                .append("\", email: representative@").append(party.toLowerCase(Locale.ROOT)).append(".example.invalid}\n");
    }

    private static void check(List<String> councils, List<String> departments) {
        Set<String> seen = new HashSet<>(Set.of(SPONSOR, PROCESSOR));
        for (String council : councils) {
            if (council == null || !PartnerRegistry.GSS_CODE.matcher(council).matches()) {
                throw new IllegalArgumentException("not a GSS code: " + council);
            }
            if (!seen.add(council)) {
                throw new IllegalArgumentException("council listed twice: " + council);
            }
        }
        for (String department : departments) {
            if (department == null || !AgreementLoader.CODE.matcher(department).matches()) {
                throw new IllegalArgumentException("not a department code: " + department);
            }
            if (!seen.add(department)) {
                throw new IllegalArgumentException("department listed twice or clashing with sponsor/processor: " + department);
            }
        }
    }
}
