package org.linkgate.validation;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks one {@link CsvRow} against a {@link DatasetSchema}. Output: the problems found
 * (row, column, rule name), empty for a good row. A row with the wrong field count gets
 * only {@code field_count} (its values may be shifted). For each column: a missing
 * mandatory value is {@code required}; a present value longer than maxLength (in code
 * points) is {@code max_length}; each failed rule is reported under its schema name.
 * Date comparisons are skipped when the value is not an ISO date ({@code iso_date}
 * reports that). "Today" comes from the clock, so give it the zone councils work in.
 *
 * <p>{@code unique} is NOT checked here: it needs every value of the file, which may have
 * millions of rows. The caller enforces it for {@link DatasetSchema#uniqueColumns()}
 * (the linkage store's unique constraint). Thread-safe; holds no per-file state.
 */
public final class RowValidator {

    private static final Pattern ISO_DATE_SHAPE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final DateTimeFormatter ISO_DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern INTEGER_SHAPE = Pattern.compile("0|-?[1-9][0-9]{0,18}");
    private static final Pattern NAME_CHARS = Pattern.compile("[\\p{L}\\p{M}' -]+");
    private static final Pattern HAS_LETTER = Pattern.compile(".*\\p{L}.*");

    private final Clock clock;
    private final List<CompiledColumn> columns;

    public RowValidator(DatasetSchema schema, Clock clock) {
        Objects.requireNonNull(schema, "schema");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.columns = schema.columns().stream().map(this::compile).toList();
    }

    /** The problems in {@code row}; empty when it is valid. */
    public List<RowProblem> validate(CsvRow row) {
        long number = row.rowNumber();
        if (!row.hasExpectedFieldCount()) {
            return List.of(RowProblem.wholeRow(number, RowProblem.FIELD_COUNT));
        }
        List<RowProblem> problems = new ArrayList<>();
        for (CompiledColumn column : columns) {
            Optional<String> value = row.value(column.name());
            if (value.isEmpty()) {
                if (column.mandatory()) {
                    problems.add(new RowProblem(number, column.name(), RowProblem.REQUIRED));
                }
                continue;
            }
            String v = value.get();
            if (v.codePointCount(0, v.length()) > column.maxLength()) {
                problems.add(new RowProblem(number, column.name(), RowProblem.MAX_LENGTH));
            }
            for (CompiledRule rule : column.rules()) {
                if (!rule.check().test(v)) {
                    problems.add(new RowProblem(number, column.name(), rule.name()));
                }
            }
        }
        return problems;
    }

    private record CompiledColumn(String name, boolean mandatory, int maxLength, List<CompiledRule> rules) {
    }

    private record CompiledRule(String name, Predicate<String> check) {
    }

    private CompiledColumn compile(ColumnSpec spec) {
        List<CompiledRule> rules = spec.rules().stream()
                .filter(r -> r.type() != RuleType.UNIQUE)
                .map(r -> new CompiledRule(r.name(), predicate(r)))
                .toList();
        return new CompiledColumn(spec.name(), spec.mandatory(), spec.maxLength().orElse(Integer.MAX_VALUE), rules);
    }

    private Predicate<String> predicate(RuleSpec rule) {
        return switch (rule.type()) {
            case LETTERS_SPACES_APOSTROPHE_HYPHEN ->
                    v -> NAME_CHARS.matcher(v).matches() && HAS_LETTER.matcher(v).matches();
            case ISO_DATE -> v -> parseDate(v).isPresent();
            case NOT_IN_FUTURE -> v -> parseDate(v).map(d -> !d.isAfter(LocalDate.now(clock))).orElse(true);
            case NOT_BEFORE -> {
                LocalDate earliest = LocalDate.parse(rule.arguments().get(0));
                yield v -> parseDate(v).map(d -> !d.isBefore(earliest)).orElse(true);
            }
            case ONE_OF -> {
                Set<String> allowed = rule.arguments().stream()
                        .map(a -> a.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
                yield v -> allowed.contains(v.toUpperCase(Locale.ROOT));
            }
            case UK_POSTCODE -> UkPostcode::isValid;
            case NINO -> NationalInsuranceNumber::isValid;
            case NHS_NUMBER -> NhsNumber::isValid;
            case UPN -> UniquePupilNumber::isValid;
            case FLAG -> v -> v.equals("0") || v.equals("1");
            case INTEGER -> {
                Long min = rule.arguments().isEmpty() ? null : RuleType.bound(rule.arguments().get(0));
                Long max = rule.arguments().isEmpty() ? null : RuleType.bound(rule.arguments().get(1));
                yield v -> parseInteger(v).map(n -> (min == null || n >= min) && (max == null || n <= max))
                        .orElse(false);
            }
            case PATTERN -> {
                Pattern pattern = Pattern.compile(rule.arguments().get(0));
                yield v -> pattern.matcher(v).matches();
            }
            case UNIQUE -> v -> true;
        };
    }

    private static Optional<Long> parseInteger(String value) {
        if (!INTEGER_SHAPE.matcher(value).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            // Right shape but beyond the range of a long: not a whole number we accept.
            return Optional.empty();
        }
    }

    private static Optional<LocalDate> parseDate(String value) {
        if (!ISO_DATE_SHAPE.matcher(value).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(value, ISO_DATE));
        } catch (DateTimeParseException e) {
            // Shape is right but the date does not exist (e.g. 2015-02-30): not an ISO date.
            return Optional.empty();
        }
    }
}
