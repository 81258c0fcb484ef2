package org.linkgate.disclosure;

import com.google.ortools.Loader;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearArgument;
import com.google.ortools.sat.LinearExpr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An analyst who does not know how many people are in each group, attacking the withheld persons
 * cells of the analysts' tables it holds; written apart from the gateway (no protection code: its
 * own groups, its own reading of the tables' JSON, CP-SAT directly). Its groups are every
 * combination, empty ones included, of the category lists of council, period, cohort and every
 * attribute a table breaks down or filters by (the lists are public; the sizes are not). Unknowns
 * per group: its size per age range a department is sent (measures with the same range share
 * them) and, per measure, how many have the outcome (at most the size); every published persons
 * and with-outcome figure is an equation, and with zeros published a withheld persons cell is at
 * least 1. It computes every withheld persons cell's exact interval.
 */
final class PersonsAttacker {

    /** A withheld persons cell: the people it covers and its exact interval. */
    record Finding(String table, String cell, Predicate<LinkedDataFixture.Person> people, long lower, long upper) {
    }

    final List<Finding> cells = new ArrayList<>();
    final AttackSolver cp = new AttackSolver();

    PersonsAttacker() {
        Loader.loadNativeLibraries();
    }

    /** Attacks the tables; {@code categories} are the public category lists (taken from the people's attribute values). */
    @SuppressWarnings("unchecked")
    void attack(List<LinkedDataFixture.Person> people, List<Map<String, Object>> tables, boolean zerosPublished) {
        Map<String, Set<String>> domains = new LinkedHashMap<>();
        domains.put("council", new LinkedHashSet<>());
        domains.put("period", new LinkedHashSet<>());
        domains.put("cohort", new LinkedHashSet<>());
        for (Map<String, Object> t : tables) {
            for (String b : (List<String>) t.get("breakdowns")) {
                domains.put(b, new LinkedHashSet<>());
            }
            for (String f : ((Map<String, String>) t.get("filter")).keySet()) {
                domains.put(f, new LinkedHashSet<>());
            }
        }
        for (LinkedDataFixture.Person p : people) {
            Map<String, String> a = AnalystAttacker.attributes(p);
            domains.forEach((k, v) -> v.add(a.get(k)));
        }
        List<Map<String, String>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Map.Entry<String, Set<String>> d : domains.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combos) {
                for (String v : d.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(d.getKey(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        CpModel model = new CpModel();
        long bound = people.size() * 2L;
        Map<String, IntVar[]> sizes = new LinkedHashMap<>();
        Map<String, IntVar[]> outcomes = new LinkedHashMap<>();
        List<Object[]> withheld = new ArrayList<>();
        for (Map<String, Object> table : tables) {
            String measure = (String) table.get("measure");
            int[] base = CouncilKnowledge.BASES.get(measure);
            String range = base[0] + "-" + base[1];
            int groups = combos.size();
            IntVar[] n = sizes.computeIfAbsent(range, r -> vars(model, groups, bound, "n" + r));
            IntVar[] y = outcomes.computeIfAbsent(measure, m -> {
                IntVar[] v = vars(model, groups, bound, "y" + m);
                for (int i = 0; i < groups; i++) {
                    model.addLessOrEqual(v[i], n[i]);
                }
                return v;
            });
            List<String> breakdowns = (List<String>) table.get("breakdowns");
            String breakdownName = String.join(" x ", breakdowns);
            for (Map<String, Object> row : (List<Map<String, Object>>) table.get("rows")) {
                Map<String, String> wanted = new LinkedHashMap<>((Map<String, String>) table.get("filter"));
                if (table.get("council") != null) {
                    wanted.put("council", (String) table.get("council"));
                }
                if (table.get("period") != null) {
                    wanted.put("period", (String) table.get("period"));
                }
                if (!"Total".equals(row.get("cohort"))) {
                    wanted.put("cohort", (String) row.get("cohort"));
                }
                String category = (String) row.get(breakdownName);
                if (category != null && !"Total".equals(category)) {
                    String[] parts = breakdowns.size() == 1 ? new String[] {category} : category.split(" / ", 2);
                    for (int b = 0; b < parts.length; b++) {
                        wanted.put(breakdowns.get(b), parts[b]);
                    }
                }
                List<LinearArgument> inN = new ArrayList<>();
                List<LinearArgument> inY = new ArrayList<>();
                for (int i = 0; i < groups; i++) {
                    if (combos.get(i).entrySet().containsAll(wanted.entrySet())) {
                        inN.add(n[i]);
                        inY.add(y[i]);
                    }
                }
                LinearExpr persons = LinearExpr.sum(inN.toArray(new LinearArgument[0]));
                String p = (String) row.get("persons");
                String w = (String) row.get("withOutcome");
                if ("[c]".equals(p)) {
                    if (zerosPublished) {
                        model.addGreaterOrEqual(persons, 1);
                    }
                    withheld.add(new Object[] {table, wanted, persons, range});
                } else if (!"n/a".equals(p)) {
                    model.addEquality(persons, Long.parseLong(p));
                }
                if (w != null && w.chars().allMatch(Character::isDigit) && !w.isEmpty()) {
                    model.addEquality(LinearExpr.sum(inY.toArray(new LinearArgument[0])), Long.parseLong(w));
                }
            }
        }
        List<IntVar> all = new ArrayList<>();
        sizes.values().forEach(v -> all.addAll(List.of(v)));
        outcomes.values().forEach(v -> all.addAll(List.of(v)));
        IntVar[] everything = all.toArray(new IntVar[0]);
        List<long[]> solutions = new ArrayList<>();
        for (Object[] w : withheld) {
            Map<String, Object> table = (Map<String, Object>) w[0];
            Map<String, String> wanted = (Map<String, String>) w[1];
            int[] base = CouncilKnowledge.BASES.get((String) table.get("measure"));
            long[] b = cp.bounds(model, (LinearExpr) w[2], everything, solutions);
            Predicate<LinkedDataFixture.Person> in = person -> person.age() >= base[0] && person.age() <= base[1]
                    && AnalystAttacker.attributes(person).entrySet().containsAll(wanted.entrySet());
            cells.add(new Finding(table.get("measure") + " " + table.get("breakdowns") + " " + table.get("filter"),
                    wanted.toString(), in, b[0], b[1]));
        }
    }

    private static IntVar[] vars(CpModel model, int count, long bound, String name) {
        IntVar[] v = new IntVar[count];
        for (int i = 0; i < count; i++) {
            v[i] = model.newIntVar(0, bound, name + "_" + i);
        }
        return v;
    }
}
