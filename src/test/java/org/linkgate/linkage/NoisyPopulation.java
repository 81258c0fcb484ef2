package org.linkgate.linkage;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.validation.NhsNumber;

/**
 * Synthetic people and batches about them with realistic recording noise, and the truth: typos,
 * nicknames and spelling variants, a middle name in the forename field, day/month swaps,
 * forename/surname swaps, married surnames, moves, missing NHS numbers, and different people who
 * share a name and date of birth. Seeded, so a failure can be replayed. No real person: names are
 * drawn from common given-name and surname lists.
 */
final class NoisyPopulation {

    static final String[] MALE = {"JOHN", "MUHAMMAD", "WILLIAM", "JAMES", "OLIVER", "HARRY", "JACK", "GEORGE",
            "NOAH", "CHARLIE", "JACOB", "ALFIE", "FREDDIE", "OSCAR", "LEO", "ARCHIE", "THOMAS", "JOSHUA", "DANIEL",
            "SAMUEL", "MICHAEL", "ROBERT", "DAVID", "RICHARD", "JOSEPH", "CHRISTOPHER", "MATTHEW", "ANTHONY",
            "ALEXANDER", "EDWARD", "HENRY", "LUKASZ", "AHMED", "YUSUF", "IBRAHIM", "RYAN", "CONNOR", "KIERAN"};
    static final String[] FEMALE = {"OLIVIA", "AMELIA", "ISLA", "AVA", "EMILY", "SOPHIE", "GRACE", "MIA", "POPPY",
            "ELLA", "LILY", "EVIE", "ISABELLE", "CHARLOTTE", "JESSICA", "ELIZABETH", "SARAH", "HANNAH", "REBECCA",
            "KATHERINE", "MARGARET", "JENNIFER", "VICTORIA", "ABIGAIL", "AISHA", "FATIMA", "ZOE", "CHLOE", "RUBY",
            "ELEANOR", "SAMANTHA", "DEBORAH", "SUSAN", "CHRISTINE", "ZARA", "ALICE", "FREYA", "MAISIE"};
    static final String[] SURNAMES = {"SMITH", "JONES", "WILLIAMS", "TAYLOR", "BROWN", "DAVIES", "EVANS", "WILSON",
            "THOMAS", "JOHNSON", "ROBERTS", "ROBINSON", "THOMPSON", "WRIGHT", "WALKER", "WHITE", "EDWARDS", "HUGHES",
            "GREEN", "HALL", "LEWIS", "HARRIS", "CLARKE", "PATEL", "JACKSON", "WOOD", "TURNER", "MARTIN", "COOPER",
            "HILL", "WARD", "MORRIS", "MOORE", "CLARK", "LEE", "KING", "BAKER", "HARRISON", "MORGAN", "ALLEN",
            "JAMES", "SCOTT", "PHILLIPS", "WATSON", "DAVIS", "PARKER", "PRICE", "BENNETT", "YOUNG", "GRIFFITHS",
            "MITCHELL", "KELLY", "COOK", "CARTER", "RICHARDSON", "BAILEY", "COLLINS", "BELL", "SHAW", "MURPHY",
            "MILLER", "COX", "RICHARDS", "KHAN", "MARSHALL", "ANDERSON", "SIMPSON", "ELLIS", "ADAMS", "SINGH",
            "BEGUM", "WILKINSON", "FOSTER", "CHAPMAN", "POWELL", "WEBB", "ROGERS", "GRAY", "MASON", "ALI", "HUNT",
            "HUSSAIN", "CAMPBELL", "MATTHEWS", "OWEN", "PALMER", "HOLMES", "MILLS", "BARNES", "KNIGHT", "LLOYD",
            "BUTLER", "RUSSELL", "BARKER", "FISHER", "STEVENS", "JENKINS", "MURRAY", "DIXON", "HARVEY", "NOWAK",
            "KOWALSKI", "WROBLEWSKI", "OCONNOR", "OBRIEN", "MACDONALD", "AHMED", "RAHMAN", "CHOWDHURY", "NGUYEN"};
    static final String[][] VARIANTS = {{"JOHN", "JON"}, {"JOHN", "JOHNNY"}, {"MUHAMMAD", "MOHAMMED"},
            {"MUHAMMAD", "MOHAMED"}, {"WILLIAM", "BILL"}, {"WILLIAM", "WILL"}, {"JAMES", "JIM"}, {"THOMAS", "TOM"},
            {"DANIEL", "DAN"}, {"SAMUEL", "SAM"}, {"MICHAEL", "MIKE"}, {"ROBERT", "BOB"}, {"RICHARD", "RICKY"},
            {"JOSEPH", "JOE"}, {"CHRISTOPHER", "CHRIS"}, {"MATTHEW", "MATT"}, {"ALEXANDER", "ALEX"},
            {"EDWARD", "EDDIE"}, {"HENRY", "HARRY"}, {"ELIZABETH", "LIZ"}, {"ELIZABETH", "BETH"}, {"SARAH", "SARA"},
            {"KATHERINE", "KATE"}, {"MARGARET", "MAGGIE"}, {"JENNIFER", "JENNY"}, {"VICTORIA", "VICKY"},
            {"REBECCA", "BECKY"}, {"ABIGAIL", "ABBIE"}, {"AISHA", "AYESHA"}, {"ZOE", "ZOEY"}, {"JESSICA", "JESS"},
            {"ISABELLE", "ISABEL"}, {"SOPHIE", "SOPHIA"}, {"ANTHONY", "TONY"}, {"YUSUF", "YOUSUF"}};
    static final String[] OUTWARD = {"SW1A", "EC1A", "W1A", "M1", "B33", "CR2", "DN55", "LS1", "NE1", "BS1", "CF10",
            "L1", "G1", "EH1", "S1", "NG1", "LE1", "CV1", "PL1", "EX1"};

    /** A synthetic person as the truth knows them. */
    record Person(int id, String forename, String middle, String surname, LocalDate dob, String sex, String postcode,
                  String nhs) {
    }

    /** One recorded row about a person: what a council wrote, and who it truly is. */
    record Row(int truth, IdentityRecord identity) {
    }

    private final Random random;
    final List<Person> people = new ArrayList<>();

    NoisyPopulation(long seed, int size) {
        this.random = new Random(seed);
        for (int i = 0; i < size; i++) {
            people.add(newPerson(i));
        }
        // Twins: same surname, date of birth and address, another forename and NHS number.
        for (int i = 0; i < size / 200; i++) {
            Person p = people.get(random.nextInt(size));
            String[] names = p.sex().equals("M") ? MALE : FEMALE;
            String forename;
            do {
                forename = names[random.nextInt(names.length)];
            } while (forename.equals(p.forename()));
            people.set(random.nextInt(size), new Person(0, forename, null, p.surname(), p.dob(), p.sex(), p.postcode(),
                    nhs()));
        }
        for (int i = 0; i < size; i++) {
            Person p = people.get(i);
            people.set(i, new Person(i, p.forename(), p.middle(), p.surname(), p.dob(), p.sex(), p.postcode(), p.nhs()));
        }
        // Different people who share a name and date of birth with someone (twins aside: another sex,
        // another NHS number, another address).
        for (int i = 0; i < size / 100; i++) {
            Person p = people.get(random.nextInt(people.size()));
            people.add(new Person(people.size(), p.forename(), null, p.surname(), p.dob(),
                    p.sex().equals("M") ? "F" : "M", postcode(), nhs()));
        }
    }

    private Person newPerson(int id) {
        String sex = random.nextBoolean() ? "M" : "F";
        String[] names = sex.equals("M") ? MALE : FEMALE;
        LocalDate dob = LocalDate.of(1950 + random.nextInt(70), 1, 1).plusDays(random.nextInt(365));
        return new Person(id, names[random.nextInt(names.length)],
                random.nextInt(3) == 0 ? names[random.nextInt(names.length)] : null,
                SURNAMES[random.nextInt(SURNAMES.length)], dob, sex, postcode(), random.nextInt(4) == 0 ? null : nhs());
    }

    String postcode() {
        return OUTWARD[random.nextInt(OUTWARD.length)] + " " + random.nextInt(10)
                + (char) ('A' + random.nextInt(20)) + (char) ('A' + random.nextInt(20));
    }

    String nhs() {
        while (true) {
            StringBuilder nine = new StringBuilder();
            for (int i = 0; i < 9; i++) {
                nine.append(random.nextInt(10));
            }
            int check = NhsNumber.checkDigit(nine.toString());
            if (check >= 0) {
                return nine.toString() + check;
            }
        }
    }

    /** The people as recorded without noise (a first batch). */
    List<Row> clean(List<Person> who) {
        return who.stream().map(p -> new Row(p.id(), identity(p.forename(), p.middle(), p.surname(), p.dob(), p.sex(),
                p.postcode(), p.nhs()))).toList();
    }

    /** The people recorded again, a {@code noiseShare} of them with one or two recording errors or life events. */
    List<Row> noisy(List<Person> who, double noiseShare) {
        List<Row> rows = new ArrayList<>();
        for (Person p : who) {
            String forename = p.forename();
            String middle = p.middle();
            String surname = p.surname();
            LocalDate dob = p.dob();
            String postcode = p.postcode();
            String nhs = p.nhs();
            int kinds = random.nextDouble() < noiseShare ? 1 + (random.nextInt(4) == 0 ? 1 : 0) : 0;
            for (int k = 0; k < kinds; k++) {
                switch (random.nextInt(10)) {
                    case 0 -> forename = typo(forename);
                    case 1 -> surname = typo(surname);
                    case 2 -> forename = variant(forename);
                    case 3 -> {
                        if (middle != null) {
                            forename = forename + " " + middle;
                            middle = null;
                        } else {
                            forename = typo(forename);
                        }
                    }
                    // Day and month swapped where both can be months, else the day mistyped.
                    case 4 -> dob = dob.getDayOfMonth() <= 12 && dob.getDayOfMonth() != dob.getMonthValue()
                            ? LocalDate.of(dob.getYear(), dob.getDayOfMonth(), dob.getMonthValue())
                            : dob.withDayOfMonth(dob.getDayOfMonth() == 1 ? 2 : dob.getDayOfMonth() - 1);
                    case 5 -> {
                        String t = forename;
                        forename = surname;
                        surname = t;
                    }
                    // A move; one in five moves of a woman comes with a married surname (these are families
                    // with children, re-recorded every six months: a surname change is a rare event).
                    case 6 -> {
                        if (p.sex().equals("F") && random.nextInt(5) == 0) {
                            surname = SURNAMES[random.nextInt(SURNAMES.length)];
                        }
                        postcode = postcode();
                    }
                    case 7 -> postcode = postcode();
                    case 8 -> nhs = null;
                    default -> surname = typo(surname);
                }
            }
            rows.add(new Row(p.id(), identity(forename, middle, surname, dob, p.sex(), postcode, nhs)));
        }
        return rows;
    }

    private String typo(String name) {
        if (name.length() < 3) {
            return name + "E";
        }
        int i = 1 + random.nextInt(name.length() - 1);
        return switch (random.nextInt(4)) {
            case 0 -> name.substring(0, i) + name.substring(i + 1);                                     // deletion
            case 1 -> name.substring(0, i) + (char) ('A' + random.nextInt(26)) + name.substring(i);     // insertion
            case 2 -> name.substring(0, i) + (char) ('A' + random.nextInt(26)) + name.substring(i + 1); // substitution
            default -> i < name.length() - 1
                    ? name.substring(0, i) + name.charAt(i + 1) + name.charAt(i) + name.substring(i + 2)  // transposition
                    : name.substring(0, i);
        };
    }

    private String variant(String forename) {
        List<String> options = new ArrayList<>();
        for (String[] v : VARIANTS) {
            if (v[0].equals(forename)) {
                options.add(v[1]);
            }
        }
        return options.isEmpty() ? typo(forename) : options.get(random.nextInt(options.size()));
    }

    private static IdentityRecord identity(String forename, String middle, String surname, LocalDate dob, String sex,
                                           String postcode, String nhs) {
        return new IdentityRecord(forename, middle, surname, dob.toString(), sex, null, null, null, postcode, null, nhs,
                null);
    }

    Random random() {
        return random;
    }
}
