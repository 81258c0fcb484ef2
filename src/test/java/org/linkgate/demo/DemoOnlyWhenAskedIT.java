package org.linkgate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.linkgate.LinkgateApplication;
import org.linkgate.kernel.GatewaySecrets;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.w3c.dom.NodeList;

/**
 * The packaged gateway starts no demo: on an empty home with its defaults it refuses to start,
 * naming the missing secret, and generates nothing (no keys, no demo partners, no users). Only
 * when asked (profile {@code demo}, which {@code ./mvnw spring-boot:run} sets in the pom) does an
 * empty home become a demo, with the simulated departments playing.
 */
class DemoOnlyWhenAskedIT {

    @Test
    void theJarsDefaultsBootstrapNothing() throws Exception {
        Path home = Files.createTempDirectory("linkgate-nodemo-");
        assertThatThrownBy(() -> new SpringApplicationBuilder(LinkgateApplication.class)
                .run(arguments(home)).close())
                .hasStackTraceContaining("secret file").hasStackTraceContaining("is missing");
        assertThat(home.resolve("demo")).doesNotExist();
        assertThat(home.resolve("config")).doesNotExist();
        assertThat(home.resolve("secrets").resolve(GatewaySecrets.PSEUDONYMISATION_KEY)).doesNotExist();
    }

    @Test
    void theDemoProfileMakesAnEmptyHomeADemo() throws Exception {
        Path home = Files.createTempDirectory("linkgate-demo-");
        try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(LinkgateApplication.class)
                .profiles("demo")
                .run(arguments(home))) {
            assertThat(gateway.getBeansOfType(DemoDepartmentSimulator.class)).hasSize(1);
            assertThat(gateway.getBeansOfType(DemoPartnerWarning.class)).isEmpty();
            assertThat(home.resolve("demo").resolve(DemoBootstrap.DEMO_COUNCIL)).isDirectory();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    home.resolve("config").resolve("users.properties")))).isEqualTo("rw-------");
        }
    }

    /** As on a command line (which outranks application.yaml): only where the home is and ephemeral ports. */
    static String[] arguments(Path home) {
        return new String[] {"--linkgate.home=" + home, "--server.port=0", "--linkgate.sftp.port=0",
                "--linkgate.sftp.bind-host=127.0.0.1"};
    }

    @Test
    void springBootRunIsTheDemo() throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        NodeList profiles = (NodeList) XPathFactory.newInstance().newXPath().evaluate(
                "/project/build/plugins/plugin[artifactId='spring-boot-maven-plugin']/configuration/profiles/profile",
                pom, XPathConstants.NODESET);
        assertThat(profiles.getLength()).isEqualTo(1);
        assertThat(profiles.item(0).getTextContent()).isEqualTo("demo");
    }
}
