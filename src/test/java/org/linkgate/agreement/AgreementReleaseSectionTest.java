package org.linkgate.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.linkgate.agreement.AgreementFixture.VALID;
import static org.linkgate.agreement.AgreementFixture.parse;

import org.junit.jupiter.api.Test;

/** The agreement's optional {@code release} section: k of the release check and the purposes a release may serve. */
class AgreementReleaseSectionTest {

    @Test
    void withoutTheSectionKIsFiveAndOnlyTheAgreementsPurposeServes() {
        Agreement agreement = parse(VALID);
        assertThat(agreement.release().k()).isEqualTo(5);
        assertThat(agreement.releasePurposes()).containsExactly(agreement.purpose());
    }

    @Test
    void theSectionSetsKAndAddsPurposes() {
        Agreement agreement = parse(VALID + "release: {k: 10, purposes: [\"Longitudinal follow-up (cl. 4.11)\"]}\n");
        assertThat(agreement.release().k()).isEqualTo(10);
        assertThat(agreement.releasePurposes()).containsExactly(agreement.purpose(), "Longitudinal follow-up (cl. 4.11)");
    }

    @Test
    void aKThatProtectsNoOneOrAnUnknownKeyIsRefusedWithItsPath() {
        assertThatThrownBy(() -> parse(VALID + "release: {k: 1}\n")).isInstanceOf(InvalidAgreementException.class)
                .hasMessageContaining("release.k").hasMessageContaining("at least 2");
        assertThatThrownBy(() -> parse(VALID + "release: {k: five}\n")).hasMessageContaining("release.k")
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> parse(VALID + "release: {k: 5, granularity: fine}\n")).hasMessageContaining("granularity");
        assertThatThrownBy(() -> parse(VALID + "release: {purposes: [\"\"]}\n")).hasMessageContaining("release.purposes[0]");
    }
}
