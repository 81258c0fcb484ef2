package org.linkgate.disclosure;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.linkgate.pseudonymisation.AgeBand;

/**
 * The whitelist of derived variables a table may be broken down or filtered by. Each names its
 * linked-dataset column as a constant, so a request only ever picks an entry of this list and a
 * category from its fixed list: user input never reaches SQL except as a bound parameter.
 */
public enum Breakdown {
    AGE_BAND("age_band", "Age band", Arrays.stream(AgeBand.values()).map(AgeBand::label).toList()) {
        @Override
        String label(ResultSet row) throws SQLException {
            return row.getString("age_band");
        }

        @Override
        SqlCondition condition(String category) {
            return new SqlCondition("age_band = ?", List.of(category));
        }
    },
    SEX("sex", "Sex", List.of("F", "M", "U")) {
        @Override
        String label(ResultSet row) throws SQLException {
            return row.getString("sex");
        }

        @Override
        SqlCondition condition(String category) {
            return new SqlCondition("sex = ?", List.of(category));
        }
    },
    /** Number of the six headline problems flagged at identification, banded. */
    PROBLEMS("problems", "Headline problems", List.of("0-1", "2", "3", "4-6")) {
        @Override
        String label(ResultSet row) throws SQLException {
            int count = row.getInt("problem_count");
            return count <= 1 ? "0-1" : count == 2 ? "2" : count == 3 ? "3" : "4-6";
        }

        @Override
        SqlCondition condition(String category) {
            int[] range = switch (category) {
                case "0-1" -> new int[] {0, 1};
                case "2" -> new int[] {2, 2};
                case "3" -> new int[] {3, 3};
                default -> new int[] {4, 6};
            };
            return new SqlCondition("problem_count between ? and ?", List.of(range[0], range[1]));
        }
    },
    CRIME_ASB("crime_asb", "Crime or anti-social behaviour"),
    EDUCATION("education", "Education"),
    CHILDREN_IN_NEED("children_in_need", "Children who need help"),
    WORKLESSNESS("worklessness", "Worklessness"),
    DOMESTIC_ABUSE("domestic_abuse", "Domestic abuse"),
    HEALTH("health", "Health");

    /** Categories of a problem-flag breakdown. */
    public static final List<String> FLAG_CATEGORIES = List.of("yes", "no");

    private final String key;
    private final String title;
    private final List<String> categories;

    Breakdown(String key, String title, List<String> categories) {
        this.key = key;
        this.title = title;
        this.categories = List.copyOf(categories);
    }

    /** A problem flag: the column has the same name as the key and holds 0 or 1. */
    Breakdown(String key, String title) {
        this(key, title, List.of("yes", "no"));
    }

    /** The name a request uses, e.g. {@code age_band}. */
    public String key() {
        return key;
    }

    public String title() {
        return title;
    }

    public List<String> categories() {
        return categories;
    }

    public Dimension dimension() {
        return new Dimension(key, categories);
    }

    /** The category of one linked-dataset row. */
    String label(ResultSet row) throws SQLException {
        return row.getInt(key) == 1 ? "yes" : "no";
    }

    /** The SQL condition selecting one category (the category already checked against the list). */
    SqlCondition condition(String category) {
        return new SqlCondition(key + " = ?", List.of("yes".equals(category) ? 1 : 0));
    }

    /** The condition for a requested category, refused unless it is one of this breakdown's. */
    public SqlCondition filter(String category) {
        if (category == null || !categories.contains(category)) {
            throw new IllegalArgumentException("filter " + key + " must be one of " + categories);
        }
        return condition(category);
    }

    public static Optional<Breakdown> byKey(String key) {
        if (key == null) {
            return Optional.empty();
        }
        String wanted = key.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(b -> b.key.equals(wanted)).findFirst();
    }

    /** A fragment of a WHERE clause built from constants, with its bound parameters. */
    public record SqlCondition(String sql, List<Object> parameters) {
        public SqlCondition {
            parameters = List.copyOf(parameters);
        }
    }
}
