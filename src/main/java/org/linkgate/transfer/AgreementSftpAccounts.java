package org.linkgate.transfer;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.sftp.SftpAccount;
import org.linkgate.sftp.SftpAccountDirectory;

/**
 * The embedded server's accounts with the agreement in force: a party whose agreement is terminated (or the whole
 * agreement) may no longer log in (cl. 13.2, 15), so it cannot collect a file left in its {@code upload/} before the
 * termination nor drop a new one. The refusal is the failed login's audited reason ({@link SftpMovementAudit}).
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
        if (policy.terminatedParties(AgreementPolicy.today(clock)).contains(party)) {
            return Optional.of("the agreement is terminated for " + party + " (cl. 13.2, 15)");
        }
        return Optional.empty();
    }
}
