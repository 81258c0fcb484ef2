package org.linkgate.cluster;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How replicas share the work ({@code linkgate.cluster.*}). Every drop-zone, returns location
 * and periodic job is consumed through Camel's {@code master:} endpoint, so at most one replica
 * runs it at a time; the {@link Mode} picks the cluster service that elects that replica.
 */
@Validated
@ConfigurationProperties("linkgate.cluster")
public record ClusterProperties(
        @NotNull @DefaultValue("none") Mode mode,
        /** This replica's name in leases; defaults to the host name (the pod name in Kubernetes) plus the process id. */
        String memberId,
        /** database, kubernetes: a leader not heard of for this long is replaced. */
        @NotNull @DefaultValue("15s") Duration leaseDuration,
        /** database, kubernetes: a leader that could not renew for this long stops its consumers (shorter than the lease). */
        @NotNull @DefaultValue("10s") Duration renewDeadline,
        /** database, kubernetes, file: how often leases are renewed or tried. */
        @NotNull @DefaultValue("2s") Duration retryPeriod,
        /** file: the shared directory holding the lock files; defaults to {@code <home>/cluster}. */
        Path fileRoot,
        @Valid @NotNull @DefaultValue Kubernetes kubernetes) {

    public enum Mode {
        /** One instance: every route is its own leader at once (no coordination). */
        NONE,
        /** Replicas sharing the database elect leaders on rows of {@code cluster_lease}. */
        DATABASE,
        /** Replicas sharing the gateway home elect leaders by file locks under {@link #fileRoot()}. */
        FILE,
        /** Pods elect leaders on coordination.k8s.io Leases (camel-kubernetes). */
        KUBERNETES
    }

    /** Settings of the Kubernetes Lease-based cluster service. */
    public record Kubernetes(
            /** The namespace holding the Leases; defaults to the pod's own (service account) namespace. */
            String namespace,
            /** Leases are named {@code <lease-prefix>-<route namespace>}. */
            @NotNull @DefaultValue("leader") String leasePrefix,
            /** {@code key=value}: the label that selects the gateway's pods (the cluster members). */
            @NotNull @DefaultValue("app.kubernetes.io/name=linkgate") String clusterLabel) {

        public Map<String, String> clusterLabels() {
            int eq = clusterLabel.indexOf('=');
            if (eq <= 0) {
                throw new IllegalStateException("linkgate.cluster.kubernetes.cluster-label must read key=value");
            }
            return Map.of(clusterLabel.substring(0, eq), clusterLabel.substring(eq + 1));
        }
    }

    public void check() {
        if (!renewDeadline.minus(leaseDuration).isNegative()) {
            throw new IllegalStateException("linkgate.cluster.renew-deadline (" + renewDeadline
                    + ") must be shorter than linkgate.cluster.lease-duration (" + leaseDuration + ")");
        }
        if (!retryPeriod.minus(renewDeadline).isNegative()) {
            throw new IllegalStateException("linkgate.cluster.retry-period (" + retryPeriod
                    + ") must be shorter than linkgate.cluster.renew-deadline (" + renewDeadline + ")");
        }
    }
}
