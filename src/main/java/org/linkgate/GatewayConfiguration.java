package org.linkgate;

import java.io.IOException;
import java.time.Clock;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.kernel.EmbeddedDatabasePassword;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewayHomePreparer;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.kernel.HomeFileModes;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.kernel.MasterKey;
import org.linkgate.kernel.MasterKeySource;
import org.linkgate.kernel.SecretFiles;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.validation.DatasetSchema;
import org.linkgate.validation.DatasetSchemaLoader;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway home and the keys read from it. A missing key stops start-up with the path it
 * expected, unless {@code linkgate.bootstrap-demo} is on and the home is new; a key file others
 * could read stops it too ({@link SecretFiles#requirePrivate}). The home, secrets and database
 * directories are made owner-only before anything is written there ({@link HomeFileModes}).
 */
@Configuration(proxyBeanMethods = false)
public class GatewayConfiguration {

    @Bean
    public GatewayHome gatewayHome(LinkgateProperties properties,
                                   ObjectProvider<GatewayHomePreparer> preparers) {
        GatewayHome home = new GatewayHome(properties);
        preparers.orderedStream().forEach(preparer -> preparer.prepare(home));
        HomeFileModes.secure(home);
        return home;
    }

    /**
     * The embedded H2 database (the zero-set-up default) gets its password from the secrets dir,
     * generated on first start; a configured password or another database is left as configured.
     */
    @Bean
    public static BeanPostProcessor embeddedDatabasePassword(ObjectProvider<GatewayHome> home) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof DataSourceProperties properties
                        && EmbeddedDatabasePassword.applies(properties.getUrl(), properties.getPassword())) {
                    properties.setPassword(EmbeddedDatabasePassword.resolve(properties.getUrl(),
                            properties.determineUsername(), home.getObject()));
                }
                return bean;
            }
        };
    }

    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    public MasterKey masterKey(GatewayHome home) {
        return MasterKeySource.load(home, System.getenv());
    }

    @Bean
    public PseudonymisationKey pseudonymisationKey(GatewayHome home) {
        return new PseudonymisationKey(SecretFiles.readKey(
                home.secretsDir().resolve(GatewaySecrets.PSEUDONYMISATION_KEY), PseudonymisationKey.BYTES));
    }

    @Bean
    public GatewayPgpKey gatewayPgpKey(GatewayHome home) {
        char[] passphrase = SecretFiles.readText(home.secretsDir().resolve(GatewaySecrets.GATEWAY_PASSPHRASE)).toCharArray();
        try {
            return new GatewayPgpKey(PgpKeys.readSecretKeyRing(home.gatewayKeyDir().resolve(GatewaySecrets.GATEWAY_SECRET_KEY)),
                    passphrase);
        } catch (IOException | org.bouncycastle.openpgp.PGPException e) {
            throw new IllegalStateException("cannot read the gateway OpenPGP key in " + home.gatewayKeyDir(), e);
        }
    }

    /** The agreement the gateway enforces; missing or invalid, the gateway does not start. */
    @Bean
    public org.linkgate.agreement.AgreementPolicy agreementPolicy(GatewayHome home,
                                                                  org.linkgate.agreement.PartnerRegistry registry) {
        java.util.Set<String> councils = new java.util.TreeSet<>();
        registry.councils().forEach(c -> councils.add(c.code()));
        java.util.Set<String> departments = new java.util.TreeSet<>();
        registry.departments().forEach(d -> departments.add(d.code()));
        org.linkgate.agreement.Agreement agreement = org.linkgate.agreement.AgreementLoader.load(
                org.linkgate.agreement.AgreementLoader.file(home.root()), councils, departments);
        if (agreement.icoWaiver() != null) {
            // cl. 13.1: not telling the regulator is a decision on the record, at every start and on every breach.
            org.slf4j.LoggerFactory.getLogger(GatewayConfiguration.class).warn("Agreement {}: personal-data breaches are"
                    + " NOT notified to the ICO by the gateway, waived: {}", agreement.reference(), agreement.icoWaiver());
        }
        return new org.linkgate.agreement.AgreementPolicy(agreement);
    }

    @Bean
    public DatasetSchema councilBatchSchema(LinkgateProperties properties) {
        return DatasetSchemaLoader.loadClasspath("schemas/" + properties.intake().schema() + ".yaml");
    }
}
