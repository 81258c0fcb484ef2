package org.linkgate.returns;

import org.linkgate.inbound.InboundLifecycle;
import org.linkgate.inbound.InboundLifecycles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The department side's lifecycle, as the returns route template refers to it ({@code returnInbound}). */
@Configuration(proxyBeanMethods = false)
public class ReturnsConfiguration {

    @Bean
    public InboundLifecycle returnInbound(InboundLifecycles lifecycles, DepartmentReturns side) {
        return lifecycles.forSide(side);
    }
}
