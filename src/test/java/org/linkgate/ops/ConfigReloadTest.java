package org.linkgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementLoader;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditLog;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.fanout.DepartmentRouteInstaller;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.intake.IntakeRouteInstaller;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.partners.PartnerNotices;
import org.linkgate.partners.Terminations;
import org.linkgate.store.TestDatabases;
import org.linkgate.transfer.PartnerEndpointWatch;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A reload as the operator meets it, without the whole gateway: the real loaders, registry, agreement policy and
 * audit on H2, and a real Camel context that has no route templates (so installing a council's routes fails, as a
 * broken template or a port clash would).
 */
class ConfigReloadTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private Path root;
    private GatewayHome home;
    private JdbcTemplate jdbc;
    private PartnerRegistry registry;
    private AgreementPolicy policy;
    private Terminations terminations;
    private CamelContext camel;
    private LinkgateProperties properties;
    private AuditLog audit;
    private Alerts alerts;

    @BeforeEach
    void start() {
        root = GatewayTestHome.create();
        home = new GatewayHome(root, root.resolve("secrets"));
        jdbc = new JdbcTemplate(TestDatabases.h2());
        registry = new PartnerRegistry(home);
        Set<String> councils = new TreeSet<>();
        registry.councils().forEach(c -> councils.add(c.code()));
        Set<String> departments = new TreeSet<>();
        registry.departments().forEach(d -> departments.add(d.code()));
        policy = new AgreementPolicy(AgreementLoader.load(AgreementLoader.file(root), councils, departments));
        audit = new AuditLog(jdbc, CLOCK);
        alerts = new Alerts(jdbc, CLOCK);
        terminations = new Terminations(jdbc, policy, registry, new PartnerNotices(jdbc, new ObjectMapper(), CLOCK),
                audit, CLOCK);
        properties = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("linkgate", LinkgateProperties.class);
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    private ConfigReload reload(CamelContext context) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        if (context != null) {
            beans.addBean("camelContext", context);
        }
        return new ConfigReload(home, registry, policy, terminations, beans.getBeanProvider(CamelContext.class),
                new IntakeRouteInstaller(registry, home, properties),
                new DepartmentRouteInstaller(registry, home, properties, new PartnerEndpointWatch(registry, alerts)),
                audit, alerts, CLOCK);
    }

    private long audited(String type) {
        return jdbc.queryForObject("select count(*) from audit_event where event_type = ?", Long.class, type);
    }

    @Test
    void aRouteThatCannotBeInstalledLeavesThePartnersAndAgreementAsTheyWere() throws Exception {
        ConfigReload reload = reload(camel);
        Agreement before = policy.agreement();
        DemoBootstrap.createDemoCouncil(home, "E10000099", "Test council E10000099");
        GatewayTestHome.refreshAgreement(root);

        ConfigReload.Result result = reload.reload("admin");

        assertThat(result.outcome()).isEqualTo("REFUSED");
        assertThat(result.problems()).singleElement().asString().contains("routes could not be changed");
        assertThat(registry.council("E10000099")).as("not half put in force").isEmpty();
        assertThat(policy.agreement()).isSameAs(before);
        assertThat(audited("CONFIG_REFUSED")).isEqualTo(1);
        assertThat(audited("CONFIG_CHANGED")).isZero();
        assertThat(camel.getRoutes()).isEmpty();
    }

    @Test
    void aChangeToARecipientIsReloadedAndAnInvalidReleaseSpecificationRefused() throws Exception {
        ConfigReload reload = reload(null);
        Path spec = home.recipientDir("DCLG").resolve("recipient.yaml");
        String valid = Files.readString(spec);

        Files.writeString(spec, valid.replace("maxSuppressedShare: 0.10", "maxSuppressedShare: 0.05"),
                StandardCharsets.UTF_8);
        assertThat(reload.reload("admin").outcome()).as("config/recipients/ is configuration").isEqualTo("LOADED");
        assertThat(jdbc.queryForObject("select count(*) from alert where category = 'CONFIG_RESTART_NEEDED'",
                Long.class)).as("releases use the recipients read at start").isEqualTo(1);

        Files.writeString(spec, valid.replace("variables: [cohort,", "variables: [no_such_variable, cohort,"),
                StandardCharsets.UTF_8);
        ConfigReload.Result refused = reload.reload("admin");
        assertThat(refused.outcome()).isEqualTo("REFUSED");
        assertThat(refused.problems()).singleElement().asString().contains("invalid release specification");
        assertThat(audited("CONFIG_REFUSED")).isEqualTo(1);
    }

    @Test
    void aReloadDoesNotCancelATerminationInForce() throws Exception {
        ConfigReload reload = reload(null);
        LocalDate today = AgreementPolicy.today(CLOCK);
        // In force, e.g. from the agreement.yaml before this one; the new agreement.yaml no longer names it.
        policy.replace(policy.agreement().withTermination(new Agreement.Termination("E10000012", today, "notice")));
        Path file = AgreementLoader.file(root);
        Files.writeString(file, Files.readString(file) + "# edited\n", StandardCharsets.UTF_8);

        ConfigReload.Result result = reload.reload("admin");

        assertThat(result.outcome()).isEqualTo("LOADED");
        assertThat(policy.intake("E10000012", today).code()).isEqualTo("party_terminated");
    }
}
