package org.linkgate.cluster;

import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/ops/cluster} (OPERATOR, ADMIN): the cluster mode, this replica's member id and,
 * per drop-zone, returns location and job ({@code linkgate-<route>}), which replica leads it as
 * this replica sees it. Ask any replica; the HTTP Service may answer from any of them.
 */
@RestController
public class ClusterApi {

    private final GatewayCluster cluster;

    public ClusterApi(GatewayCluster cluster) {
        this.cluster = cluster;
    }

    public record ClusterStatus(String mode, String member, List<GatewayCluster.Lead> namespaces) {
    }

    @GetMapping("/api/ops/cluster")
    public ClusterStatus status() {
        return new ClusterStatus(cluster.mode().name().toLowerCase(Locale.ROOT), cluster.memberId(),
                cluster.leads());
    }
}
