package org.linkgate.ops;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Fail-closed HTTP: only {@code /actuator/health} is open; everything else needs an
 * authenticated user. Until operator accounts are configured there are none, so nothing
 * else is reachable (no generated default password is ever printed).
 */
@Configuration(proxyBeanMethods = false)
public class HttpSecurityConfiguration {

    @Bean
    public SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults());
        return http.build();
    }

    @Bean
    public UserDetailsService noUsersYet() {
        return username -> {
            throw new UsernameNotFoundException("no such user");
        };
    }
}
