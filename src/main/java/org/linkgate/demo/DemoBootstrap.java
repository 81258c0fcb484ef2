package org.linkgate.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.bouncycastle.openpgp.PGPException;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.crypto.GeneratedPgpKey;
import org.linkgate.crypto.PgpKeyPairGenerator;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.kernel.SecretFiles;
import org.linkgate.ops.HttpSecurityConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an empty gateway home runnable (demo and first start only): generates the gateway's
 * secrets and OpenPGP key, and one demo council, E10000012, whose private keys go to
 * {@code <home>/demo/E10000012/} — the council's side, which a real council keeps itself.
 * Existing files are never overwritten.
 */
public final class DemoBootstrap {

    public static final String DEMO_COUNCIL = "E10000012";
    private static final Logger LOG = LoggerFactory.getLogger(DemoBootstrap.class);

    private DemoBootstrap() {
    }

    public static void prepare(GatewayHome home) {
        try {
            prepareOrThrow(home);
        } catch (IOException | PGPException e) {
            throw new IllegalStateException("cannot bootstrap the demo gateway home " + home.root(), e);
        }
    }

    private static void prepareOrThrow(GatewayHome home) throws IOException, PGPException {
        GatewaySecrets.createIfMissing(home);
        Path gatewayKeys = home.gatewayKeyDir();
        if (!Files.exists(gatewayKeys.resolve(GatewaySecrets.GATEWAY_SECRET_KEY))) {
            char[] passphrase = SecretFiles.readText(home.secretsDir().resolve(GatewaySecrets.GATEWAY_PASSPHRASE)).toCharArray();
            GeneratedPgpKey key = new PgpKeyPairGenerator().generate("Linkgate gateway (demo) <gateway@linkgate.invalid>", passphrase);
            GatewayHome.ensureDirectory(gatewayKeys);
            key.writeArmoredSecret(gatewayKeys.resolve(GatewaySecrets.GATEWAY_SECRET_KEY));
            key.writeArmoredPublic(gatewayKeys.resolve(GatewaySecrets.GATEWAY_PUBLIC_KEY));
            LOG.warn("generated a new gateway OpenPGP key in {} (demo bootstrap)", gatewayKeys);
        }
        if (!Files.exists(home.councilsDir())) {
            createDemoCouncil(home, DEMO_COUNCIL, "Demo County Council");
        }
        Path users = home.root().resolve("config").resolve(HttpSecurityConfiguration.USERS_FILE);
        if (!Files.exists(users)) {
            createDemoUsers(users, home.demoDir().resolve("http-users.txt"));
        }
        if (!Files.exists(home.departmentsDir())) {
            for (DemoDepartment department : DemoDepartment.values()) {
                createDemoDepartment(home, department);
            }
        }
        if (!Files.exists(home.recipientsDir())) {
            createDemoRecipient(home);
        }
        if (!Files.exists(org.linkgate.agreement.AgreementLoader.file(home.root()))) {
            writeDemoAgreement(home);
        }
    }

    /**
     * Writes a demo agreement covering today that lists every council and department configured
     * in the home, with flows from each council to every department. Overwrites the file.
     */
    public static void writeDemoAgreement(GatewayHome home) throws IOException {
        Path file = org.linkgate.agreement.AgreementLoader.file(home.root());
        GatewayHome.ensureDirectory(file.getParent());
        Files.writeString(file, org.linkgate.agreement.DemoAgreement.demoYaml(folders(home.councilsDir()),
                folders(home.departmentsDir()), java.time.LocalDate.now(java.time.ZoneId.of("Europe/London"))),
                StandardCharsets.UTF_8);
    }

    private static java.util.List<String> folders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * The six departments of cl. 2.1 as demo partners on the embedded server, each with the
     * identifying fields and the population it matches on, and the datasets it returns.
     */
    public enum DemoDepartment {
        DWP("Department for Work and Pensions (with HMRC)", "[forename, surname, date_of_birth, sex, postcode, nino]",
                "{minAge: 16}", "[{dataset: WPLS, schema: dwp-wpls-v1}, {dataset: PAYE, schema: hmrc-paye-v1}]"),
        MOJ("Ministry of Justice", "[forename, surname, date_of_birth, sex, postcode]", "{minAge: 10}",
                "[{dataset: PNC, schema: moj-pnc-v1}, {dataset: PRISONS, schema: moj-prisons-v1}]"),
        DFE("Department for Education", "[forename, surname, date_of_birth, sex, postcode, upn]", "{minAge: 4, maxAge: 19}",
                "[{dataset: NPD, schema: dfe-npd-v1}]"),
        BIS("Department for Business, Innovation and Skills", "[forename, surname, date_of_birth, sex, postcode]",
                "{minAge: 16}", "[{dataset: ILR, schema: bis-ilr-v1}]"),
        HSCIC("Health and Social Care Information Centre", "[forename, surname, date_of_birth, sex, postcode, nhs_number]",
                "{}", "[{dataset: HES, schema: hscic-hes-v1}, {dataset: MHMDS, schema: hscic-mhmds-v1},"
                + " {dataset: IAPT, schema: hscic-iapt-v1}, {dataset: MCDS, schema: hscic-mcds-v1}]"),
        PHE("Public Health England", "[initials, date_of_birth, sex]", "{minAge: 18}",
                "[{dataset: NDTMS, schema: phe-ndtms-v1}]");

        final String displayName;
        final String matchFields;
        final String filter;
        final String returns;

        DemoDepartment(String displayName, String matchFields, String filter, String returns) {
            this.displayName = displayName;
            this.matchFields = matchFields;
            this.filter = filter;
            this.returns = returns;
        }
    }

    /** Creates a department's configuration (embedded endpoint) and, under demo/, its private keys. */
    public static void createDemoDepartment(GatewayHome home, DemoDepartment department) throws IOException, PGPException {
        String code = department.name();
        Path config = GatewayHome.ensureDirectory(home.departmentDir(code));
        createPartnerKeys(home, code, config, department.displayName + " (demo) <" + code.toLowerCase()
                + "@department.invalid>");
        Files.writeString(config.resolve("department.yaml"), "# Demo department (synthetic partner).\n"
                + "name: " + department.displayName + "\n"
                + "matchFields: " + department.matchFields + "\n"
                + "filter: " + department.filter + "\n"
                + "returnDueDays: 60\n"
                + "endpoint: {type: embedded}\n"
                + "returns: " + department.returns + "\n", StandardCharsets.UTF_8);
    }

    /**
     * The sponsor as the recipient of releases (issue 13): {@code config/recipients/DCLG/} with an
     * embedded SFTP account {@code dclg} (it collects from {@code upload/}) and a release specification
     * of the research variables and every dataset of the demo departments present; its private keys in
     * {@code demo/DCLG/}.
     */
    public static void createDemoRecipient(GatewayHome home) throws IOException, PGPException {
        String code = org.linkgate.agreement.DemoAgreement.SPONSOR;
        Path config = GatewayHome.ensureDirectory(home.recipientDir(code));
        createPartnerKeys(home, code, config, "Department for Communities and Local Government (demo) <dclg@sponsor.invalid>");
        java.util.List<String> datasets = new java.util.ArrayList<>();
        for (DemoDepartment department : DemoDepartment.values()) {
            if (Files.isDirectory(home.departmentDir(department.name()))) {
                java.util.regex.Matcher names = java.util.regex.Pattern.compile("dataset: ([A-Z0-9]+)").matcher(department.returns);
                while (names.find()) {
                    datasets.add(department.name() + "/" + names.group(1));
                }
            }
        }
        Files.writeString(config.resolve("recipient.yaml"), "# Demo sponsor (synthetic partner): receives releases of linked data.\n"
                + "name: Department for Communities and Local Government\n"
                + "endpoint: {type: embedded}\n"
                + "release:\n"
                + "  variables: [cohort, sex, age_band, council_code, problem_count, identified_month]\n"
                + "  datasets: [" + String.join(", ", datasets) + "]\n"
                + "  maxSuppressedShare: 0.10\n", StandardCharsets.UTF_8);
        LOG.warn("created demo release recipient {}: configuration in {}, its private keys in {}", code, config,
                home.demoDir().resolve(code));
    }

    /**
     * One demo user per role; the gateway keeps only bcrypt hashes, the clear passwords go to
     * {@code demo/http-users.txt} for the person trying the demo.
     */
    static void createDemoUsers(Path usersFile, Path clearPasswords) throws IOException {
        org.springframework.security.crypto.password.PasswordEncoder encoder =
                org.springframework.security.crypto.factory.PasswordEncoderFactories.createDelegatingPasswordEncoder();
        StringBuilder hashed = new StringBuilder("# HTTP users: name = {bcrypt}hash,ROLE_...  (hashes only)\n");
        StringBuilder clear = new StringBuilder("# DEMO ONLY: passwords of the demo HTTP users\n");
        for (String role : java.util.List.of("operator", "analyst", "auditor", "admin")) {
            String password = SecretFiles.randomPassphrase();
            hashed.append(role).append(" = ").append(encoder.encode(password)).append(",ROLE_")
                    .append(role.toUpperCase(java.util.Locale.ROOT)).append("\n");
            clear.append(role).append(' ').append(password).append("\n");
        }
        SecretFiles.writeOwnerOnly(usersFile, hashed.toString());
        SecretFiles.writeIfMissing(clearPasswords, clear.toString().strip());
    }

    /**
     * A demo partner's keys: its OpenPGP and SSH public keys into its configuration folder, the
     * private halves (and the passphrase) into {@code demo/<code>/}, its own side.
     */
    private static void createPartnerKeys(GatewayHome home, String code, Path config, String userId)
            throws IOException, PGPException {
        Path privateSide = GatewayHome.ensureDirectory(home.demoDir().resolve(code));
        String passphrase = SecretFiles.randomPassphrase();
        SecretFiles.writeIfMissing(privateSide.resolve(DemoPartnerFiles.PGP_PASSPHRASE), passphrase);
        GeneratedPgpKey pgp = new PgpKeyPairGenerator().generate(userId, passphrase.toCharArray());
        pgp.writeArmoredSecret(privateSide.resolve(DemoPartnerFiles.PGP_SECRET_KEY));
        pgp.writeArmoredPublic(config.resolve(PartnerRegistry.PGP_KEY_FILE));
        KeyPair ssh = SshKeyFiles.generate();
        SshKeyFiles.write(ssh, code.toLowerCase() + "@demo", privateSide.resolve(DemoPartnerFiles.SSH_PRIVATE_KEY));
        Files.writeString(config.resolve(PartnerRegistry.SSH_KEYS_FILE),
                SshKeyFiles.publicLine(ssh, code.toLowerCase() + "@demo") + "\n", StandardCharsets.UTF_8);
    }

    /** Creates a council's configuration and, under demo/, its private keys. */
    public static void createDemoCouncil(GatewayHome home, String code, String name) throws IOException, PGPException {
        Path config = GatewayHome.ensureDirectory(home.councilDir(code));
        createPartnerKeys(home, code, config, name + " (demo) <" + code.toLowerCase() + "@council.invalid>");
        Files.writeString(config.resolve(PartnerRegistry.PROPERTIES_FILE), "name=" + name + "\n", StandardCharsets.UTF_8);
        LOG.warn("created demo council {}: configuration in {}, its private keys in {}", code, config, home.demoDir().resolve(code));
    }
}
