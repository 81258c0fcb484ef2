package org.linkgate.transfer;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.sftp.SftpAccount;
import org.linkgate.sftp.SftpAccountDirectory;
import org.linkgate.sftp.SftpLayout;

/**
 * The embedded server's accounts with the agreement in force: a department or recipient whose agreement is
 * terminated (or the whole agreement) may no longer log in (cl. 13.2, 15), so it cannot collect an identifiable
 * extract or a release left in its {@code upload/} before the termination. A terminated council still logs in: it
 * holds nothing of the gateway's but its own reports, and it must be able to fetch the report refusing its batch
 * unopened (its files are refused at intake). The refusal is the failed login's audited reason
 * ({@link SftpMovementAudit}).
 */
public final class AgreementSftpAccounts implements SftpAccountDirectory {

    private final SftpAccountDirectory accounts;
    private final AgreementPolicy policy;
    private final Clock clock;

    public AgreementSftpAccounts(SftpAccountDirectory accounts, AgreementPolicy policy, Clock clock) {
        this.accounts = accounts;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public Optional<SftpAccount> find(String username) {
        return accounts.find(username);
    }

    @Override
    public Optional<String> loginRefusal(String username) {
        Optional<String> refusal = accounts.loginRefusal(username);
        if (refusal.isPresent() || username == null) {
            return refusal;
        }
        String party = username.toUpperCase(Locale.ROOT);
        boolean receivesData = accounts.find(username).map(a -> a.layout() == SftpLayout.DEPARTMENT).orElse(false);
        if (receivesData && policy.terminatedParties(AgreementPolicy.today(clock)).contains(party)) {
            return Optional.of("the agreement is terminated for " + party + " (cl. 13.2, 15)");
        }
        return Optional.empty();
    }
}
