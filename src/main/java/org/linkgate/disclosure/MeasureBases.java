package org.linkgate.disclosure;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.linkgate.agreement.Department.AgeFilter;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.pseudonymisation.AgeBand;

/**
 * Who is in each measure's base: the people its department was sent. Fanout sends a department
 * only the people its filter admits ({@code config/departments/<CODE>/}, {@code filter:
 * {minAge, maxAge}} on the age at identification, applied in {@code fanout/ExtractWriter}), so a
 * person outside it has no return because none was asked for, not because the outcome is absent:
 * counting them as "without the outcome" would put children in the offending rates. The filter
 * is read from the department's configuration; {@link Measure}'s declared filter stands in only
 * where the department is not configured (tools and tests without a gateway home).
 */
public final class MeasureBases {

    private final Map<Measure, AgeFilter> filters;

    private MeasureBases(Map<Measure, AgeFilter> filters) {
        this.filters = filters;
    }

    /** The declared filters of {@link Measure}. */
    public static MeasureBases declared() {
        return of(department -> Optional.empty());
    }

    /** Each department's configured filter, the declared one where a department is not configured. */
    public static MeasureBases of(Function<String, Optional<AgeFilter>> departmentFilter) {
        Map<Measure, AgeFilter> filters = new EnumMap<>(Measure.class);
        for (Measure m : Measure.values()) {
            AgeFilter configured = departmentFilter.apply(m.department()).orElse(null);
            filters.put(m, configured != null ? configured : m.declaredFilter());
        }
        return new MeasureBases(filters);
    }

    /** The departments as the registry holds them now. */
    public static MeasureBases of(PartnerRegistry registry) {
        return of(code -> registry.department(code).map(d -> d.filter() == null ? AgeFilter.EVERYONE : d.filter()));
    }

    public AgeFilter filter(Measure measure) {
        return filters.get(measure);
    }

    /** The SQL restriction of the base on {@code age_at_identification}; empty for everyone. */
    Optional<Breakdown.SqlCondition> condition(Measure measure) {
        AgeFilter f = filters.get(measure);
        if (f.minAge() != null && f.maxAge() != null) {
            return Optional.of(new Breakdown.SqlCondition("age_at_identification between ? and ?", List.of(f.minAge(),
                    f.maxAge())));
        }
        if (f.minAge() != null) {
            return Optional.of(new Breakdown.SqlCondition("age_at_identification >= ?", List.of(f.minAge())));
        }
        if (f.maxAge() != null) {
            return Optional.of(new Breakdown.SqlCondition("age_at_identification <= ?", List.of(f.maxAge())));
        }
        return Optional.empty();
    }

    /**
     * Which set of people the base is within an age band already fixed by a cell ({@code null}:
     * none): {@code "all"} when the filter removes nobody there, {@code "none"} when it removes
     * everybody, else the filter itself. Base cells of different measures with the same answer,
     * scope, cohort and categories count the same people.
     */
    String identity(Measure measure, AgeBand band) {
        AgeFilter f = filters.get(measure);
        int min = f.minAge() == null ? 0 : f.minAge();
        int max = f.maxAge() == null ? Integer.MAX_VALUE : f.maxAge();
        int from = band == null ? 0 : band.from();
        int to = band == null ? Integer.MAX_VALUE : band.to();
        if (min <= from && to <= max) {
            return "all";
        }
        if (to < min || from > max) {
            return "none";
        }
        return "ages " + min + ".." + max;
    }

    /** Whether nobody of this age band is ever sent to the measure's department: its cells are {@code n/a}. */
    boolean excludes(Measure measure, AgeBand band) {
        return band != null && "none".equals(identity(measure, band));
    }
}
