package org.linkgate.pseudonymisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.linkgate.validation.UkPostcode;

/** Checks the code against the published test vectors, whose hashes were computed with openssl. */
class PseudonymiserTest {

    private static JsonNode vectors;
    private static Pseudonymiser pseudonymiser;

    @BeforeAll
    static void loadVectors() throws Exception {
        try (InputStream in = PseudonymiserTest.class.getResourceAsStream("/pseudonymisation/test-vectors-v1.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
        pseudonymiser = new Pseudonymiser(new PseudonymisationKey(HexFormat.of().parseHex(vectors.get("testKeyHex").asText())));
    }

    @Nested
    class PublishedVectors {
        @Test
        void everyPersonNormalisesAndHashesAsPublished() {
            assertThat(vectors.get("people").size()).isGreaterThan(5);
            for (JsonNode person : vectors.get("people")) {
                LocalDate dob = LocalDate.parse(person.get("dateOfBirth").asText());
                String identity = IdentityNormaliser.personIdentity(person.get("forename").asText(),
                        person.get("surname").asText(), dob);
                assertThat(identity).as(person.get("normalised").asText()).isEqualTo(person.get("normalised").asText());
                assertThat(pseudonymiser.personId(person.get("forename").asText(), person.get("surname").asText(), dob))
                        .isEqualTo(person.get("pseudoId").asText());
            }
        }

        @Test
        void everyFamilyHashesAsPublished() {
            for (JsonNode family : vectors.get("families")) {
                assertThat(IdentityNormaliser.familyIdentity(family.get("council").asText(), family.get("familyRef").asText()))
                        .isEqualTo(family.get("normalised").asText());
                assertThat(pseudonymiser.familyId(family.get("council").asText(), family.get("familyRef").asText()))
                        .isEqualTo(family.get("familyPseudoId").asText());
            }
        }

        @Test
        void everyPostcodeCanonicalisesAsPublished() {
            for (JsonNode postcode : vectors.get("postcodes")) {
                assertThat(UkPostcode.normalise(postcode.get("input").asText())).isEqualTo(postcode.get("canonical").asText());
            }
        }
    }

    @Nested
    class Properties {
        @Test
        void sameFamilyRefInTwoCouncilsIsTwoFamilies() {
            assertThat(pseudonymiser.familyId("E10000012", "F1")).isNotEqualTo(pseudonymiser.familyId("E10000013", "F1"));
        }

        @Test
        void anotherKeyGivesUnrelatedIds() {
            Pseudonymiser other = new Pseudonymiser(new PseudonymisationKey(new byte[32]));
            LocalDate dob = LocalDate.of(2001, 2, 3);
            assertThat(other.personId("Ava", "Khan", dob)).isNotEqualTo(pseudonymiser.personId("Ava", "Khan", dob));
        }

        @Test
        void differentPeopleDiffer() {
            LocalDate dob = LocalDate.of(2001, 2, 3);
            assertThat(pseudonymiser.personId("Ava", "Khan", dob))
                    .isNotEqualTo(pseudonymiser.personId("Ava", "Khan", dob.plusDays(1)))
                    .isNotEqualTo(pseudonymiser.personId("Eva", "Khan", dob));
        }

        @Test
        void shortKeysAreRefusedAndKeysNeverPrint() {
            assertThatThrownBy(() -> new PseudonymisationKey(new byte[16])).isInstanceOf(IllegalArgumentException.class);
            assertThat(new PseudonymisationKey(new byte[32]).toString()).doesNotContain("0").contains("redacted");
        }
    }

    @Test
    void ageBandsCoverEveryAge() {
        assertThat(AgeBand.of(0).label()).isEqualTo("0-4");
        assertThat(AgeBand.of(4).label()).isEqualTo("0-4");
        assertThat(AgeBand.of(5).label()).isEqualTo("5-10");
        assertThat(AgeBand.of(17).label()).isEqualTo("16-17");
        assertThat(AgeBand.of(120).label()).isEqualTo("65+");
        assertThatThrownBy(() -> AgeBand.of(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
