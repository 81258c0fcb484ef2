package org.linkgate.fanout;

import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.cluster.GatewayCluster;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.transfer.PartnerEndpointWatch;
import org.linkgate.transfer.RemoteSftpUris;
import org.springframework.stereotype.Component;

/**
 * Creates, per configured department, route {@code fanout-<dept>} from template
 * {@code department-fanout}, route {@code collect-<dept>} (template {@code department-collect}) that
 * takes returns into custody from the embedded server's returns folder or from the department's own
 * SFTP server, and route {@code returns-<dept>} (template {@code department-returns}) that takes
 * each return in custody to its end.
 */
@Component
public class DepartmentRouteInstaller implements CamelContextConfiguration {

    private final PartnerRegistry registry;
    private final GatewayHome home;
    private final LinkgateProperties.Departments settings;
    private final PartnerEndpointWatch endpointWatch;

    public DepartmentRouteInstaller(PartnerRegistry registry, GatewayHome home, LinkgateProperties properties,
            PartnerEndpointWatch endpointWatch) {
        this.registry = registry;
        this.home = home;
        this.settings = properties.departments();
        this.endpointWatch = endpointWatch;
    }

    /**
     * Before the context starts (the YAML templates are loaded by then), so the supervising route
     * controller starts these routes: one whose consumer cannot start (a department's server down
     * or refusing) is retried in the background with back-off instead of failing the gateway's
     * start. A route added to a running context would be started outside its supervision.
     */
    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        registry.departments().forEach(department -> install(camelContext, department));
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
    }

    public void install(CamelContext camelContext, Department department) {
        String account = department.account();
        if (camelContext.getRoute("fanout-" + account) == null) {
            TemplatedRouteBuilder.builder(camelContext, "department-fanout")
                    .routeId("fanout-" + account)
                    .prefixId("fanout-" + account + "-")
                    .parameter("departmentCode", department.code())
                    .parameter("clusterNamespace", GatewayCluster.namespace("fanout-" + account))
                    .parameter("timerName", "fanout-" + account)
                    .parameter("pollDelayMs", String.valueOf(settings.pollInterval().toMillis()))
                    .add();
        }
        if (camelContext.getRoute("collect-" + account) == null) {
            TemplatedRouteBuilder.builder(camelContext, "department-collect")
                    .routeId("collect-" + account)
                    .prefixId("collect-" + account + "-")
                    .parameter("departmentCode", department.code())
                    .parameter("fromUri", GatewayCluster.singleton("collect-" + account, returnsUri(camelContext, department)))
                    .add();
        }
        if (camelContext.getRoute("returns-" + account) == null) {
            TemplatedRouteBuilder.builder(camelContext, "department-returns")
                    .routeId("returns-" + account)
                    .prefixId("returns-" + account + "-")
                    .parameter("departmentCode", department.code())
                    .parameter("clusterNamespace", GatewayCluster.namespace("returns-" + account))
                    .parameter("custodyDir", GatewayHome.ensureDirectory(home.inboundCustody(department.code())).toString())
                    .parameter("pollDelayMs", String.valueOf(settings.pollInterval().toMillis()))
                    .add();
        }
    }

    /** Only names of this department's returns are taken (CONTRACT), checked before any other use. */
    static String returnNamePattern(Department department) {
        return department.code() + "_[A-Z0-9]{2,16}_[0-9a-f]{32}\\.csv\\.(pgp|gpg|asc)";
    }

    private String returnsUri(CamelContext camelContext, Department department) {
        long poll = settings.pollInterval().toMillis();
        if (department.endpoint() instanceof Department.RemoteEndpoint remote) {
            Path work = GatewayHome.ensureDirectory(home.root().resolve("work/returns").resolve(department.account()));
            // Remote servers are polled no more than once a second, whatever the local poll interval.
            // Each poll's outcome is counted for the endpoint watch (the poller itself sits behind
            // the master: consumer, out of reach).
            String strategy = "partnerPollStrategy-" + department.account();
            camelContext.getRegistry().bind(strategy, endpointWatch.pollStrategy(department));
            return RemoteSftpUris.returnsConsumer(remote, returnNamePattern(department), work, Math.max(poll, 1000))
                    + "&pollStrategy=#" + strategy;
        }
        Path returns = GatewayHome.ensureDirectory(home.sftpHome(department.account()).resolve("returns"));
        GatewayHome.ensureDirectory(home.sftpHome(department.account()).resolve("upload"));
        return "file:" + returns + "?noop=true&idempotent=false&autoCreate=true&includeHiddenFiles=false"
                + "&exclude=RAW(.*\\.(part|tmp)$)&readLock=changed&readLockCheckInterval=500"
                + "&readLockMinAge=" + settings.stableFor().toMillis() + "&readLockTimeout=60000&readLockMinLength=0"
                + "&readLockMarkerFile=false&delay=" + poll + "&sortBy=file:modified";
    }
}
