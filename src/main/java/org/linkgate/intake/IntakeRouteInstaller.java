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
 * Creates the two routes of each configured council from the templates in
 * {@code routes/templates/intake.camel.yaml}: {@code dropzone-<gss>} takes uploads into custody,
 * {@code intake-<gss>} takes each file in custody to its end.
 */
@Component
public class IntakeRouteInstaller implements CamelContextConfiguration {

    public static final String TEMPLATE_ID = "council-intake";
    public static final String DROPZONE_TEMPLATE_ID = "council-dropzone";
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

    /** Adds (and starts) the routes of one council, unless they exist. */
    public void install(CamelContext camelContext, Council council) {
        GatewayHome.ensureDirectory(home.inbound(council.code()));
        GatewayHome.ensureDirectory(home.outbound(council.code()));
        String dropzone = dropzoneRouteId(council);
        if (camelContext.getRoute(dropzone) == null) {
            TemplatedRouteBuilder.builder(camelContext, DROPZONE_TEMPLATE_ID)
                    .routeId(dropzone)
                    .prefixId(dropzone + "-")
                    .parameter("councilCode", council.code())
                    .parameter("clusterNamespace", GatewayCluster.namespace(dropzone))
                    .parameter("inboundDir", home.inbound(council.code()).toString())
                    .parameter("pollDelayMs", String.valueOf(settings.pollInterval().toMillis()))
                    .parameter("stableForMs", String.valueOf(settings.stableFor().toMillis()))
                    .add();
        }
        String intake = routeId(council);
        if (camelContext.getRoute(intake) == null) {
            TemplatedRouteBuilder.builder(camelContext, TEMPLATE_ID)
                    .routeId(intake)
                    .prefixId(intake + "-")
                    .parameter("councilCode", council.code())
                    .parameter("clusterNamespace", GatewayCluster.namespace(intake))
                    .parameter("custodyDir", GatewayHome.ensureDirectory(home.inboundCustody(council.code())).toString())
                    .parameter("pollDelayMs", String.valueOf(settings.pollInterval().toMillis()))
                    .add();
        }
    }

    public static String routeId(Council council) {
        return "intake-" + council.account();
    }

    public static String dropzoneRouteId(Council council) {
        return "dropzone-" + council.account();
    }
}
