package org.linkgate.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.linkgate.crypto.GpgCli;
import org.linkgate.store.TestDatabases;

/**
 * Releases to DCLG end to end over a real database and gateway home: request, k-anonymity,
 * one-pass build, the two-person rule, exactly-once delivery into the embedded account {@code dclg},
 * and DCLG's side opening the file with the real gpg and checking the manifest; then an attacker
 * with DCLG's knowledge tries to single people out and to join the release with a department's
 * extract or another release.
 */
class ReleasesTest {

    @TempDir
    Path root;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2", (Supplier<DataSource>) TestDatabases::h2),
                Arguments.of("postgresql", (Supplier<DataSource>) TestDatabases::postgres));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aReleaseIsApprovedByASecondPersonDeliveredOnceAndOpensWithGpgWithNothingToSingleOutOrJoin(String name,
            Supplier<DataSource> database) throws Exception {
        assumeTrue(GpgCli.isAvailable(), "needs gpg");
        ReleaseFixture f = new ReleaseFixture(database.get(), root);
        f.batch(ReleaseFixture.COUNCIL, "2016-01", 260);
        f.batch(ReleaseFixture.SMALL_COUNCIL, "2016-01", 9);
        f.batch(ReleaseFixture.COUNCIL, "2016-02", 180);

        String id = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        Map<String, Object> view = f.releases.find(id).orElseThrow();
        assertThat(view.get("status")).as(String.valueOf(view.get("reason"))).isEqualTo("AWAITING_APPROVAL");
        assertThat(view.get("fileName")).isEqualTo("DCLG_" + id + ".zip.pgp");
        @SuppressWarnings("unchecked")
        Map<String, Object> report = (Map<String, Object>) view.get("kAnonymity");
        assertThat(report.get("refused")).isEqualTo(false);
        assertThat(report.get("k")).isEqualTo(5);
        assertThat(((Number) report.get("rowsSuppressed")).longValue()).isPositive(); // the rare people are not released
        assertThat(((Number) report.get("rowsConsidered")).longValue()).isEqualTo(449);
        long released = ((Number) view.get("rowsReleased")).longValue();
        assertThat(released).isEqualTo(449 - ((Number) report.get("rowsSuppressed")).longValue());
        // Nothing reaches DCLG before approval; the built file waits encrypted in the staging folder.
        assertThat(Files.exists(f.uploadDir().resolve("DCLG_" + id + ".zip.pgp"))).isFalse();
        assertThat(Files.exists(f.home.root().resolve("work/releases/DCLG_" + id + ".zip.pgp"))).isTrue();

        assertThatThrownBy(() -> f.releases.approve(id, "analyst")).isInstanceOf(Releases.TwoPersonRuleException.class);
        assertThat(f.status(id)).isEqualTo("AWAITING_APPROVAL");
        f.releases.approve(id, "admin");
        assertThat(f.status(id)).isEqualTo("SENT");
        Path delivered = f.uploadDir().resolve("DCLG_" + id + ".zip.pgp");
        assertThat(delivered).exists();
        assertThat(Files.size(delivered)).isEqualTo(((Number) f.releases.find(id).orElseThrow().get("sizeBytes")).longValue());
        assertThat(Files.exists(f.home.root().resolve("work/releases/DCLG_" + id + ".zip.pgp"))).isFalse();
        // Exactly once: another round and another approval change nothing.
        f.releases.sendDue();
        assertThatThrownBy(() -> f.releases.approve(id, "admin2")).isInstanceOf(Releases.NotPendingException.class);
        try (Stream<Path> files = Files.list(f.uploadDir())) {
            assertThat(files.toList()).containsExactly(delivered);
        }
        assertThat(f.jdbc.queryForList("select event_type from audit_event where subject_id = ? order by seq", String.class, id))
                .containsExactly("RELEASE_REQUESTED", "RELEASE_APPROVED", "RELEASE_SENT");

        Path gatewayPublic = root.resolve("gateway-public.asc");
        ReleaseFixture.gateway().writeArmoredPublic(gatewayPublic);
        try (DclgSide dclg = DclgSide.open(f.home, gatewayPublic, Files.createDirectories(root.resolve("dclg-work")))) {
            DclgSide.Opened opened = dclg.receive(delivered, ReleaseFixture.gateway().fingerprint());
            assertThat(opened.manifest().get("releaseId").asText()).isEqualTo(id);
            assertThat(opened.manifest().get("purpose").asText()).isEqualTo(ReleaseFixture.PURPOSE);
            assertThat(opened.manifest().get("agreementReference").asText()).isEqualTo("DSA-TEST-RELEASE");
            assertThat(opened.files()).containsKeys("persons.csv", "DWP_WPLS.csv", "data-dictionary.csv", "manifest.json");
            List<CSVRecord> persons = opened.csv("persons.csv");
            List<CSVRecord> wpls = opened.csv("DWP_WPLS.csv");
            assertThat(persons).hasSize((int) released + 1);
            assertThat(persons.get(0).toList()).containsExactly("release_pseudo_id", "cohort", "sex", "age_band",
                    "council_code", "problem_count", "identified_month");
            assertThat(wpls.get(0).toList()).containsExactly("release_pseudo_id", "benefit_type", "spell_start", "spell_end");

            // The attacker: no combination of what a neighbour knows is shared by fewer than k people ...
            assertThat(ReleaseAttacker.smallestClass(persons)).isGreaterThanOrEqualTo(5);
            // ... no identifier column, exact age or full date ...
            for (String file : List.of("persons.csv", "DWP_WPLS.csv")) {
                assertThat(ReleaseAttacker.identifyingColumns(opened.csv(file))).as(file).isEmpty();
                assertThat(ReleaseAttacker.fullDates(opened.csv(file))).as(file).isZero();
            }
            // ... the files of the release join with each other, but not with DWP's extract or the store's ids.
            Set<String> ids = ReleaseAttacker.ids(persons);
            assertThat(ids).hasSize((int) released);
            assertThat(ReleaseAttacker.ids(wpls)).isSubsetOf(ids).isNotEmpty();
            assertThat(ReleaseAttacker.joinable(ids, f.dwpTokens)).isZero();
            assertThat(ReleaseAttacker.joinable(ids, f.people.stream().map(ReleaseFixture.Person::pseudoId).toList())).isZero();

            // A second release of the same data: same rows, ids unrelated to the first's.
            String second = f.releases.request("DCLG", ReleaseFixture.LONGITUDINAL, null, "analyst");
            f.releases.approve(second, "admin");
            DclgSide.Opened again = dclg.receive(f.uploadDir().resolve("DCLG_" + second + ".zip.pgp"),
                    ReleaseFixture.gateway().fingerprint());
            Set<String> secondIds = ReleaseAttacker.ids(again.csv("persons.csv"));
            assertThat(secondIds).hasSameSizeAs(ids);
            assertThat(ReleaseAttacker.joinable(ids, secondIds)).isZero();
        }
        // Who was in it, for subject access: every released person once.
        assertThat(f.count("select count(*) from release_member where release_id = ?", id)).isEqualTo(released);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aReleaseLargerThanOneCursorFetchStreamsWhileItsMembersAreRecorded(String name, Supplier<DataSource> database)
            throws Exception {
        ReleaseFixture f = new ReleaseFixture(database.get(), root);
        f.batch(ReleaseFixture.COUNCIL, "2016-01", 1300); // more than ReleaseWriter's fetch size and member batch
        String id = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        Map<String, Object> view = f.releases.find(id).orElseThrow();
        assertThat(view.get("status")).as(String.valueOf(view.get("reason"))).isEqualTo("AWAITING_APPROVAL");
        long released = ((Number) view.get("rowsReleased")).longValue();
        assertThat(released).isGreaterThan(1000);
        assertThat(f.count("select count(*) from release_member where release_id = ?", id)).isEqualTo(released);
        @SuppressWarnings("unchecked")
        Map<String, Object> manifest = (Map<String, Object>) view.get("manifest");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) manifest.get("files");
        assertThat(files).extracting(file -> file.get("name")).containsExactly("persons.csv", "DWP_WPLS.csv",
                "data-dictionary.csv");
        assertThat(((Number) files.get(0).get("rows")).longValue()).isEqualTo(released);
        assertThat(((Number) files.get(1).get("rows")).longValue()).isEqualTo(released); // one spell each, released people only
    }

    @Test
    void rareValuesAreGeneralisedBeforeAnyoneIsSuppressed() throws Exception {
        assumeTrue(GpgCli.isAvailable(), "needs gpg");
        ReleaseFixture f = new ReleaseFixture(TestDatabases.h2(), root);
        f.configure(ReleaseFixture.SPEC.formatted("0.05"));
        String batch = f.batch(ReleaseFixture.COUNCIL, "2016-01", 108);
        // Everyone alike but for the problem count: 25 each with 0-3 problems, 4 with five and 4 with six.
        f.jdbc.update("update research_record set cohort = 'TREATMENT', sex = 'F', age_band = '25-34',"
                + " problem_count = mod(row_number, 4) where intake_id = ?", batch);
        f.jdbc.update("update research_record set problem_count = 5 where intake_id = ? and row_number between 2 and 5", batch);
        f.jdbc.update("update research_record set problem_count = 6 where intake_id = ? and row_number between 6 and 9", batch);

        String id = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        Map<String, Object> view = f.releases.find(id).orElseThrow();
        assertThat(view.get("status")).as(String.valueOf(view.get("reason"))).isEqualTo("AWAITING_APPROVAL");
        @SuppressWarnings("unchecked")
        Map<String, Object> report = (Map<String, Object>) view.get("kAnonymity");
        // 8 of 108 rows (7.4%) under k as stored: more than 5%, so problem_count is top-coded at 4+ instead.
        assertThat(report.get("level")).isEqualTo(1);
        assertThat(report.get("generalisations")).isEqualTo(List.of("problem_count top-coded at 4+"));
        assertThat(((Number) report.get("rowsSuppressed")).longValue()).isZero();
        f.releases.approve(id, "admin");

        Path gatewayPublic = root.resolve("gateway-public.asc");
        ReleaseFixture.gateway().writeArmoredPublic(gatewayPublic);
        try (DclgSide dclg = DclgSide.open(f.home, gatewayPublic, Files.createDirectories(root.resolve("dclg-work")))) {
            DclgSide.Opened opened = dclg.receive(f.uploadDir().resolve("DCLG_" + id + ".zip.pgp"),
                    ReleaseFixture.gateway().fingerprint());
            List<CSVRecord> persons = opened.csv("persons.csv");
            assertThat(persons).hasSize(109);
            int column = persons.get(0).toList().indexOf("problem_count");
            assertThat(persons.stream().skip(1).map(r -> r.get(column)).distinct().sorted().toList())
                    .containsExactly("0", "1", "2", "3", "4+");
            assertThat(ReleaseAttacker.smallestClass(persons)).isGreaterThanOrEqualTo(5);
            assertThat(new String(opened.files().get("data-dictionary.csv"), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("[in this release: problem_count top-coded at 4+]");
        }
    }

    @Test
    void anUnknownOrTooFineVariableStopsStartUpWithItsKeyPath() throws Exception {
        ReleaseFixture f = new ReleaseFixture(TestDatabases.h2(), root);
        String base = "name: DCLG\nendpoint: {type: embedded}\nrelease:\n";
        assertThatThrownBy(() -> f.configure(base + "  variables: [cohort, age_at_identification]\n"))
                .isInstanceOf(ReleaseSpec.InvalidReleaseSpecException.class)
                .hasMessageContaining("recipients/DCLG/recipient.yaml").hasMessageContaining("release.variables[1]")
                .hasMessageContaining("exact age is never released");
        assertThatThrownBy(() -> f.configure(base + "  variables: [sex, person_ref]\n"))
                .hasMessageContaining("release.variables[1]").hasMessageContaining("person_ref is never released");
        assertThatThrownBy(() -> f.configure(base + "  variables: [sex, shoe_size]\n"))
                .hasMessageContaining("release.variables[1]").hasMessageContaining("'shoe_size' is not a release variable");
        assertThatThrownBy(() -> f.configure(base + "  variables: [sex]\n  datasets: [DWP/WPLS, DWP/NOPE]\n"))
                .hasMessageContaining("release.datasets[1]").hasMessageContaining("DWP returns no dataset NOPE");
        assertThatThrownBy(() -> f.configure(base + "  variables: [sex]\n  granularity: fine\n"))
                .hasMessageContaining("release.granularity").hasMessageContaining("unknown key");
    }

    @Test
    void aPurposeOutsideTheAgreementIsRefusedAndNothingIsRecorded() throws Exception {
        ReleaseFixture f = new ReleaseFixture(TestDatabases.h2(), root);
        f.batch(ReleaseFixture.COUNCIL, "2016-01", 50);
        assertThatThrownBy(() -> f.releases.request(null, "Marketing", null, "analyst"))
                .isInstanceOf(Releases.BadRequestException.class).hasMessageContaining("purpose must be one of the agreement's");
        assertThat(f.count("select count(*) from data_release")).isZero();
    }

    @Test
    void tooManyPeopleUnderKRefusesTheReleaseWithTheReason() throws Exception {
        ReleaseFixture f = new ReleaseFixture(TestDatabases.h2(), root);
        f.configure(ReleaseFixture.SPEC.formatted("0.10").replace("problem_count", "family_size, problem_count"));
        f.batch(ReleaseFixture.SMALL_COUNCIL, "2016-01", 30);
        String id = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        Map<String, Object> view = f.releases.find(id).orElseThrow();
        assertThat(view.get("status")).isEqualTo("REFUSED");
        assertThat((String) view.get("reason")).startsWith("k-anonymity: at k=5 over [cohort, sex, age_band, council_code,"
                + " family_size, problem_count], even level 3").contains("more than the 10.0% that may be suppressed");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> levels = (List<Map<String, Object>>) ((Map<String, Object>) view.get("kAnonymity")).get("levels");
        assertThat(levels).hasSize(4); // every level of the ladder was tried and is shown to the approver
        assertThat(Files.exists(f.home.root().resolve("work/releases/DCLG_" + id + ".zip.pgp"))).isFalse();
        assertThatThrownBy(() -> f.releases.approve(id, "admin")).isInstanceOf(Releases.NotPendingException.class);
        assertThat(f.jdbc.queryForList("select event_type from audit_event where subject_id = ? order by seq", String.class, id))
                .containsExactly("RELEASE_REQUESTED", "RELEASE_REFUSED");
    }

    @Test
    void destroyedLinkedDataIsNeverReleasedEvenIfDestroyedAfterTheBuild() throws Exception {
        ReleaseFixture f = new ReleaseFixture(TestDatabases.h2(), root);
        String january = f.batch(ReleaseFixture.COUNCIL, "2016-01", 200);
        f.linkedDataDestroyed(january);
        String refused = f.releases.request(null, ReleaseFixture.PURPOSE, List.of("2016-01"), "analyst");
        assertThat(f.status(refused)).isEqualTo("REFUSED");
        assertThat((String) f.releases.find(refused).orElseThrow().get("reason"))
                .contains("linked data of period 2016-01 was destroyed");

        String february = f.batch(ReleaseFixture.COUNCIL, "2016-02", 400);
        String id = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        assertThat(f.status(id)).isEqualTo("AWAITING_APPROVAL");
        // Only February is in it: January's linked data is gone.
        assertThat(f.jdbc.queryForList("select intake_id from release_intake where release_id = ?", String.class, id))
                .containsExactly(february);
        f.linkedDataDestroyed(february);
        f.releases.approve(id, "admin");
        assertThat(f.status(id)).isEqualTo("REFUSED");
        assertThat((String) f.releases.find(id).orElseThrow().get("reason")).contains("destroyed after the release was built");
        assertThat(Files.exists(f.uploadDir().resolve("DCLG_" + id + ".zip.pgp"))).isFalse();
        assertThat(Files.exists(f.home.root().resolve("work/releases/DCLG_" + id + ".zip.pgp"))).isFalse();
    }

    @Test
    void whileDclgCannotBeReachedDeliveryIsRetriedWithBackOffAndAlertedAndLandsExactlyOnce() throws Exception {
        ReleaseFixture f = new ReleaseFixture(TestDatabases.h2(), root);
        f.batch(ReleaseFixture.COUNCIL, "2016-01", 400);
        // DCLG's folder is unusable: a plain file where upload/ should be.
        Files.createDirectories(f.uploadDir().getParent());
        Files.writeString(f.uploadDir(), "not a folder");
        String id = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        f.releases.approve(id, "admin");
        Map<String, Object> row = f.jdbc.queryForMap("select status, attempts, next_attempt_at, last_error from data_release"
                + " where id = ?", id);
        assertThat(row.get("status")).isEqualTo("APPROVED");
        assertThat(row.get("attempts")).isEqualTo(1);
        assertThat(row.get("last_error")).isNotNull();
        // Not retried before its time, then with doubling waits; the third failure alerts operators.
        f.releases.sendDue();
        assertThat(f.count("select attempts from data_release where id = ?", id)).isEqualTo(1);
        f.clock.advance(Duration.ofSeconds(31));
        f.releases.sendDue();
        assertThat(f.count("select attempts from data_release where id = ?", id)).isEqualTo(2);
        f.clock.advance(Duration.ofSeconds(59));
        f.releases.sendDue();
        assertThat(f.count("select attempts from data_release where id = ?", id)).isEqualTo(2);
        f.clock.advance(Duration.ofSeconds(2));
        f.releases.sendDue();
        assertThat(f.count("select attempts from data_release where id = ?", id)).isEqualTo(3);
        assertThat(f.count("select count(*) from alert where category = 'RELEASE_DELIVERY_FAILING' and subject_id = ?", id))
                .isEqualTo(1);
        assertThat(f.home.root().resolve("work/releases/DCLG_" + id + ".zip.pgp")).exists(); // nothing lost

        // DCLG is back.
        Files.delete(f.uploadDir());
        f.clock.advance(Duration.ofMinutes(3));
        f.releases.sendDue();
        assertThat(f.status(id)).isEqualTo("SENT");
        assertThat(f.uploadDir().resolve("DCLG_" + id + ".zip.pgp")).exists();

        // A build cut short by a stop (still BUILDING, a partial file left) is refused and cleaned up later.
        String cut = "R20160315-DEADBEEF";
        f.jdbc.update("insert into data_release (id, recipient_code, purpose, status, requested_by, requested_at, k,"
                + " spec_json, file_name) values (?, 'DCLG', ?, 'BUILDING', 'analyst', ?, 5, '{}', ?)", cut,
                ReleaseFixture.PURPOSE, f.now(), Releases.fileName("DCLG", cut));
        Path partial = f.home.root().resolve("work/releases/.DCLG_" + cut + ".zip.pgp.part");
        Files.writeString(partial, "half an OpenPGP message");
        f.releases.sendDue();
        assertThat(f.status(cut)).isEqualTo("BUILDING"); // it may still be running
        f.clock.advance(Duration.ofHours(7));
        f.releases.sendDue();
        assertThat(f.status(cut)).isEqualTo("REFUSED");
        assertThat(partial).doesNotExist();

        // A crash after the rename but before the record: the next round records it, never sends it again.
        String second = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        Path staged = f.home.root().resolve("work/releases/DCLG_" + second + ".zip.pgp");
        byte[] built = Files.readAllBytes(staged);
        f.jdbc.update("update data_release set status = 'APPROVED', decided_by = 'admin', next_attempt_at = ? where id = ?",
                f.now(), second);
        Files.write(f.uploadDir().resolve("DCLG_" + second + ".zip.pgp"), built);
        f.releases.sendDue();
        assertThat(f.status(second)).isEqualTo("SENT");
        assertThat(Files.readAllBytes(f.uploadDir().resolve("DCLG_" + second + ".zip.pgp"))).isEqualTo(built);
        assertThat(f.count("select count(*) from audit_event where subject_id = ? and event_type = 'RELEASE_SENT'", second))
                .isEqualTo(1);
    }

    @Test
    void aReleaseAnotherReplicaSentIsNeverMarkedRefusedAfterwards() throws Exception {
        ReleaseFixture f = new ReleaseFixture(TestDatabases.h2(), root);
        String batch = f.batch(ReleaseFixture.COUNCIL, "2016-01", 400);
        String first = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        String second = f.releases.request(null, ReleaseFixture.LONGITUDINAL, null, "analyst");
        // Both approved while DCLG is down, so both are due together at the next round.
        Files.createDirectories(f.uploadDir().getParent());
        Files.writeString(f.uploadDir(), "not a folder");
        f.releases.approve(first, "admin");
        f.jdbc.update("update data_release set status = 'APPROVED', decided_by = 'admin', decided_at = ?,"
                + " next_attempt_at = ? where id = ?", java.sql.Timestamp.from(f.clock.instant().plusSeconds(1)), f.now(),
                second); // decided after the first, so tried after it
        Files.delete(f.uploadDir());
        f.clock.advance(Duration.ofMinutes(1));
        // While this replica delivers the first, another sends the second; then the batch's linked data is destroyed.
        ReleaseDelivery real = f.delivery;
        f.delivery = new ReleaseDelivery(f.home) {
            @Override
            public void deliver(org.linkgate.agreement.Recipient recipient, Path staged, String name, long size) {
                real.deliver(recipient, staged, name, size);
                if (name.contains(first)) {
                    f.jdbc.update("update data_release set status = 'SENT', sent_at = ?, next_attempt_at = null where id = ?",
                            f.now(), second);
                    f.linkedDataDestroyed(batch);
                }
            }
        };
        f.rebuildReleases();
        f.releases.sendDue();
        assertThat(f.status(first)).isEqualTo("SENT");
        assertThat(f.status(second)).isEqualTo("SENT"); // delivered: never REFUSED after the fact
        assertThat(f.count("select count(*) from audit_event where subject_id = ? and event_type = 'RELEASE_REFUSED'",
                second)).isZero();
    }

    @Test
    void aTerminationAfterTheRequestStopsTheReleaseAtApprovalOrBeforeSendingAndTerminatedPartiesDataIsLeftOut()
            throws Exception {
        ReleaseFixture f = new ReleaseFixture(TestDatabases.h2(), root);
        f.configure(ReleaseFixture.SPEC.formatted("0.30")); // k-anonymity is not what this tests
        f.batch(ReleaseFixture.COUNCIL, "2016-01", 400);
        String small = f.batch(ReleaseFixture.SMALL_COUNCIL, "2016-01", 40);
        org.linkgate.agreement.Agreement original = f.policy.agreement();
        java.time.LocalDate today = java.time.LocalDate.of(2016, 3, 15);

        // The processor is terminated between request and approval: refused at approval, its file removed.
        String atApproval = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        assertThat(f.status(atApproval)).isEqualTo("AWAITING_APPROVAL");
        f.policy.replace(original.withTermination(new org.linkgate.agreement.Agreement.Termination("ONS", today, "test")));
        f.releases.approve(atApproval, "admin");
        assertThat(f.status(atApproval)).isEqualTo("REFUSED");
        assertThat((String) f.releases.find(atApproval).orElseThrow().get("reason")).contains("terminated for ONS");
        assertThat(f.home.root().resolve("work/releases/DCLG_" + atApproval + ".zip.pgp")).doesNotExist();
        assertThat(f.uploadDir().resolve("DCLG_" + atApproval + ".zip.pgp")).doesNotExist();

        // Approved while DCLG is down, then the whole agreement is terminated: never sent, its file removed.
        f.policy.replace(original);
        String beforeSending = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        Files.createDirectories(f.uploadDir().getParent());
        Files.writeString(f.uploadDir(), "not a folder");
        f.releases.approve(beforeSending, "admin");
        assertThat(f.status(beforeSending)).isEqualTo("APPROVED");
        Files.delete(f.uploadDir());
        f.policy.replace(original.withTermination(new org.linkgate.agreement.Agreement.Termination(null, today, "test")));
        f.clock.advance(Duration.ofMinutes(1));
        f.releases.sendDue();
        assertThat(f.status(beforeSending)).isEqualTo("REFUSED");
        assertThat(f.home.root().resolve("work/releases/DCLG_" + beforeSending + ".zip.pgp")).doesNotExist();
        assertThat(f.uploadDir().resolve("DCLG_" + beforeSending + ".zip.pgp")).doesNotExist();

        // The small council and DWP terminated before the request: their batch and dataset are left out of the build.
        f.policy.replace(original
                .withTermination(new org.linkgate.agreement.Agreement.Termination(ReleaseFixture.SMALL_COUNCIL, today, "t"))
                .withTermination(new org.linkgate.agreement.Agreement.Termination("DWP", today, "test")));
        String without = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        assertThat(f.status(without)).as(String.valueOf(f.releases.find(without).orElseThrow().get("reason")))
                .isEqualTo("AWAITING_APPROVAL");
        assertThat(f.jdbc.queryForList("select intake_id from release_intake where release_id = ?", String.class, without))
                .doesNotContain(small).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> manifest = (Map<String, Object>) f.releases.find(without).orElseThrow().get("manifest");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) manifest.get("files");
        assertThat(files).extracting(file -> file.get("name")).containsExactly("persons.csv", "data-dictionary.csv");
        assertThat(manifest.get("datasetsWithheld")).isEqualTo(List.of("DWP/WPLS"));
        f.releases.approve(without, "admin");
        assertThat(f.status(without)).isEqualTo("SENT"); // nothing of a terminated party in it

        // A council terminated after the build: the release holding its data is refused.
        String holding = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        f.policy.replace(f.policy.agreement()
                .withTermination(new org.linkgate.agreement.Agreement.Termination(ReleaseFixture.COUNCIL, today, "t")));
        f.releases.approve(holding, "admin");
        assertThat(f.status(holding)).isEqualTo("REFUSED");
        assertThat((String) f.releases.find(holding).orElseThrow().get("reason")).contains(ReleaseFixture.COUNCIL);
    }

    @Test
    void aReleaseOfOnePeriodCarriesOnlyTheReturnsOfThatPeriodsBatchesEvenForPeopleLinkedAcrossPeriods() throws Exception {
        ReleaseFixture f = new ReleaseFixture(TestDatabases.h2(), root);
        f.configure(ReleaseFixture.SPEC.formatted("0.30")); // k-anonymity is not what this tests
        String january = f.batch(ReleaseFixture.COUNCIL, "2016-01", 400);
        String february = f.batch(ReleaseFixture.COUNCIL, "2016-02", 400);
        // Linkage found 60 of February's people already seen in January: they carry January's ids (and DWP returned
        // a spell for each in both months).
        List<String> jan = f.jdbc.queryForList("select pseudo_id from research_record where intake_id = ? order by row_number",
                String.class, january);
        List<String> feb = f.jdbc.queryForList("select pseudo_id from research_record where intake_id = ? order by row_number",
                String.class, february);
        for (int i = 0; i < 60; i++) {
            for (String table : List.of("research_record", "identity_vault", "extract_member", "return_record")) {
                f.jdbc.update("update " + table + " set pseudo_id = ? where pseudo_id = ?", jan.get(i), feb.get(i));
            }
        }
        String id = f.releases.request(null, ReleaseFixture.PURPOSE, List.of("2016-02"), "analyst");
        Map<String, Object> view = f.releases.find(id).orElseThrow();
        assertThat(view.get("status")).as(String.valueOf(view.get("reason"))).isEqualTo("AWAITING_APPROVAL");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) ((Map<String, Object>) view.get("manifest")).get("files");
        long persons = ((Number) files.get(0).get("rows")).longValue();
        assertThat(files.get(1).get("name")).isEqualTo("DWP_WPLS.csv");
        // One spell per released February row: none of January's returns, though the same people are in it.
        assertThat(((Number) files.get(1).get("rows")).longValue()).isEqualTo(persons);
    }

    @Test
    void peopleLinkageMergedCountOnceForKAnonymityAndHaveOneReleaseId() throws Exception {
        ReleaseFixture f = new ReleaseFixture(TestDatabases.h2(), root);
        String january = f.batch(ReleaseFixture.COUNCIL, "2016-01", 400);
        String february = f.batch(ReleaseFixture.COUNCIL, "2016-02", 400);
        // Everyone alike but for the problem count (classes of about 200), but for six rows with six problems.
        f.jdbc.update("update research_record set cohort = 'TREATMENT', sex = 'F', age_band = '25-34',"
                + " problem_count = mod(row_number, 4)");
        List<String> jan = f.jdbc.queryForList("select pseudo_id from research_record where intake_id = ? order by row_number",
                String.class, january);
        List<String> feb = f.jdbc.queryForList("select pseudo_id from research_record where intake_id = ? order by row_number",
                String.class, february);
        // Linkage saw each of January's first 13 again in February under a new id, and merged the later id forward
        // into the earlier: February's rows keep the merged-away id (merge forward), as linkage_person records it.
        for (String id : jan) {
            f.jdbc.update("insert into linkage_person (person_id, first_intake_id, first_seen_at) values (?, ?, ?)", id,
                    january, f.now());
        }
        for (int i = 0; i < feb.size(); i++) {
            f.jdbc.update("insert into linkage_person (person_id, first_intake_id, first_seen_at, merged_into, merged_at)"
                    + " values (?, ?, ?, ?, ?)", feb.get(i), february, f.now(), i < 13 ? jan.get(i) : null,
                    i < 13 ? f.now() : null);
        }
        // Three of those people have six problems in both months: six rows, but three people, fewer than k = 5.
        for (int i = 0; i < 3; i++) {
            f.jdbc.update("update research_record set problem_count = 6 where pseudo_id in (?, ?)", jan.get(i), feb.get(i));
        }

        String id = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        Map<String, Object> view = f.releases.find(id).orElseThrow();
        assertThat(view.get("status")).as(String.valueOf(view.get("reason"))).isEqualTo("AWAITING_APPROVAL");
        @SuppressWarnings("unchecked")
        Map<String, Object> report = (Map<String, Object>) view.get("kAnonymity");
        assertThat(((Number) report.get("rowsConsidered")).longValue()).isEqualTo(800);
        assertThat(((Number) report.get("peopleConsidered")).longValue()).isEqualTo(800 - 13);
        assertThat(report.get("level")).isEqualTo(0);
        assertThat(((Number) report.get("rowsSuppressed")).longValue()).isEqualTo(6); // the class of three people
        // Each person released once, under the surviving id: the ten merged people who were released count once.
        List<String> members = f.jdbc.queryForList("select pseudo_id from release_member where release_id = ?", String.class,
                id);
        assertThat(members).hasSize(800 - 13 - 3).doesNotContainAnyElementsOf(feb.subList(0, 13))
                .doesNotContainAnyElementsOf(jan.subList(0, 3)).containsAll(jan.subList(3, 13));
        assertThat(((Number) view.get("rowsReleased")).longValue()).isEqualTo(800 - 6);
    }

    @Test
    void aBuildWhoseFileCannotBeMovedIntoPlaceLeavesNoMembers() throws Exception {
        ReleaseFixture f = new ReleaseFixture(TestDatabases.h2(), root);
        f.configure(ReleaseFixture.SPEC.formatted("0.30"));
        String batch = f.batch(ReleaseFixture.COUNCIL, "2016-01", 100);
        String id = "R20160315-0000CAFE";
        f.jdbc.update("insert into data_release (id, recipient_code, purpose, status, requested_by, requested_at, k,"
                + " spec_json, file_name) values (?, 'DCLG', ?, 'BUILDING', 'analyst', ?, 5, '{}', ?)", id,
                ReleaseFixture.PURPOSE, f.now(), Releases.fileName("DCLG", id));
        f.jdbc.update("insert into release_intake (release_id, intake_id, rows_released) values (?, ?, 0)", id, batch);
        ReleaseRecipients.Configured dclg = f.recipients.find("DCLG").orElseThrow();
        KAnonymity.Outcome outcome = new KAnonymity(f.jdbc).check(id, dclg.spec(), 5);
        // Where the file should go is a folder with something in it: the build commits, the move fails.
        Path target = Files.createDirectories(root.resolve("staging").resolve(Releases.fileName("DCLG", id)));
        Files.writeString(target.resolve("in-the-way"), "x");
        ReleaseWriter writer = new ReleaseWriter(f.jdbc, f.tx, f.pseudonymisationKey, f.gatewayKey);
        assertThatThrownBy(() -> writer.write(new ReleaseWriter.Header(id, "DCLG", "DSA-TEST-RELEASE", ReleaseFixture.PURPOSE,
                f.clock.instant(), Set.of()), dclg, outcome, target, "DCLG_" + id + ".zip"))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("moved into place");
        assertThat(f.count("select count(*) from release_member where release_id = ?", id)).isZero();
        assertThat(target.resolveSibling("." + target.getFileName() + ".part")).doesNotExist();
    }
}
