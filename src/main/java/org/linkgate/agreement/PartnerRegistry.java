package org.linkgate.agreement;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.sftp.SftpAccount;
import org.linkgate.sftp.SftpAccountDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The partners the gateway knows, loaded from the gateway home: one folder per council,
 * {@code config/councils/<GSS>/} holding {@value #PGP_KEY_FILE}, {@value #SSH_KEYS_FILE} and an
 * optional {@value #PROPERTIES_FILE} ({@code name}, {@code expectedEvery}, {@code firstDue}). A folder that is not a valid council stops start-up with
 * the reason, rather than leaving a partner half-configured.
 */
@Component
public class PartnerRegistry implements SftpAccountDirectory {

    public static final String PGP_KEY_FILE = "pgp-public-key.asc";
    public static final String SSH_KEYS_FILE = "ssh-authorized-keys";
    public static final String PROPERTIES_FILE = "council.properties";
    /** ONS GSS codes: a nation letter and eight digits. */
    public static final Pattern GSS_CODE = Pattern.compile("[EWSN]\\d{8}");

    private static final Logger LOG = LoggerFactory.getLogger(PartnerRegistry.class);
    private final GatewayHome home;
    private volatile Map<String, Council> councils = Map.of();
    private volatile Map<String, Department> departments = Map.of();
    private volatile Map<String, Recipient> recipients = Map.of();

    @org.springframework.beans.factory.annotation.Autowired
    public PartnerRegistry(GatewayHome home) {
        this.home = home;
        reload();
    }

    private PartnerRegistry(GatewayHome home, Snapshot snapshot) {
        this.home = home;
        install(snapshot);
    }

    /**
     * A registry holding {@code snapshot} without touching the one in force: a reload checks what is built from the
     * new partners (release recipients' specifications) before putting anything in force.
     */
    public static PartnerRegistry of(GatewayHome home, Snapshot snapshot) {
        return new PartnerRegistry(home, snapshot);
    }

    /** What is in force now, as a snapshot: to restore if a reload fails half-way. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(councils, departments, recipients, List.of());
    }

    /** Re-reads the councils folder; fails without changing anything if any council is invalid. */
    public synchronized void reload() {
        Snapshot snapshot = read(home);
        if (!snapshot.failures().isEmpty()) {
            throw snapshot.failures().get(0);
        }
        install(snapshot);
    }

    /**
     * What the gateway home configures now, read without changing anything: every council and department folder that
     * is valid, and one failure per folder that is not (each naming the folder and its problem), so a reload can list
     * every problem at once.
     */
    public static Snapshot read(GatewayHome home) {
        Map<String, Council> loaded = new TreeMap<>();
        List<InvalidPartnerConfigurationException> failures = new ArrayList<>();
        Path dir = home.councilsDir();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path councilDir : entries.filter(Files::isDirectory).sorted().toList()) {
                    try {
                        Council council = loadCouncil(councilDir);
                        loaded.put(council.code(), council);
                    } catch (InvalidPartnerConfigurationException e) {
                        failures.add(e);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        Map<String, Department> loadedDepartments = new TreeMap<>();
        Path departmentsDir = home.departmentsDir();
        if (Files.isDirectory(departmentsDir)) {
            try (Stream<Path> entries = Files.list(departmentsDir)) {
                for (Path departmentDir : entries.filter(Files::isDirectory).sorted().toList()) {
                    try {
                        Department department = DepartmentConfigLoader.load(departmentDir, home.secretsDir());
                        loadedDepartments.put(department.code(), department);
                    } catch (InvalidPartnerConfigurationException e) {
                        failures.add(e);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + departmentsDir, e);
            }
        }
        Map<String, Recipient> loadedRecipients = new TreeMap<>();
        Path recipientsDir = home.recipientsDir();
        if (Files.isDirectory(recipientsDir)) {
            try (Stream<Path> entries = Files.list(recipientsDir)) {
                for (Path recipientDir : entries.filter(Files::isDirectory).sorted().toList()) {
                    try {
                        Recipient recipient = RecipientConfigLoader.load(recipientDir, home.secretsDir());
                        if (loadedDepartments.containsKey(recipient.code()) || loaded.containsKey(recipient.code())) {
                            throw new InvalidPartnerConfigurationException(recipientDir, recipient.code()
                                    + " is already configured as a council or department");
                        }
                        loadedRecipients.put(recipient.code(), recipient);
                    } catch (InvalidPartnerConfigurationException e) {
                        failures.add(e);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + recipientsDir, e);
            }
        }
        return new Snapshot(Map.copyOf(loaded), Map.copyOf(loadedDepartments), Map.copyOf(loadedRecipients),
                List.copyOf(failures));
    }

    /** Puts a snapshot read by {@link #read} in force; it must have no failures. */
    public synchronized void install(Snapshot snapshot) {
        if (!snapshot.failures().isEmpty()) {
            throw new IllegalArgumentException("a snapshot with invalid partners cannot be installed");
        }
        councils = snapshot.councils();
        departments = snapshot.departments();
        recipients = snapshot.recipients();
        LOG.info("partner registry: {} council(s) {}, {} department(s) {}, {} recipient(s) {}", councils.size(),
                new TreeMap<>(councils).keySet(), departments.size(), new TreeMap<>(departments).keySet(),
                recipients.size(), new TreeMap<>(recipients).keySet());
    }

    /**
     * The partners configured in the gateway home at one moment (councils, departments, release recipients), and
     * the folders that are not valid partners.
     */
    public record Snapshot(Map<String, Council> councils, Map<String, Department> departments,
                           Map<String, Recipient> recipients, List<InvalidPartnerConfigurationException> failures) {
    }

    public Collection<Council> councils() {
        return councils.values();
    }

    public Optional<Council> council(String code) {
        return Optional.ofNullable(councils.get(code.toUpperCase(Locale.ROOT)));
    }

    public Council requireCouncil(String code) {
        return council(code).orElseThrow(() -> new IllegalArgumentException("unknown council " + code));
    }

    public Collection<Department> departments() {
        return departments.values();
    }

    public Optional<Department> department(String code) {
        return Optional.ofNullable(departments.get(code.toUpperCase(Locale.ROOT)));
    }

    public Department requireDepartment(String code) {
        return department(code).orElseThrow(() -> new IllegalArgumentException("unknown department " + code));
    }

    /** Recipients of released linked data ({@code config/recipients/}), e.g. the sponsor DCLG. */
    public Collection<Recipient> recipients() {
        return recipients.values();
    }

    public Optional<Recipient> recipient(String code) {
        return Optional.ofNullable(recipients.get(code.toUpperCase(Locale.ROOT)));
    }

    /**
     * Councils, and departments and recipients whose endpoint is the embedded server, each with its own
     * layout (a recipient collects its releases from {@code upload/}, as a department its extracts).
     */
    @Override
    public Optional<SftpAccount> find(String username) {
        if (username == null || !username.equals(username.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        Optional<SftpAccount> council = council(username)
                .map(c -> SftpAccount.council(c.account(), home.sftpHome(c.account()), c.sshKeys()));
        if (council.isPresent()) {
            return council;
        }
        Optional<SftpAccount> department = department(username)
                .filter(d -> d.endpoint() instanceof Department.EmbeddedEndpoint)
                .map(d -> SftpAccount.department(d.account(), home.sftpHome(d.account()),
                        ((Department.EmbeddedEndpoint) d.endpoint()).sshKeys()));
        if (department.isPresent()) {
            return department;
        }
        return recipient(username)
                .filter(r -> r.endpoint() instanceof Department.EmbeddedEndpoint)
                .map(r -> SftpAccount.department(r.account(), home.sftpHome(r.account()),
                        ((Department.EmbeddedEndpoint) r.endpoint()).sshKeys()));
    }

    private static Council loadCouncil(Path dir) {
        String code = dir.getFileName().toString();
        if (!GSS_CODE.matcher(code).matches()) {
            throw new InvalidPartnerConfigurationException(dir, "folder name must be a GSS code such as E10000012");
        }
        Path pgpFile = dir.resolve(PGP_KEY_FILE);
        Path sshFile = dir.resolve(SSH_KEYS_FILE);
        if (!Files.isRegularFile(pgpFile)) {
            throw new InvalidPartnerConfigurationException(dir, "missing " + PGP_KEY_FILE);
        }
        if (!Files.isRegularFile(sshFile)) {
            throw new InvalidPartnerConfigurationException(dir, "missing " + SSH_KEYS_FILE);
        }
        PGPPublicKeyRing pgp;
        try {
            pgp = PgpKeys.readPartnerKey(pgpFile);
        } catch (IOException | org.bouncycastle.openpgp.PGPException | RuntimeException e) {
            throw new InvalidPartnerConfigurationException(dir, PGP_KEY_FILE + " is not one valid OpenPGP public key: "
                    + e.getMessage());
        }
        Properties properties = readProperties(dir.resolve(PROPERTIES_FILE));
        return new Council(code, properties.getProperty("name", code), pgp,
                PgpKeys.fingerprint(pgp.getPublicKey()), readSshKeys(dir, sshFile), expectedEvery(dir, properties),
                firstDue(dir, properties));
    }

    static List<PublicKey> readSshKeys(Path dir, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidPartnerConfigurationException(dir, "missing " + SSH_KEYS_FILE);
        }
        List<PublicKey> keys = new ArrayList<>();
        try {
            for (AuthorizedKeyEntry entry : AuthorizedKeyEntry.readAuthorizedKeys(file)) {
                keys.add(entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING));
            }
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            throw new InvalidPartnerConfigurationException(dir, SSH_KEYS_FILE + " holds an unreadable key: " + e.getMessage());
        }
        if (keys.isEmpty()) {
            throw new InvalidPartnerConfigurationException(dir, SSH_KEYS_FILE + " holds no key");
        }
        return keys;
    }

    /** {@code firstDue} in council.properties: the first batch's due date, YYYY-MM-DD (optional). */
    private static java.time.LocalDate firstDue(Path dir, Properties properties) {
        String value = properties.getProperty("firstDue");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.LocalDate.parse(value.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidPartnerConfigurationException(dir, PROPERTIES_FILE
                    + ": firstDue must be a date YYYY-MM-DD (the first batch's due date, cl. 6.2b)");
        }
    }

    /** {@code expectedEvery} in council.properties: an ISO-8601 period such as P6M or P1M (default P6M). */
    private static java.time.Period expectedEvery(Path dir, Properties properties) {
        String value = properties.getProperty("expectedEvery");
        if (value == null || value.isBlank()) {
            return Council.DEFAULT_EXPECTED_EVERY;
        }
        try {
            java.time.Period period = java.time.Period.parse(value.strip());
            if (period.isNegative() || period.isZero()) {
                throw new java.time.format.DateTimeParseException("not positive", value, 0);
            }
            return period;
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidPartnerConfigurationException(dir, PROPERTIES_FILE
                    + ": expectedEvery must be a positive ISO-8601 period such as P6M or P1M");
        }
    }

    private static Properties readProperties(Path file) {
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return properties;
    }

    /** A partner folder that cannot be used; the message says which folder and why. */
    public static class InvalidPartnerConfigurationException extends IllegalStateException {
        public InvalidPartnerConfigurationException(Path dir, String reason) {
            super("invalid partner configuration in " + dir + ": " + reason);
        }
    }
}
