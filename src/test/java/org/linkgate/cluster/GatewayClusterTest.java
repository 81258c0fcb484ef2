package org.linkgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.store.TestDatabases;
import org.springframework.jdbc.core.JdbcTemplate;

/** The cluster service each mode gives, and the master: namespaces of routes. */
class GatewayClusterTest {

    @TempDir
    Path dir;

    GatewayCluster cluster(ClusterProperties.Mode mode, String memberId) {
        ClusterProperties settings = new ClusterProperties(mode, memberId, Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofSeconds(2), null, new ClusterProperties.Kubernetes("linkgate", "leader",
                "app.kubernetes.io/name=linkgate"));
        return new GatewayCluster(settings, new JdbcTemplate(TestDatabases.h2()), new GatewayHome(dir, dir.resolve("secrets")),
                Clock.systemUTC());
    }

    static CamelClusterService serviceOf(GatewayCluster cluster) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        cluster.beforeApplicationStart(camel);
        return camel.hasService(CamelClusterService.class);
    }

    @Test
    void namespacesAreLeaseNamesAndUrisAreWrappedInMaster() {
        assertThat(GatewayCluster.namespace("intake-e10000012")).isEqualTo("linkgate-intake-e10000012");
        assertThat(GatewayCluster.singleton("returns-dfe", "file:/x?noop=true"))
                .isEqualTo("master:linkgate-returns-dfe:file:/x?noop=true");
        assertThatThrownBy(() -> GatewayCluster.namespace("intake e1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayCluster.namespace("a:b")).isInstanceOf(IllegalArgumentException.class);
    }

    /** The master: endpoint hands every option of the real URI (regexes, RAW values, paths) to its delegate. */
    @Test
    void masterEndpointsKeepEveryOptionOfTheirDelegate() throws Exception {
        Path key = java.nio.file.Files.writeString(dir.resolve("dwp-key"), "not used");
        Path knownHosts = java.nio.file.Files.writeString(dir.resolve("known_hosts"), "not used");
        String remote = org.linkgate.transfer.RemoteSftpUris.returnsConsumer(new org.linkgate.agreement.Department.RemoteEndpoint(
                "sftp.dwp.example", 2022, "linkgate", key, knownHosts, "upload", "returns"),
                "DWP_[A-Z0-9]{2,16}_[0-9a-f]{32}\\.csv\\.(pgp|gpg|asc)", dir.resolve("work"), 1000);
        String local = "file:" + dir.resolve("returns") + "?noop=true&idempotent=false&exclude=RAW(.*\\.(part|tmp)$)"
                + "&readLock=changed&readLockMinAge=2000&delay=500&sortBy=file:modified";
        GatewayCluster cluster = cluster(ClusterProperties.Mode.NONE, "solo");
        CamelContext camel = new DefaultCamelContext();
        cluster.beforeApplicationStart(camel);
        camel.start();
        try {
            for (String uri : java.util.List.of(remote, local)) {
                org.apache.camel.Endpoint plain = camel.getEndpoint(uri);
                org.apache.camel.Endpoint wrapped = camel.getEndpoint(GatewayCluster.singleton("returns-dwp", uri));
                assertThat(wrapped).isInstanceOf(org.apache.camel.component.master.MasterEndpoint.class);
                org.apache.camel.Endpoint delegate = ((org.apache.camel.component.master.MasterEndpoint) wrapped).getEndpoint();
                assertThat(delegate.getEndpointUri()).isEqualTo(plain.getEndpointUri());
                assertThat(delegate).isSameAs(plain);
            }
        } finally {
            camel.stop();
        }
    }

    @Test
    void noneLeadsEveryNamespaceAtOnce() throws Exception {
        GatewayCluster cluster = cluster(ClusterProperties.Mode.NONE, "solo");
        CamelContext camel = new DefaultCamelContext();
        cluster.beforeApplicationStart(camel);
        camel.start();
        try {
            CamelClusterService service = camel.hasService(CamelClusterService.class);
            assertThat(service).isInstanceOf(SingleInstanceClusterService.class);
            assertThat(service.getView("linkgate-intake-e10000012").getLocalMember().isLeader()).isTrue();
            assertThat(cluster.leads("intake-e10000012")).isTrue();
            assertThat(cluster.leads()).containsExactly(new GatewayCluster.Lead("linkgate-intake-e10000012", "solo", true));
        } finally {
            camel.stop();
        }
    }

    @Test
    void kubernetesUsesLeasesNamedAfterThePod() throws Exception {
        CamelClusterService service = serviceOf(cluster(ClusterProperties.Mode.KUBERNETES, "linkgate-7d9f-abcde"));
        assertThat(service).isInstanceOf(KubernetesClusterService.class);
        KubernetesClusterService k8s = (KubernetesClusterService) service;
        assertThat(k8s.getLeaseResourceType()).isEqualTo(LeaseResourceType.Lease);
        assertThat(k8s.getPodName()).isEqualTo("linkgate-7d9f-abcde");
        assertThat(k8s.getKubernetesNamespace()).isEqualTo("linkgate");
        assertThat(k8s.getKubernetesResourceName()).isEqualTo("leader");
        assertThat(k8s.getClusterLabels()).containsEntry("app.kubernetes.io/name", "linkgate");
        assertThat(k8s.getLeaseDurationMillis()).isEqualTo(15_000);
        assertThat(k8s.getRenewDeadlineMillis()).isEqualTo(10_000);
        assertThat(k8s.getRetryPeriodMillis()).isEqualTo(2_000);
    }

    @Test
    void fileLocksLiveUnderTheSharedHome() throws Exception {
        CamelClusterService service = serviceOf(cluster(ClusterProperties.Mode.FILE, "a"));
        assertThat(service).isInstanceOf(FileLockClusterService.class);
        assertThat(((FileLockClusterService) service).getRoot()).isEqualTo(dir.resolve("cluster").toString());
    }

    @Test
    void databaseModeUsesTheLeaseTable() throws Exception {
        assertThat(serviceOf(cluster(ClusterProperties.Mode.DATABASE, "a"))).isInstanceOf(DatabaseLeaseClusterService.class);
    }

    @Test
    void aRenewDeadlineNotShorterThanTheLeaseIsRefused() {
        ClusterProperties bad = new ClusterProperties(ClusterProperties.Mode.DATABASE, null, Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(1), null, new ClusterProperties.Kubernetes(null, "leader",
                "app.kubernetes.io/name=linkgate"));
        assertThatThrownBy(bad::check).hasMessageContaining("renew-deadline");
    }
}
