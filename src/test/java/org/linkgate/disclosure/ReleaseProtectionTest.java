package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.linkgate.store.TestDatabases;

/** The release model's rules and outputs on a small generated batch (the attack is in {@link CouncilAttackTest}). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseProtectionTest {

    static final String COUNCIL = "E10000012";
    static final String PERIOD = "2015-06";
    TableBuilder builder;

    @BeforeAll
    void data() {
        DataSource ds = TestDatabases.h2();
        new LinkedDataFixture(ds, 7).batch(COUNCIL, PERIOD, 150, "ACCEPTED");
        builder = new TableBuilder(ds);
    }

    @Test
    void groupDisclosureIsSensitiveBothWays() {
        DisclosureRules rules = DisclosureRules.agreementDefaults();
        assertThat(rules.isSensitiveOutcome(10, 10)).as("all of a known group").isTrue();
        assertThat(rules.isSensitiveOutcome(0, 8)).as("none of a known group").isTrue();
        assertThat(rules.isSensitiveOutcome(36, 40)).as("4 of 40 without").isTrue();
        assertThat(rules.isSensitiveOutcome(20, 40)).isFalse();
        assertThat(rules.isSensitiveOutcome(0, 0)).as("nobody there").isFalse();
        // 10 of 10: the council must not rule out that all have it, nor that 6 or more lack it
        assertThat(rules.groupRequirement(10, 10)).isEqualTo(new DisclosureRules.GroupRequirement(4, 10));
        assertThat(rules.groupRequirement(3, 100)).isEqualTo(new DisclosureRules.GroupRequirement(0, 6));
        assertThat(rules.groupRequirement(97, 100)).isEqualTo(new DisclosureRules.GroupRequirement(94, 100));
        DisclosureRules zerosPublished = new DisclosureRules(5, false);
        assertThat(zerosPublished.isSensitiveOutcome(0, 8)).isFalse();
        assertThat(zerosPublished.groupRequirement(2, 100)).isEqualTo(new DisclosureRules.GroupRequirement(1, 6));
        assertThat(zerosPublished.groupRequirement(2, 4)).as("a small base is withheld whatever its value")
                .isEqualTo(new DisclosureRules.GroupRequirement(0, 4));
    }

    @Test
    void ageBandsNobodyIsSentForAreNotApplicableAndListedInTheManifest() throws Exception {
        ReleaseProtection.Result result = FeedbackPacks.protect(builder, COUNCIL, PERIOD, DisclosureRules.agreementDefaults(),
                List.of());
        OutcomeTable byAge = result.tables().stream().filter(t -> t.spec().name().equals("drug_treatment-by-age_band")
                || t.spec().name().equals("any_offence-by-age_band")).filter(t -> !t.refused()).findFirst().orElse(null);
        if (byAge != null) {
            assertThat(byAge.rows()).filteredOn(r -> "0-4".equals(r.category()))
                    .allSatisfy(r -> assertThat(r.withOutcome()).isEqualTo(SafeCell.NOT_APPLICABLE_SYMBOL));
        }
        assertThat(result.summary().notApplicable()).isPositive();
        byte[] zip = FeedbackPacks.zip(COUNCIL, PERIOD, "2026-12-03", DisclosureRules.agreementDefaults(), result.tables(),
                result.summary());
        String manifest = manifest(zip);
        assertThat(manifest).contains("\"notApplicable\"").contains("\"primarySuppressed\"").contains("\"secondarySuppressed\"")
                .contains("\"informationLoss\"");
        // every table either released with a passed audit or withheld with a reason
        for (OutcomeTable t : result.tables()) {
            assertThat(t.refused() ? t.refusedBecause() != null : t.safeTable().audit().passed()).as(t.spec().name()).isTrue();
        }
    }

    @Test
    void withZerosPublishedThePackIsStillProtected() {
        ReleaseProtection.Result result = FeedbackPacks.protect(builder, COUNCIL, PERIOD, new DisclosureRules(5, false),
                List.of());
        assertThat(result.tables()).hasSize(28);
        assertThat(result.tables().stream().filter(t -> !t.refused())).isNotEmpty()
                .allSatisfy(t -> assertThat(t.safeTable().audit().passed()).isTrue());
    }

    @Test
    void aRequestThatWouldBeAlmostAllWithheldIsRefusedWithTheReason() {
        OutcomeTable table = builder.build(new TableSpec(TableSpec.Scope.of(COUNCIL, PERIOD), Measure.CUSTODY,
                List.of(Breakdown.AGE_BAND, Breakdown.SEX)), DisclosureRules.agreementDefaults());
        assertThat(table.refused()).isTrue();
        assertThat(table.refusedBecause()).contains("would be withheld").contains("fewer or coarser breakdowns");
        assertThat(table.checkSummary().get("refusedBecause")).isEqualTo(table.refusedBecause());
    }

    private static String manifest(byte[] zip) throws Exception {
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals(FeedbackPacks.MANIFEST)) {
                    return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no manifest");
    }
}
