package org.linkgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each table belongs to one feature (the "tables" column of docs/architecture.md): the SQL in a
 * package's main code names only its own tables and the read views other features publish. Held
 * against the string literals of src/main/java and the tables the migrations create.
 */
class TableOwnershipTest {

    private static final Path ARCHITECTURE = Path.of("docs/architecture.md");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Path MAIN = Path.of("src/main/java/org/linkgate");
    /** A row of the package table: | `package` | layer | owns | tables |. */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z.]+)` \\|[^|]*\\|[^|]*\\| (.*) \\|$");
    private static final Pattern NAMED = Pattern.compile("(view )?`([a-z_0-9]+)`");
    private static final Pattern CREATED = Pattern.compile("(?i)create\\s+(table|view)\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_0-9]+)");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]++|\\\\.)*+)\"");
    /** Where SQL names a table: after from, join, update, into, or "table". */
    private static final Pattern REFERENCE = Pattern.compile("(?i)\\b(?:from|join|update|into|table)\\s+([a-z_0-9]+)");

    /**
     * Known exceptions, each with its reason; the test fails if one no longer reads the table, so the
     * list only shrinks. Key: path under org/linkgate; value: the other features' tables it reads.
     * Empty now: every feature reads another's data through its repository or a published view, so any
     * SQL on another feature's table fails the scan below.
     */
    private static final Map<String, Set<String>> EXCEPTIONS = Map.of();

    private static final Map<String, String> owner = new TreeMap<>();
    private static final Set<String> views = new TreeSet<>();

    @BeforeAll
    static void readOwners() throws IOException {
        for (String line : Files.readAllLines(ARCHITECTURE)) {
            Matcher row = ROW.matcher(line);
            if (!row.matches()) {
                continue;
            }
            Matcher named = NAMED.matcher(row.group(2));
            while (named.find()) {
                String previous = owner.putIfAbsent(named.group(2), row.group(1));
                assertThat(previous).as("table %s has one owner", named.group(2)).isNull();
                if (named.group(1) != null) {
                    views.add(named.group(2));
                }
            }
        }
    }

    @Test
    void everyTableAndViewTheMigrationsCreateHasOneOwner() throws IOException {
        Set<String> created = new TreeSet<>();
        Set<String> createdViews = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                Matcher m = CREATED.matcher(Files.readString(file));
                while (m.find()) {
                    created.add(m.group(2).toLowerCase());
                    if (m.group(1).equalsIgnoreCase("view")) {
                        createdViews.add(m.group(2).toLowerCase());
                    }
                }
            }
        }
        assertThat(created).isNotEmpty();
        assertThat(owner.keySet()).as("docs/architecture.md names an owner for every table and view")
                .containsAll(created);
        assertThat(views).as("the views the doc lists as published are the views the migrations create")
                .isEqualTo(createdViews);
    }

    @Test
    void sqlNamesOnlyItsOwnTablesAndPublishedViews() throws IOException {
        Map<String, Set<String>> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = MAIN.relativize(file);
                String pkg = relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
                StringBuilder sql = new StringBuilder();
                String text = Files.readString(file);
                Matcher literal = LITERAL.matcher(text);
                while (literal.find()) {
                    sql.append(literal.group(1)).append(' ');
                }
                // SQL keywords before a table name, or a literal that is only a table name (SQL built as "update " + table).
                Matcher reference = REFERENCE.matcher(sql);
                List<String> tables = new ArrayList<>();
                while (reference.find()) {
                    tables.add(reference.group(1).toLowerCase());
                }
                literal.reset();
                while (literal.find()) {
                    if (!isMapKey(text, literal.start())) {
                        tables.add(literal.group(1));
                    }
                }
                for (String table : tables) {
                    String tableOwner = owner.get(table);
                    if (tableOwner != null && !tableOwner.equals(pkg) && !views.contains(table)) {
                        found.computeIfAbsent(relative.toString(), k -> new TreeSet<>()).add(table);
                    }
                }
            }
        }
        assertThat(found).as("SQL on another feature's tables (use its repository or a published view)")
                .isEqualTo(EXCEPTIONS);
    }

    /** A literal that is the first argument of {@code put(}: a key of an answer map (subject access's "extract"), not SQL. */
    private static boolean isMapKey(String source, int literalStart) {
        return source.substring(Math.max(0, literalStart - 4), literalStart).equals("put(");
    }

    @Test
    void theScanSeesSqlOnAnotherFeaturesTable() {
        // The scan itself can fail: a literal like this one, in a package that does not own intake_file, is caught.
        Matcher reference = REFERENCE.matcher("select status from intake_file where id = ?");
        assertThat(reference.find()).isTrue();
        assertThat(owner.get(reference.group(1))).isEqualTo("intake");
        assertThat(views).contains("research_person", "linked_dataset");
        // A literal that is only a table name counts ("update " + table), unless it is a map key.
        String source = "String table = \"extract\"; answer.put(\"extract\", id);";
        assertThat(isMapKey(source, source.indexOf("\"extract\""))).isFalse();
        assertThat(isMapKey(source, source.lastIndexOf("\"extract\""))).isTrue();
    }
}
