package org.linkgate.agreement;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The agreement file cannot be used; start-up stops. The message names the file and, for each
 * problem, the key path ({@code flows[0].to[2]}) and what is wrong, never a contact's details.
 */
public class InvalidAgreementException extends IllegalStateException {

    private final String source;
    private final transient List<Problem> problems;

    public InvalidAgreementException(String source, List<Problem> problems) {
        super(message(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The file (or other source) that was read. */
    public String source() {
        return source;
    }

    /** Every problem found, in file order; never empty. */
    public List<Problem> problems() {
        return problems;
    }

    private static String message(String source, List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid agreement has at least one problem");
        }
        String listed = problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
        return "invalid agreement in " + source + ": "
                + (problems.size() == 1 ? listed : problems.size() + " problems: " + listed);
    }

    /** One problem: where in the file ({@code term.end}, {@code (yaml)} for the document itself) and why. */
    public record Problem(String path, String message) {
        public Problem {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return path + ": " + message;
        }
    }
}
