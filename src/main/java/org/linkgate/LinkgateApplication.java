package org.linkgate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Linkgate: secure file transfer and pseudonymisation gateway. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LinkgateApplication {
    public static void main(String[] args) {
        SpringApplication.run(LinkgateApplication.class, args);
    }
}
