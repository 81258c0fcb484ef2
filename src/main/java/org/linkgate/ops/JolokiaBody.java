package org.linkgate.ops;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of one Jolokia POST, read whole (up to a limit) before anything acts on it, so the audit
 * and the guard see exactly the bytes Jolokia will parse. Outcomes: the operations asked for, or
 * why there are none ({@link Problem}): too large (never cut to fit), unreadable (including JSON
 * with a repeated key, which two parsers could read differently), too many entries, or empty.
 */
final class JolokiaBody {

    /** Request attribute under which the outer console filter leaves the body for the guard. */
    static final String ATTRIBUTE = JolokiaBody.class.getName();

    enum Problem { NONE, EMPTY, TOO_LARGE, UNREADABLE, TOO_MANY_ENTRIES }

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final byte[] bytes;
    private final Problem problem;
    private final List<JolokiaOperation> operations;

    private JolokiaBody(byte[] bytes, Problem problem, List<JolokiaOperation> operations) {
        this.bytes = bytes;
        this.problem = problem;
        this.operations = List.copyOf(operations);
    }

    /** Reads at most {@code maxBytes} (one more tells it is too large) and parses the entries. */
    static JolokiaBody read(InputStream in, int maxBytes, int maxEntries) throws IOException {
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            return new JolokiaBody(new byte[0], Problem.TOO_LARGE, List.of());
        }
        return parse(bytes, maxEntries);
    }

    static JolokiaBody parse(byte[] bytes, int maxEntries) {
        if (bytes.length == 0) {
            return new JolokiaBody(bytes, Problem.EMPTY, List.of());
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            return new JolokiaBody(bytes, Problem.UNREADABLE, List.of());
        }
        if (root == null || !(root.isObject() || root.isArray())) {
            return new JolokiaBody(bytes, Problem.UNREADABLE, List.of());
        }
        if (root.isArray() && root.size() > maxEntries) {
            return new JolokiaBody(bytes, Problem.TOO_MANY_ENTRIES, List.of());
        }
        List<JolokiaOperation> operations = new ArrayList<>();
        for (JsonNode one : root.isArray() ? root : List.of(root)) {
            if (!one.isObject()) {
                return new JolokiaBody(bytes, Problem.UNREADABLE, List.of());
            }
            operations.add(new JolokiaOperation(text(one.get("type")), text(one.get("mbean")), names(one.get("attribute")),
                    text(one.get("operation"))));
        }
        return new JolokiaBody(bytes, operations.isEmpty() ? Problem.EMPTY : Problem.NONE, operations);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static List<String> names(JsonNode attribute) {
        if (attribute == null || attribute.isNull()) {
            return List.of();
        }
        if (attribute.isArray()) {
            List<String> names = new ArrayList<>();
            attribute.forEach(a -> names.add(a.asText()));
            return names;
        }
        return List.of(attribute.asText());
    }

    Problem problem() {
        return problem;
    }

    List<JolokiaOperation> operations() {
        return operations;
    }

    /** The request with this body to read again downstream (Jolokia, Hawtio's forward). */
    HttpServletRequest replay(HttpServletRequest request) {
        return new HttpServletRequestWrapper(request) {
            @Override
            public ServletInputStream getInputStream() {
                ByteArrayInputStream in = new ByteArrayInputStream(bytes);
                return new ServletInputStream() {
                    @Override
                    public boolean isFinished() {
                        return in.available() == 0;
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        throw new UnsupportedOperationException("the body is already read");
                    }

                    @Override
                    public int read() {
                        return in.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        return in.read(b, off, len);
                    }
                };
            }

            @Override
            public BufferedReader getReader() {
                String encoding = getCharacterEncoding();
                return new BufferedReader(new InputStreamReader(getInputStream(),
                        encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
            }

            @Override
            public int getContentLength() {
                return bytes.length;
            }

            @Override
            public long getContentLengthLong() {
                return bytes.length;
            }
        };
    }
}
