package org.linkgate.validation;

import java.util.List;
import java.util.Objects;

/**
 * One rule applied to a column: its schema name (one of {@link RuleType}) and its
 * arguments ({@code not_before: 1900-01-01} has one, {@code one_of: [M, F, U]} three).
 *
 * @throws IllegalArgumentException from the constructor for an unknown name or bad arguments
 */
public record RuleSpec(String name, List<String> arguments) {

    public RuleSpec {
        Objects.requireNonNull(name, "name");
        arguments = List.copyOf(arguments);
        RuleType type = RuleType.fromSchemaName(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown rule '" + name + "'"));
        type.checkArguments(arguments);
    }

    /** A rule without arguments. */
    public static RuleSpec of(String name) {
        return new RuleSpec(name, List.of());
    }

    /** The type of this rule. */
    public RuleType type() {
        return RuleType.fromSchemaName(name).orElseThrow();
    }
}
