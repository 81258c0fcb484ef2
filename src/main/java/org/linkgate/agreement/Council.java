package org.linkgate.agreement;

import java.security.PublicKey;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * A council (data controller) as configured in the gateway home: its GSS code, its OpenPGP
 * public key (pinned by fingerprint: only this key's signatures are accepted from it), the
 * SSH keys that may log in to its drop-zone, and how often a batch is expected from it
 * ({@code expectedEvery}, six months by default: cl. 6.2b), which operators see on the status page, and from
 * when: {@code firstDue}, the first batch's due date, from which the expected-batch calendar runs (due dates
 * {@code firstDue + k * expectedEvery}; reminders and alerts, see {@code partners.BatchCalendar}). Without it there
 * is no calendar, only "expected next" after the last accepted batch.
 */
public record Council(
        String code,
        String displayName,
        PGPPublicKeyRing pgpPublicKey,
        String pgpFingerprint,
        List<PublicKey> sshKeys,
        Period expectedEvery,
        LocalDate firstDue) {

    /** Batches every six months (cl. 6.2b) unless {@code council.properties} says otherwise. */
    public static final Period DEFAULT_EXPECTED_EVERY = Period.ofMonths(6);

    public Council {
        sshKeys = List.copyOf(sshKeys);
        expectedEvery = expectedEvery == null ? DEFAULT_EXPECTED_EVERY : expectedEvery;
    }

    public Council(String code, String displayName, PGPPublicKeyRing pgpPublicKey, String pgpFingerprint,
                   List<PublicKey> sshKeys) {
        this(code, displayName, pgpPublicKey, pgpFingerprint, sshKeys, DEFAULT_EXPECTED_EVERY, null);
    }

    /** A council without an expected-batch calendar ({@code firstDue} unset). */
    public Council(String code, String displayName, PGPPublicKeyRing pgpPublicKey, String pgpFingerprint,
                   List<PublicKey> sshKeys, Period expectedEvery) {
        this(code, displayName, pgpPublicKey, pgpFingerprint, sshKeys, expectedEvery, null);
    }

    /** The SFTP account: the GSS code in lower case (CONTRACT). */
    public String account() {
        return code.toLowerCase(Locale.ROOT);
    }
}
