package org.linkgate.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.linkgate.agreement.AgreementLoader;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditLog;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.demo.DemoPartnerFiles;
import org.linkgate.fanout.ExtractPlanner;
import org.linkgate.inbound.DropZoneTakeIn;
import org.linkgate.inbound.InboundContext;
import org.linkgate.inbound.InboundLifecycle;
import org.linkgate.inbound.InboundLifecycles;
import org.linkgate.incident.IncidentProperties;
import org.linkgate.incident.IncidentRecipients;
import org.linkgate.incident.Incidents;
import org.linkgate.intake.CouncilBatchStages;
import org.linkgate.intake.CouncilBatches;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewayMetrics;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.kernel.MasterKey;
import org.linkgate.kernel.ReceivedFileCustody;
import org.linkgate.kernel.SealedReports;
import org.linkgate.kernel.SecretFiles;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.returns.DepartmentReturns;
import org.linkgate.returns.LinkageQuality;
import org.linkgate.returns.ReturnStages;
import org.linkgate.transfer.ExtractDelivery;
import org.linkgate.validation.DatasetSchemaLoader;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The inbound lifecycle of both sides built from real parts on one database and a throw-away demo
 * gateway home (generated keys, the demo council, six demo departments), without Spring or Camel:
 * {@link #council} and {@link #department} run a file through the same steps, in the same order,
 * as the {@code intake-*} and {@code returns-*} route templates (RouteTemplatesTest holds the
 * templates to that order).
 */
public final class InboundHarness {

    public final GatewayHome home;
    public final JdbcTemplate jdbc;
    public final TransactionTemplate transactions;
    public final Clock clock;
    public final PartnerRegistry registry;
    public final AgreementPolicy agreement;
    public final DataKeyStore dataKeys;
    public final GatewayPgpKey gatewayKey;
    public final DropZoneTakeIn takeIn;
    public final InboundLifecycle councils;
    public final InboundLifecycle returns;
    public final CouncilBatchStages councilStages;
    public final ReturnStages returnStages;
    public final LinkgateProperties properties;
    public final PseudonymisationKey pseudonymisationKey;
    public final AuditLog audit;
    public final Alerts alerts;
    public final GatewayMetrics metrics;
    private final ObjectMapper json = new ObjectMapper();

    public InboundHarness(DataSource dataSource, Clock clock) {
        this(dataSource, clock, GatewayTestHome.create());
    }

    public InboundHarness(DataSource dataSource, Clock clock, Path root) {
        this.clock = clock;
        this.home = new GatewayHome(root, root.resolve("secrets"));
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.properties = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("linkgate", LinkgateProperties.class);
        this.registry = new PartnerRegistry(home);
        Set<String> councilCodes = new TreeSet<>();
        registry.councils().forEach(c -> councilCodes.add(c.code()));
        Set<String> departmentCodes = new TreeSet<>();
        registry.departments().forEach(d -> departmentCodes.add(d.code()));
        this.agreement = new AgreementPolicy(AgreementLoader.load(AgreementLoader.file(root), councilCodes, departmentCodes));
        this.dataKeys = new DataKeyStore(jdbc, new MasterKey(SecretFiles.readKey(
                home.secretsDir().resolve(GatewaySecrets.MASTER_KEY), MasterKey.BYTES)), clock);
        try {
            this.gatewayKey = new GatewayPgpKey(PgpKeys.readSecretKeyRing(home.gatewayKeyDir()
                    .resolve(GatewaySecrets.GATEWAY_SECRET_KEY)), SecretFiles.readText(home.secretsDir()
                    .resolve(GatewaySecrets.GATEWAY_PASSPHRASE)).toCharArray());
        } catch (IOException | org.bouncycastle.openpgp.PGPException e) {
            throw new IllegalStateException(e);
        }
        this.audit = new AuditLog(jdbc, clock);
        this.alerts = new Alerts(jdbc, clock);
        this.metrics = new GatewayMetrics(new SimpleMeterRegistry());
        Duration minute = Duration.ofMinutes(1);
        Incidents incidents = new Incidents(jdbc, audit, alerts, new IncidentRecipients(agreement, registry,
                new IncidentProperties(List.of("operators@example.invalid"), "linkgate-incidents@localhost", minute,
                        minute, minute, 3, minute, minute, minute, 5, minute)), clock);
        InboundLifecycles lifecycles = new InboundLifecycles(new ReceivedFileCustody(home, dataKeys, jdbc, transactions,
                clock), new SealedReports(home, gatewayKey), gatewayKey, alerts, incidents,
                metrics, transactions, json, new org.linkgate.partners.PartnerNotices(jdbc, json, clock), properties);
        this.pseudonymisationKey = new PseudonymisationKey(SecretFiles.readKey(
                home.secretsDir().resolve(GatewaySecrets.PSEUDONYMISATION_KEY), PseudonymisationKey.BYTES));
        var schema = DatasetSchemaLoader.loadClasspath("schemas/" + properties.intake().schema() + ".yaml");
        this.takeIn = new DropZoneTakeIn(home);
        var matchKeys = new org.linkgate.linkage.MatchKeys(pseudonymisationKey, jdbc, transactions);
        this.councils = lifecycles.forSide(new CouncilBatches(registry, agreement, schema, home, jdbc, transactions,
                dataKeys, audit, properties, List.of(new org.linkgate.intake.LinkOnAcceptance(new org.linkgate.linkage.BatchLinker(
                        jdbc, transactions, pseudonymisationKey, audit, clock, 0.95, 0.5), matchKeys, new org.linkgate.store.ResearchStore(jdbc)),
                        new ExtractPlanner(jdbc, registry, clock, agreement, audit)),
                clock));
        this.councilStages = new CouncilBatchStages(schema, pseudonymisationKey, dataKeys, jdbc, transactions, registry,
                clock, json, properties, matchKeys);
        this.returns = lifecycles.forSide(new DepartmentReturns(registry, agreement, new ExtractDelivery(home),
                new LinkageQuality(jdbc), new org.linkgate.fanout.Extracts(jdbc), incidents, jdbc, transactions, audit, clock));
        this.returnStages = new ReturnStages(jdbc, new org.linkgate.fanout.Extracts(jdbc), transactions,
                new org.linkgate.returns.SentIdentities(new org.linkgate.fanout.Extracts(jdbc),
                        new org.linkgate.store.ResearchStore(jdbc), new org.linkgate.intake.IntakeFiles(jdbc), dataKeys, json),
                registry, clock, json);
    }

    /** The demo partner's own OpenPGP key (its private side). */
    public GatewayPgpKey partnerKey(String code) {
        return DemoPartnerFiles.pgpKey(home.demoDir().resolve(code));
    }

    /** Takes a council's file into custody (as the drop-zone route does) and runs it through the intake steps. */
    public InboundContext council(String council, Path file, String receivedName) {
        InboundContext context = councils.claim(council, take(council, file, receivedName));
        try {
            councils.admit(context);
            councils.verify(context);
            if (context.next() == InboundContext.Next.PROCESS) {
                InputStream plaintext = councils.open(context);
                councilStages.store(councilStages.pseudonymise(councilStages.validate(plaintext, context), context),
                        context);
                councils.commit(context);
            }
            councils.report(context);
            councils.archive(context);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            context.close();
        }
    }

    /** Takes a department's return into custody (as the collect route does) and runs it through the returns steps. */
    public InboundContext department(String department, Path file, String receivedName) {
        return department(department, file, receivedName, "test|" + UUID.randomUUID());
    }

    /** As {@link #department(String, Path, String)}, for an upload of this identity (a repeated take-in). */
    public InboundContext department(String department, Path file, String receivedName, String identity) {
        InboundContext context = returns.claim(department,
                takeIn.takeIn(department, file, receivedName, identity, false));
        try {
            returns.admit(context);
            returns.verify(context);
            if (context.next() == InboundContext.Next.PROCESS) {
                InputStream plaintext = returns.open(context);
                returnStages.store(returnStages.guard(returnStages.validate(plaintext, context), context), context);
                returns.commit(context);
            }
            returns.report(context);
            returns.archive(context);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            context.close();
        }
    }

    /** The report recorded for a file, as its sender reads it after decrypting. */
    public JsonNode report(InboundContext context) {
        String table = context.side() == returns.side() ? "return_file" : "intake_file";
        try {
            return json.readTree(jdbc.queryForObject("select report_json from " + table + " where id = ?",
                    String.class, context.entry().id()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path take(String partner, Path file, String receivedName) {
        return takeIn.takeIn(partner, file, receivedName, "test|" + UUID.randomUUID(), false);
    }
}
