package org.linkgate.ops;

import java.util.List;
import java.util.Locale;

/**
 * One entry of a Jolokia request as the console audit and guard see it: the request type, the MBean,
 * the attribute names and the operation — never arguments or values.
 */
record JolokiaOperation(String type, String mbean, List<String> attributes, String operation) {

    JolokiaOperation {
        type = type == null ? "?" : type;
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
    }

    /**
     * Operations that only answer a question: Hawtio's permission check (a bulk of hundreds on every
     * page) and Camel's statistics dumps. Any other exec may change state.
     */
    static final List<String> QUERY_OPERATIONS = List.of("canInvoke", "dumpRouteStatsAsXml", "dumpRoutesStatsAsXml");

    /** write, and exec of anything but a query, may change state; read, list, search and version only look. */
    boolean changesState() {
        String t = type.toLowerCase(Locale.ROOT);
        return t.equals("write") || (t.equals("exec") && !QUERY_OPERATIONS.contains(operationName()));
    }

    /** Operation name without its signature: {@code stop()} and {@code stop} are both {@code stop}. */
    String operationName() {
        if (operation == null) {
            return null;
        }
        int paren = operation.indexOf('(');
        return (paren < 0 ? operation : operation.substring(0, paren)).strip();
    }

    /** "type mbean attribute[,attribute] operation", printable ASCII only; nothing is cut. */
    String describe() {
        StringBuilder text = new StringBuilder(printable(type));
        if (mbean != null) {
            text.append(' ').append(printable(mbean));
        }
        if (!attributes.isEmpty()) {
            text.append(' ').append(String.join(",", attributes.stream().map(JolokiaOperation::printable).toList()));
        }
        if (operation != null) {
            text.append(' ').append(printable(operation));
        }
        return text.toString();
    }

    static String printable(String text) {
        return text.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
