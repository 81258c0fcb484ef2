package org.linkgate.ops;

import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;

/**
 * Fail-closed HTTP (cl. 12.3): only {@code /actuator/health} is open; every other request needs
 * a user from {@code <home>/config/users.properties} ({@code name = {bcrypt}hash,ROLE_...}; hashes
 * only, never clear text) with the role the path requires. No users configured means nobody
 * gets in, and no default password is ever generated.
 */
@Configuration(proxyBeanMethods = false)
public class HttpSecurityConfiguration {

    public static final String USERS_FILE = "users.properties";
    private static final Logger LOG = LoggerFactory.getLogger(HttpSecurityConfiguration.class);

    @Bean
    public SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        // The container's error page for a refusal already decided (e.g. a missing
                        // CSRF token: 403), so it is not turned into a second, misleading 401.
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/linked/**", "/api/linkage/**").hasRole(Roles.ANALYST)
                        .requestMatchers("/actuator/prometheus").hasAnyRole(Roles.OPERATOR, Roles.ADMIN)
                        .requestMatchers("/api/ops/**").hasAnyRole(Roles.OPERATOR, Roles.ADMIN)
                        // The status page: one self-contained HTML document, no other assets.
                        .requestMatchers(HttpMethod.GET, "/status").hasAnyRole(Roles.OPERATOR, Roles.ADMIN)
                        .requestMatchers("/api/audit/**").hasRole(Roles.AUDITOR)
                        // Retention (cl. 12.7-12.11): preview and certificates for auditors and admins;
                        // only an admin destroys on demand.
                        .requestMatchers(HttpMethod.GET, "/api/retention/due", "/api/retention/certificates",
                                "/api/retention/certificates/**").hasAnyRole(Roles.AUDITOR, Roles.ADMIN)
                        .requestMatchers(HttpMethod.POST, "/api/retention/destructions").hasRole(Roles.ADMIN)
                        .requestMatchers(HttpMethod.GET, "/api/csrf").authenticated()
                        .anyRequest().denyAll())
                // CSRF stays on for every state-changing request (browsers resend Basic credentials
                // and session cookies by themselves). The token travels in the XSRF-TOKEN cookie,
                // readable by the gateway's own pages and Hawtio, and must come back in the
                // X-XSRF-TOKEN header; API clients fetch it from GET /api/csrf.
                .csrf(csrf -> csrf
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler()))
                .httpBasic(Customizer.withDefaults());
        return http.build();
    }

    @Bean
    public PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    public InMemoryUserDetailsManager users(GatewayHome home) {
        Path file = home.root().resolve("config").resolve(USERS_FILE);
        Properties users = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                users.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        for (String name : users.stringPropertyNames()) {
            String password = users.getProperty(name).split(",", 2)[0].strip();
            if (!password.startsWith("{bcrypt}") && !password.startsWith("{argon2}") && !password.startsWith("{pbkdf2}")) {
                throw new IllegalStateException(file + ": user '" + name + "' must have a password hash ({bcrypt}...), never clear text");
            }
        }
        LOG.info("HTTP users: {} configured in {}", users.size(), file);
        return new InMemoryUserDetailsManager(users);
    }

    /** The roles of the HTTP surface (without the ROLE_ prefix). */
    public static final class Roles {
        public static final String OPERATOR = "OPERATOR";
        public static final String ANALYST = "ANALYST";
        public static final String AUDITOR = "AUDITOR";
        public static final String ADMIN = "ADMIN";

        private Roles() {
        }
    }
}
