package org.linkgate.ops;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.Roles;
import org.linkgate.kernel.SecretFiles;
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
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Fail-closed HTTP (cl. 12.3): only {@code /actuator/health} is open; every other request needs
 * a user from {@code <home>/config/users.properties} ({@code name = {bcrypt}hash,ROLE_...}; hashes
 * only, never clear text, the file owner-only) with the role the path requires. No users configured
 * means nobody gets in, and no default password is ever generated.
 *
 * <p>Hawtio ({@code /actuator/hawtio}) and its Jolokia ({@code /actuator/jolokia}, restricted
 * further by {@code jolokia-access.xml}) are for operators and admins. A browser opening Hawtio
 * is sent to the login form and works on a session; API clients keep using Basic and get 401.
 */
@Configuration(proxyBeanMethods = false)
public class HttpSecurityConfiguration {

    public static final String USERS_FILE = "users.properties";
    private static final Logger LOG = LoggerFactory.getLogger(HttpSecurityConfiguration.class);

    @Bean
    public SecurityFilterChain securityFilterChain(HttpSecurity http, HttpSecurityProperties settings,
                                                   HttpLoginThrottle throttle) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        // The container's error page for a refusal already decided (e.g. a missing
                        // CSRF token: 403), so it is not turned into a second, misleading 401.
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        // Grey-zone pairs (pseudo ids and agreement patterns only) for an analyst or admin to review.
                        .requestMatchers(HttpMethod.GET, "/api/linkage/review").hasAnyRole(Roles.ANALYST, Roles.ADMIN)
                        // Deciding a pair changes who is one person in the linked data the analysts study: a
                        // decision, like an approval, for an ADMIN only, never the analyst whose results it moves.
                        .requestMatchers(HttpMethod.POST, "/api/linkage/review/*/accept", "/api/linkage/review/*/reject",
                                "/api/linkage/review/*/undo")
                                .hasRole(Roles.ADMIN)
                        // Automatic merges, and undoing one: who is one person, decided again, so an ADMIN's.
                        .requestMatchers(HttpMethod.GET, "/api/linkage/merges").hasRole(Roles.ADMIN)
                        .requestMatchers(HttpMethod.POST, "/api/linkage/merges/*/undo").hasRole(Roles.ADMIN)
                        .requestMatchers(HttpMethod.GET, "/api/linked/**", "/api/linkage/**").hasRole(Roles.ANALYST)
                        // Disclosure outputs: analysts ask; a second person, an admin, approves.
                        .requestMatchers(HttpMethod.POST, "/api/disclosure/tables").hasRole(Roles.ANALYST)
                        // the second person of the two-person rule (who sees a pending table's figures) is an ADMIN
                        .requestMatchers(HttpMethod.POST, "/api/disclosure/tables/*/approve", "/api/disclosure/tables/*/reject")
                        .hasRole(Roles.ADMIN)
                        // a pack on request may repeat a period already sent (differencing risk): ADMIN only, audited
                        .requestMatchers(HttpMethod.POST, "/api/disclosure/feedback/*").hasRole(Roles.ADMIN)
                        .requestMatchers(HttpMethod.GET, "/api/disclosure/**").hasAnyRole(Roles.ANALYST, Roles.ADMIN)
                        .requestMatchers("/actuator/prometheus").hasAnyRole(Roles.OPERATOR, Roles.ADMIN)
                        // Hawtio's proxy to other JVMs stays shut even if re-enabled by mistake.
                        .requestMatchers("/actuator/hawtio/proxy", "/actuator/hawtio/proxy/**").denyAll()
                        // Jolokia is POST only (its policy says so too). Refusing GET here with a 403
                        // also tells Hawtio's start-up probe (a GET) that an agent is there.
                        .requestMatchers(HttpMethod.GET, "/actuator/jolokia", "/actuator/jolokia/**",
                                "/actuator/hawtio/jolokia", "/actuator/hawtio/jolokia/**").denyAll()
                        .requestMatchers("/actuator/hawtio", "/actuator/hawtio/**", "/actuator/jolokia", "/actuator/jolokia/**")
                                .hasAnyRole(Roles.OPERATOR, Roles.ADMIN)
                        .requestMatchers("/api/ops/**").hasAnyRole(Roles.OPERATOR, Roles.ADMIN)
                        // The status page: one self-contained HTML document, no other assets.
                        .requestMatchers(HttpMethod.GET, "/status").hasAnyRole(Roles.OPERATOR, Roles.ADMIN)
                        .requestMatchers("/api/audit/**").hasRole(Roles.AUDITOR)
                        // Retention (cl. 12.7-12.11): preview and certificates for auditors and admins;
                        // only an admin destroys on demand.
                        .requestMatchers(HttpMethod.GET, "/api/retention/due", "/api/retention/certificates",
                                "/api/retention/certificates/**").hasAnyRole(Roles.AUDITOR, Roles.ADMIN)
                        .requestMatchers(HttpMethod.POST, "/api/retention/destructions").hasRole(Roles.ADMIN)
                        // Longitudinal study (cl. 4.11): only an admin extends a department's linked-data retention.
                        .requestMatchers(HttpMethod.POST, "/api/retention/extensions").hasRole(Roles.ADMIN)
                        .requestMatchers(HttpMethod.GET, "/api/retention/extensions").hasAnyRole(Roles.AUDITOR, Roles.ADMIN)
                        // Releases of linked data to the sponsor: analysts ask, a different admin approves.
                        .requestMatchers(HttpMethod.POST, "/api/releases").hasRole(Roles.ANALYST)
                        .requestMatchers(HttpMethod.POST, "/api/releases/*/approve", "/api/releases/*/reject")
                                .hasRole(Roles.ADMIN)
                        .requestMatchers(HttpMethod.GET, "/api/releases", "/api/releases/*")
                                .hasAnyRole(Roles.ANALYST, Roles.ADMIN)
                        // Subject access (cl. 9): an admin looks a person up; the lookup is audited.
                        .requestMatchers(HttpMethod.POST, "/api/subject-access").hasRole(Roles.ADMIN)
                        // The agreement while the gateway runs (cl. 13.2 termination, reload): ADMIN only.
                        .requestMatchers(HttpMethod.POST, "/api/admin/terminate", "/api/admin/reload").hasRole(Roles.ADMIN)
                        .requestMatchers(HttpMethod.GET, "/api/admin/terminations").hasAnyRole(Roles.ADMIN, Roles.AUDITOR)
                        .requestMatchers(HttpMethod.GET, "/api/csrf").authenticated()
                        .anyRequest().denyAll())
                // CSRF stays on for every state-changing request (browsers resend Basic credentials
                // and session cookies by themselves). The token travels in the XSRF-TOKEN cookie,
                // readable by the gateway's own pages and Hawtio, and must come back in the
                // X-XSRF-TOKEN header; API clients fetch it from GET /api/csrf.
                .csrf(csrf -> csrf
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler()))
                .httpBasic(Customizer.withDefaults())
                // Browsers opening Hawtio get Spring's login form (POST /login, CSRF-protected) and
                // a session; every other client, and every other path, is answered 401 with a
                // Basic challenge as before.
                .formLogin(form -> form.defaultSuccessUrl(HAWTIO + "/", false))
                // Registered before formLogin's and httpBasic's own (those are added at build time),
                // so they decide; a custom entry point would also switch off the default login page.
                .exceptionHandling(errors -> errors
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
                                HttpSecurityConfiguration::isBrowserOpeningHawtio)
                        .defaultAuthenticationEntryPointFor(basicEntryPoint(), AnyRequestMatcher.INSTANCE))
                // A throttled account or address is refused before its password is even checked.
                .addFilterBefore(throttle.filter(), UsernamePasswordAuthenticationFilter.class)
                .addFilterAfter(new HawtioCsrfCookie(), AuthorizationFilter.class)
                // Once the user is let in and before Jolokia runs: origin, size, and which routes may be controlled.
                .addFilterAfter(new JolokiaRequestGuard(settings), AuthorizationFilter.class);
        return http.build();
    }

    static final String HAWTIO = "/actuator/hawtio";

    private static AuthenticationEntryPoint basicEntryPoint() {
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName("linkgate");
        basic.afterPropertiesSet();
        return basic;
    }

    /**
     * Hawtio's scripts send the token from the XSRF-TOKEN cookie with every Jolokia POST. Spring
     * writes that cookie only when the token is first used, and a login replaces it, so each
     * Hawtio page load (already authorised) uses it once to have the cookie written.
     */
    static final class HawtioCsrfCookie extends OncePerRequestFilter {
        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            return !"GET".equals(request.getMethod()) || !(path.equals(HAWTIO) || path.startsWith(HAWTIO + "/"));
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }

    /** A page navigation (GET asking for HTML) to Hawtio, as opposed to an API or Jolokia call. */
    static boolean isBrowserOpeningHawtio(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String accept = request.getHeader("Accept");
        return "GET".equals(request.getMethod()) && (path.equals(HAWTIO) || path.startsWith(HAWTIO + "/"))
                && accept != null && accept.contains("text/html");
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
            // Hashes only, but still a dictionary attack's input: owner-only like every secret.
            SecretFiles.requirePrivate(file);
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
}
