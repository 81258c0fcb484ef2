package org.linkgate.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.linkgate.agreement.Department;

/** The returns-consumer URI: option names from camel-ftp's own catalogue, values as Camel parses them. */
class RemoteSftpUrisTest {

    private static final String INCLUDE = "DWP_RETURN_\\d{8}\\.csv\\.gpg";
    private static final Department.RemoteEndpoint ENDPOINT = new Department.RemoteEndpoint("sftp.dwp.example", 2222,
            "linkgate", Path.of("/etc/linkgate/keys/dwp/id_ed25519"), Path.of("/etc/linkgate/keys/dwp/known_hosts"),
            "inbound", "outbound/returns");

    private static String uri() {
        return RemoteSftpUris.returnsConsumer(ENDPOINT, INCLUDE, Path.of("/var/lib/linkgate/work/dwp"), 30_000);
    }

    @Test
    void producesTheSecureUri() {
        assertThat(uri()).isEqualTo("sftp://sftp.dwp.example:2222/outbound/returns?username=linkgate"
                + "&strictHostKeyChecking=yes&knownHostsFile=RAW(/etc/linkgate/keys/dwp/known_hosts)"
                + "&useUserKnownHostsFile=false&autoCreateKnownHostsFile=false"
                + "&privateKeyFile=RAW(/etc/linkgate/keys/dwp/id_ed25519)&preferredAuthentications=publickey"
                + "&readLock=changed&readLockCheckInterval=1000&readLockTimeout=20000&readLockMinAge=5000"
                + "&readLockMinLength=0&include=RAW(" + RemoteSftpUris.NAME_CONTRACT_PREFIX + INCLUDE + "))"
                + "&streamDownload=false&localWorkDirectory=RAW(/var/lib/linkgate/work/dwp)&stepwise=false"
                + "&autoCreate=false&delete=true&serverAliveInterval=15000&serverAliveCountMax=4"
                + "&connectTimeout=15000&soTimeout=60000&throwExceptionOnConnectFailed=true&delay=30000");
    }

    @Test
    void everyOptionIsInCamelFtpsCatalogue() throws Exception {
        JsonNode properties;
        try (InputStream in = SftpEndpoint.class.getResourceAsStream("/META-INF/org/apache/camel/component/file/remote/sftp.json")) {
            assertThat(in).as("camel-ftp sftp.json catalogue").isNotNull();
            properties = new ObjectMapper().readTree(in).path("properties");
        }
        List<String> names = Arrays.stream(uri().substring(uri().indexOf('?') + 1).split("&(?=[A-Za-z]+=)"))
                .map(option -> option.substring(0, option.indexOf('='))).toList();

        assertThat(names).hasSize(24).allSatisfy(name -> assertThat(properties.has(name)).as(name).isTrue());
        assertThat(properties.path("readLock").path("enum").toString()).contains("changed");
    }

    @Test
    void camelParsesEveryValueAsIntended() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            SftpEndpoint endpoint = context.getEndpoint(uri(), SftpEndpoint.class);

            assertThat(endpoint.getConfiguration().getHost()).isEqualTo("sftp.dwp.example");
            assertThat(endpoint.getConfiguration().getPort()).isEqualTo(2222);
            assertThat(endpoint.getConfiguration().getDirectory()).isEqualTo("outbound/returns");
            assertThat(endpoint.getConfiguration().getUsername()).isEqualTo("linkgate");
            assertThat(endpoint.getConfiguration().getStrictHostKeyChecking()).isEqualTo("yes");
            assertThat(endpoint.getConfiguration().getKnownHostsFile()).isEqualTo("/etc/linkgate/keys/dwp/known_hosts");
            assertThat(endpoint.getConfiguration().isUseUserKnownHostsFile()).isFalse();
            assertThat(endpoint.getConfiguration().isAutoCreateKnownHostsFile()).isFalse();
            assertThat(endpoint.getConfiguration().getPrivateKeyFile()).isEqualTo("/etc/linkgate/keys/dwp/id_ed25519");
            assertThat(endpoint.getConfiguration().getServerAliveInterval()).isEqualTo(15_000);
            assertThat(endpoint.getConfiguration().getSoTimeout()).isEqualTo(60_000);
            assertThat(endpoint.getConfiguration().getConnectTimeout()).isEqualTo(15_000);
            assertThat(endpoint.getConfiguration().isStepwise()).isFalse();
            assertThat(endpoint.getConfiguration().isStreamDownload()).isFalse();
            assertThat(endpoint.getLocalWorkDirectory()).isEqualTo("/var/lib/linkgate/work/dwp");
            assertThat(endpoint.getReadLock()).isEqualTo("changed");
            assertThat(endpoint.getReadLockMinLength()).isZero();
            assertThat(endpoint.getReadLockTimeout()).isGreaterThanOrEqualTo(2 * endpoint.getReadLockCheckInterval());
            assertThat(endpoint.isDelete()).isTrue();
            assertThat(endpoint.isAutoCreate()).isFalse();
            assertThat(endpoint.getConfiguration().isThrowExceptionOnConnectFailed()).isTrue();
            assertThat(endpoint.getDelay()).isEqualTo(30_000);
            assertThat(endpoint.getInclude()).isEqualTo(RemoteSftpUris.NAME_CONTRACT_PREFIX + INCLUDE + ")");
        }
    }

    @Test
    void includeKeepsTheNameContractAndIsCaseSensitive() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Pattern include = context.getEndpoint(uri(), SftpEndpoint.class).getIncludePattern();
            // Camel compiles include with CASE_INSENSITIVE: unguarded, the contract's pattern would take lower case too.
            assertThat(Pattern.compile(INCLUDE, Pattern.CASE_INSENSITIVE).matcher("dwp_return_20250101.csv.gpg").matches())
                    .isTrue();

            assertThat(include.matcher("DWP_RETURN_20250101.csv.gpg").matches()).isTrue();
            for (String refused : List.of("dwp_return_20250101.csv.gpg", "DWP_RETURN_20250101.CSV.GPG",
                    "DWP_RETURN_20250101.csv.gpg.part", ".DWP_RETURN_20250101.csv.gpg", "../DWP_RETURN_20250101.csv.gpg",
                    "x/DWP_RETURN_20250101.csv.gpg", "DWP_RETURN_20250101.csv.gpg\n", "notes.txt")) {
                assertThat(include.matcher(refused).matches()).as(refused).isFalse();
            }
        }
    }

    @Test
    void contractHoldsEvenForAPermissivePattern() {
        Pattern guarded = Pattern.compile(RemoteSftpUris.guardedInclude(".*"), Pattern.CASE_INSENSITIVE);

        assertThat(guarded.matcher("anything.csv").matches()).isTrue();
        for (String refused : List.of("../escape", "a/b", "a\\b", ".hidden", "x..y", "upload.part", "bad\u0000name", "a\nb")) {
            assertThat(guarded.matcher(refused).matches()).as(refused).isFalse();
        }
    }

    @Test
    void valuesContainingTheRawTerminatorAreQuotedWithBraces() {
        assertThat(RemoteSftpUris.raw("(a)&b")).isEqualTo("RAW{(a)&b}");
        assertThat(RemoteSftpUris.raw("a b+c")).isEqualTo("RAW(a b+c)");
        assertThatThrownBy(() -> RemoteSftpUris.raw("(a)&{b}&c")).isInstanceOf(IllegalArgumentException.class);
    }

    @Nested
    class Refuses {

        private final Path work = Path.of("/tmp/work");

        private Department.RemoteEndpoint with(String host, String user, String returnsDir) {
            return new Department.RemoteEndpoint(host, 22, user, Path.of("/k/id"), Path.of("/k/known_hosts"), "in", returnsDir);
        }

        @Test
        void absoluteOrEscapingReturnsDirectories() {
            for (String dir : List.of("/returns", "returns/", "../returns", "a/../b", "a//b", "", "re turns", "a/.hidden")) {
                assertThatThrownBy(() -> RemoteSftpUris.returnsConsumer(with("h", "u", dir), INCLUDE, work, 5_000))
                        .as(dir).isInstanceOf(IllegalArgumentException.class);
            }
        }

        @Test
        void unsafeHostsAndUsers() {
            assertThatThrownBy(() -> RemoteSftpUris.returnsConsumer(with("h/x?a=b", "u", "r"), INCLUDE, work, 5_000))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RemoteSftpUris.returnsConsumer(with("h", "u&delete=false", "r"), INCLUDE, work, 5_000))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void invalidRegexAndTooFrequentPolling() {
            assertThatThrownBy(() -> RemoteSftpUris.returnsConsumer(with("h", "u", "r"), "([", work, 5_000))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RemoteSftpUris.returnsConsumer(with("h", "u", "r"), INCLUDE, work, 10))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
