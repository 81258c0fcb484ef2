package org.linkgate.disclosure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cell key method (ABS; ONS for Census 2021 outputs): each person a record key 0..255 (keyed HMAC of the
 * pseudo id), a cell's key the sum of its members' keys mod 256, and its perturbation read from the p-table
 * ({@code disclosure/ptable.csv}) by (count, cell key), so the same cell always gets the same published count.
 */
public final class CellKeyPerturbation {

    /** Key-derivation purpose of the record-key HMAC key ({@link org.linkgate.kernel.MasterKey#derive}). */
    public static final String KEY_PURPOSE = "disclosure/cell-key";
    public static final int KEYS = 256;

    private final byte[] recordKeyKey;
    /** Per count row (the last row serves all larger counts): the perturbation of each cell key. */
    private final TreeMap<Integer, int[]> ptable;

    /** The shipped p-table, read once: it is public (a recipient may read it), only the record keys are secret. */
    private static final TreeMap<Integer, int[]> SHIPPED = load();

    public CellKeyPerturbation(byte[] recordKeyKey) {
        this(recordKeyKey, SHIPPED);
    }

    CellKeyPerturbation(byte[] recordKeyKey, TreeMap<Integer, int[]> ptable) {
        if (recordKeyKey.length < 16) {
            throw new IllegalArgumentException("record-key key too short");
        }
        this.recordKeyKey = recordKeyKey.clone();
        this.ptable = ptable;
    }

    /** The person's record key, 0..255: stable for a pseudo id under one gateway key, unpredictable without it. */
    public int recordKey(String pseudoId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(recordKeyKey, "HmacSHA256"));
            return mac.doFinal(pseudoId.getBytes(StandardCharsets.UTF_8))[0] & 0xff;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** A cell's key: the sum of its members' record keys mod 256. */
    public int cellKey(Iterable<String> members) {
        int sum = 0;
        for (String id : members) {
            sum = (sum + recordKey(id)) % KEYS;
        }
        return sum;
    }

    /** The published count of a cell of {@code count} members whose cell key is {@code cellKey}. */
    public long publish(long count, int cellKey) {
        if (count < 0 || cellKey < 0 || cellKey >= KEYS) {
            throw new IllegalArgumentException("bad count or cell key");
        }
        Map.Entry<Integer, int[]> row = ptable.floorEntry((int) Math.min(count, Integer.MAX_VALUE));
        return count + row.getValue()[cellKey];
    }

    /** The published count of the cell with exactly these members (one id each). */
    public long publish(List<String> members) {
        return publish(members.size(), cellKey(members));
    }

    /** The largest perturbation the p-table applies to any count, either way. */
    public int maxPerturbation() {
        return maxPerturbation(ptable);
    }

    /** The shipped p-table's largest perturbation. */
    public static int shippedMaxPerturbation() {
        return maxPerturbation(SHIPPED);
    }

    private static int maxPerturbation(TreeMap<Integer, int[]> table) {
        return table.values().stream().flatMapToInt(java.util.Arrays::stream).map(Math::abs).max().orElse(0);
    }

    /**
     * Whether the shipped p-table publishes a true count {@code count} as {@code published} for
     * some cell key: what anyone holding the public p-table knows of a perturbed figure.
     */
    public static boolean mayPublishAs(long count, long published) {
        if (count < 0) {
            return false;
        }
        int[] row = SHIPPED.floorEntry((int) Math.min(count, Integer.MAX_VALUE)).getValue();
        for (int perturbation : row) {
            if (count + perturbation == published) {
                return true;
            }
        }
        return false;
    }

    /** The true counts in {@code [0, base]} the shipped p-table could publish as {@code published}. */
    public static long[] preimage(long published, long base) {
        int spread = shippedMaxPerturbation();
        return java.util.stream.LongStream.rangeClosed(Math.max(0, published - spread), Math.min(base, published + spread))
                .filter(t -> mayPublishAs(t, published)).toArray();
    }

    /** The p-table rows as shipped: count row to the perturbation of each cell key. */
    static TreeMap<Integer, int[]> load() {
        TreeMap<Integer, List<int[]>> rows = new TreeMap<>();
        try (InputStream in = CellKeyPerturbation.class.getResourceAsStream("/disclosure/ptable.csv")) {
            if (in == null) {
                throw new IllegalStateException("p-table resource missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.startsWith("count") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                rows.computeIfAbsent(Integer.parseInt(f[0].strip()), c -> new ArrayList<>())
                        .add(new int[] {Integer.parseInt(f[1].strip()), Integer.parseInt(f[2].strip())});
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the p-table", e);
        }
        TreeMap<Integer, int[]> table = new TreeMap<>();
        rows.forEach((count, entries) -> {
            int[] byKey = new int[KEYS];
            int next = 0;
            for (int[] e : entries) {
                for (int k = 0; k < e[1]; k++) {
                    if (next >= KEYS) {
                        throw new IllegalStateException("p-table row " + count + " has more than 256 keys");
                    }
                    byKey[next++] = e[0];
                }
            }
            if (next != KEYS) {
                throw new IllegalStateException("p-table row " + count + " has " + next + " keys, not 256");
            }
            table.put(count, byKey);
        });
        if (!table.containsKey(0)) {
            throw new IllegalStateException("p-table has no row for zero");
        }
        return table;
    }
}
