package org.linkgate.ops;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Which Jolokia requests the console may make, and which routes an operator may control from
 * it: partner routes only ({@code dropzone-*}, {@code intake-*}, {@code fanout-*}, {@code collect-*},
 * {@code returns-*}), which an operator may need to pause for one partner. The
 * gateway's own routes (audit chain check, incident notifier and deadlines, drop-zone layout
 * check, retention destruction, {@code ops-*}, feedback packs, ...) keep the controls the
 * agreement relies on running, so nothing in the console changes their state. Decides on the
 * operations of a Jolokia request; the Jolokia policy ({@code jolokia-access.xml}) cannot, as its
 * MBean patterns may not overlap.
 */
final class ConsoleRouteControl {

    /** Route ids an operator may start, stop, suspend and resume: a stage and a partner code. */
    static final Pattern PARTNER_ROUTE = Pattern.compile("(dropzone|intake|fanout|collect|returns)-[a-z0-9]{2,16}");
    private static final String CAMEL = "org.apache.camel";
    /** Route operations that only read (statistics); every other route operation needs a partner route. */
    private static final List<String> READ_ONLY_ROUTE_OPERATIONS = List.of("dumpRouteStatsAsXml");

    private ConsoleRouteControl() {
    }

    /**
     * Request types the console uses. Others are refused here whatever the policy says: notably
     * {@code notification}, whose handler sits in Jolokia's JMX service itself (the notification
     * back-ends are off the classpath) and would keep client registrations per request.
     */
    static final List<String> TYPES = List.of("read", "list", "search", "version", "exec", "write");

    /** Why the request must be refused, or empty when every entry may run. */
    static Optional<String> refusal(List<JolokiaOperation> operations) {
        for (JolokiaOperation operation : operations) {
            if (!TYPES.contains(operation.type().toLowerCase(Locale.ROOT))) {
                return Optional.of("request type " + JolokiaOperation.printable(operation.type()) + " is not available");
            }
            Optional<String> refused = refusal(operation);
            if (refused.isPresent()) {
                return refused;
            }
        }
        return Optional.empty();
    }

    static Optional<String> refusal(JolokiaOperation operation) {
        if (!operation.changesState() || operation.mbean() == null) {
            return Optional.empty();
        }
        ObjectName name;
        try {
            name = new ObjectName(operation.mbean());
        } catch (MalformedObjectNameException e) {
            return Optional.of("not an MBean name");
        }
        if (!CAMEL.equals(name.getDomain()) || !"routes".equals(name.getKeyProperty("type"))) {
            return Optional.empty();
        }
        if ("exec".equals(operation.type().toLowerCase(Locale.ROOT))
                && READ_ONLY_ROUTE_OPERATIONS.contains(operation.operationName())) {
            return Optional.empty();
        }
        if (name.isPattern()) {
            return Optional.of("route control names one route, not a pattern");
        }
        String route = routeId(name);
        if (route == null || !PARTNER_ROUTE.matcher(route).matches()) {
            return Optional.of("route " + (route == null ? "?" : JolokiaOperation.printable(route))
                    + " is not a partner route: only dropzone-*, intake-*, fanout-*, collect-* and returns-* are controlled from the console");
        }
        return Optional.empty();
    }

    /** The route id of a Camel route MBean ({@code name="intake-e10000012"}), unquoted; null if absent. */
    static String routeId(ObjectName name) {
        String value = name.getKeyProperty("name");
        if (value == null) {
            return null;
        }
        try {
            return value.startsWith("\"") ? ObjectName.unquote(value) : value;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
