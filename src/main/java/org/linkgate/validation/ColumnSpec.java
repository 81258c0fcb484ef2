package org.linkgate.validation;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One column of a dataset: whether the header must contain it ({@code required}), whether
 * every row must have a value in it ({@code mandatory}; otherwise optional), the maximum
 * length of a value in characters, and the rules a present value must pass.
 *
 * @throws IllegalArgumentException from the constructor for an inconsistent column
 */
public record ColumnSpec(String name, boolean required, boolean mandatory, OptionalInt maxLength,
                         List<RuleSpec> rules) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Set<RuleType> DATE_COMPARISONS = EnumSet.of(RuleType.NOT_IN_FUTURE, RuleType.NOT_BEFORE);

    public ColumnSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(maxLength, "maxLength");
        rules = List.copyOf(rules);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "column name '" + name + "' must be lower case letters, digits and '_', starting with a letter");
        }
        if (mandatory && !required) {
            throw new IllegalArgumentException("column '" + name + "' has a mandatory value so must be required");
        }
        if (maxLength.isPresent() && maxLength.getAsInt() < 1) {
            throw new IllegalArgumentException("column '" + name + "' maxLength must be at least 1");
        }
        Set<RuleType> types = EnumSet.noneOf(RuleType.class);
        for (RuleSpec rule : rules) {
            if (!types.add(rule.type())) {
                throw new IllegalArgumentException("column '" + name + "' repeats rule '" + rule.name() + "'");
            }
        }
        if (types.stream().anyMatch(DATE_COMPARISONS::contains) && !types.contains(RuleType.ISO_DATE)) {
            throw new IllegalArgumentException("column '" + name + "' compares dates so needs rule 'iso_date'");
        }
        // A listed value longer than the column allows could never pass: the schema contradicts itself.
        for (RuleSpec rule : rules) {
            if (rule.type() == RuleType.ONE_OF && maxLength.isPresent()) {
                for (String allowed : rule.arguments()) {
                    if (allowed.length() > maxLength.getAsInt()) {
                        throw new IllegalArgumentException("column '" + name + "' allows '" + allowed
                                + "', longer than its maxLength " + maxLength.getAsInt());
                    }
                }
            }
        }
    }

    /** True when the column's values must be unique within a file (enforced by the caller). */
    public boolean unique() {
        return rules.stream().anyMatch(r -> r.type() == RuleType.UNIQUE);
    }
}
