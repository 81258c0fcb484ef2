package org.linkgate.agreement;

import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * A government department that matches people to its administrative data (cl. 4.6, 6.2c), as
 * configured in {@code config/departments/<CODE>/}: its OpenPGP key (pinned signer of its
 * returns, recipient of its extracts), the only identifying fields it receives, whom it
 * receives, where its SFTP endpoint is and which return datasets it sends back.
 */
public record Department(
        String code,
        String displayName,
        PGPPublicKeyRing pgpPublicKey,
        String pgpFingerprint,
        List<String> matchFields,
        AgeFilter filter,
        Duration returnDue,
        Endpoint endpoint,
        List<ReturnDataset> returnDatasets) {

    /** Identifying fields an extract may carry; anything else in {@code matchFields} is refused at load. */
    public static final Set<String> EXTRACTABLE_FIELDS = Set.of("forename", "middle_names", "surname", "initials",
            "date_of_birth", "sex", "address_line_1", "address_line_2", "town", "postcode", "nino", "nhs_number", "upn");

    public Department {
        matchFields = List.copyOf(matchFields);
        returnDatasets = List.copyOf(returnDatasets);
    }

    /** SFTP account name on the embedded server (lower-case code). */
    public String account() {
        return code.toLowerCase(Locale.ROOT);
    }

    public Optional<ReturnDataset> returnDataset(String name) {
        return returnDatasets.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** Who a department needs, by age at identification (inclusive bounds; null = open). */
    public record AgeFilter(Integer minAge, Integer maxAge) {
        public static final AgeFilter EVERYONE = new AgeFilter(null, null);

        public boolean accepts(int age) {
            return (minAge == null || age >= minAge) && (maxAge == null || age <= maxAge);
        }
    }

    /** Where extracts go and returns come from. */
    public sealed interface Endpoint permits EmbeddedEndpoint, RemoteEndpoint {
    }

    /** An account on the gateway's own SFTP server: the department reads {@code upload/}, writes {@code returns/}. */
    public record EmbeddedEndpoint(List<PublicKey> sshKeys) implements Endpoint {
        public EmbeddedEndpoint {
            sshKeys = List.copyOf(sshKeys);
        }
    }

    /**
     * The department's own SFTP server. The host key is pinned by {@code knownHosts} (an unknown
     * or changed key is refused); the gateway logs in with {@code privateKey}.
     */
    public record RemoteEndpoint(String host, int port, String user, Path privateKey, Path knownHosts,
                                 String uploadDir, String returnsDir) implements Endpoint {
    }

    /** A dataset the department returns, validated by {@code schemas/returns/<schema>.yaml}. */
    public record ReturnDataset(String name, String schema) {
    }
}
