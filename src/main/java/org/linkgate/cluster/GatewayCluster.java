package org.linkgate.cluster;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.linkgate.kernel.GatewayHome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The gateway's cluster service, chosen by {@code linkgate.cluster.mode}, added to Camel before
 * any route starts. Every consumer that must run on one replica at a time is wired as
 * {@code master:linkgate-<what>:<uri>} ({@link #singleton}); in mode {@code none} this instance
 * leads every namespace at once.
 */
@Component
public class GatewayCluster implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayCluster.class);
    /** Namespaces of the {@code master:} endpoints start with this (Kubernetes Lease names too). */
    public static final String NAMESPACE_PREFIX = "linkgate-";
    private final ClusterProperties settings;
    private final String memberId;
    private final CamelClusterService service;

    public GatewayCluster(ClusterProperties settings, JdbcTemplate jdbc, GatewayHome home, Clock clock) {
        settings.check();
        this.settings = settings;
        this.memberId = settings.memberId() != null && !settings.memberId().isBlank()
                ? settings.memberId() : defaultMemberId(settings.mode());
        this.service = switch (settings.mode()) {
            case NONE -> new SingleInstanceClusterService(memberId);
            case DATABASE -> new DatabaseLeaseClusterService(jdbc, memberId, settings.leaseDuration(),
                    settings.renewDeadline(), settings.retryPeriod(), clock);
            case FILE -> fileLocks(settings.fileRoot() != null ? settings.fileRoot() : home.root().resolve("cluster"));
            case KUBERNETES -> kubernetes();
        };
    }

    /** The {@code master:} form of a consumer URI: consumed by one replica at a time. */
    public static String singleton(String name, String uri) {
        return "master:" + namespace(name) + ":" + uri;
    }

    /** The cluster namespace (and Kubernetes Lease suffix) of a route or job. */
    public static String namespace(String name) {
        String namespace = NAMESPACE_PREFIX + name.toLowerCase(Locale.ROOT);
        if (!namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || namespace.length() > 200) {
            throw new IllegalArgumentException("not a usable cluster namespace: " + namespace);
        }
        return namespace;
    }

    public ClusterProperties.Mode mode() {
        return settings.mode();
    }

    public String memberId() {
        return memberId;
    }

    /** Whether this replica currently leads the namespace of {@code name} (false before its consumer starts). */
    public boolean leads(String name) {
        return service.isLeader(namespace(name));
    }

    /** One namespace as this replica sees it. */
    public record Lead(String namespace, String leader, boolean local) {
    }

    /** Every namespace this replica takes part in, with its current leader (null: none known). */
    public List<Lead> leads() {
        List<Lead> leads = new ArrayList<>();
        for (String namespace : new TreeSet<>(service.getNamespaces())) {
            try {
                CamelClusterView view = service.getView(namespace);
                try {
                    Optional<CamelClusterMember> leader = view.getLeader();
                    leads.add(new Lead(namespace, leader.map(CamelClusterMember::getId).orElse(null),
                            leader.map(CamelClusterMember::isLocal).orElse(false)));
                } finally {
                    service.releaseView(view);
                }
            } catch (Exception e) {
                leads.add(new Lead(namespace, null, false));
            }
        }
        return leads;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        try {
            camelContext.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the cluster service (" + settings.mode() + ")", e);
        }
        LOG.info("cluster: mode {}, member {}", settings.mode().name().toLowerCase(Locale.ROOT), memberId);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
    }

    private FileLockClusterService fileLocks(Path root) {
        GatewayHome.ensureDirectory(root);
        FileLockClusterService locks = new FileLockClusterService();
        locks.setId("linkgate-file-lock");
        locks.setRoot(root.toString());
        locks.setAcquireLockDelay(Math.min(1000, settings.retryPeriod().toMillis()), TimeUnit.MILLISECONDS);
        locks.setAcquireLockInterval(settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
        return locks;
    }

    private KubernetesClusterService kubernetes() {
        KubernetesClusterService k8s = new KubernetesClusterService();
        k8s.setId("linkgate-kubernetes");
        k8s.setLeaseResourceType(LeaseResourceType.Lease);
        k8s.setKubernetesResourceName(settings.kubernetes().leasePrefix());
        if (settings.kubernetes().namespace() != null && !settings.kubernetes().namespace().isBlank()) {
            k8s.setKubernetesNamespace(settings.kubernetes().namespace());
        }
        k8s.setPodName(memberId);
        k8s.setClusterLabels(settings.kubernetes().clusterLabels());
        k8s.setLeaseDurationMillis(settings.leaseDuration().toMillis());
        k8s.setRenewDeadlineMillis(settings.renewDeadline().toMillis());
        k8s.setRetryPeriodMillis(settings.retryPeriod().toMillis());
        return k8s;
    }

    private static String defaultMemberId(ClusterProperties.Mode mode) {
        String host = System.getenv("HOSTNAME");
        if (mode == ClusterProperties.Mode.KUBERNETES && host != null && !host.isBlank()) {
            return host; // the pod name: the Kubernetes cluster service finds itself among the pods by it
        }
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "linkgate";
            }
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
