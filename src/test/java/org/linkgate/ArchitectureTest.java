package org.linkgate;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering written down in docs/architecture.md, held against the compiled main
 * code. A layer may use only the layers below it; features form a graph without cycles.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainCode() {
        classes = new ClassFileImporter()
                // Main code only, whatever the build directory is called (-Dlinkgate.build.dir).
                .withImportOption(location -> !location.contains("/test-classes/"))
                .importPackages("org.linkgate");
    }

    @Test
    void noCycleBetweenTopLevelPackages() {
        ArchRule rule = slices().matching("org.linkgate.(*)..").should().beFreeOfCycles();
        rule.check(classes);
    }

    @Test
    void layersUseOnlyTheLayersBelow() {
        ArchRule rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Composition").definedBy("org.linkgate")
                .layer("Demo").definedBy("org.linkgate.demo..")
                .layer("Console").definedBy("org.linkgate.ops..")
                .layer("Features").definedBy("org.linkgate.intake..", "org.linkgate.returns..",
                        "org.linkgate.inbound..", "org.linkgate.store..", "org.linkgate.fanout..",
                        "org.linkgate.linkage..", "org.linkgate.disclosure..", "org.linkgate.retention..",
                        "org.linkgate.release..", "org.linkgate.partners..")
                .layer("Incidents").definedBy("org.linkgate.incident..")
                .layer("Transfer").definedBy("org.linkgate.transfer..")
                .layer("Agreement").definedBy("org.linkgate.agreement..")
                .layer("Services").definedBy("org.linkgate.audit..", "org.linkgate.cluster..",
                        "org.linkgate.pseudonymisation..")
                .layer("Kernel").definedBy("org.linkgate.kernel..")
                .layer("Foundations").definedBy("org.linkgate.crypto..", "org.linkgate.validation..",
                        "org.linkgate.sftp..")
                .whereLayer("Demo").mayOnlyAccessLayers("Console", "Features", "Incidents", "Transfer", "Agreement",
                        "Services", "Kernel", "Foundations")
                .whereLayer("Console").mayOnlyAccessLayers("Features", "Incidents", "Transfer", "Agreement",
                        "Services", "Kernel", "Foundations")
                .whereLayer("Features").mayOnlyAccessLayers("Features", "Incidents", "Transfer", "Agreement",
                        "Services", "Kernel", "Foundations")
                .whereLayer("Incidents").mayOnlyAccessLayers("Transfer", "Agreement", "Services", "Kernel",
                        "Foundations")
                .whereLayer("Transfer").mayOnlyAccessLayers("Agreement", "Services", "Kernel", "Foundations")
                .whereLayer("Agreement").mayOnlyAccessLayers("Services", "Kernel", "Foundations")
                .whereLayer("Services").mayOnlyAccessLayers("Kernel", "Foundations")
                .whereLayer("Kernel").mayOnlyAccessLayers("Foundations")
                .whereLayer("Foundations").mayNotAccessAnyLayer();
        rule.check(classes);
    }
}
