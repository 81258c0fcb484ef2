package org.linkgate.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.linkgate.crypto.AesGcm;
import org.linkgate.fanout.Extracts;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.kernel.MasterKey;
import org.linkgate.linkage.LinkagePersons;
import org.linkgate.linkage.MatchKeys;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.pseudonymisation.Pseudonymiser;
import org.linkgate.retention.DestructionCertificates;
import org.linkgate.returns.ReturnFiles;
import org.linkgate.store.ResearchStore;
import org.linkgate.store.TestDatabases;

/**
 * Subject access (cl. 9) over a real store: a person found by council + person_ref and by name and
 * date of birth, with the batch they came in, the extract and fields sent to DWP, the return linked and
 * the release to DCLG; a person not held is not found; the details given appear nowhere in the audit trail.
 */
class SubjectAccessTest {

    static final String FORENAME = "Synthetica";
    static final String SURNAME = "Testperson-Example";
    static final LocalDate BORN = LocalDate.of(1984, 2, 29);
    static final String PERSON_REF = "SYN-REF-000123";

    @TempDir
    Path root;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2", (Supplier<DataSource>) TestDatabases::h2),
                Arguments.of("postgresql", (Supplier<DataSource>) TestDatabases::postgres));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    @SuppressWarnings("unchecked")
    void aPersonIsFoundEitherWayWithWhatWasReceivedSentReturnedAndReleasedAndTheDetailsAreNeverRecorded(String name,
            Supplier<DataSource> database) throws Exception {
        ReleaseFixture f = new ReleaseFixture(database.get(), root);
        String batch = f.batch(ReleaseFixture.COUNCIL, "2016-01", 400);
        String release = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        f.releases.approve(release, "admin");
        // One released person becomes the synthetic data subject: the keyed hashes the intake would have made.
        String old = f.jdbc.queryForList("select pseudo_id from release_member where release_id = ? order by pseudo_id",
                String.class, release).get(0);
        Pseudonymiser hmac = new Pseudonymiser(f.pseudonymisationKey);
        String pseudo = hmac.personId(FORENAME, SURNAME, BORN);
        for (String table : List.of("research_record", "identity_vault", "extract_member", "return_record", "release_member")) {
            f.jdbc.update("update " + table + " set pseudo_id = ? where pseudo_id = ?", pseudo, old);
        }
        f.jdbc.update("update research_record set person_ref_key = ? where pseudo_id = ?",
                hmac.personRefKey(ReleaseFixture.COUNCIL, PERSON_REF), pseudo);
        // Its identity sealed in the vault as the intake does: under the batch's data key, bound to batch and row.
        DataKeyStore keys = new DataKeyStore(f.jdbc, new MasterKey(new byte[32]), f.clock);
        DataKeyStore.DataKey dataKey = f.tx.execute(t -> keys.create("council-identity"));
        long row = f.jdbc.queryForObject("select row_number from research_record where pseudo_id = ?", Long.class, pseudo);
        byte[] identity = new ObjectMapper().writeValueAsBytes(new IdentityRecord(FORENAME, null, SURNAME, BORN.toString(),
                "F", null, null, null, "SW1A 1AA", null, null, null));
        f.jdbc.update("update intake_file set data_key_id = ? where id = ?", dataKey.id(), batch);
        f.jdbc.update("update identity_vault set sealed = ? where intake_id = ? and row_number = ?",
                AesGcm.seal(dataKey.key(), identity, (batch + "|" + row).getBytes(StandardCharsets.UTF_8)), batch, row);
        SubjectAccess access = subjectAccess(f, keys);

        Map<String, Object> byRef = access.lookup(new SubjectAccess.Lookup(ReleaseFixture.COUNCIL.toLowerCase(), PERSON_REF,
                null, null, null), "admin");
        Map<String, Object> byName = access.lookup(new SubjectAccess.Lookup(null, null, FORENAME.toUpperCase(), SURNAME,
                BORN.toString()), "admin");
        for (Map<String, Object> answer : List.of(byRef, byName)) {
            assertThat(answer.get("found")).isEqualTo(true);
            List<Map<String, Object>> received = list(answer, "received");
            assertThat(received).hasSize(1);
            assertThat(received.get(0).get("batch")).isEqualTo(batch);
            assertThat(received.get(0).get("file")).isEqualTo("E10000012_2016-01_01.csv.gpg");
            assertThat(received.get(0).get("identifyingFieldsSealedInVault")).isEqualTo(true);
            assertThat(received.get(0).get("identifyingFieldsReceived"))
                    .isEqualTo(List.of("forename", "surname", "date_of_birth", "sex", "postcode"));
            assertThat(received.get(0).toString()).doesNotContain("SW1A").doesNotContain(SURNAME);
            List<Map<String, Object>> extracts = list(answer, "extracts");
            assertThat(extracts).hasSize(1);
            assertThat(extracts.get(0).get("department")).isEqualTo("DWP");
            assertThat((List<Object>) extracts.get(0).get("fieldsSent")).contains("forename", "surname", "date_of_birth", "nino");
            List<Map<String, Object>> returns = list(answer, "returns");
            assertThat(returns).hasSize(1);
            assertThat(returns.get(0).get("dataset")).isEqualTo("WPLS");
            List<Map<String, Object>> releases = list(answer, "releases");
            assertThat(releases).extracting(r -> r.get("release")).containsExactly(release);
            assertThat(releases.get(0).get("status")).isEqualTo("SENT");
        }
        Map<String, Object> stranger = access.lookup(new SubjectAccess.Lookup(null, null, "Nobody", "Heldhere", "1990-01-01"),
                "admin");
        assertThat(stranger.get("found")).isEqualTo(false);
        assertThat(list(stranger, "received")).isEmpty();
        assertThat(list(stranger, "releases")).isEmpty();

        // Bad input is refused without repeating it.
        assertThatThrownBy(() -> access.lookup(new SubjectAccess.Lookup("NOT-A-GSS-" + SURNAME, PERSON_REF, null, null, null),
                "admin")).isInstanceOf(IllegalArgumentException.class).message().doesNotContain(SURNAME);
        assertThatThrownBy(() -> access.lookup(new SubjectAccess.Lookup(null, null, FORENAME, SURNAME, "29/02/1984"),
                "admin")).message().doesNotContain("1984").doesNotContain(SURNAME);
        assertThat(new SubjectAccess.Lookup(null, PERSON_REF, FORENAME, SURNAME, null).toString()).doesNotContain(SURNAME);

        // Every lookup is audited, with counts only: no name, date of birth or person_ref anywhere in the trail.
        assertThat(f.count("select count(*) from audit_event where event_type = 'SUBJECT_ACCESS' and actor = 'admin'"))
                .isEqualTo(3);
        for (String secret : List.of(FORENAME, SURNAME, PERSON_REF, "1984-02-29")) {
            assertThat(f.count("select count(*) from audit_event where lower(detail) like ? or lower(coalesce(subject_id, ''))"
                    + " like ?", "%" + secret.toLowerCase() + "%", "%" + secret.toLowerCase() + "%")).as(secret).isZero();
        }
    }

    @org.junit.jupiter.api.Test
    @SuppressWarnings("unchecked")
    void aPersonLinkageLinkedOrMergedIsFoundUnderEveryIdLinkageGaveThem() throws Exception {
        ReleaseFixture f = new ReleaseFixture(org.linkgate.store.TestDatabases.h2(), root);
        String january = f.batch(ReleaseFixture.COUNCIL, "2016-01", 100);
        String february = f.batch(ReleaseFixture.COUNCIL, "2016-02", 100);
        String march = f.batch(ReleaseFixture.COUNCIL, "2016-03", 100);
        f.jdbc.update("update research_record set cohort = 'TREATMENT', sex = 'F', age_band = '25-34',"
                + " problem_count = mod(row_number, 2)"); // no one suppressed: k-anonymity is not what this tests
        Pseudonymiser hmac = new Pseudonymiser(f.pseudonymisationKey);
        // January: first seen with a misspelt forename, so under the hash of that name (the person linkage keeps).
        String first = hmac.personId("Synthetika", SURNAME, BORN);
        rename(f, january, first);
        // February: the right name, linked to January's person: the row holds January's id, not its own name's hash.
        long februaryRow = rename(f, february, first);
        MatchKeys.Staging staging = new MatchKeys(f.pseudonymisationKey, f.jdbc, f.tx).forBatch(february);
        staging.add(februaryRow, new IdentityRecord(FORENAME, null, SURNAME, BORN.toString(), "F", null, null, null, null,
                null, null, null), first, "TREATMENT");
        staging.flush();
        f.jdbc.update("update linkage_row set person_id = ? where intake_id = ? and row_number = ?", first, february,
                februaryRow);
        // March: taken for a new person, later merged forward into January's: the row keeps the merged-away id.
        String merged = hmac.personId("Synthetica", "Testperson", BORN);
        rename(f, march, merged);
        f.jdbc.update("insert into linkage_person (person_id, first_intake_id, first_seen_at) values (?, ?, ?)", first,
                january, f.now());
        f.jdbc.update("insert into linkage_person (person_id, first_intake_id, first_seen_at, merged_into, merged_at)"
                + " values (?, ?, ?, ?, ?)", merged, march, f.now(), first, f.now());
        String release = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        f.releases.approve(release, "admin");
        SubjectAccess access = subjectAccess(f, new DataKeyStore(f.jdbc, new MasterKey(new byte[32]), f.clock));

        Map<String, Object> answer = access.lookup(new SubjectAccess.Lookup(null, null, FORENAME, SURNAME, BORN.toString()),
                "admin");
        assertThat(answer.get("found")).isEqualTo(true);
        assertThat(list(answer, "received")).extracting(r -> r.get("batch"))
                .containsExactlyInAnyOrder(january, february, march);
        assertThat(list(answer, "extracts")).hasSize(3);
        assertThat(list(answer, "returns")).hasSize(3);
        assertThat(list(answer, "releases")).extracting(r -> r.get("release")).containsExactly(release); // once
    }

    /** Subject access over the fixture's store, each ledger read through its owner's repository. */
    static SubjectAccess subjectAccess(ReleaseFixture f, DataKeyStore keys) {
        return new SubjectAccess(f.jdbc, f.pseudonymisationKey, f.registry, f.audit, keys, new ResearchStore(f.jdbc),
                new IntakeFiles(f.jdbc), new LinkagePersons(f.jdbc, new MatchKeys(f.pseudonymisationKey, f.jdbc, f.tx)),
                new Extracts(f.jdbc), new ReturnFiles(f.jdbc), new DestructionCertificates(f.jdbc, f.tx, f.gatewayKey,
                        f.home, f.policy, f.audit, new ReleaseHoldings(f.jdbc), f.clock));
    }

    /** Gives the first row of a batch the id {@code id} wherever its pseudo id is held; returns its row number. */
    private static long rename(ReleaseFixture f, String batch, String id) {
        String old = f.jdbc.queryForObject("select pseudo_id from research_record where intake_id = ? order by row_number"
                + " limit 1", String.class, batch);
        for (String table : List.of("research_record", "identity_vault", "extract_member", "return_record")) {
            f.jdbc.update("update " + table + " set pseudo_id = ? where pseudo_id = ?", id, old);
        }
        return f.jdbc.queryForObject("select row_number from research_record where pseudo_id = ? and intake_id = ?",
                Long.class, id, batch);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> answer, String key) {
        return (List<Map<String, Object>>) answer.get(key);
    }
}
