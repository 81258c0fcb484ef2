package org.linkgate.intake;

import org.linkgate.inbound.InboundLifecycle;
import org.linkgate.inbound.InboundLifecycles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The council side's lifecycle, as the intake route template refers to it ({@code councilInbound}). */
@Configuration(proxyBeanMethods = false)
public class IntakeConfiguration {

    @Bean
    public InboundLifecycle councilInbound(InboundLifecycles lifecycles, CouncilBatches side) {
        return lifecycles.forSide(side);
    }
}
