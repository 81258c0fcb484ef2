package org.linkgate.sftp;

import java.security.PublicKey;
import java.util.Optional;

import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.linkgate.validation.UntrustedText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a public key only if it is one of the keys registered for that user in the {@link SftpAccountDirectory},
 * looked up on every attempt. Replaces MINA's default, which reads the OS user's {@code ~/.ssh/authorized_keys}.
 * Remembers the last presented user name and refusal reason on the session for the login audit.
 */
final class AccountPublickeyAuthenticator implements PublickeyAuthenticator {

    /** The user name of the latest authentication attempt on a session. */
    static final AttributeKey<String> ATTEMPTED_USERNAME = new AttributeKey<>();
    /** Why the latest attempt on a session was refused. */
    static final AttributeKey<String> REFUSAL_REASON = new AttributeKey<>();

    static final String UNKNOWN_ACCOUNT = "unknown account";
    static final String KEY_NOT_AUTHORISED = "public key not authorised for account";
    static final String DIRECTORY_UNAVAILABLE = "account directory unavailable";

    private static final Logger LOG = LoggerFactory.getLogger(AccountPublickeyAuthenticator.class);

    private final SftpAccountDirectory accounts;

    AccountPublickeyAuthenticator(SftpAccountDirectory accounts) {
        this.accounts = accounts;
    }

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        session.setAttribute(ATTEMPTED_USERNAME, username);
        Optional<SftpAccount> account;
        try {
            account = accounts.find(username);
        } catch (RuntimeException e) {
            LOG.error("Account directory failed while authenticating {}; refusing the login", UntrustedText.forLog(username), e);
            return refuse(session, DIRECTORY_UNAVAILABLE);
        }
        if (account.isEmpty()) {
            return refuse(session, UNKNOWN_ACCOUNT);
        }
        boolean authorised = account.get().authorizedKeys().stream()
                .anyMatch(registered -> KeyUtils.compareKeys(registered, key));
        if (!authorised) {
            LOG.debug("Public key {} not registered for {}", KeyUtils.getFingerPrint(key), UntrustedText.forLog(username));
            return refuse(session, KEY_NOT_AUTHORISED);
        }
        Optional<String> refusal;
        try {
            refusal = accounts.loginRefusal(username);
        } catch (RuntimeException e) {
            LOG.error("Account directory failed while authenticating {}; refusing the login", UntrustedText.forLog(username), e);
            return refuse(session, DIRECTORY_UNAVAILABLE);
        }
        if (refusal.isPresent()) {
            LOG.warn("SFTP login of {} refused: {}", UntrustedText.forLog(username), refusal.get());
            return refuse(session, refusal.get());
        }
        session.removeAttribute(REFUSAL_REASON);
        return true;
    }

    private static boolean refuse(ServerSession session, String reason) {
        session.setAttribute(REFUSAL_REASON, reason);
        return false;
    }
}
