package org.linkgate.demo;

import org.linkgate.kernel.GatewayHomePreparer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The demo plugs itself in: with {@code linkgate.bootstrap-demo=true}, an empty gateway home is
 * filled with generated keys, a demo council and demo departments before anything reads it.
 * Nothing else in the gateway knows the demo exists.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "linkgate", name = "bootstrap-demo", havingValue = "true")
public class DemoConfiguration {

    @Bean
    public GatewayHomePreparer demoHomePreparer() {
        return DemoBootstrap::prepare;
    }
}
