package org.linkgate.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.support.GatewayHttp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Review decisions over real HTTP through the gateway's own security (demo users, roles and CSRF as
 * configured): only an ADMIN decides, with a reference; a pair is decided once; the list shows
 * undecided pairs unless asked for decided ones; only an ADMIN undoes a decision, audited. The pairs
 * are synthetic pseudo ids.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LinkageReviewIT {

    static final Path HOME = GatewayTestHome.create();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestHome.register(registry, HOME);
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    GatewayHome home;
    @Autowired
    org.linkgate.audit.AuditLog audit;
    @LocalServerPort
    int port;

    private String person(Instant firstSeen) {
        String id = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        jdbc.update("insert into linkage_person (person_id, first_intake_id, first_seen_at) values (?, ?, ?)", id,
                UUID.randomUUID().toString(), Timestamp.from(firstSeen));
        return id;
    }

    private long review(String intake, String person, String candidate) {
        jdbc.update("insert into linkage_review (intake_id, row_number, person_id, candidate_id, pattern, match_weight,"
                + " probability, created_at) values (?, 7, ?, ?, 'fn3 sn3 dob3 sex1 pc2 nhs0', 4.1, 0.8, ?)", intake, person,
                candidate, Timestamp.from(Instant.now()));
        return jdbc.queryForObject("select max(id) from linkage_review", Long.class);
    }

    @Test
    void onlyAnAdminDecidesAPairOnceWithAReference() {
        GatewayHttp http = new GatewayHttp(port, home.demoDir().resolve("http-users.txt"));
        String intake = UUID.randomUUID().toString();
        String earlier = person(Instant.parse("2026-01-10T00:00:00Z"));
        String later = person(Instant.parse("2026-07-10T00:00:00Z"));
        String twinA = person(Instant.parse("2026-01-10T00:00:00Z"));
        String twinB = person(Instant.parse("2026-07-10T00:00:00Z"));
        long same = review(intake, later, earlier);
        long twins = review(intake, twinB, twinA);
        String ref = "{\"reference\": \"LR-2026/042\"}";

        // Who may not decide.
        for (String user : new String[] {"analyst", "operator", "auditor"}) {
            assertThat(http.post("/api/linkage/review/" + same + "/accept", user, ref).statusCode()).as(user).isEqualTo(403);
            assertThat(http.post("/api/linkage/review/" + twins + "/reject", user, ref).statusCode()).as(user).isEqualTo(403);
        }
        assertThat(http.postWithoutCsrf("/api/linkage/review/" + same + "/accept", "admin", ref).statusCode()).isEqualTo(403);
        // Anonymous, and so without a token: refused by the CSRF check before authentication is even asked for.
        assertThat(http.postWithoutCsrf("/api/linkage/review/" + same + "/accept", null, ref).statusCode()).isEqualTo(403);
        assertThat(http.post("/api/linkage/review/" + same + "/accept", "admin", "{}").statusCode()).isEqualTo(400);
        assertThat(http.post("/api/linkage/review/" + same + "/accept", "admin", "{\"reference\": \"a\\nb\"}").statusCode())
                .isEqualTo(400);
        assertThat(http.post("/api/linkage/review/99999999/accept", "admin", ref).statusCode()).isEqualTo(404);
        assertThat(jdbc.queryForObject("select count(*) from linkage_person where merged_into is not null"
                + " and person_id in (?, ?)", Integer.class, later, twinB)).as("nothing refused took effect").isZero();
        assertThat(GatewayHttp.json(http.get("/api/linkage/review?intake=" + intake, "analyst")).get("total").asInt())
                .isEqualTo(2);

        HttpResponse<String> accepted = http.post("/api/linkage/review/" + same + "/accept", "admin", ref);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(GatewayHttp.json(accepted).get("decision").asText()).isEqualTo("ACCEPTED");
        assertThat(GatewayHttp.json(accepted).get("decidedBy").asText()).isEqualTo("admin");
        assertThat(jdbc.queryForObject("select merged_into from linkage_person where person_id = ?", String.class, later))
                .isEqualTo(earlier);
        HttpResponse<String> rejected = http.post("/api/linkage/review/" + twins + "/reject", "admin",
                "{\"reference\": \"LR-2026/043 twins\"}");
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
        assertThat(GatewayHttp.json(rejected).get("decision").asText()).isEqualTo("REJECTED");

        assertThat(http.post("/api/linkage/review/" + same + "/accept", "admin", ref).statusCode()).isEqualTo(409);
        assertThat(http.post("/api/linkage/review/" + twins + "/accept", "admin", ref).statusCode()).isEqualTo(409);

        // The list: undecided by default (none left), decided on request; readable by analyst and admin only.
        assertThat(GatewayHttp.json(http.get("/api/linkage/review?intake=" + intake, "analyst")).get("total").asInt())
                .isZero();
        JsonNode decided = GatewayHttp.json(http.get("/api/linkage/review?intake=" + intake + "&status=decided", "admin"));
        assertThat(decided.get("total").asInt()).isEqualTo(2);
        assertThat(decided.get("pairs").get(0).has("id")).isTrue();
        assertThat(decided.get("pairs").get(0).has("rowNumber")).isFalse();
        assertThat(http.get("/api/linkage/review?status=bogus", "analyst").statusCode()).isEqualTo(400);
        assertThat(http.get("/api/linkage/review", "operator").statusCode()).isEqualTo(403);

        assertThat(jdbc.queryForList("select actor from audit_event where event_type in ('LINKAGE_PAIR_ACCEPTED',"
                + " 'LINKAGE_PAIR_REJECTED', 'PERSONS_MERGED') and subject_id in (?, ?) order by seq", String.class,
                "review-" + same, "review-" + twins))
                .containsExactly("admin", "admin", "admin");
    }

    @Test
    void onlyAnAdminUndoesADecisionWithAReferenceAndItIsAudited() {
        GatewayHttp http = new GatewayHttp(port, home.demoDir().resolve("http-users.txt"));
        String intake = UUID.randomUUID().toString();
        String earlier = person(Instant.parse("2026-01-10T00:00:00Z"));
        String later = person(Instant.parse("2026-07-10T00:00:00Z"));
        String twinA = person(Instant.parse("2026-01-10T00:00:00Z"));
        String twinB = person(Instant.parse("2026-07-10T00:00:00Z"));
        long same = review(intake, later, earlier);
        long twins = review(intake, twinB, twinA);
        String ref = "{\"reference\": \"LR-2026/050 undo\"}";
        assertThat(http.post("/api/linkage/review/" + same + "/undo", "admin", ref).statusCode())
                .as("not decided: nothing to undo").isEqualTo(409);
        assertThat(http.post("/api/linkage/review/" + same + "/accept", "admin", "{\"reference\": \"LR-1\"}").statusCode())
                .isEqualTo(200);
        assertThat(http.post("/api/linkage/review/" + twins + "/reject", "admin", "{\"reference\": \"LR-2\"}").statusCode())
                .isEqualTo(200);

        for (String user : new String[] {"analyst", "operator", "auditor"}) {
            assertThat(http.post("/api/linkage/review/" + same + "/undo", user, ref).statusCode()).as(user).isEqualTo(403);
        }
        assertThat(http.postWithoutCsrf("/api/linkage/review/" + same + "/undo", "admin", ref).statusCode()).isEqualTo(403);
        assertThat(http.post("/api/linkage/review/" + same + "/undo", "admin", "{}").statusCode()).isEqualTo(400);
        assertThat(http.post("/api/linkage/review/99999999/undo", "admin", ref).statusCode()).isEqualTo(404);
        assertThat(jdbc.queryForObject("select merged_into from linkage_person where person_id = ?", String.class, later))
                .as("nothing refused took effect").isEqualTo(earlier);

        HttpResponse<String> merge = http.post("/api/linkage/review/" + same + "/undo", "admin", ref);
        assertThat(merge.statusCode()).as(merge.body()).isEqualTo(200);
        assertThat(GatewayHttp.json(merge).get("decision").isNull()).isTrue();
        assertThat(jdbc.queryForObject("select merged_into from linkage_person where person_id = ?", String.class, later))
                .isNull();
        HttpResponse<String> reject = http.post("/api/linkage/review/" + twins + "/undo", "admin", ref);
        assertThat(reject.statusCode()).as(reject.body()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select count(*) from linkage_non_link where review_id = ?", Integer.class, twins))
                .isZero();
        assertThat(http.post("/api/linkage/review/" + twins + "/undo", "admin", ref).statusCode()).isEqualTo(409);
        // Undecided again: listed, and can be decided anew.
        assertThat(GatewayHttp.json(http.get("/api/linkage/review?intake=" + intake, "analyst")).get("total").asInt())
                .isEqualTo(2);
        assertThat(http.post("/api/linkage/review/" + twins + "/accept", "admin", "{\"reference\": \"LR-3\"}").statusCode())
                .isEqualTo(200);

        List<String> undone = jdbc.queryForList("select actor || ' ' || subject_id || ' ' || detail from audit_event"
                + " where event_type = 'LINKAGE_DECISION_UNDONE' and detail like ? order by seq", String.class,
                "%" + intake + "%");
        assertThat(undone).hasSize(2);
        assertThat(undone.get(0)).startsWith("admin review-" + same).contains("ACCEPTED undone", "ref=LR-2026/050 undo");
        assertThat(undone.get(1)).startsWith("admin review-" + twins).contains("REJECTED undone", "non-link removed=1");
    }

    /** An automatic merge as linking records it (PersonMerges, BatchLinker's call), of synthetic persons. */
    private long automaticMerge(String intake, String later, String survivor) {
        new PersonMerges(jdbc, audit).mergeForward(later, survivor, Instant.now(), intake, "linkage", null);
        return jdbc.queryForObject("select id from linkage_merge where person_id = ?", Long.class, later);
    }

    @Test
    void onlyAnAdminListsAndUndoesAnAutomaticMergeAndAnIdADepartmentSawStays() {
        GatewayHttp http = new GatewayHttp(port, home.demoDir().resolve("http-users.txt"));
        String intake = UUID.randomUUID().toString();
        String earlier = person(Instant.parse("2026-01-10T00:00:00Z"));
        String later = person(Instant.parse("2026-07-10T00:00:00Z"));
        String seenEarlier = person(Instant.parse("2026-01-10T00:00:00Z"));
        String seenLater = person(Instant.parse("2026-07-10T00:00:00Z"));
        long merge = automaticMerge(intake, later, earlier);
        long seen = automaticMerge(intake, seenLater, seenEarlier);
        // A record linked through seenLater since took seenEarlier's id, and went out to DWP under it.
        jdbc.update("insert into linkage_row (intake_id, row_number, fn, fn_phonetic, fn_root, fn_edits, sn, sn_phonetic,"
                + " sn_edits, dob, dob_swap, dob_parts, fn_as_sn, fn_as_sn_edits, person_id, linked_via)"
                + " values (?, 3, 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', ?, ?)", intake, seenEarlier,
                seenLater);
        jdbc.update("insert into intake_file (id, council_code, file_name, sha256, size_bytes, period, status, received_at)"
                + " values (?, 'E10000012', ?, ?, 1, '2026-07', 'ACCEPTED', ?)", intake, intake + ".csv.gpg",
                intake.replace("-", ""), Timestamp.from(Instant.now()));
        String extract = UUID.randomUUID().toString().replace("-", "");
        jdbc.update("insert into extract (id, department_code, intake_id, period, file_name, status, created_at)"
                + " values (?, 'DWP', ?, '2026-07', 'x.csv', 'SENT', ?)", extract, intake, Timestamp.from(Instant.now()));
        jdbc.update("insert into extract_member (extract_id, department_token, pseudo_id, intake_id, row_number, cohort)"
                + " values (?, 'tok', ?, ?, 3, 'TREATMENT')", extract, seenEarlier, intake);
        String ref = "{\"reference\": \"LM-2026/007 wrong merge\"}";

        // Listing and undoing are an ADMIN's: who is one person is decided again.
        for (String user : new String[] {"analyst", "operator", "auditor"}) {
            assertThat(http.get("/api/linkage/merges", user).statusCode()).as(user).isEqualTo(403);
            assertThat(http.post("/api/linkage/merges/" + merge + "/undo", user, ref).statusCode()).as(user).isEqualTo(403);
        }
        assertThat(http.postWithoutCsrf("/api/linkage/merges/" + merge + "/undo", "admin", ref).statusCode()).isEqualTo(403);
        assertThat(http.post("/api/linkage/merges/" + merge + "/undo", "admin", "{}").statusCode()).isEqualTo(400);
        assertThat(http.post("/api/linkage/merges/99999999/undo", "admin", ref).statusCode()).isEqualTo(404);
        assertThat(http.get("/api/linkage/merges?status=bogus", "admin").statusCode()).isEqualTo(400);
        assertThat(jdbc.queryForObject("select merged_into from linkage_person where person_id = ?", String.class, later))
                .as("nothing refused took effect").isEqualTo(earlier);

        JsonNode listed = GatewayHttp.json(http.get("/api/linkage/merges?intake=" + intake, "admin"));
        assertThat(listed.get("total").asInt()).isEqualTo(2);
        JsonNode first = listed.get("merges").get(listed.get("merges").get(0).get("id").asLong() == merge ? 0 : 1);
        assertThat(first.get("personId").asText()).isEqualTo(later);
        assertThat(first.get("survivorId").asText()).isEqualTo(earlier);
        assertThat(first.get("intakeId").asText()).isEqualTo(intake);
        assertThat(first.get("movedPersons").asInt()).isOne();
        assertThat(first.has("rowNumber")).isFalse();

        HttpResponse<String> refused = http.post("/api/linkage/merges/" + seen + "/undo", "admin", ref);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(refused.body()).contains("DWP (batch " + intake + ")", "never changes");
        assertThat(jdbc.queryForObject("select merged_into from linkage_person where person_id = ?", String.class,
                seenLater)).as("an id a department has seen never changes").isEqualTo(seenEarlier);

        HttpResponse<String> undone = http.post("/api/linkage/merges/" + merge + "/undo", "admin", ref);
        assertThat(undone.statusCode()).as(undone.body()).isEqualTo(200);
        assertThat(GatewayHttp.json(undone).get("undoneBy").asText()).isEqualTo("admin");
        assertThat(GatewayHttp.json(undone).get("reference").asText()).isEqualTo("LM-2026/007 wrong merge");
        assertThat(jdbc.queryForObject("select merged_into from linkage_person where person_id = ?", String.class, later))
                .isNull();
        assertThat(jdbc.queryForObject("select count(*) from linkage_non_link where merge_id = ?", Integer.class, merge))
                .as("the undo sticks: a non-link, as a reject").isOne();
        assertThat(http.post("/api/linkage/merges/" + merge + "/undo", "admin", ref).statusCode()).isEqualTo(409);
        assertThat(GatewayHttp.json(http.get("/api/linkage/merges?intake=" + intake, "admin")).get("total").asInt())
                .as("standing merges only, by default").isOne();
        assertThat(GatewayHttp.json(http.get("/api/linkage/merges?intake=" + intake + "&status=undone", "admin"))
                .get("merges").get(0).get("id").asLong()).isEqualTo(merge);
        assertThat(jdbc.queryForList("select actor || ' ' || subject_id from audit_event"
                + " where event_type = 'LINKAGE_MERGE_UNDONE' and detail like ?", String.class, "%" + intake + "%"))
                .containsExactly("admin merge-" + merge);
    }
}
