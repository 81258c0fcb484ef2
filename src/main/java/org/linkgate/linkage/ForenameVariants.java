package org.linkgate.linkage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The forename variant table ({@code linkage/forename-variants.csv}): each name maps to its group's
 * root (Jon, Johnny → JOHN; Mohammed, Muhammed → MUHAMMAD), so a nickname or spelling variant agrees
 * at the {@link KeyLevel#NICKNAME} level. A name in no group is its own root. The table is a
 * versioned resource: editing it changes nickname keys of new rows only, so a change is a new file
 * version noted in docs/linkage.md.
 */
public final class ForenameVariants {

    public static final String RESOURCE = "/linkage/forename-variants.csv";
    private final Map<String, String> roots;

    private ForenameVariants(Map<String, String> roots) {
        this.roots = Map.copyOf(roots);
    }

    /** The table shipped with the gateway. */
    public static ForenameVariants shipped() {
        try (InputStream in = ForenameVariants.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static ForenameVariants parse(InputStream in) throws IOException {
        Map<String, String> roots = new HashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] names = line.split(",");
            String root = names[0].strip();
            for (String name : names) {
                roots.putIfAbsent(name.strip(), root);
            }
        }
        return new ForenameVariants(roots);
    }

    /** The root of a normalised forename, or the name itself. */
    public String root(String forename) {
        return roots.getOrDefault(forename, forename);
    }

    public int size() {
        return roots.size();
    }
}
