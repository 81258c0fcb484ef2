package org.linkgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.bouncycastle.openpgp.PGPException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpKeyPairGenerator;
import org.linkgate.store.TestDatabases;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** The auditors' HTTP surface over a real H2 store (security is configured elsewhere). */
class AuditApiTest {

    private static final char[] PASSPHRASE = "test-only passphrase".toCharArray();
    private static GatewayPgpKey gatewayKey;

    private final ObjectMapper json = new ObjectMapper();
    private JdbcTemplate jdbc;
    private AuditLog audit;
    private MockMvc mvc;

    private static synchronized GatewayPgpKey gatewayKey() throws PGPException {
        if (gatewayKey == null) {
            gatewayKey = new GatewayPgpKey(new PgpKeyPairGenerator().generate("Linkgate Test Gateway"
                    + " <gateway@example.invalid>", PASSPHRASE).secret(), PASSPHRASE);
        }
        return gatewayKey;
    }

    @BeforeEach
    void setUp() throws Exception {
        DataSource ds = TestDatabases.h2();
        org.flywaydb.core.Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                .javaMigrations(new AuditChainMigration()).load().migrate();
        jdbc = new JdbcTemplate(ds);
        Clock clock = Clock.fixed(Instant.parse("2026-11-01T10:00:00Z"), ZoneOffset.UTC);
        audit = new AuditLog(jdbc, clock);
        AuditHeadSigner heads = new AuditHeadSigner(jdbc, gatewayKey(), clock);
        mvc = MockMvcBuilders.standaloneSetup(new AuditApi(new AuditTrail(jdbc, List.of()), new AuditChainVerifier(jdbc, heads),
                heads)).build();
        audit.record(AuditEventType.FILE_RECEIVED, "E10000012", "file-a", "intake", null);
        audit.record(AuditEventType.FILE_ACCEPTED, "E10000012", "file-a", "intake", "=rows=3");
        audit.record(AuditEventType.EXTRACT_SENT, "DWP", "extract-1", "fanout", "rows=3");
    }

    @Nested
    class Events {

        @Test
        void asJsonFiltered() throws Exception {
            mvc.perform(get("/api/audit/events").param("partner", "E10000012").param("type", "FILE_ACCEPTED"))
                    .andExpect(status().isOk())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                    .andExpect(jsonPath("$.length()").value(1))
                    .andExpect(jsonPath("$[0].seq").value(2))
                    .andExpect(jsonPath("$[0].subjectId").value("file-a"))
                    .andExpect(jsonPath("$[0].hash").isString());
        }

        @Test
        void asCsvStreamed() throws Exception {
            MvcResult started = mvc.perform(get("/api/audit/events").param("format", "csv").param("subject", "file-a"))
                    .andExpect(request().asyncStarted()).andReturn();
            String body = mvc.perform(asyncDispatch(started))
                    .andExpect(status().isOk())
                    .andExpect(header().string("Content-Disposition", "attachment; filename=\"audit-events.csv\""))
                    .andExpect(content().contentTypeCompatibleWith("text/csv"))
                    .andReturn().getResponse().getContentAsString();
            assertThat(body.lines()).hasSize(3);
            assertThat(body.lines().skip(2).findFirst().orElseThrow()).contains(",'=rows=3,");
        }

        @Test
        void badFiltersAreRefused() throws Exception {
            mvc.perform(get("/api/audit/events").param("type", "NO_SUCH_TYPE")).andExpect(status().isBadRequest());
            mvc.perform(get("/api/audit/events").param("from", "yesterday")).andExpect(status().isBadRequest());
            mvc.perform(get("/api/audit/events").param("limit", "0")).andExpect(status().isBadRequest());
            mvc.perform(get("/api/audit/events").param("format", "xml")).andExpect(status().isBadRequest());
        }
    }

    @Nested
    class Verification {

        @Test
        void reportsAnIntactChain() throws Exception {
            mvc.perform(get("/api/audit/verify")).andExpect(status().isOk())
                    .andExpect(jsonPath("$.intact").value(true))
                    .andExpect(jsonPath("$.eventsChecked").value(3))
                    .andExpect(jsonPath("$.headSeq").value(3));
        }

        @Test
        void reportsTheFirstBrokenLink() throws Exception {
            jdbc.update("update audit_event set detail = 'rows=4' where seq = 3");
            mvc.perform(get("/api/audit/verify")).andExpect(status().isOk())
                    .andExpect(jsonPath("$.intact").value(false))
                    .andExpect(jsonPath("$.brokenSeq").value(3))
                    .andExpect(jsonPath("$.kind").value("EDITED"));
        }

        @Test
        void anExportedHeadVerifiesLaterAndAForgedOneDoesNot() throws Exception {
            String exported = mvc.perform(get("/api/audit/head")).andExpect(status().isOk())
                    .andExpect(jsonPath("$.head").isString())
                    .andExpect(jsonPath("$.signature").value(org.hamcrest.Matchers.startsWith(
                            "-----BEGIN PGP SIGNATURE-----")))
                    .andReturn().getResponse().getContentAsString();
            audit.record(AuditEventType.RETURN_RECEIVED, "DWP", "return-1", "returns", null);
            mvc.perform(post("/api/audit/verify-head").contentType(MediaType.APPLICATION_JSON).content(exported))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.intact").value(true))
                    .andExpect(jsonPath("$.headSeq").value(4));

            SignedHead head = json.readValue(exported, SignedHead.class);
            String forged = json.writeValueAsString(new SignedHead(head.head().replace("\"seq\":3", "\"seq\":4"),
                    head.signature()));
            mvc.perform(post("/api/audit/verify-head").contentType(MediaType.APPLICATION_JSON).content(forged))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.intact").value(false))
                    .andExpect(jsonPath("$.kind").value("SIGNATURE_INVALID"));
            mvc.perform(post("/api/audit/verify-head").contentType(MediaType.APPLICATION_JSON).content("{}"))
                    .andExpect(status().isBadRequest());
        }
    }
}
