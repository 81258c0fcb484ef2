package org.linkgate.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementLoader;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.Council;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.InvalidAgreementException;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.fanout.DepartmentRouteInstaller;
import org.linkgate.intake.IntakeRouteInstaller;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.partners.Terminations;
import org.linkgate.release.ReleaseRecipients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Reloads the configuration while the gateway runs: {@code config/agreement.yaml}, the council folders
 * ({@code config/councils/}), the department folders ({@code config/departments/}) and the release recipients'
 * ({@code config/recipients/}, whose release specifications are checked as at start; releases use the recipients
 * read at start, so a change to them is alerted CONFIG_RESTART_NEEDED). Everything is read and
 * validated first; if anything is wrong the reload is refused with every problem listed (each folder's, then every
 * problem of the agreement), audited CONFIG_REFUSED and alerted, and the configuration in force stays. Otherwise the
 * new partners and agreement (with the terminations recorded while running, {@link Terminations}) are put in force
 * together, the routes of an added council or department are installed and those of a removed one stopped and
 * removed, a department whose folder changed gets its routes anew, and CONFIG_CHANGED is audited with the SHA-256 of
 * what was loaded. Called by ADMIN {@code POST /api/admin/reload} and by route {@code config-watch}, which reloads when
 * the SHA-256 of {@code config/} changes.
 *
 * <p>All or nothing: if adding, starting or removing a route fails, the routes already changed are put back, the
 * partners and agreement in force before are restored, and the reload is refused (CONFIG_REFUSED). A reload never
 * cancels a termination in force: those of the agreement in force carry over into the reloaded one.
 */
@Component("configReload")
public class ConfigReload {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);
    private static final int MAX_DETAIL = 1900;

    private final GatewayHome home;
    private final PartnerRegistry registry;
    private final AgreementPolicy policy;
    private final Terminations terminations;
    private final ObjectProvider<CamelContext> camel;
    private final IntakeRouteInstaller intakeRoutes;
    private final DepartmentRouteInstaller departmentRoutes;
    private final AuditLog audit;
    private final Alerts alerts;
    private final Clock clock;
    private volatile String loadedSha256;
    private volatile Map<String, String> loadedFolders;
    private volatile String refusedSha256;

    public ConfigReload(GatewayHome home, PartnerRegistry registry, AgreementPolicy policy, Terminations terminations,
            ObjectProvider<CamelContext> camel, IntakeRouteInstaller intakeRoutes,
            DepartmentRouteInstaller departmentRoutes, AuditLog audit, Alerts alerts, Clock clock) {
        this.home = home;
        this.registry = registry;
        this.policy = policy;
        this.terminations = terminations;
        this.camel = camel;
        this.intakeRoutes = intakeRoutes;
        this.departmentRoutes = departmentRoutes;
        this.audit = audit;
        this.alerts = alerts;
        this.clock = clock;
        // What the gateway started with is what is loaded now.
        this.loadedFolders = folderDigests(home);
        this.loadedSha256 = digest(loadedFolders);
    }

    /** The outcome: LOADED, UNCHANGED or REFUSED, the SHA-256 of what was read, and for a refusal every problem. */
    public record Result(String outcome, String sha256, List<String> problems, List<String> added, List<String> removed) {
    }

    /** Route {@code config-watch}: reloads when {@code config/} changed since it was last loaded or refused. */
    public synchronized void watch() {
        String now = digest(folderDigests(home));
        if (!now.equals(loadedSha256) && !now.equals(refusedSha256)) {
            reload("config-watch");
        }
    }

    /** Reads, validates and, when valid and changed, puts the configuration in force; {@code actor} is audited. */
    public synchronized Result reload(String actor) {
        Objects.requireNonNull(actor, "actor");
        Map<String, String> folders = folderDigests(home);
        String sha256 = digest(folders);
        PartnerRegistry.Snapshot snapshot = PartnerRegistry.read(home);
        List<String> problems = new ArrayList<>();
        snapshot.failures().forEach(f -> problems.add(f.getMessage()));
        Agreement agreement = null;
        try {
            agreement = AgreementLoader.load(AgreementLoader.file(home.root()), new TreeSet<>(snapshot.councils().keySet()),
                    new TreeSet<>(snapshot.departments().keySet()));
        } catch (InvalidAgreementException e) {
            e.problems().forEach(p -> problems.add(AgreementLoader.CONFIG_FILE + ": " + p));
        }
        if (agreement != null && problems.isEmpty()) {
            // The recipients' release specifications are checked against the new partners and agreement, as at start.
            try {
                new ReleaseRecipients(PartnerRegistry.of(home, snapshot), new AgreementPolicy(agreement));
            } catch (RuntimeException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            refusedSha256 = sha256;
            String detail = truncate("sha256=" + sha256 + " refused, " + problems.size() + " problem(s); the configuration"
                    + " in force stays: " + String.join("; ", problems));
            audit.record(AuditEventType.CONFIG_REFUSED, null, null, actor, detail);
            alerts.raise("CONFIG_REFUSED", null, null, truncate(detail));
            LOG.error("configuration reload refused ({} problem(s)); the configuration in force stays:\n  {}",
                    problems.size(), String.join("\n  ", problems));
            return new Result("REFUSED", sha256, List.copyOf(problems), List.of(), List.of());
        }
        if (sha256.equals(loadedSha256)) {
            refusedSha256 = null;
            return new Result("UNCHANGED", sha256, List.of(), List.of(), List.of());
        }
        Set<String> oldCouncils = codes(registry.councils().stream().map(Council::code).toList());
        Set<String> oldDepartments = codes(registry.departments().stream().map(Department::code).toList());
        Map<String, Council> oldCouncilMap = new TreeMap<>();
        registry.councils().forEach(c -> oldCouncilMap.put(c.code(), c));
        Map<String, Department> oldDepartmentMap = new TreeMap<>();
        registry.departments().forEach(d -> oldDepartmentMap.put(d.code(), d));
        PartnerRegistry.Snapshot oldSnapshot = registry.snapshot();
        Agreement oldAgreement = policy.agreement();

        registry.install(snapshot);
        policy.replace(inForce(terminations.withRecorded(agreement), oldAgreement));

        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        CamelContext context = camel.getIfAvailable();
        // What each route step did, undone newest first if a later step fails: all or nothing.
        Deque<Runnable> undo = new ArrayDeque<>();
        try {
            for (Council council : snapshot.councils().values()) {
                if (!oldCouncils.contains(council.code())) {
                    added.add(council.code());
                    if (context != null) {
                        undo.push(() -> removeRoutes(context, IntakeRouteInstaller.dropzoneRouteId(council),
                                IntakeRouteInstaller.routeId(council)));
                        intakeRoutes.install(context, council);
                        startRoutes(context, IntakeRouteInstaller.dropzoneRouteId(council),
                                IntakeRouteInstaller.routeId(council));
                    }
                }
            }
            for (String code : oldCouncils) {
                if (!snapshot.councils().containsKey(code)) {
                    removed.add(code);
                    Council gone = oldCouncilMap.get(code);
                    if (context != null) {
                        undo.push(() -> {
                            intakeRoutes.install(context, gone);
                            startRoutes(context, IntakeRouteInstaller.dropzoneRouteId(gone),
                                    IntakeRouteInstaller.routeId(gone));
                        });
                    }
                    removeRoutes(context, IntakeRouteInstaller.dropzoneRouteId(gone), IntakeRouteInstaller.routeId(gone));
                }
            }
            for (Department department : snapshot.departments().values()) {
                boolean isNew = !oldDepartments.contains(department.code());
                boolean changed = !isNew && !Objects.equals(folders.get(folderKey("departments", department.code())),
                        loadedFolders.get(folderKey("departments", department.code())));
                if (changed && context != null) {
                    // Its endpoint or keys may have changed: its routes are made anew from the new folder.
                    Department before = oldDepartmentMap.get(department.code());
                    undo.push(() -> {
                        departmentRoutes.install(context, before);
                        startRoutes(context, departmentRouteIds(before));
                    });
                    removeRoutes(context, departmentRouteIds(department));
                }
                if (isNew) {
                    added.add(department.code());
                }
                if ((isNew || changed) && context != null) {
                    undo.push(() -> removeRoutes(context, departmentRouteIds(department)));
                    departmentRoutes.install(context, department);
                    startRoutes(context, departmentRouteIds(department));
                }
            }
            for (String code : oldDepartments) {
                if (!snapshot.departments().containsKey(code)) {
                    removed.add(code);
                    Department gone = oldDepartmentMap.get(code);
                    if (context != null) {
                        undo.push(() -> {
                            departmentRoutes.install(context, gone);
                            startRoutes(context, departmentRouteIds(gone));
                        });
                    }
                    removeRoutes(context, departmentRouteIds(gone));
                }
            }
        } catch (RuntimeException e) {
            return rollBack(actor, sha256, e, undo, oldSnapshot, oldAgreement);
        }
        boolean recipientsChanged = !recipientDigests(folders).equals(recipientDigests(loadedFolders));
        loadedFolders = folders;
        loadedSha256 = sha256;
        refusedSha256 = null;
        if (recipientsChanged) {
            // Releases use the recipients read at start (ReleaseRecipients): the new ones need a restart.
            alerts.raise("CONFIG_RESTART_NEEDED", null, null, "sha256=" + sha256 + ": config/recipients/ changed;"
                    + " it is valid, but releases go to the recipients read at start until the gateway is restarted");
        }
        audit.record(AuditEventType.CONFIG_CHANGED, null, null, actor, truncate("sha256=" + sha256 + " agreement="
                + agreement.reference() + " councils=" + snapshot.councils().keySet() + " departments="
                + snapshot.departments().keySet() + " added=" + added + " removed=" + removed));
        LOG.warn("configuration reloaded by {}: sha256={} added={} removed={}", actor, sha256, added, removed);
        return new Result("LOADED", sha256, List.of(), List.copyOf(added), List.copyOf(removed));
    }

    /**
     * A route step failed: the routes as they were (best effort, each undo on its own), the partners and agreement as
     * they were, CONFIG_REFUSED audited and alerted. The next {@code config-watch} does not retry the same files.
     */
    private Result rollBack(String actor, String sha256, RuntimeException cause, Deque<Runnable> undo,
            PartnerRegistry.Snapshot oldSnapshot, Agreement oldAgreement) {
        LOG.error("configuration reload failed while changing routes; restoring the configuration in force", cause);
        registry.install(oldSnapshot);
        policy.replace(oldAgreement);
        List<String> unrestored = new ArrayList<>();
        while (!undo.isEmpty()) {
            try {
                undo.pop().run();
            } catch (RuntimeException e) {
                LOG.error("could not restore a route after a failed reload", e);
                unrestored.add(String.valueOf(e.getMessage()));
            }
        }
        refusedSha256 = sha256;
        String problem = "routes could not be changed (" + cause.getClass().getSimpleName() + ": " + cause.getMessage()
                + ")";
        String detail = truncate("sha256=" + sha256 + " refused: " + problem + "; the configuration in force stays"
                + (unrestored.isEmpty() ? "" : "; routes not restored: " + String.join("; ", unrestored)));
        audit.record(AuditEventType.CONFIG_REFUSED, null, null, actor, detail);
        alerts.raise("CONFIG_REFUSED", null, null, truncate(detail));
        return new Result("REFUSED", sha256, List.of(problem), List.of(), List.of());
    }

    /**
     * {@code loaded} with every termination of {@code current} already in effect today: a reload never cancels a
     * termination in force (cl. 13.2, 15), whether it came from the old {@code agreement.yaml} or was recorded.
     */
    private Agreement inForce(Agreement loaded, Agreement current) {
        java.time.LocalDate today = AgreementPolicy.today(clock);
        Agreement result = loaded;
        for (Agreement.Termination t : current.terminations()) {
            if (t.effectiveOn(today) && (t.wholeAgreement() || result.party(t.party()).isPresent())) {
                result = result.withTerminationUnlessEarlier(t);
            }
        }
        return result;
    }

    private static String[] departmentRouteIds(Department department) {
        String account = department.account();
        return new String[] {"fanout-" + account, "collect-" + account, "returns-" + account};
    }

    /** Routes added to a running context are not started by its supervising controller: started here. */
    private static void startRoutes(CamelContext context, String... routeIds) {
        for (String id : routeIds) {
            try {
                if (context.getRoute(id) != null && !context.getRouteController().getRouteStatus(id).isStarted()) {
                    context.getRouteController().startRoute(id);
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot start route " + id, e);
            }
        }
    }

    private static void removeRoutes(CamelContext context, String... routeIds) {
        if (context == null) {
            return;
        }
        for (String id : routeIds) {
            if (context.getRoute(id) == null) {
                continue;
            }
            try {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            } catch (Exception e) {
                throw new IllegalStateException("cannot remove route " + id, e);
            }
        }
    }

    private static Set<String> codes(List<String> codes) {
        return new TreeSet<>(codes);
    }

    /**
     * The SHA-256 of every file that makes the configuration, by folder: {@code agreement.yaml}, each council's,
     * each department's and each release recipient's folder (relative names and contents, in order). Other files under {@code config/} (the
     * gateway's keys, users) are not partner configuration and do not count.
     */
    static Map<String, String> folderDigests(GatewayHome home) {
        Map<String, String> digests = new TreeMap<>();
        Path agreement = AgreementLoader.file(home.root());
        digests.put("agreement.yaml", Files.isRegularFile(agreement) ? sha256(List.of(agreement), agreement.getParent())
                : "missing");
        for (Map.Entry<String, Path> kind : Map.of("councils", home.councilsDir(), "departments", home.departmentsDir(),
                "recipients", home.recipientsDir()).entrySet()) {
            if (!Files.isDirectory(kind.getValue())) {
                continue;
            }
            try (Stream<Path> folders = Files.list(kind.getValue())) {
                for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                    try (Stream<Path> files = Files.walk(folder)) {
                        digests.put(folderKey(kind.getKey(), folder.getFileName().toString()),
                                sha256(files.filter(Files::isRegularFile).sorted().toList(), folder));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + kind.getValue(), e);
            }
        }
        return digests;
    }

    private static Map<String, String> recipientDigests(Map<String, String> folders) {
        Map<String, String> recipients = new TreeMap<>(folders);
        recipients.keySet().removeIf(key -> !key.startsWith("recipients/"));
        return recipients;
    }

    private static String folderKey(String kind, String code) {
        return kind + "/" + code;
    }

    /** One SHA-256 over the folder digests, the way it is audited. */
    static String digest(Map<String, String> folders) {
        StringBuilder all = new StringBuilder();
        folders.forEach((name, sha) -> all.append(name).append('\0').append(sha).append('\n'));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(all.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(List<Path> files, Path base) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                sha.update(base.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(file));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + base, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String truncate(String text) {
        return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "..." : text;
    }
}
