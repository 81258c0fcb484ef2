package org.linkgate.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.kernel.GatewayHome;

/**
 * A partner folder whose OpenPGP key had a subkey binding stripped (as a tampered key file would)
 * stops the registry, for councils and departments alike, naming the folder and why; the untouched
 * keys load.
 */
class PartnerKeyBindingTest {

    @TempDir
    Path dir;

    @Test
    void aCouncilOrDepartmentKeyWithoutItsSubkeyBindingIsRefused() throws Exception {
        GatewayHome home = new GatewayHome(dir, dir.resolve("secrets"));
        DemoBootstrap.createDemoCouncil(home, "E10000012", "Council");
        DemoBootstrap.createDemoDepartment(home, DemoBootstrap.DemoDepartment.PHE);
        assertThat(new PartnerRegistry(home).councils()).hasSize(1);

        Path councilKey = home.councilDir("E10000012").resolve(PartnerRegistry.PGP_KEY_FILE);
        Path original = Files.copy(councilKey, dir.resolve("original.asc"));
        stripBindings(councilKey);
        assertThatThrownBy(() -> new PartnerRegistry(home))
                .isInstanceOf(PartnerRegistry.InvalidPartnerConfigurationException.class)
                .hasMessageContaining("E10000012").hasMessageContaining("no valid binding signature");

        Files.copy(original, councilKey, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        stripBindings(home.departmentDir("PHE").resolve(PartnerRegistry.PGP_KEY_FILE));
        assertThatThrownBy(() -> new PartnerRegistry(home))
                .isInstanceOf(PartnerRegistry.InvalidPartnerConfigurationException.class)
                .hasMessageContaining("PHE").hasMessageContaining("no valid binding signature");
    }

    private static void stripBindings(Path keyFile) throws Exception {
        PGPPublicKeyRing ring = PgpKeys.readPublicKeyRing(keyFile);
        for (PGPPublicKey key : ring) {
            if (key.isMasterKey()) {
                continue;
            }
            PGPPublicKey unbound = key;
            for (Iterator<PGPSignature> it = key.getSignaturesOfType(PGPSignature.SUBKEY_BINDING); it.hasNext(); ) {
                unbound = PGPPublicKey.removeCertification(unbound, it.next());
            }
            ring = PGPPublicKeyRing.insertPublicKey(ring, unbound);
        }
        try (OutputStream out = Files.newOutputStream(keyFile)) {
            PgpKeys.writeArmored(ring, out);
        }
    }
}
