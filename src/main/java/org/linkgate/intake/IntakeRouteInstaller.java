package org.linkgate.intake;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.linkgate.agreement.Council;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.cluster.GatewayCluster;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.LinkgateProperties;
import org.springframework.stereotype.Component;

/**
 * Creates one intake route per configured council from the {@code council-intake} template in
 * {@code routes/templates/intake.camel.yaml}; route ids read {@code intake-<gss>}.
 */
@Component
public class IntakeRouteInstaller implements CamelContextConfiguration {

    public static final String TEMPLATE_ID = "council-intake";
    private final PartnerRegistry registry;
    private final GatewayHome home;
    private final LinkgateProperties.Intake settings;

    public IntakeRouteInstaller(PartnerRegistry registry, GatewayHome home, LinkgateProperties properties) {
        this.registry = registry;
        this.home = home;
        this.settings = properties.intake();
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        registry.councils().forEach(council -> install(camelContext, council));
    }

    /** Adds (and starts) the intake route of one council, unless it exists. */
    public void install(CamelContext camelContext, Council council) {
        String routeId = routeId(council);
        if (camelContext.getRoute(routeId) != null) {
            return;
        }
        GatewayHome.ensureDirectory(home.inbound(council.code()));
        GatewayHome.ensureDirectory(home.outbound(council.code()));
        TemplatedRouteBuilder.builder(camelContext, TEMPLATE_ID)
                .routeId(routeId)
                .parameter("councilCode", council.code())
                .parameter("clusterNamespace", GatewayCluster.namespace(routeId))
                .parameter("inboundDir", home.inbound(council.code()).toString())
                .parameter("pollDelayMs", String.valueOf(settings.pollInterval().toMillis()))
                .parameter("stableForMs", String.valueOf(settings.stableFor().toMillis()))
                .add();
    }

    public static String routeId(Council council) {
        return "intake-" + council.account();
    }
}
