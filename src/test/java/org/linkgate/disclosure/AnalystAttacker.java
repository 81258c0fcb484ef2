package org.linkgate.disclosure;

import com.google.ortools.Loader;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearArgument;
import com.google.ortools.sat.LinearExpr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An analyst as an attacker, written apart from the gateway's protection code (none of it is
 * used: its own person-level groups, its own reading of the released tables' JSON, OR-Tools'
 * CP-SAT directly). It is given more than an analyst has: every person's attributes (council,
 * period, cohort, sex, age, problems and the six flags), so every group's size, as the council
 * knows them; and every table released over those people, whatever their filters (analysts'
 * tables and packs). One unknown per measure and group of people alike in every attribute — how
 * many have the outcome — so every cell of every table, filtered or not, is a sum of them; one
 * equation per published with-outcome figure; emergency admission implies hospital admission.
 * It computes every withheld cell's exact interval and, for every group, whether a table it
 * cannot rule out has one of them with, and one without, the outcome.
 *
 * <p>People alike in every attribute some table names (council, period, cohort, and every
 * table's breakdowns and filters) are one group: an attribute no table names (say the
 * worklessness flag, when no table filters or breaks down by it) only splits a group into parts
 * that every equation sums back together. That loses the attacker nothing: the finer model's
 * tables are exactly the coarse model's with each group's count shared out among its parts in
 * any way (emergency filled into the parts in the same order as hospital, so the implication
 * holds part by part), so every cell has the same exact interval, and a part is all or none
 * with the outcome in every allowed table exactly when its whole group is (a group told is
 * reported once, not once per part). It makes the model several times smaller: fewer
 * unknowns per solve, and fewer groups to prove.
 */
final class AnalystAttacker {

    static final String[] FLAGS = {"crime_asb", "education", "children_in_need", "worklessness", "domestic_abuse", "health"};

    /** What the attacker found about one withheld with-outcome cell: its people, and the interval. */
    record Finding(String table, String measure, Predicate<LinkedDataFixture.Person> people, String cell, long lower,
                   long upper, long persons) {
    }

    /** A group all or none of whom the attacker can show to have the outcome. */
    record GroupFinding(String measure, List<String> group, long persons, boolean all) {
    }

    final List<Finding> cells = new ArrayList<>();
    final List<GroupFinding> groups = new ArrayList<>();
    final AttackSolver cp = new AttackSolver();

    AnalystAttacker() {
        Loader.loadNativeLibraries();
    }

    /** The attributes the attacker tells a person apart by (measure last when grouped). */
    static Map<String, String> attributes(LinkedDataFixture.Person p) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("council", p.council());
        a.put("period", p.period());
        a.put("cohort", CouncilKnowledge.cohort(p.cohort()));
        a.put("sex", p.sex());
        a.put("age_band", CouncilKnowledge.band(p.age()));
        a.put("problems", CouncilKnowledge.problems(p.problemCount()));
        for (int f = 0; f < FLAGS.length; f++) {
            a.put(FLAGS[f], p.flags()[f] == 1 ? "yes" : "no");
        }
        return a;
    }

    /** Attacks the released tables (each as the analyst receives it: the table JSON), measures tied by definition together. */
    @SuppressWarnings("unchecked")
    void attack(List<LinkedDataFixture.Person> people, List<Map<String, Object>> tables) {
        List<String> measures = tables.stream().map(t -> (String) t.get("measure")).distinct().toList();
        Set<String> named = new HashSet<>(List.of("council", "period", "cohort"));
        for (Map<String, Object> t : tables) {
            named.addAll((List<String>) t.get("breakdowns"));
            named.addAll(((Map<String, String>) t.get("filter")).keySet());
        }
        List<Map<String, String>> keys = new ArrayList<>();
        Map<Map<String, String>, Integer> index = new LinkedHashMap<>();
        List<Long> sizes = new ArrayList<>();
        for (String measure : measures) {
            int[] base = CouncilKnowledge.BASES.get(measure);
            for (LinkedDataFixture.Person p : people) {
                if (p.age() < base[0] || p.age() > base[1]) {
                    continue;
                }
                Map<String, String> key = attributes(p);
                key.keySet().retainAll(named);
                key.put("measure", measure);
                Integer i = index.get(key);
                if (i == null) {
                    index.put(key, keys.size());
                    keys.add(key);
                    sizes.add(1L);
                } else {
                    sizes.set(i, sizes.get(i) + 1);
                }
            }
        }
        CpModel model = new CpModel();
        IntVar[] y = new IntVar[keys.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = model.newIntVar(0, sizes.get(i), "g" + i);
        }
        for (int i = 0; i < keys.size(); i++) {
            String implied = CouncilKnowledge.IMPLIES.get(keys.get(i).get("measure"));
            if (implied != null) {
                Map<String, String> other = new LinkedHashMap<>(keys.get(i));
                other.put("measure", implied);
                Integer j = index.get(other);
                if (j != null) {
                    model.addLessOrEqual(y[i], y[j]);
                }
            }
        }
        List<Object[]> withheld = new ArrayList<>();
        for (Map<String, Object> table : tables) {
            String measure = (String) table.get("measure");
            List<String> breakdowns = (List<String>) table.get("breakdowns");
            String breakdownName = String.join(" x ", breakdowns);
            for (Map<String, Object> row : (List<Map<String, Object>>) table.get("rows")) {
                Map<String, String> wanted = new LinkedHashMap<>((Map<String, String>) table.get("filter"));
                wanted.put("measure", measure);
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
                String value = (String) row.get("withOutcome");
                if ("n/a".equals(value)) {
                    continue;
                }
                List<Integer> members = new ArrayList<>();
                long persons = 0;
                for (int i = 0; i < keys.size(); i++) {
                    if (keys.get(i).entrySet().containsAll(wanted.entrySet())) {
                        members.add(i);
                        persons += sizes.get(i);
                    }
                }
                LinearExpr e = LinearExpr.sum(members.stream().map(i -> y[i]).toArray(LinearArgument[]::new));
                if ("[c]".equals(value)) {
                    withheld.add(new Object[] {table, wanted, e, persons, row,
                            members.stream().mapToInt(Integer::intValue).toArray()});
                } else {
                    model.addEquality(e, Long.parseLong(value));
                }
            }
        }
        List<long[]> solutions = new ArrayList<>();
        for (Object[] w : withheld) {
            long[] b = cp.bounds(model, (LinearExpr) w[2], y, solutions, (int[]) w[5], (Long) w[3]);
            Map<String, String> wanted = (Map<String, String>) w[1];
            Map<String, Object> table = (Map<String, Object>) w[0];
            Predicate<LinkedDataFixture.Person> in = p -> {
                Map<String, String> a = attributes(p);
                a.put("measure", wanted.get("measure"));
                return a.entrySet().containsAll(wanted.entrySet());
            };
            cells.add(new Finding(table.get("measure") + " " + table.get("breakdowns") + " " + table.get("filter"),
                    wanted.get("measure"), in, wanted.toString(), b[0], b[1], (Long) w[3]));
        }
        AttackSolver.Group[] toldGroups = cp.groups(model, y, sizes.stream().mapToLong(Long::longValue).toArray(), solutions);
        for (int i = 0; i < keys.size(); i++) {
            long n = sizes.get(i);
            AttackSolver.Group group = toldGroups[i];
            if (group.told()) {
                groups.add(new GroupFinding(keys.get(i).get("measure"), List.copyOf(keys.get(i).values()), n,
                        !group.someWithout()));
            }
        }
    }
}
