package org.linkgate.agreement;

import java.util.Set;

/** A valid agreement in text, and helpers to break it one line at a time. Placeholder contacts only. */
final class AgreementFixture {

    static final Set<String> COUNCILS = Set.of("E10000012", "E10000013");
    static final Set<String> DEPARTMENTS = Set.of("DWP", "MOJ", "DFE", "BIS", "HSCIC", "PHE");

    static final String VALID = """
            reference: DSA-TF-2015-001
            purpose: "Evaluation of the Expanded Troubled Families Programme (research and statistics only, cl. 6.1)"
            parties:
              - {code: E10000012, role: DATA_CONTROLLER, kind: COUNCIL}
              - {code: E10000013, role: DATA_CONTROLLER, kind: COUNCIL}
              - {code: DCLG, role: DATA_CONTROLLER, kind: SPONSOR}
              - {code: ONS, role: PROCESSOR, kind: PROCESSOR}
              - {code: DWP, role: DATA_PROVIDER, kind: DEPARTMENT}
              - {code: MOJ, role: DATA_PROVIDER, kind: DEPARTMENT}
              - {code: DFE, role: DATA_PROVIDER, kind: DEPARTMENT}
              - {code: BIS, role: DATA_PROVIDER, kind: DEPARTMENT}
              - {code: HSCIC, role: DATA_PROVIDER, kind: DEPARTMENT}
              - {code: PHE, role: DATA_PROVIDER, kind: DEPARTMENT}
            term: {start: 2015-05-22, end: 2022-12-31}
            terminations:
              - {party: E10000013, date: 2021-03-31, reason: "one month's notice (cl. 15.1)"}
            flows:
              - {from: E10000012, to: [DWP, MOJ, DFE, BIS, HSCIC, PHE]}
              - {from: E10000013, to: [DWP, DFE]}
            retention:
              councilData: 2022-12-31
              linkedData: 2025-12-31
              auditTrail: 2030-12-31
            disclosure: {threshold: 5, zerosDisclosive: false}
            contacts:
              - {party: E10000012, role: AUTHORISED_REPRESENTATIVE, name: "Council representative (placeholder)", email: council-rep@example.invalid}
              - {party: DCLG, role: INCIDENT, name: "Sponsor incident desk (placeholder)", email: sponsor-incidents@example.invalid}
            ico: {name: "Information Commissioner's Office (placeholder)", email: ico-breaches@example.invalid}
            """;

    private AgreementFixture() {
    }

    static Agreement parse(String yaml) {
        return AgreementLoader.parse(yaml, "agreement.yaml", COUNCILS, DEPARTMENTS);
    }

    static Agreement valid() {
        return parse(VALID);
    }

    /** The valid agreement with one exact piece of text replaced (which must be there). */
    static String replacing(String target, String replacement) {
        if (!VALID.contains(target)) {
            throw new IllegalArgumentException("fixture has no " + target);
        }
        return VALID.replace(target, replacement);
    }
}
