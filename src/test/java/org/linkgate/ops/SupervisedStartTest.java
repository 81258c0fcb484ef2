package org.linkgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.SupervisingRouteController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code camel.routecontroller.*} in application.yaml buys: a partner route whose consumer
 * cannot start (here its folder is missing and must exist) does not stop the context starting;
 * the other routes run, and the failed one is retried with back-off until it starts.
 */
class SupervisedStartTest {

    @TempDir
    Path dir;

    @Test
    void aRouteThatCannotStartIsRetriedWhileTheRestRuns() throws Exception {
        Path folder = dir.resolve("returns");
        try (CamelContext camel = new DefaultCamelContext()) {
            SupervisingRouteController controller = camel.getRouteController().supervising();
            controller.setBackOffDelay(100);
            controller.setBackOffMaxAttempts(0);
            controller.setUnhealthyOnRestarting(false);
            controller.setUnhealthyOnExhausted(false);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("file:" + folder + "?startingDirectoryMustExist=true&autoCreate=false").routeId("returns-x")
                            .log("got it");
                    from("timer:intake?period=100").routeId("intake-y").log("tick");
                }
            });
            camel.start();
            assertThat(camel.getStatus().isStarted()).isTrue();
            assertThat(controller.getControlledRoutes()).extracting(Route::getRouteId).contains("returns-x", "intake-y");
            awaitStatus(camel, "intake-y", ServiceStatus.Started);
            assertThat(camel.getRouteController().getRouteStatus("returns-x")).isNotEqualTo(ServiceStatus.Started);
            assertThat(controller.getRestartingRoutes()).extracting(Route::getRouteId).containsExactly("returns-x");

            Files.createDirectories(folder);
            awaitStatus(camel, "returns-x", ServiceStatus.Started);
            // The controller marks the route started before it drops it from its restarting set.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            while (!controller.getRestartingRoutes().isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(controller.getRestartingRoutes()).isEmpty();
        }
    }

    static void awaitStatus(CamelContext camel, String routeId, ServiceStatus status) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (camel.getRouteController().getRouteStatus(routeId) != status && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(camel.getRouteController().getRouteStatus(routeId)).as(routeId).isEqualTo(status);
    }
}
