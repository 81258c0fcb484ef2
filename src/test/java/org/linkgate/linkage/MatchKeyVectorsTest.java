package org.linkgate.linkage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkgate.pseudonymisation.IdentityNormaliserV2;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.pseudonymisation.PseudonymisationKey;

/**
 * Checks every match key and comparison token against the published v2 vectors, whose HMACs were
 * computed with openssl (src/test/resources/linkage/make-vectors-v2.py), and the v2 rules themselves.
 */
class MatchKeyVectorsTest {

    private static JsonNode vectors;
    private static MatchEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = MatchKeyVectorsTest.class.getResourceAsStream("/pseudonymisation/test-vectors-v2.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
        encoder = new MatchEncoder(new PseudonymisationKey(HexFormat.of().parseHex(vectors.get("testKeyHex").asText())),
                ForenameVariants.shipped());
    }

    @Test
    void everyKeyAndTokenOfEveryPersonIsAsPublished() {
        assertThat(vectors.get("people").size()).isGreaterThanOrEqualTo(8);
        int checked = 0;
        for (JsonNode person : vectors.get("people")) {
            JsonNode in = person.get("input");
            IdentityRecord identity = VectorInputs.person(in.get("forename").asText(), in.get("surname").asText(),
                    in.get("dateOfBirth").asText(), in.get("sex").asText(), in.get("postcode").asText(),
                    in.get("nhsNumber").isNull() ? null : in.get("nhsNumber").asText());
            MatchEncoder.Parts parts = MatchEncoder.parts(identity);
            List<String> published = new ArrayList<>();
            for (JsonNode key : person.get("keys")) {
                published.add(key.get("label").asText());
                KeyLevel level = level(key.get("label").asText());
                assertThat(encoder.keyString(level, parts)).isEqualTo(key.get("normalised").asText());
                assertThat(encoder.keyHmac(level, parts)).as(key.get("normalised").asText())
                        .isEqualTo(key.get("hmac").asText());
                checked++;
            }
            List<String> computed = new ArrayList<>();
            for (KeyLevel level : KeyLevel.values()) {
                if (encoder.keyString(level, parts) != null) {
                    computed.add(level.label());
                }
            }
            assertThat(computed).as("the code makes no key that is not published").isEqualTo(published);
            for (MatchEncoder.Token token : MatchEncoder.Token.values()) {
                List<String> strings = new ArrayList<>();
                List<String> hmacs = new ArrayList<>();
                for (JsonNode t : person.get("tokens")) {
                    if (t.get("label").asText().equals(token.label)) {
                        strings.add(t.get("normalised").asText());
                        hmacs.add(t.get("hmac").asText());
                    }
                }
                assertThat(encoder.tokenStrings(token, parts)).isEqualTo(strings);
                assertThat(encoder.tokenHmacs(token, parts)).isEqualTo(hmacs);
                checked += hmacs.size();
            }
        }
        assertThat(checked).isGreaterThan(200);
    }

    @Test
    void storedKeysArePrefixesOfThePublishedHmacs() {
        JsonNode first = vectors.get("people").get(0);
        JsonNode in = first.get("input");
        Map<KeyLevel, String> keys = encoder.keys(MatchEncoder.parts(VectorInputs.person(in.get("forename").asText(),
                in.get("surname").asText(), in.get("dateOfBirth").asText(), in.get("sex").asText(),
                in.get("postcode").asText(), in.get("nhsNumber").asText())));
        for (JsonNode key : first.get("keys")) {
            assertThat(key.get("hmac").asText()).startsWith(keys.get(level(key.get("label").asText())));
        }
    }

    @Test
    void lettersUnicodeDoesNotDecomposeAreFolded() {
        assertThat(IdentityNormaliserV2.surname("Łukasz")).isEqualTo("LUKASZ");
        assertThat(IdentityNormaliserV2.surname("Ørsted")).isEqualTo("ORSTED");
        assertThat(IdentityNormaliserV2.forename("Ægir")).isEqualTo("AEGIR");
        assertThat(IdentityNormaliserV2.surname("Straße")).isEqualTo("STRASSE");
        assertThat(IdentityNormaliserV2.surname("Đorđević")).isEqualTo("DORDEVIC");
        assertThat(IdentityNormaliserV2.forename("Þóra")).isEqualTo("THORA");
        assertThat(IdentityNormaliserV2.surname("O’Neill-Smith")).isEqualTo("ONEILLSMITH");
    }

    @Test
    void aMiddleNameInTheForenameFieldIsNotTheForename() {
        assertThat(IdentityNormaliserV2.forename("Mary Ann")).isEqualTo("MARY");
        assertThat(IdentityNormaliserV2.forename("Mr Jean-Luc")).isEqualTo("JEAN");
        assertThat(IdentityNormaliserV2.forename("Miss")).isEqualTo("MISS");
        assertThat(IdentityNormaliserV2.middleNames("Mary Ann", "Louise")).containsExactly("ANN", "LOUISE");
    }

    @Test
    void aNameWithADigitIsARowProblemNotStripped() {
        assertThat(IdentityNormaliserV2.nameProblem("J0hn")).contains(IdentityNormaliserV2.NO_DIGITS);
        assertThat(IdentityNormaliserV2.nameProblem("John")).isEmpty();
        assertThatThrownBy(() -> IdentityNormaliserV2.forename("J0hn")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("J0hn");
    }

    @Test
    void nicknamesShareARootAndSwapsShareAKey() {
        ForenameVariants variants = ForenameVariants.shipped();
        assertThat(variants.root("JON")).isEqualTo("JOHN");
        assertThat(variants.root("MOHAMMED")).isEqualTo(variants.root("MUHAMMED"));
        assertThat(variants.root("ZEBEDEE")).isEqualTo("ZEBEDEE");
        MatchEncoder.Parts a = MatchEncoder.parts(VectorInputs.person("Ava", "Khan", "2010-03-07", "F", "SW1A 1AA", null));
        MatchEncoder.Parts swappedDate = MatchEncoder.parts(VectorInputs.person("Ava", "Khan", "2010-07-03", "F", "SW1A 1AA", null));
        MatchEncoder.Parts swappedNames = MatchEncoder.parts(VectorInputs.person("Khan", "Ava", "2010-03-07", "F", "SW1A 1AA", null));
        assertThat(encoder.keys(a).get(KeyLevel.FULL)).isNotEqualTo(encoder.keys(swappedDate).get(KeyLevel.FULL));
        assertThat(encoder.keys(a).get(KeyLevel.DOB_SWAP)).isEqualTo(encoder.keys(swappedDate).get(KeyLevel.DOB_SWAP));
        assertThat(encoder.keys(a).get(KeyLevel.NAME_SWAP)).isEqualTo(encoder.keys(swappedNames).get(KeyLevel.NAME_SWAP));
    }

    @Test
    void eachKeyIsUnderItsOwnDerivedKey() {
        assertThat(vectors.get("derivedKeys").size()).isEqualTo(KeyLevel.values().length + MatchEncoder.Token.values().length);
        List<String> distinct = new ArrayList<>();
        vectors.get("derivedKeys").forEach(k -> distinct.add(k.asText()));
        assertThat(distinct).doesNotHaveDuplicates();
    }

    private static KeyLevel level(String label) {
        for (KeyLevel level : KeyLevel.values()) {
            if (level.label().equals(label)) {
                return level;
            }
        }
        throw new AssertionError("unknown label " + label);
    }
}
