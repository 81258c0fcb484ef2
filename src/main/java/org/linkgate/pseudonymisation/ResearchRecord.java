package org.linkgate.pseudonymisation;

/**
 * What research keeps of one person in one batch: keyed pseudo ids and derived variables,
 * no direct identifier. Family size is filled in by the store once the whole file is in.
 */
public record ResearchRecord(
        long rowNumber,
        String pseudoId,
        String familyPseudoId,
        String personRefKey,
        String councilCode,
        String period,
        String cohort,
        String sex,
        int ageAtIdentification,
        AgeBand ageBand,
        String identifiedMonth,
        ProblemFlags problems,
        String pseudonymisationVersion) {

    /** The six headline problems of the programme, each 0 or 1. */
    public record ProblemFlags(int crimeAsb, int education, int childrenInNeed, int worklessness,
                               int domesticAbuse, int health) {
        public int count() {
            return crimeAsb + education + childrenInNeed + worklessness + domesticAbuse + health;
        }
    }
}
