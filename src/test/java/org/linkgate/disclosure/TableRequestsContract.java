package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.linkgate.audit.AuditLog;
import org.springframework.jdbc.core.JdbcTemplate;

/** The two-person rule's store on a real database: what is kept, who may decide, what is shown. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TableRequestsContract {

    static final String COUNCIL = "E10000012";
    JdbcTemplate jdbc;
    TableRequests requests;

    abstract DataSource database();

    @BeforeAll
    void setUp() {
        DataSource ds = database();
        new LinkedDataFixture(ds, 3).batch(COUNCIL, "2015-06", 200, "ACCEPTED");
        jdbc = new JdbcTemplate(ds);
        requests = new TableRequests(jdbc, new TableBuilder(ds), DisclosureSettings.fixed(DisclosureRules.agreementDefaults()),
                new AuditLog(jdbc, Clock.systemUTC()), Clock.systemUTC());
    }

    TableSpec spec() {
        return new TableSpec(TableSpec.Scope.of(COUNCIL, "2015-06"), Measure.ANY_OFFENCE, List.of(Breakdown.SEX));
    }

    @Test
    void aRequestIsKeptCheckedAndShownOnlyOnceASecondPersonApproves() {
        String id = requests.request(spec(), DisclosureSettings.FIXED_PURPOSE, "ann");
        TableRequests.Stored pending = requests.find(id).orElseThrow();
        assertThat(pending.status()).isEqualTo(TableRequests.PENDING);
        assertThat(pending.check()).containsEntry("passed", true).containsKey("suppressedCells");
        assertThat(pending.viewFor("ann", false)).doesNotContainKeys("table", "tableForReview");
        // only a checker (ADMIN) other than the requester sees a pending table's figures
        assertThat(pending.viewFor("bob", true)).containsKey("tableForReview").doesNotContainKey("table");
        assertThat(pending.viewFor("dan", false)).as("another analyst").doesNotContainKeys("table", "tableForReview");
        assertThat(pending.viewFor("ann", true)).as("a requester who is also a checker")
                .doesNotContainKeys("table", "tableForReview");

        assertThatThrownBy(() -> requests.approve(id, "ann")).isInstanceOf(TableRequests.TwoPersonRuleException.class);
        assertThatThrownBy(() -> requests.reject(id, "ann", "no")).isInstanceOf(TableRequests.TwoPersonRuleException.class);
        assertThat(requests.find(id).orElseThrow().status()).isEqualTo(TableRequests.PENDING);

        requests.approve(id, "bob");
        TableRequests.Stored released = requests.find(id).orElseThrow();
        assertThat(released.status()).isEqualTo(TableRequests.RELEASED);
        assertThat(released.decidedBy()).isEqualTo("bob");
        assertThat(released.viewFor("ann", false)).as("the requester").containsKey("table");
        assertThat(released.viewFor("bob", false)).as("the approver").containsKey("table");
        assertThat(released.viewFor("erin", true)).as("another checker").containsKey("table");
        assertThat(released.viewFor("dan", false)).as("another analyst").doesNotContainKeys("table", "tableForReview");
        assertThat(TableRequests.sha256(released.tableJson())).isEqualTo(released.tableSha256());
        // exactly the table the checker saw, and its rows in the release ledger as released
        assertThat(released.tableJson()).isEqualTo(TableRequests.json(pending.viewFor("bob", true).get("tableForReview")));
        assertThat(jdbc.queryForObject("select count(*) from released_cell where release_id = ? and council_code = ?"
                + " and period = '2015-06' and scope_filter = ''", Integer.class, id, COUNCIL)).isEqualTo(3 * 4);
        assertThatThrownBy(() -> requests.approve(id, "carol")).isInstanceOf(TableRequests.NotPendingException.class);

        assertThat(jdbc.queryForList("select event_type from audit_event where subject_id = ? order by seq", String.class, id))
                .containsExactly("TABLE_REQUESTED", "TABLE_CHECKED", "TABLE_APPROVED", "TABLE_RELEASED");
    }

    @Test
    void aRejectedRequestIsNeverShownAndListsCarryNoFigures() {
        String id = requests.request(spec(), DisclosureSettings.FIXED_PURPOSE, "ann");
        requests.reject(id, "bob", "x".repeat(600));
        TableRequests.Stored rejected = requests.find(id).orElseThrow();
        assertThat(rejected.status()).isEqualTo(TableRequests.REJECTED);
        assertThat(rejected.viewFor("ann", false)).doesNotContainKeys("table", "tableForReview");
        assertThat(rejected.viewFor("bob", true)).doesNotContainKeys("table", "tableForReview");
        assertThat(requests.list(TableRequests.REJECTED)).extracting(r -> r.get("id")).contains(id);
        assertThat(requests.list(null)).allSatisfy(r -> assertThat(r).doesNotContainKeys("table_json", "check_json"));
    }

    @Test
    void everyRequestNamesOneOfTheAgreementsPurposesOrIsRefusedWithTheReason() {
        TableRequests agreed = new TableRequests(jdbc, new TableBuilder(jdbc.getDataSource()),
                DisclosureSettings.fixed(DisclosureRules.agreementDefaults(),
                        List.of("Programme evaluation", "Official statistics")),
                new AuditLog(jdbc, Clock.systemUTC()), Clock.systemUTC());
        long before = jdbc.queryForObject("select count(*) from disclosure_request", Long.class);

        assertThatThrownBy(() -> agreed.request(spec(), "marketing", "ann"))
                .isInstanceOf(TableRequests.PurposeRefusedException.class)
                .hasMessageContaining("not one of the agreement's purposes (cl. 6.1)")
                .hasMessageContaining("Programme evaluation; Official statistics")
                .hasMessageNotContaining("marketing");
        assertThatThrownBy(() -> agreed.request(spec(), "  ", "ann"))
                .isInstanceOf(TableRequests.PurposeRefusedException.class).hasMessageContaining("must name its purpose");
        assertThatThrownBy(() -> agreed.request(spec(), null, "ann"))
                .isInstanceOf(TableRequests.PurposeRefusedException.class);
        assertThat(jdbc.queryForObject("select count(*) from disclosure_request", Long.class))
                .as("a refused request stores nothing").isEqualTo(before);
        assertThat(jdbc.queryForList("select detail from audit_event where event_type = 'FLOW_REFUSED' and actor = 'http:ann'",
                String.class)).hasSize(3).allSatisfy(d -> assertThat(d).startsWith("table request refused: "));

        String id = agreed.request(spec(), " official STATISTICS ", "ann");
        assertThat(jdbc.queryForObject("select purpose from disclosure_request where id = ?", String.class, id))
                .as("stored as the agreement writes it").isEqualTo("Official statistics");
        assertThat(agreed.find(id).orElseThrow().spec()).containsEntry("purpose", "Official statistics");
        assertThat(jdbc.queryForObject("select detail from audit_event where event_type = 'TABLE_REQUESTED' and subject_id = ?",
                String.class, id)).contains("\"purpose\":\"Official statistics\"");
    }

    /**
     * A filtered table is protected with the earlier table over the same people known, recorded
     * with its filter; a table checked before another over its people was released is not
     * approved (it was not protected against that one).
     */
    @Test
    void aTableIsCheckedAgainstEarlierReleasesOverItsPeopleAndNotApprovedIfOneCameAfterItsCheck() {
        TableSpec womenByProblems = new TableSpec(new TableSpec.Scope(COUNCIL, "2015-06", java.util.Map.of(Breakdown.SEX, "F")),
                Measure.HOSPITAL_ADMISSION, List.of(Breakdown.PROBLEMS));
        TableSpec bySex = new TableSpec(TableSpec.Scope.of(COUNCIL, "2015-06"), Measure.HOSPITAL_ADMISSION,
                List.of(Breakdown.SEX));
        TableSpec otherCouncil = new TableSpec(TableSpec.Scope.of("E10000099", "2015-06"), Measure.HOSPITAL_ADMISSION,
                List.of(Breakdown.SEX));
        String first = requests.request(bySex, DisclosureSettings.FIXED_PURPOSE, "ann");
        String second = requests.request(womenByProblems, DisclosureSettings.FIXED_PURPOSE, "ann");
        String elsewhere = requests.request(otherCouncil, DisclosureSettings.FIXED_PURPOSE, "ann");
        assertThat(requests.find(second).orElseThrow().status()).isEqualTo(TableRequests.PENDING);
        requests.approve(first, "bob");

        assertThatThrownBy(() -> requests.approve(second, "bob")).isInstanceOf(TableRequests.StaleCheckException.class);
        assertThat(requests.find(second).orElseThrow().status()).isEqualTo(TableRequests.PENDING);
        // another council's people: the first table is not over them
        assertThat(requests.find(elsewhere).orElseThrow().check()).containsEntry("earlierReleasesKnown", 0);

        String again = requests.request(womenByProblems, DisclosureSettings.FIXED_PURPOSE, "ann");
        assertThat(((Number) requests.find(again).orElseThrow().check().get("earlierReleasesKnown")).intValue())
                .isGreaterThanOrEqualTo(1);
        requests.approve(again, "bob");
        assertThat(jdbc.queryForObject("select count(*) from released_cell where release_id = ? and scope_filter = 'sex=F'",
                Integer.class, again)).isEqualTo(3 * 5);
        assertThat(new AnalystLedger(jdbc).earlierOver(new TableSpec(new TableSpec.Scope(COUNCIL, "2015-06",
                java.util.Map.of(Breakdown.SEX, "M")), Measure.HOSPITAL_ADMISSION, List.of())).releaseIds())
                .as("women only: no person in common with a table of men").contains(first).doesNotContain(again);
    }
}
