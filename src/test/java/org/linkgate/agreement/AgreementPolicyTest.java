package org.linkgate.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.linkgate.agreement.AgreementFixture.parse;
import static org.linkgate.agreement.AgreementFixture.replacing;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.linkgate.agreement.AgreementPolicy.Decision;
import org.linkgate.agreement.AgreementPolicy.Reason;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AgreementPolicyTest {

    private static final LocalDate START = LocalDate.of(2015, 5, 22);
    private static final LocalDate END = LocalDate.of(2022, 12, 31);
    /** E10000013's termination (fixture) takes effect on this day. */
    private static final LocalDate E13_TERMINATED = LocalDate.of(2021, 3, 31);
    private static final LocalDate MID_TERM = LocalDate.of(2018, 6, 1);

    private final AgreementPolicy policy = new AgreementPolicy(AgreementFixture.valid());

    private static AgreementPolicy withTerminations(String terminations) {
        return new AgreementPolicy(parse(replacing(
                "  - {party: E10000013, date: 2021-03-31, reason: \"one month's notice (cl. 15.1)\"}\n", terminations)));
    }

    @Nested
    class Term {

        @Test
        void theStartDayIsInTheTerm() {
            assertThat(policy.intake("E10000012", START).allowed()).isTrue();
            assertThat(policy.flow("E10000012", "DWP", START).allowed()).isTrue();
        }

        @Test
        void theDayBeforeTheStartIsNot() {
            Decision decision = policy.intake("E10000012", START.minusDays(1));
            assertThat(decision.code()).isEqualTo("before_term");
            assertThat(decision.message())
                    .isEqualTo("intake from E10000012 refused: the agreement's term starts on 2015-05-22 (cl. 3.1)");
            assertThat(policy.flow("E10000012", "DWP", START.minusDays(1)).reason()).isEqualTo(Reason.BEFORE_TERM);
        }

        @Test
        void theEndDayIsInTheTerm() {
            assertThat(policy.intake("E10000012", END).allowed()).isTrue();
            assertThat(policy.flow("E10000012", "PHE", END).allowed()).isTrue();
        }

        @Test
        void theDayAfterTheEndIsNot() {
            Decision decision = policy.flow("E10000012", "DWP", END.plusDays(1));
            assertThat(decision.code()).isEqualTo("after_term");
            assertThat(decision.message()).isEqualTo(
                    "fan-out of E10000012 data to DWP refused: the agreement's term ended on 2022-12-31 (cl. 3.1)");
            assertThat(policy.intake("E10000012", END.plusDays(1)).reason()).isEqualTo(Reason.AFTER_TERM);
        }

        @Test
        void anAllowedDecisionNamesTheAgreement() {
            Decision decision = policy.intake("E10000012", MID_TERM);
            assertThat(decision.code()).isEqualTo("allowed");
            assertThat(decision.message()).isEqualTo("intake from E10000012 permitted under agreement DSA-TF-2015-001");
        }
    }

    @Nested
    class TerminationOfOneCouncil {

        @Test
        void itsIntakeRunsUntilTheDayBefore() {
            assertThat(policy.intake("E10000013", E13_TERMINATED.minusDays(1)).allowed()).isTrue();
            assertThat(policy.flow("E10000013", "DWP", E13_TERMINATED.minusDays(1)).allowed()).isTrue();
        }

        @Test
        void itsIntakeAndFlowsStopOnTheDay() {
            Decision intake = policy.intake("E10000013", E13_TERMINATED);
            assertThat(intake.code()).isEqualTo("party_terminated");
            assertThat(intake.message()).isEqualTo("intake from E10000013 refused: the agreement is terminated for"
                    + " E10000013 with effect from 2021-03-31 (cl. 15)");
            assertThat(policy.flow("E10000013", "DWP", E13_TERMINATED).reason()).isEqualTo(Reason.PARTY_TERMINATED);
            assertThat(policy.flow("E10000013", "DFE", END).reason()).isEqualTo(Reason.PARTY_TERMINATED);
        }

        @Test
        void otherCouncilsCarryOn() {
            assertThat(policy.intake("E10000012", E13_TERMINATED).allowed()).isTrue();
            assertThat(policy.flow("E10000012", "DWP", E13_TERMINATED).allowed()).isTrue();
        }

        @Test
        void theEarliestTerminationInEffectWinsWhateverTheOrder() {
            // A termination recorded while running, added after the file's later-dated one (cl. 13.2).
            Agreement later = AgreementFixture.valid().withTermination(
                    new Agreement.Termination("E10000013", E13_TERMINATED.minusMonths(2), "recorded at run time"));
            AgreementPolicy both = new AgreementPolicy(later);
            assertThat(both.intake("E10000013", E13_TERMINATED.minusMonths(2)).code()).isEqualTo("party_terminated");
            assertThat(later.terminationOf("E10000013").orElseThrow().date()).isEqualTo(E13_TERMINATED.minusMonths(2));
            assertThat(later.withTerminationUnlessEarlier(new Agreement.Termination("E10000013", END, "later")))
                    .as("a later-dated one changes nothing").isSameAs(later);
            Agreement whole = later.withTermination(new Agreement.Termination(null, END, "later"))
                    .withTermination(new Agreement.Termination(null, MID_TERM, "earlier"));
            assertThat(whole.agreementTermination().orElseThrow().date()).isEqualTo(MID_TERM);
            assertThat(new AgreementPolicy(whole).intake("E10000012", MID_TERM).code()).isEqualTo("terminated");
        }

        @Test
        void itIsListedAsTerminatedFromTheDay() {
            assertThat(policy.terminatedParties(E13_TERMINATED.minusDays(1))).isEmpty();
            assertThat(policy.terminatedParties(E13_TERMINATED)).containsExactly("E10000013");
            assertThat(policy.terminated(E13_TERMINATED)).isFalse();
        }
    }

    @Nested
    class OtherTerminations {

        @Test
        void ofTheWholeAgreementStopsEveryone() {
            AgreementPolicy whole = withTerminations("  - {date: 2020-01-01, reason: \"material breach (cl. 15.2)\"}\n");
            LocalDate day = LocalDate.of(2020, 1, 1);
            Decision decision = whole.intake("E10000012", day);
            assertThat(decision.code()).isEqualTo("terminated");
            assertThat(decision.message()).isEqualTo(
                    "intake from E10000012 refused: the agreement is terminated with effect from 2020-01-01 (cl. 15)");
            assertThat(whole.flow("E10000013", "DWP", day).reason()).isEqualTo(Reason.TERMINATED);
            assertThat(whole.intake("E10000012", day.minusDays(1)).allowed()).isTrue();
            assertThat(whole.terminated(day)).isTrue();
            assertThat(whole.terminatedParties(day)).hasSize(10).contains("E10000012", "DWP", "ONS");
        }

        @Test
        void ofADepartmentStopsFlowsToItOnly() {
            AgreementPolicy dwpOut = withTerminations("  - {party: DWP, date: 2019-04-01}\n");
            LocalDate day = LocalDate.of(2019, 4, 1);
            assertThat(dwpOut.flow("E10000012", "DWP", day).message()).isEqualTo("fan-out of E10000012 data to DWP"
                    + " refused: the agreement is terminated for DWP with effect from 2019-04-01 (cl. 15)");
            assertThat(dwpOut.flow("E10000012", "MOJ", day).allowed()).isTrue();
            assertThat(dwpOut.intake("E10000012", day).allowed()).isTrue();
        }

        @Test
        void ofTheSponsorStopsEverything() {
            AgreementPolicy sponsorOut = withTerminations("  - {party: DCLG, date: 2019-04-01}\n");
            LocalDate day = LocalDate.of(2019, 4, 1);
            assertThat(sponsorOut.intake("E10000012", day).message()).contains("terminated for DCLG");
            assertThat(sponsorOut.flow("E10000012", "MOJ", day).reason()).isEqualTo(Reason.PARTY_TERMINATED);
        }
    }

    @Nested
    class Flows {

        @Test
        void aFlowTheAgreementDoesNotList() {
            Decision decision = policy.flow("E10000012", "MOJ", MID_TERM);
            assertThat(decision.allowed()).isTrue();
            decision = policy.flow("E10000013", "MOJ", MID_TERM);
            assertThat(decision.code()).isEqualTo("flow_not_permitted");
            assertThat(decision.message()).isEqualTo(
                    "fan-out of E10000013 data to MOJ refused: the agreement lists no such flow (cl. 6.1, 8.1)");
        }

        @Test
        void anUnknownCouncil() {
            Decision decision = policy.flow("E10000099", "DWP", MID_TERM);
            assertThat(decision.code()).isEqualTo("unknown_party");
            assertThat(decision.message()).isEqualTo("fan-out of E10000099 data to DWP refused:"
                    + " E10000099 is not a council party to the agreement (cl. 8.1)");
            assertThat(policy.intake("E10000099", MID_TERM).message()).isEqualTo(
                    "intake from E10000099 refused: it is not a council party to the agreement (cl. 8.1)");
        }

        @Test
        void anUnknownDepartment() {
            assertThat(policy.flow("E10000012", "DVLA", MID_TERM).message()).isEqualTo("fan-out of E10000012 data to"
                    + " DVLA refused: DVLA is not a department party to the agreement (cl. 8.1)");
        }

        @Test
        void partiesOfTheWrongKindAreUnknownInThatRole() {
            assertThat(policy.intake("DWP", MID_TERM).reason()).isEqualTo(Reason.UNKNOWN_PARTY);
            assertThat(policy.flow("E10000012", "ONS", MID_TERM).reason()).isEqualTo(Reason.UNKNOWN_PARTY);
            assertThat(policy.intake(null, MID_TERM).reason()).isEqualTo(Reason.UNKNOWN_PARTY);
        }

        @Test
        void codesAreCaseInsensitiveLikeSftpAccounts() {
            assertThat(policy.intake("e10000012", MID_TERM).allowed()).isTrue();
            assertThat(policy.flow("e10000012", "dwp", MID_TERM).allowed()).isTrue();
        }

        @Test
        void unknownPartyWinsOverTheDate() {
            assertThat(policy.intake("E10000099", END.plusYears(1)).reason()).isEqualTo(Reason.UNKNOWN_PARTY);
        }
    }

    @Nested
    class Destruction {

        @Test
        void nothingIsDueWhileRetentionRuns() {
            assertThat(policy.destructionDue(MID_TERM)).isEmpty();
            assertThat(policy.destructionDue(LocalDate.of(2022, 12, 31))).isEmpty();
        }

        @Test
        void councilDataIsDueTheDayAfterItsDate() {
            assertThat(policy.destructionDue(LocalDate.of(2023, 1, 1))).containsExactly("councilData");
        }

        @Test
        void linkedDataFollowsItsOwnDate() {
            assertThat(policy.destructionDue(LocalDate.of(2025, 12, 31))).containsExactly("councilData");
            assertThat(policy.destructionDue(LocalDate.of(2026, 1, 1))).containsExactly("councilData", "linkedData");
        }

        @Test
        void everythingIsDueAfterTheAuditTrailDate() {
            assertThat(policy.destructionDue(LocalDate.of(2031, 1, 1)))
                    .containsExactly("councilData", "linkedData", "auditTrail");
        }

        @Test
        void terminationOfTheWholeAgreementBringsCouncilDataForward() {
            AgreementPolicy whole = withTerminations("  - {date: 2020-01-01}\n");
            assertThat(whole.destructionDue(LocalDate.of(2019, 12, 31))).isEmpty();
            assertThat(whole.destructionDue(LocalDate.of(2020, 1, 1))).containsExactly("councilData");
        }

        @Test
        void terminationOfOneCouncilLeavesTheScheduleAlone() {
            assertThat(policy.destructionDue(E13_TERMINATED)).isEmpty();
        }
    }

    @Test
    void todayIsTheUkCalendarDay() {
        Clock lateJuneEveningUtc = Clock.fixed(Instant.parse("2020-06-30T23:30:00Z"), ZoneOffset.UTC);
        assertThat(AgreementPolicy.today(lateJuneEveningUtc)).isEqualTo(LocalDate.of(2020, 7, 1));
    }
}
