package org.linkgate.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.linkgate.agreement.AgreementFixture.COUNCILS;
import static org.linkgate.agreement.AgreementFixture.DEPARTMENTS;
import static org.linkgate.agreement.AgreementFixture.VALID;
import static org.linkgate.agreement.AgreementFixture.parse;
import static org.linkgate.agreement.AgreementFixture.replacing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractThrowableAssert;
import org.linkgate.agreement.Agreement.ContactRole;
import org.linkgate.agreement.Agreement.Kind;
import org.linkgate.agreement.Agreement.Party;
import org.linkgate.agreement.Agreement.Role;
import org.linkgate.agreement.InvalidAgreementException.Problem;
import org.linkgate.demo.DemoBootstrap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgreementLoaderTest {

    private static AbstractThrowableAssert<?, ? extends Throwable> refusing(String yaml) {
        return assertThatThrownBy(() -> parse(yaml)).isInstanceOf(InvalidAgreementException.class);
    }

    @Nested
    class ValidFile {

        private final Agreement agreement = AgreementFixture.valid();

        @Test
        void readsReferencePurposeAndTerm() {
            assertThat(agreement.reference()).isEqualTo("DSA-TF-2015-001");
            assertThat(agreement.purpose()).contains("research and statistics only");
            assertThat(agreement.term().start()).isEqualTo(LocalDate.of(2015, 5, 22));
            assertThat(agreement.term().end()).isEqualTo(LocalDate.of(2022, 12, 31));
        }

        @Test
        void readsPartiesWithRoleAndKind() {
            assertThat(agreement.parties()).hasSize(10)
                    .contains(new Party("E10000012", Role.DATA_CONTROLLER, Kind.COUNCIL),
                            new Party("ONS", Role.PROCESSOR, Kind.PROCESSOR));
            assertThat(agreement.codesOf(Kind.COUNCIL)).containsExactlyInAnyOrder("E10000012", "E10000013");
            assertThat(agreement.codesOf(Kind.DEPARTMENT)).isEqualTo(DEPARTMENTS);
            assertThat(agreement.party("e10000012")).isPresent();
        }

        @Test
        void readsFlowsTerminationsRetentionDisclosure() {
            assertThat(agreement.departmentsFor("E10000012")).containsExactly("DWP", "MOJ", "DFE", "BIS", "HSCIC", "PHE");
            assertThat(agreement.departmentsFor("E10000013")).containsExactly("DWP", "DFE");
            assertThat(agreement.terminationOf("E10000013")).hasValueSatisfying(t -> {
                assertThat(t.date()).isEqualTo(LocalDate.of(2021, 3, 31));
                assertThat(t.wholeAgreement()).isFalse();
            });
            assertThat(agreement.agreementTermination()).isEmpty();
            assertThat(agreement.retention().linkedData()).isEqualTo(LocalDate.of(2025, 12, 31));
            assertThat(agreement.disclosure().threshold()).isEqualTo(5);
            assertThat(agreement.disclosure().zerosDisclosive()).isFalse();
        }

        @Test
        void contactsNeverShowNameOrEmailInToString() {
            assertThat(agreement.contactsOf("E10000012")).singleElement().satisfies(c -> {
                assertThat(c.role()).isEqualTo(ContactRole.AUTHORISED_REPRESENTATIVE);
                assertThat(c.email()).isEqualTo("council-rep@example.invalid");
                assertThat(c.toString()).doesNotContain("example.invalid", "placeholder");
            });
            assertThat(agreement.toString()).doesNotContain("example.invalid");
        }

        @Test
        void terminationsFlowsAndContactsAreOptional() {
            String minimal = VALID.substring(0, VALID.indexOf("terminations:"))
                    + VALID.substring(VALID.indexOf("retention:"), VALID.indexOf("contacts:"))
                    + VALID.substring(VALID.indexOf("ico:"));
            Agreement agreement = parse(minimal);
            assertThat(agreement.terminations()).isEmpty();
            assertThat(agreement.flows()).isEmpty();
            assertThat(agreement.contacts()).isEmpty();
        }

        @Test
        void zerosAreDisclosiveUnlessSaidOtherwise() {
            Agreement agreement = parse(replacing("{threshold: 5, zerosDisclosive: false}", "{threshold: 5}"));
            assertThat(agreement.disclosure().zerosDisclosive()).isTrue();
            assertThat(agreement.disclosure().isDisclosive(0)).isTrue();
            assertThat(agreement.disclosure().isDisclosive(5)).isTrue();
            assertThat(agreement.disclosure().isDisclosive(6)).isFalse();
        }

        @Test
        void quotedDatesAreDatesToo() {
            Agreement agreement = parse(replacing("{start: 2015-05-22,", "{start: \"2015-05-22\","));
            assertThat(agreement.term().start()).isEqualTo(LocalDate.of(2015, 5, 22));
        }

        @Test
        void loadsFromTheGatewayHome(@TempDir Path home) throws IOException {
            Path file = AgreementLoader.file(home);
            assertThat(file).isEqualTo(home.resolve("config").resolve("agreement.yaml"));
            Files.createDirectories(file.getParent());
            Files.writeString(file, VALID, StandardCharsets.UTF_8);
            assertThat(AgreementLoader.load(file, COUNCILS, DEPARTMENTS)).isEqualTo(AgreementFixture.valid());
        }

        @Test
        void theExampleInResourcesMatchesTheDemoPartners() throws IOException {
            String yaml;
            try (InputStream in = AgreementLoaderTest.class.getResourceAsStream("/agreement/agreement-demo.yaml")) {
                assertThat(in).isNotNull();
                yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Set<String> demoDepartments = Arrays.stream(DemoBootstrap.DemoDepartment.values()).map(Enum::name)
                    .collect(Collectors.toSet());
            Agreement agreement = AgreementLoader.parse(yaml, "agreement-demo.yaml",
                    Set.of(DemoBootstrap.DEMO_COUNCIL), demoDepartments);
            assertThat(agreement.departmentsFor(DemoBootstrap.DEMO_COUNCIL)).containsExactlyInAnyOrderElementsOf(demoDepartments);
            assertThat(agreement.contacts()).allSatisfy(c -> assertThat(c.email()).endsWith(".invalid"));
        }
    }

    @Nested
    class MalformedFile {

        @Test
        void brokenYamlNamesLineAndColumn() {
            refusing(replacing("term: {start: 2015-05-22, end: 2022-12-31}", "term: {start: 2015-05-22, end: [2022"))
                    .hasMessageStartingWith("invalid agreement in agreement.yaml: (document): is not valid YAML at line");
        }

        @Test
        void duplicateKeysAreRefused() {
            refusing(VALID + "reference: DSA-OTHER\n").hasMessageContaining("(document): is not valid YAML")
                    .hasMessageContaining("duplicate key reference");
        }

        @Test
        void noObjectIsEverConstructed() {
            refusing("reference: !!java.io.File [/tmp]\n").hasMessageContaining("(document): is not valid YAML");
        }

        @Test
        void emptyDocument() {
            refusing("# nothing\n").hasMessageContaining("(document): is empty");
        }

        @Test
        void documentThatIsNotAMapping() {
            refusing("- reference\n").hasMessageContaining("(document): must be a mapping");
        }

        @Test
        void missingFile(@TempDir Path home) {
            assertThatThrownBy(() -> AgreementLoader.load(AgreementLoader.file(home), COUNCILS, DEPARTMENTS))
                    .isInstanceOf(InvalidAgreementException.class)
                    .hasMessageContaining("agreement.yaml: (document): missing");
        }

        @Test
        void invalidDateIsNotSilentlyRolledOver() {
            refusing(replacing("councilData: 2022-12-31", "councilData: 2022-02-30"))
                    .hasMessageContaining("retention.councilData: '2022-02-30' is not a date YYYY-MM-DD");
        }
    }

    @Nested
    class UnknownKeys {

        @Test
        void atTopLevel() {
            refusing(VALID + "colour: blue\n")
                    .hasMessageContaining("colour: unknown key (expected one of reference, purpose, parties");
        }

        @Test
        void insideASection() {
            refusing(replacing("{start: 2015-05-22, end: 2022-12-31}", "{start: 2015-05-22, end: 2022-12-31, ends: 2023-01-01}"))
                    .hasMessageContaining("term.ends: unknown key (expected one of start, end)");
        }

        @Test
        void inAListEntry() {
            refusing(replacing("{from: E10000013, to: [DWP, DFE]}", "{from: E10000013, to: [DWP, DFE], via: ONS}"))
                    .hasMessageContaining("flows[1].via: unknown key");
        }

        @Test
        void aMistypedRetentionKind() {
            refusing(replacing("linkedData: 2025-12-31", "linkedDate: 2025-12-31"))
                    .hasMessageContaining("retention.linkedDate: unknown key")
                    .hasMessageContaining("retention.linkedData: is required");
        }
    }

    @Nested
    class Dates {

        @Test
        void endBeforeStart() {
            refusing(replacing("end: 2022-12-31}", "end: 2014-12-31}"))
                    .hasMessageContaining("term.end: 2014-12-31 must be after term.start 2015-05-22");
        }

        @Test
        void endOnStart() {
            refusing(replacing("end: 2022-12-31}", "end: 2015-05-22}"))
                    .hasMessageContaining("term.end: 2015-05-22 must be after term.start 2015-05-22");
        }

        @Test
        void retentionBeforeTheTerm() {
            refusing(replacing("councilData: 2022-12-31", "councilData: 2015-05-21"))
                    .hasMessageContaining("retention.councilData: 2015-05-21 is before term.start 2015-05-22");
        }

        @Test
        void auditTrailMustOutliveTheDataItProves() {
            refusing(replacing("auditTrail: 2030-12-31", "auditTrail: 2024-12-31"))
                    .hasMessageContaining("retention.auditTrail: 2024-12-31 is before retention.linkedData 2025-12-31");
        }

        @Test
        void terminationOutsideTheTerm() {
            refusing(replacing("date: 2021-03-31", "date: 2023-01-01"))
                    .hasMessageContaining("terminations[0].date: 2023-01-01 is outside the term 2015-05-22 to 2022-12-31");
        }

        @Test
        void missingTerm() {
            refusing(replacing("term: {start: 2015-05-22, end: 2022-12-31}\n", ""))
                    .hasMessageContaining("term: is required");
        }
    }

    @Nested
    class Parties {

        @Test
        void councilCodeMustBeAGssCode() {
            refusing(replacing("{code: E10000013, role", "{code: COUNTY, role"))
                    .hasMessageContaining("parties[1].code: 'COUNTY' is not a GSS code such as E10000012");
        }

        @Test
        void declaredTwice() {
            refusing(replacing("{code: E10000013, role", "{code: E10000012, role"))
                    .hasMessageContaining("parties[1].code: E10000012 is already declared at parties[0]");
        }

        @Test
        void unknownRole() {
            refusing(replacing("{code: DWP, role: DATA_PROVIDER", "{code: DWP, role: OWNER"))
                    .hasMessageContaining("parties[4].role: 'OWNER' is not one of DATA_CONTROLLER, PROCESSOR, DATA_PROVIDER");
        }

        @Test
        void roleThatDoesNotFitTheKind() {
            refusing(replacing("{code: ONS, role: PROCESSOR", "{code: ONS, role: DATA_CONTROLLER"))
                    .hasMessageContaining("parties[3].role: a PROCESSOR party cannot be DATA_CONTROLLER (expected PROCESSOR)");
        }

        @Test
        void exactlyOneProcessor() {
            refusing(replacing("  - {code: ONS, role: PROCESSOR, kind: PROCESSOR}\n", ""))
                    .hasMessageContaining("parties: must declare exactly one party of kind PROCESSOR");
        }

        @Test
        void councilConfiguredButNotAParty() {
            assertThatThrownBy(() -> AgreementLoader.parse(VALID, "agreement.yaml",
                    Set.of("E10000012", "E10000013", "E10000099"), DEPARTMENTS))
                    .isInstanceOf(InvalidAgreementException.class)
                    .hasMessageContaining("parties: council E10000099 is configured (config/councils/E10000099)"
                            + " but is not a party to the agreement");
        }

        @Test
        void departmentConfiguredButNotAParty() {
            assertThatThrownBy(() -> AgreementLoader.parse(VALID, "agreement.yaml", COUNCILS, Set.of("DWP", "DVLA")))
                    .hasMessageContaining("parties: department DVLA is configured (config/departments/DVLA)"
                            + " but is not a party to the agreement");
        }

        @Test
        void configuredAsADepartmentButDeclaredOtherwise() {
            assertThatThrownBy(() -> AgreementLoader.parse(VALID, "agreement.yaml", COUNCILS, Set.of("ONS")))
                    .hasMessageContaining("department ONS is configured (config/departments/ONS)"
                            + " but declared as a party of kind PROCESSOR");
        }

        @Test
        void aDeclaredPartyNeedNotBeConfiguredYet() {
            assertThat(AgreementLoader.parse(VALID, "agreement.yaml", Set.of("E10000012"), Set.of("DWP"))
                    .codesOf(Kind.COUNCIL)).contains("E10000013");
        }

        @Test
        void terminationOfAnUndeclaredParty() {
            refusing(replacing("{party: E10000013, date", "{party: E10000014, date"))
                    .hasMessageContaining("terminations[0].party: E10000014 is not a declared party");
        }
    }

    @Nested
    class Flows {

        @Test
        void toAnUndeclaredDepartment() {
            refusing(replacing("to: [DWP, DFE]", "to: [DWP, DVLA]"))
                    .hasMessageContaining("flows[1].to[1]: DVLA is not a declared party");
        }

        @Test
        void toAPartyThatIsNotADepartment() {
            refusing(replacing("to: [DWP, DFE]", "to: [DWP, DCLG]"))
                    .hasMessageContaining("flows[1].to[1]: DCLG is a SPONSOR party, not a DEPARTMENT");
        }

        @Test
        void fromAPartyThatIsNotACouncil() {
            refusing(replacing("{from: E10000013,", "{from: DWP,"))
                    .hasMessageContaining("flows[1].from: DWP is a DEPARTMENT party, not a COUNCIL");
        }

        @Test
        void theSameCouncilTwice() {
            refusing(replacing("{from: E10000013,", "{from: E10000012,"))
                    .hasMessageContaining("flows[1].from: flows of E10000012 are already listed at flows[0]");
        }

        @Test
        void toNobody() {
            refusing(replacing("to: [DWP, DFE]", "to: []")).hasMessageContaining("flows[1].to: must list at least one department");
        }

        @Test
        void toADepartmentTwice() {
            refusing(replacing("to: [DWP, DFE]", "to: [DWP, DWP]")).hasMessageContaining("flows[1].to[1]: DWP is listed twice");
        }
    }

    @Nested
    class DisclosureAndContacts {

        @Test
        void thresholdZero() {
            refusing(replacing("threshold: 5", "threshold: 0"))
                    .hasMessageContaining("disclosure.threshold: 0 must be at least 1");
        }

        @Test
        void thresholdNotANumber() {
            refusing(replacing("threshold: 5", "threshold: five"))
                    .hasMessageContaining("disclosure.threshold: must be a whole number");
        }

        @Test
        void zerosDisclosiveNotABoolean() {
            refusing(replacing("zerosDisclosive: false", "zerosDisclosive: sometimes"))
                    .hasMessageContaining("disclosure.zerosDisclosive: must be true or false");
        }

        @Test
        void methodDefaultsToSuppression() {
            assertThat(AgreementFixture.valid().disclosure().method()).isEqualTo(Agreement.DisclosureMethod.SUPPRESSION);
        }

        @Test
        void cellKeyMethodIsRead() {
            assertThat(parse(replacing("zerosDisclosive: false}", "zerosDisclosive: false, method: cell-key}"))
                    .disclosure().method()).isEqualTo(Agreement.DisclosureMethod.CELL_KEY);
        }

        @Test
        void unknownMethodIsRefusedWithTheChoices() {
            refusing(replacing("zerosDisclosive: false}", "zerosDisclosive: false, method: rounding}"))
                    .hasMessageContaining("disclosure.method: must be one of [suppression, cell-key]");
        }

        @Test
        void malformedEmailIsNamedWithoutEchoingIt() {
            refusing(replacing("email: council-rep@example.invalid", "email: council-rep.example.invalid"))
                    .hasMessageContaining("contacts[0].email: is not an e-mail address")
                    .hasMessageNotContaining("council-rep");
        }

        @Test
        void contactOfAnUndeclaredParty() {
            refusing(replacing("{party: DCLG, role: INCIDENT", "{party: HMRC, role: INCIDENT"))
                    .hasMessageContaining("contacts[1].party: HMRC is not a declared party");
        }
    }

    @Nested
    class Reporting {

        @Test
        void everyProblemAtOnceEachWithItsPath() {
            String yaml = replacing("threshold: 5", "threshold: 0").replace("to: [DWP, DFE]", "to: [DWP, DVLA]");
            assertThatThrownBy(() -> parse(yaml))
                    .isInstanceOfSatisfying(InvalidAgreementException.class, e -> {
                        assertThat(e.source()).isEqualTo("agreement.yaml");
                        assertThat(e.problems()).extracting(Problem::path)
                                .containsExactly("flows[1].to[1]", "disclosure.threshold");
                        assertThat(e.getMessage()).contains("2 problems: flows[1].to[1]: DVLA");
                    });
        }

        @Test
        void unreadablePartiesAreReportedOnceNotAtEveryReference() {
            String yaml = VALID.substring(0, VALID.indexOf("parties:")) + "parties: E10000012\n"
                    + VALID.substring(VALID.indexOf("term:"));
            assertThatThrownBy(() -> parse(yaml))
                    .isInstanceOfSatisfying(InvalidAgreementException.class, e -> assertThat(e.problems())
                            .containsExactly(new Problem("parties", "must be a list")));
        }

        @Test
        void anInvalidPartyIsReportedOnceNotAtEveryReference() {
            assertThatThrownBy(() -> parse(replacing("{code: E10000013, role: DATA_CONTROLLER", "{code: E10000013, role: PROCESSOR")))
                    .isInstanceOfSatisfying(InvalidAgreementException.class, e -> assertThat(e.problems())
                            .extracting(Problem::path).containsExactly("parties[1].role"));
        }
    }

    /** cl. 6.1 purposes and cl. 13.1 ICO: what a data protection officer writes, and what is refused. */
    @Nested
    class PurposesAndIco {

        private static final String ICO_LINE =
                "ico: {name: \"Information Commissioner's Office (placeholder)\", email: ico-breaches@example.invalid}\n";

        @Test
        void withoutPurposesTheOnePurposeIsTheOnlyOne() {
            Agreement agreement = AgreementFixture.valid();
            assertThat(agreement.purposes()).containsExactly(agreement.purpose());
            assertThat(agreement.purposeNamed(" " + agreement.purpose().toUpperCase() + " ")).contains(agreement.purpose());
            assertThat(agreement.purposeNamed("marketing")).isEmpty();
            assertThat(agreement.ico().email()).isEqualTo("ico-breaches@example.invalid");
            assertThat(agreement.ico().toString()).doesNotContain("@");
            assertThat(agreement.icoWaiver()).isNull();
        }

        @Test
        void listedPurposesAreTheOnesARequestMayName() {
            Agreement agreement = parse(VALID + "purposes: [\"Programme evaluation\", \"Official statistics\"]\n");
            assertThat(agreement.purposes()).containsExactly("Programme evaluation", "Official statistics");
            assertThat(agreement.purposeNamed("official statistics")).contains("Official statistics");
        }

        @Test
        void badPurposesAreRefusedEachNamed() {
            refusing(VALID + "purposes: []\n").hasMessageContaining("purposes: must list at least one purpose");
            refusing(VALID + "purposes: [a, A]\n").hasMessageContaining("purposes[1]: is listed twice");
            refusing(VALID + "purposes: [\"" + "p".repeat(201) + "\"]\n")
                    .hasMessageContaining("purposes[0]: is longer than 200 characters");
            refusing(VALID + "purposes: evaluation\n").hasMessageContaining("purposes: must be a list");
        }

        @Test
        void anAgreementWithoutAnIcoContactNeedsAnExplicitWaiver() {
            String without = VALID.replace(ICO_LINE, "");
            assertThat(without).isNotEqualTo(VALID);
            refusing(without).hasMessageContaining("ico: is required for personal-data breaches (cl. 13.1)");
            refusing(without + "icoWaiver: \"  \"\n").hasMessageContaining("icoWaiver: must not be blank");
            refusing(VALID + "icoWaiver: \"the DPO tells the ICO\"\n")
                    .hasMessageContaining("icoWaiver: must not be given with ico");
            refusing(without + "ico: {name: ICO, email: not-an-address}\n").hasMessageContaining("ico.email: is not an e-mail")
                    .hasMessageNotContaining("not-an-address");

            Agreement waived = parse(without + "icoWaiver: \"the sponsor's DPO notifies the ICO\"\n");
            assertThat(waived.ico()).isNull();
            assertThat(waived.icoWaiver()).isEqualTo("the sponsor's DPO notifies the ICO");
        }
    }
}
