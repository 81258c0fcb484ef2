package org.linkgate.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.linkgate.agreement.Agreement.Kind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DemoAgreementTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 2, 14);
    private static final List<String> DEPARTMENTS = List.of("DWP", "MOJ", "DFE", "BIS", "HSCIC", "PHE");

    @Nested
    class Generated {

        private final List<String> councils = List.of("E10000012", "E10000013");
        private final Agreement agreement = AgreementLoader.parse(DemoAgreement.demoYaml(councils, DEPARTMENTS, TODAY),
                "demo", Set.copyOf(councils), Set.copyOf(DEPARTMENTS));
        private final AgreementPolicy policy = new AgreementPolicy(agreement);

        @Test
        void listsEveryDemoPartner() {
            assertThat(agreement.codesOf(Kind.COUNCIL)).containsExactlyInAnyOrderElementsOf(councils);
            assertThat(agreement.codesOf(Kind.DEPARTMENT)).containsExactlyInAnyOrderElementsOf(DEPARTMENTS);
            assertThat(agreement.codesOf(Kind.PROCESSOR)).containsExactly(DemoAgreement.PROCESSOR);
        }

        @Test
        void termCoversToday() {
            assertThat(agreement.term().covers(TODAY)).isTrue();
            assertThat(policy.destructionDue(TODAY)).isEmpty();
        }

        @Test
        void everyCouncilMaySendAndReachEveryDepartmentToday() {
            for (String council : councils) {
                assertThat(policy.intake(council, TODAY).allowed()).isTrue();
                for (String department : DEPARTMENTS) {
                    assertThat(policy.flow(council, department, TODAY).allowed()).isTrue();
                }
            }
        }

        @Test
        void contactsArePlaceholders() {
            assertThat(agreement.contacts()).isNotEmpty()
                    .allSatisfy(c -> {
                        assertThat(c.email()).endsWith(".invalid");
                        assertThat(c.name()).contains("placeholder");
                    });
        }
    }

    @Nested
    class EdgeCases {

        @Test
        void noDepartmentsStillLoads() {
            Agreement agreement = AgreementLoader.parse(DemoAgreement.demoYaml(List.of("E10000012"), List.of(), TODAY),
                    "demo", Set.of("E10000012"), Set.of());
            assertThat(agreement.flows()).isEmpty();
        }

        @Test
        void refusesCodesThatWouldMakeAnInvalidAgreement() {
            assertThatThrownBy(() -> DemoAgreement.demoYaml(List.of("COUNTY"), DEPARTMENTS, TODAY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a GSS code");
            assertThatThrownBy(() -> DemoAgreement.demoYaml(List.of("E10000012"), List.of("ONS"), TODAY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ONS");
            assertThatThrownBy(() -> DemoAgreement.demoYaml(List.of("E10000012", "E10000012"), DEPARTMENTS, TODAY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        }
    }
}
