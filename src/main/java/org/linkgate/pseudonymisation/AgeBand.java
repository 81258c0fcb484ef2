package org.linkgate.pseudonymisation;

/** Age bands for research outputs; wide enough to keep cells from being small. */
public enum AgeBand {
    B0_4("0-4", 0, 4), B5_10("5-10", 5, 10), B11_15("11-15", 11, 15), B16_17("16-17", 16, 17),
    B18_24("18-24", 18, 24), B25_34("25-34", 25, 34), B35_49("35-49", 35, 49), B50_64("50-64", 50, 64),
    B65_PLUS("65+", 65, Integer.MAX_VALUE);

    private final String label;
    private final int from;
    private final int to;

    AgeBand(String label, int from, int to) {
        this.label = label;
        this.from = from;
        this.to = to;
    }

    public String label() {
        return label;
    }

    /** Lowest age in the band. */
    public int from() {
        return from;
    }

    /** Highest age in the band ({@link Integer#MAX_VALUE} for the open band). */
    public int to() {
        return to;
    }

    /** The band with this label, if any. */
    public static java.util.Optional<AgeBand> byLabel(String label) {
        return java.util.Arrays.stream(values()).filter(b -> b.label.equals(label)).findFirst();
    }

    public static AgeBand of(int age) {
        for (AgeBand band : values()) {
            if (age >= band.from && age <= band.to) {
                return band;
            }
        }
        throw new IllegalArgumentException("negative age");
    }
}
