package org.linkgate.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.store.TestDatabases;

/** Term-frequency adjustment: a rare exact name weighs more than the average, a common one less. */
class TermFrequencyTest {

    private static NoisyPopulation.Row row(int truth, String forename, String surname, String dob) {
        return new NoisyPopulation.Row(truth, new IdentityRecord(forename, null, surname, dob, "F", null, null, null,
                "LS1 4AP", null, null, null));
    }

    @Test
    void theModelUsesTheValuesOwnUOnlyForExactAgreement() {
        FellegiSunterModel model = FellegiSunterModel.priors();
        int[] exact = {3, 3, 3, 1, 2, Comparison.NULL};
        int[] phonetic = {2, 3, 3, 1, 2, Comparison.NULL};
        double average = model.weight(exact);
        assertThat(model.weight(exact, Double.NaN, Double.NaN)).isEqualTo(average);
        assertThat(model.weight(exact, 1e-4, Double.NaN)).isGreaterThan(average + 5);
        assertThat(model.weight(exact, 0.05, Double.NaN)).isLessThan(average - 3);
        assertThat(model.weight(exact, Double.NaN, 1e-4)).isGreaterThan(average + 5);
        // Only the exact level is adjusted.
        assertThat(model.weight(phonetic, 1e-4, Double.NaN)).isEqualTo(model.weight(phonetic));
    }

    @Test
    void sharesAreCountedOnKeyedTokensOverStoreAndBatchAndSmoothed() {
        LinkageStoreFixture store = new LinkageStoreFixture(TestDatabases.h2());
        List<NoisyPopulation.Row> first = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            first.add(row(i, "Olivia", "Smith", "2001-01-" + String.format("%02d", 1 + i % 28)));
        }
        first.add(row(100, "Eulalia", "Smith", "1999-05-05"));
        store.acceptAndLink("even", first);
        String batch = store.acceptAndLink("even", List.of(row(100, "Eulalia", "Smith", "1999-05-05"),
                row(1, "Olivia", "Smith", "2001-01-02")));
        TermFrequencies terms = TermFrequencies.of(store.jdbc, batch);
        String olivia = store.jdbc.queryForObject("select fn from linkage_row where intake_id = ? and row_number = 2",
                String.class, batch);
        String eulalia = store.jdbc.queryForObject("select fn from linkage_row where intake_id = ? and row_number = 1",
                String.class, batch);
        String smith = store.jdbc.queryForObject("select sn from linkage_row where intake_id = ? and row_number = 1",
                String.class, batch);
        assertThat(terms.forenameCount(olivia)).isEqualTo(41);
        assertThat(terms.forenameCount(eulalia)).isEqualTo(2);
        assertThat(terms.surnameCount(smith)).isEqualTo(43);
        assertThat(terms.forenameCount("not-a-token")).isZero();
        assertThat(terms.u(0, 0.01)).isNaN();
        // 43 records and 1000 pseudo-records at the average: a tiny store stays near the average u.
        assertThat(terms.u(41, 0.01)).isCloseTo((41 + 10.0) / 1043, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(terms.u(2, 0.01)).isLessThan(terms.u(41, 0.01));
    }
}
