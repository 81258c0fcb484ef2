package org.linkgate.disclosure;

import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.kernel.Roles;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Disclosure-controlled outputs over HTTP. Analysts ask for a table by measure, breakdowns and
 * filter; it is built, protected and checked at once and released only when a second person
 * (an ADMIN, the designated checker role, never the requester) approves it. Figures are shown
 * only to the checker while pending and to the requester, approver and ADMINs once released. Standard feedback packs go to a council
 * on request. Roles are enforced in {@code HttpSecurityConfiguration}; every request is audited
 * by {@link ApiAccessAudit} and every step by the services.
 */
@RestController
@RequestMapping("/api/disclosure")
public class DisclosureApi {

    private final TableRequests requests;
    private final FeedbackPacks packs;
    private final PartnerRegistry registry;

    public DisclosureApi(TableRequests requests, FeedbackPacks packs, PartnerRegistry registry) {
        this.requests = requests;
        this.packs = packs;
        this.registry = registry;
    }

    /** What may be asked for: the measure catalogue, the breakdowns and the filters. */
    @GetMapping("/catalogue")
    public Map<String, Object> catalogue() {
        Map<String, Object> catalogue = new LinkedHashMap<>();
        List<Map<String, Object>> measures = new ArrayList<>();
        for (Measure m : Measure.values()) {
            measures.add(Map.of("measure", m.key(), "title", m.title(), "department", m.department(), "dataset", m.dataset()));
        }
        List<Map<String, Object>> breakdowns = new ArrayList<>();
        for (Breakdown b : Breakdown.values()) {
            breakdowns.add(Map.of("breakdown", b.key(), "title", b.title(), "categories", b.categories()));
        }
        catalogue.put("measures", measures);
        catalogue.put("breakdowns", breakdowns);
        catalogue.put("maxBreakdowns", TableSpec.MAX_BREAKDOWNS);
        catalogue.put("filters", "period (YYYY-MM) or any breakdown with one of its categories");
        return catalogue;
    }

    /** Asks for a table: stored with its check result, awaiting a second person's approval. */
    @PostMapping("/tables")
    public ResponseEntity<Map<String, Object>> request(@RequestBody TableRequestBody body, Principal user) {
        String id = requests.request(spec(body), body.purpose(), user.getName());
        return ResponseEntity.status(HttpStatus.CREATED).body(requests.find(id).orElseThrow().viewFor(user.getName(), checker(user)));
    }

    @GetMapping("/tables")
    public List<Map<String, Object>> list(@RequestParam(required = false) String status) {
        return requests.list(status);
    }

    /** The request; figures only to the requester/approver/ADMINs once released, or to an ADMIN checker while pending. */
    @GetMapping("/tables/{id}")
    public ResponseEntity<Map<String, Object>> get(@PathVariable String id, Principal user) {
        return requests.find(id).map(s -> ResponseEntity.ok(s.viewFor(user.getName(), checker(user))))
                .orElse(ResponseEntity.notFound().build());
    }

    @PostMapping("/tables/{id}/approve")
    public Map<String, Object> approve(@PathVariable String id, Principal user) {
        requests.approve(id, user.getName());
        return requests.find(id).orElseThrow().viewFor(user.getName(), checker(user));
    }

    @PostMapping("/tables/{id}/reject")
    public Map<String, Object> reject(@PathVariable String id, @RequestBody(required = false) Map<String, String> body,
                                      Principal user) {
        requests.reject(id, user.getName(), body == null ? null : body.get("reason"));
        return requests.find(id).orElseThrow().viewFor(user.getName(), checker(user));
    }

    /** Sends a council its standard feedback pack now (pre-approved table definitions: no second person). */
    @PostMapping("/feedback/{council}")
    public ResponseEntity<FeedbackPacks.Release> feedback(@PathVariable String council,
                                                          @RequestParam(required = false) String period, Principal user) {
        if (period != null) {
            TableSpec.Scope.of(null, period);
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(packs.send(council, period, user.getName(), FeedbackPacks.Trigger.REQUEST));
    }

    /** Whether the caller holds the checker role (ADMIN) that reviews and decides on tables. */
    private static boolean checker(Principal user) {
        return user instanceof Authentication auth && auth.getAuthorities().stream()
                .anyMatch(a -> ("ROLE_" + Roles.ADMIN).equals(a.getAuthority()));
    }

    private TableSpec spec(TableRequestBody body) {
        Measure measure = Measure.byKey(body.measure()).orElseThrow(() -> new IllegalArgumentException(
                "unknown measure; see GET /api/disclosure/catalogue"));
        List<Breakdown> breakdowns = new ArrayList<>();
        for (String key : body.breakdowns() == null ? List.<String>of() : body.breakdowns()) {
            breakdowns.add(Breakdown.byKey(key).orElseThrow(() -> new IllegalArgumentException(
                    "unknown breakdown; see GET /api/disclosure/catalogue")));
        }
        String period = body.period();
        Map<Breakdown, String> filter = new LinkedHashMap<>();
        if (body.filter() != null) {
            for (Map.Entry<String, String> entry : body.filter().entrySet()) {
                if ("period".equals(entry.getKey())) {
                    period = entry.getValue();
                } else {
                    filter.put(Breakdown.byKey(entry.getKey()).orElseThrow(() -> new IllegalArgumentException(
                            "unknown filter; see GET /api/disclosure/catalogue")), entry.getValue());
                }
            }
        }
        if (body.council() != null && registry.council(body.council()).isEmpty()) {
            throw new IllegalArgumentException("unknown council");
        }
        return new TableSpec(new TableSpec.Scope(body.council(), period, filter), measure, breakdowns);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    /** A purpose that is not the agreement's: refused with the reason and the purposes that may be named. */
    @ExceptionHandler(TableRequests.PurposeRefusedException.class)
    ResponseEntity<Map<String, String>> purposeRefused(TableRequests.PurposeRefusedException e) {
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_ENTITY).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(TableRequests.TwoPersonRuleException.class)
    ResponseEntity<Map<String, String>> twoPersonRule(TableRequests.TwoPersonRuleException e) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(TableRequests.StaleCheckException.class)
    ResponseEntity<Map<String, String>> stale(TableRequests.StaleCheckException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(TableRequests.NotPendingException.class)
    ResponseEntity<Map<String, String>> conflict(TableRequests.NotPendingException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "the request is not awaiting approval"));
    }

    /**
     * A table request: measure, up to two breakdowns, filters (period or breakdown = category), council (optional),
     * and the purpose it serves, one of the agreement's purposes (required, cl. 6.1).
     */
    public record TableRequestBody(String measure, List<String> breakdowns, Map<String, String> filter, String council,
                                   String period, String purpose) {
    }
}
