package org.linkgate.agreement;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.linkgate.agreement.Agreement.Contact;
import org.linkgate.agreement.Agreement.ContactRole;
import org.linkgate.agreement.Agreement.DataKind;
import org.linkgate.agreement.Agreement.Disclosure;
import org.linkgate.agreement.Agreement.Flow;
import org.linkgate.agreement.Agreement.Ico;
import org.linkgate.agreement.Agreement.Kind;
import org.linkgate.agreement.Agreement.Party;
import org.linkgate.agreement.Agreement.Retention;
import org.linkgate.agreement.Agreement.Role;
import org.linkgate.agreement.Agreement.Term;
import org.linkgate.agreement.Agreement.Termination;
import org.linkgate.agreement.InvalidAgreementException.Problem;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads {@value #CONFIG_FILE} under the gateway home: safe YAML (plain maps, lists and scalars,
 * no object construction, no duplicate keys), unknown keys refused at every level, dates strictly
 * {@code YYYY-MM-DD}. Every problem found is reported at once in one
 * {@link InvalidAgreementException}, each naming its key path, so start-up stops with the whole
 * list rather than one fix per restart.
 */
public final class AgreementLoader {

    /** Where the agreement lives, relative to the gateway home. */
    public static final String CONFIG_FILE = "config/agreement.yaml";
    /** Codes of parties other than councils: as department folders are named. */
    static final Pattern CODE = DepartmentConfigLoader.CODE;
    /** Deliberately loose: something@domain.tld, no spaces. Placeholders use the reserved {@code .invalid} TLD. */
    static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

    private static final String DOCUMENT = "(document)";
    private static final List<String> TOP_KEYS = List.of("reference", "purpose", "parties", "term", "terminations",
            "flows", "retention", "disclosure", "contacts", "purposes", "ico", "icoWaiver", "release");
    private static final List<String> RELEASE_KEYS = List.of("k", "purposes");
    private static final List<String> PARTY_KEYS = List.of("code", "role", "kind");
    private static final List<String> TERM_KEYS = List.of("start", "end");
    private static final List<String> TERMINATION_KEYS = List.of("party", "date", "reason");
    private static final List<String> FLOW_KEYS = List.of("from", "to");
    private static final List<String> RETENTION_KEYS = Arrays.stream(DataKind.values()).map(DataKind::key).toList();
    private static final List<String> DISCLOSURE_KEYS = List.of("threshold", "zerosDisclosive", "method");
    private static final List<String> CONTACT_KEYS = List.of("party", "role", "name", "email");
    private static final List<String> ICO_KEYS = List.of("name", "email");
    /** Longest purpose a table request may have to name. */
    static final int MAX_PURPOSE = 200;

    private final String source;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Party> parties = new HashMap<>();
    /** Codes of party entries already reported as invalid: references to them are not reported again. */
    private final Set<String> invalidParties = new HashSet<>();
    /** False when {@code parties} is missing or not a list: nothing can then be checked against it. */
    private boolean partiesReadable;

    private AgreementLoader(String source) {
        this.source = source;
    }

    /** The agreement file of a gateway home. */
    public static Path file(Path homeRoot) {
        return homeRoot.resolve(CONFIG_FILE);
    }

    /**
     * Loads and checks the agreement. {@code councilCodes} and {@code departmentCodes} are the
     * partners configured in the gateway home: each must be a party of the matching kind.
     *
     * @throws InvalidAgreementException naming the file and every problem with its key path
     */
    public static Agreement load(Path file, Set<String> councilCodes, Set<String> departmentCodes) {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidAgreementException(source, List.of(new Problem(DOCUMENT,
                    "missing: the gateway processes nothing without an agreement (cl. 8.1a)")));
        } catch (CharacterCodingException e) {
            throw new InvalidAgreementException(source, List.of(new Problem(DOCUMENT, "is not UTF-8 text")));
        } catch (IOException e) {
            throw new InvalidAgreementException(source, List.of(new Problem(DOCUMENT,
                    "cannot be read (" + e.getClass().getSimpleName() + ")")));
        }
        return parse(text, source, councilCodes, departmentCodes);
    }

    /** As {@link #load}, from text; {@code source} names it in messages. */
    public static Agreement parse(String yaml, String source, Set<String> councilCodes, Set<String> departmentCodes) {
        AgreementLoader loader = new AgreementLoader(source);
        Object document = loader.readYaml(yaml);
        Agreement agreement = loader.agreement(document, councilCodes, departmentCodes);
        if (!loader.problems.isEmpty()) {
            throw new InvalidAgreementException(source, loader.problems);
        }
        return agreement;
    }

    private Object readYaml(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(20);
        Yaml parser = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, new DatesAsTextResolver());
        try (Reader reader = new StringReader(yaml)) {
            return parser.load(reader);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            throw invalid(DOCUMENT, "is not valid YAML" + where + ": " + e.getProblem());
        } catch (YAMLException | IOException e) {
            throw invalid(DOCUMENT, "is not valid YAML: " + e.getMessage());
        }
    }

    private InvalidAgreementException invalid(String path, String message) {
        return new InvalidAgreementException(source, List.of(new Problem(path, message)));
    }

    private Agreement agreement(Object document, Set<String> councilCodes, Set<String> departmentCodes) {
        if (document == null) {
            throw invalid(DOCUMENT, "is empty");
        }
        Map<String, Object> root = mapping(document, DOCUMENT);
        if (root == null) {
            throw new InvalidAgreementException(source, problems);
        }
        onlyKeys(root, "", TOP_KEYS);
        String reference = text(root, "reference", "", true);
        String purpose = text(root, "purpose", "", true);
        List<Party> partyList = parties(root.get("parties"));
        Term term = term(root.get("term"));
        List<Termination> terminations = terminations(root.get("terminations"), term);
        List<Flow> flows = flows(root.get("flows"));
        Retention retention = retention(root.get("retention"), term);
        Disclosure disclosure = disclosure(root.get("disclosure"));
        List<Contact> contacts = contacts(root.get("contacts"));
        List<String> purposes = purposes(root.get("purposes"), purpose);
        Ico ico = ico(root.get("ico"));
        String icoWaiver = text(root, "icoWaiver", "", false);
        if (root.get("ico") == null && root.get("icoWaiver") == null) {
            problem("ico", "is required for personal-data breaches (cl. 13.1): give the ICO's contact, or an explicit"
                    + " icoWaiver saying why the gateway does not notify the ICO");
        } else if (root.get("ico") != null && root.get("icoWaiver") != null) {
            problem("icoWaiver", "must not be given with ico: either the ICO is notified or it is waived");
        }
        Agreement.Release release = release(root.get("release"));
        configuredPartners(councilCodes, Kind.COUNCIL, "council", "config/councils/");
        configuredPartners(departmentCodes, Kind.DEPARTMENT, "department", "config/departments/");
        if (!problems.isEmpty()) {
            return null;
        }
        return new Agreement(reference, purpose, partyList, term, terminations, flows, retention, disclosure, contacts,
                purposes, ico, icoWaiver, release);
    }

    /** The purposes a table request or release may name; without the key, the one {@code purpose}. */
    private List<String> purposes(Object value, String purpose) {
        if (value == null) {
            return purpose == null ? List.of() : List.of(purpose);
        }
        List<?> entries = list(value, "purposes", false);
        if (entries.isEmpty()) {
            problem("purposes", "must list at least one purpose (or be left out)");
        }
        Set<String> seen = new HashSet<>();
        List<String> result = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = "purposes[" + i + "]";
            String text = scalarText(entries.get(i), path);
            if (text == null) {
                continue;
            }
            if (text.length() > MAX_PURPOSE) {
                problem(path, "is longer than " + MAX_PURPOSE + " characters");
            } else if (!seen.add(text.toLowerCase(java.util.Locale.ROOT))) {
                problem(path, "is listed twice");
            } else {
                result.add(text);
            }
        }
        return result;
    }

    private Ico ico(Object value) {
        if (value == null) {
            return null;
        }
        Map<String, Object> entry = mapping(value, "ico");
        if (entry == null) {
            return null;
        }
        onlyKeys(entry, "ico", ICO_KEYS);
        String name = text(entry, "name", "ico", true);
        String email = text(entry, "email", "ico", true);
        if (email != null && !EMAIL.matcher(email).matches()) {
            problem("ico.email", "is not an e-mail address");
            return null;
        }
        return name == null || email == null ? null : new Ico(name, email);
    }

    /** The optional {@code release} section: {@code k} (at least 2, default 5) and extra {@code purposes}. */
    private Agreement.Release release(Object value) {
        if (value == null) {
            return Agreement.Release.DEFAULT;
        }
        Map<String, Object> release = mapping(value, "release");
        if (release == null) {
            return null;
        }
        onlyKeys(release, "release", RELEASE_KEYS);
        Object k = release.getOrDefault("k", Agreement.Release.DEFAULT_K);
        boolean valid = true;
        if (!(k instanceof Integer count)) {
            problem("release.k", "must be a whole number");
            valid = false;
        } else if (count < 2) {
            problem("release.k", count + " must be at least 2 (k = 1 protects no one)");
            valid = false;
        }
        List<String> purposes = new ArrayList<>();
        List<?> entries = list(release.get("purposes"), "release.purposes", false);
        for (int i = 0; i < entries.size(); i++) {
            String purpose = scalarText(entries.get(i), "release.purposes[" + i + "]");
            if (purpose == null) {
                valid = false;
            } else {
                purposes.add(purpose);
            }
        }
        return valid ? new Agreement.Release((Integer) k, purposes) : null;
    }

    private List<Party> parties(Object value) {
        List<Party> result = new ArrayList<>();
        Map<String, String> declaredAt = new HashMap<>();
        List<?> entries = list(value, "parties", true);
        for (int i = 0; i < entries.size(); i++) {
            String path = "parties[" + i + "]";
            Map<String, Object> entry = mapping(entries.get(i), path);
            if (entry == null) {
                continue;
            }
            onlyKeys(entry, path, PARTY_KEYS);
            String code = text(entry, "code", path, true);
            Role role = enumValue(entry, "role", path, Role.class);
            Kind kind = enumValue(entry, "kind", path, Kind.class);
            if (code == null || role == null || kind == null) {
                if (code != null) {
                    invalidParties.add(code);
                }
                continue;
            }
            Pattern pattern = kind == Kind.COUNCIL ? PartnerRegistry.GSS_CODE : CODE;
            if (!pattern.matcher(code).matches()) {
                invalidParties.add(code);
                problem(path + ".code", kind == Kind.COUNCIL
                        ? "'" + code + "' is not a GSS code such as E10000012"
                        : "'" + code + "' must be 2-8 capital letters such as DWP");
                continue;
            }
            if (declaredAt.containsKey(code)) {
                problem(path + ".code", code + " is already declared at " + declaredAt.get(code));
                continue;
            }
            if (!roleFitsKind(role, kind)) {
                invalidParties.add(code);
                problem(path + ".role", "a " + kind + " party cannot be " + role + " (" + allowedRoles(kind) + ")");
                continue;
            }
            declaredAt.put(code, path);
            Party party = new Party(code, role, kind);
            parties.put(code, party);
            result.add(party);
        }
        partiesReadable = value instanceof List<?>;
        if (partiesReadable && entries.size() == declaredAt.size()) {
            long processors = result.stream().filter(p -> p.kind() == Kind.PROCESSOR).count();
            if (processors != 1) {
                problem("parties", "must declare exactly one party of kind PROCESSOR, the party running the gateway"
                        + " (found " + processors + ")");
            }
        }
        return result;
    }

    private static boolean roleFitsKind(Role role, Kind kind) {
        return switch (kind) {
            case COUNCIL, SPONSOR -> role == Role.DATA_CONTROLLER;
            case PROCESSOR -> role == Role.PROCESSOR;
            case DEPARTMENT -> true;
        };
    }

    private static String allowedRoles(Kind kind) {
        return switch (kind) {
            case COUNCIL, SPONSOR -> "expected DATA_CONTROLLER";
            case PROCESSOR -> "expected PROCESSOR";
            case DEPARTMENT -> "any role";
        };
    }

    private Term term(Object value) {
        Map<String, Object> term = mapping(value, "term");
        if (term == null) {
            return null;
        }
        onlyKeys(term, "term", TERM_KEYS);
        LocalDate start = date(term, "start", "term", true);
        LocalDate end = date(term, "end", "term", true);
        if (start == null || end == null) {
            return null;
        }
        if (!start.isBefore(end)) {
            problem("term.end", end + " must be after term.start " + start);
            return null;
        }
        return new Term(start, end);
    }

    private List<Termination> terminations(Object value, Term term) {
        List<Termination> result = new ArrayList<>();
        Map<String, String> terminatedAt = new HashMap<>();
        List<?> entries = list(value, "terminations", false);
        for (int i = 0; i < entries.size(); i++) {
            String path = "terminations[" + i + "]";
            Map<String, Object> entry = mapping(entries.get(i), path);
            if (entry == null) {
                continue;
            }
            onlyKeys(entry, path, TERMINATION_KEYS);
            String party = text(entry, "party", path, false);
            LocalDate date = date(entry, "date", path, true);
            String reason = text(entry, "reason", path, false);
            if (party != null && !isDeclared(party, path + ".party")) {
                continue;
            }
            String who = party == null ? "the whole agreement" : party;
            if (terminatedAt.containsKey(who)) {
                problem(path, "a termination of " + who + " is already recorded at " + terminatedAt.get(who));
                continue;
            }
            terminatedAt.put(who, path);
            if (date == null) {
                continue;
            }
            if (term != null && !term.covers(date)) {
                problem(path + ".date", date + " is outside the term " + term.start() + " to " + term.end());
                continue;
            }
            result.add(new Termination(party, date, reason));
        }
        return result;
    }

    private List<Flow> flows(Object value) {
        List<Flow> result = new ArrayList<>();
        Map<String, String> flowAt = new HashMap<>();
        List<?> entries = list(value, "flows", false);
        for (int i = 0; i < entries.size(); i++) {
            String path = "flows[" + i + "]";
            Map<String, Object> entry = mapping(entries.get(i), path);
            if (entry == null) {
                continue;
            }
            onlyKeys(entry, path, FLOW_KEYS);
            String from = text(entry, "from", path, true);
            boolean fromValid = from != null && isParty(from, Kind.COUNCIL, path + ".from");
            if (fromValid && flowAt.containsKey(from)) {
                problem(path + ".from", "flows of " + from + " are already listed at " + flowAt.get(from));
                fromValid = false;
            }
            List<?> targets = list(entry.get("to"), path + ".to", true);
            if (entry.get("to") instanceof List<?> empty && empty.isEmpty()) {
                problem(path + ".to", "must list at least one department");
            }
            Set<String> to = new LinkedHashSet<>();
            boolean toValid = !targets.isEmpty();
            for (int j = 0; j < targets.size(); j++) {
                String targetPath = path + ".to[" + j + "]";
                String department = scalarText(targets.get(j), targetPath);
                if (department == null || !isParty(department, Kind.DEPARTMENT, targetPath)) {
                    toValid = false;
                } else if (!to.add(department)) {
                    problem(targetPath, department + " is listed twice");
                    toValid = false;
                }
            }
            if (fromValid) {
                flowAt.put(from, path);
            }
            if (fromValid && toValid) {
                result.add(new Flow(from, List.copyOf(to)));
            }
        }
        return result;
    }

    private Retention retention(Object value, Term term) {
        Map<String, Object> retention = mapping(value, "retention");
        if (retention == null) {
            return null;
        }
        onlyKeys(retention, "retention", RETENTION_KEYS);
        Map<DataKind, LocalDate> until = new HashMap<>();
        for (DataKind kind : DataKind.values()) {
            LocalDate date = date(retention, kind.key(), "retention", true);
            if (date == null) {
                continue;
            }
            if (term != null && date.isBefore(term.start())) {
                problem("retention." + kind.key(), date + " is before term.start " + term.start());
                continue;
            }
            until.put(kind, date);
        }
        LocalDate audit = until.get(DataKind.AUDIT_TRAIL);
        for (DataKind kept : List.of(DataKind.COUNCIL_DATA, DataKind.LINKED_DATA)) {
            LocalDate date = until.get(kept);
            if (audit != null && date != null && audit.isBefore(date)) {
                problem("retention.auditTrail", audit + " is before retention." + kept.key() + " " + date
                        + ": the audit trail proves that data's destruction (cl. 12.7, 12.11)");
                audit = null;
            }
        }
        if (until.size() != DataKind.values().length || audit == null) {
            return null;
        }
        return new Retention(until.get(DataKind.COUNCIL_DATA), until.get(DataKind.LINKED_DATA), audit);
    }

    private Disclosure disclosure(Object value) {
        Map<String, Object> disclosure = mapping(value, "disclosure");
        if (disclosure == null) {
            return null;
        }
        onlyKeys(disclosure, "disclosure", DISCLOSURE_KEYS);
        Object threshold = disclosure.get("threshold");
        Object zeros = disclosure.getOrDefault("zerosDisclosive", Boolean.TRUE);
        boolean valid = true;
        if (threshold == null) {
            problem("disclosure.threshold", "is required");
            valid = false;
        } else if (!(threshold instanceof Integer count)) {
            problem("disclosure.threshold", "must be a whole number");
            valid = false;
        } else if (count < 1) {
            problem("disclosure.threshold", count + " must be at least 1 (cl. 11.1a: cells of 5 or fewer cases)");
            valid = false;
        }
        if (!(zeros instanceof Boolean)) {
            problem("disclosure.zerosDisclosive", "must be true or false");
            valid = false;
        }
        Object named = disclosure.getOrDefault("method", Agreement.DisclosureMethod.SUPPRESSION.key());
        Agreement.DisclosureMethod method = named instanceof String text
                ? Agreement.DisclosureMethod.byKey(text).orElse(null) : null;
        if (method == null) {
            problem("disclosure.method", "must be one of " + Arrays.stream(Agreement.DisclosureMethod.values())
                    .map(Agreement.DisclosureMethod::key).toList() + " (default suppression)");
            valid = false;
        }
        return valid ? new Disclosure((Integer) threshold, (Boolean) zeros, method) : null;
    }

    private List<Contact> contacts(Object value) {
        List<Contact> result = new ArrayList<>();
        List<?> entries = list(value, "contacts", false);
        for (int i = 0; i < entries.size(); i++) {
            String path = "contacts[" + i + "]";
            Map<String, Object> entry = mapping(entries.get(i), path);
            if (entry == null) {
                continue;
            }
            onlyKeys(entry, path, CONTACT_KEYS);
            String party = text(entry, "party", path, true);
            ContactRole role = enumValue(entry, "role", path, ContactRole.class);
            String name = text(entry, "name", path, true);
            String email = text(entry, "email", path, true);
            boolean valid = party != null && role != null && name != null && email != null;
            if (party != null && !isDeclared(party, path + ".party")) {
                valid = false;
            }
            // The address itself is left out of the message: it may be a real person's.
            if (email != null && !EMAIL.matcher(email).matches()) {
                problem(path + ".email", "is not an e-mail address");
                valid = false;
            }
            if (valid) {
                result.add(new Contact(party, role, name, email));
            }
        }
        return result;
    }

    /** Every partner configured in the gateway home must be a party of the matching kind. */
    private void configuredPartners(Set<String> codes, Kind kind, String noun, String folder) {
        if (!partiesReadable) {
            return;
        }
        for (String code : new TreeSet<>(codes)) {
            Party party = parties.get(code);
            if (party == null && invalidParties.contains(code)) {
                continue;
            }
            if (party == null) {
                problem("parties", noun + " " + code + " is configured (" + folder + code
                        + ") but is not a party to the agreement");
            } else if (party.kind() != kind) {
                problem("parties", noun + " " + code + " is configured (" + folder + code
                        + ") but declared as a party of kind " + party.kind());
            }
        }
    }

    private boolean isDeclared(String code, String path) {
        if (parties.containsKey(code)) {
            return true;
        }
        if (partiesReadable && !invalidParties.contains(code)) {
            problem(path, code + " is not a declared party");
        }
        return false;
    }

    private boolean isParty(String code, Kind kind, String path) {
        if (!isDeclared(code, path)) {
            return false;
        }
        Party party = parties.get(code);
        if (party.kind() != kind) {
            problem(path, code + " is a " + party.kind() + " party, not a " + kind);
            return false;
        }
        return true;
    }

    private void problem(String path, String message) {
        problems.add(new Problem(path, message));
    }

    private void onlyKeys(Map<String, Object> map, String path, List<String> allowed) {
        for (Object key : map.keySet()) {
            if (!allowed.contains(String.valueOf(key))) {
                problem(join(path, String.valueOf(key)), "unknown key (expected one of " + String.join(", ", allowed) + ")");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> mapping(Object value, String path) {
        if (value == null) {
            problem(path, "is required");
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            problem(path, "must be a mapping");
            return null;
        }
        return (Map<String, Object>) map;
    }

    private List<?> list(Object value, String path, boolean required) {
        if (value == null) {
            if (required) {
                problem(path, "is required");
            }
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            problem(path, "must be a list");
            return List.of();
        }
        return list;
    }

    private String text(Map<String, Object> map, String key, String parent, boolean required) {
        String path = join(parent, key);
        Object value = map.get(key);
        if (value == null) {
            if (required) {
                problem(path, "is required");
            }
            return null;
        }
        return scalarText(value, path);
    }

    private String scalarText(Object value, String path) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            problem(path, "must be a single value");
            return null;
        }
        String text = value == null ? "" : String.valueOf(value).strip();
        if (text.isEmpty()) {
            problem(path, "must not be blank");
            return null;
        }
        return text;
    }

    private LocalDate date(Map<String, Object> map, String key, String parent, boolean required) {
        String text = text(map, key, parent, required);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            problem(join(parent, key), "'" + text + "' is not a date YYYY-MM-DD");
            return null;
        }
    }

    private <E extends Enum<E>> E enumValue(Map<String, Object> map, String key, String parent, Class<E> type) {
        String text = text(map, key, parent, true);
        if (text == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(text)) {
                return constant;
            }
        }
        problem(join(parent, key), "'" + text + "' is not one of "
                + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")));
        return null;
    }

    private static String join(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /**
     * YAML 1.1 turns plain {@code 2015-05-22} into a timestamp, leniently ({@code 2015-02-30}
     * becomes 2 March). Keeping such scalars as text lets {@link LocalDate#parse} refuse bad dates.
     */
    private static final class DatesAsTextResolver extends Resolver {
        @Override
        public Tag resolve(NodeId kind, String value, boolean implicit) {
            Tag tag = super.resolve(kind, value, implicit);
            return implicit && Tag.TIMESTAMP.equals(tag) ? Tag.STR : tag;
        }
    }
}
