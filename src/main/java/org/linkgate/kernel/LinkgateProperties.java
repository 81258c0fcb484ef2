package org.linkgate.kernel;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Typed configuration of the gateway ({@code linkgate.*}). Holds paths and limits only:
 * secrets are read from files in {@link #secretsDir()}, never from properties.
 */
@Validated
@ConfigurationProperties("linkgate")
public record LinkgateProperties(
        @NotNull @DefaultValue("./data") Path home,
        /** Where secrets live; defaults to {@code <home>/secrets}. Mount it apart from the data in production. */
        Path secretsDir,
        /** Generate gateway keys, secrets and one demo council when the home is empty. Never in production. */
        @DefaultValue("false") boolean bootstrapDemo,
        @Valid @NotNull @DefaultValue Sftp sftp,
        @Valid @NotNull @DefaultValue Intake intake,
        @Valid @NotNull @DefaultValue Departments departments) {

    public Path resolvedSecretsDir() {
        return secretsDir != null ? secretsDir : home.resolve("secrets");
    }

    /** Embedded SFTP drop-zone server. */
    public record Sftp(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("0.0.0.0") String bindHost,
            @Min(0) @DefaultValue("2222") int port,
            @Min(1) @DefaultValue("4") int maxSessionsPerUser,
            @Min(1) @DefaultValue("32") int maxOpenHandlesPerSession,
            @DefaultValue("10m") Duration idleTimeout,
            @Min(1) @DefaultValue("3") int maxAuthAttempts,
            /** Largest file a partner may upload; a larger write is refused, the partial file removed, an alert raised. */
            @NotNull @DefaultValue("4GB") DataSize maxUploadSize,
            /** Most bytes one account's upload directory may hold at once (files the gateway has not yet taken). */
            @NotNull @DefaultValue("16GB") DataSize accountQuota) {
    }

    /** The department round trip: extract delivery with back-off, and return collection. */
    public record Departments(
            /** How often each department's pending extracts and returns are looked at. */
            @DefaultValue("5s") Duration pollInterval,
            /** First retry delay after a failed delivery; doubles each time up to retryMax. */
            @DefaultValue("30s") Duration retryBase,
            @DefaultValue("1h") Duration retryMax,
            /** Failed deliveries of one extract before operators are alerted. */
            @Min(1) @DefaultValue("5") int alertAfterAttempts,
            /** A return file must be unchanged this long before it is taken. */
            @DefaultValue("2s") Duration stableFor) {
    }

    /** Council intake: polling and the limits that keep hostile files bounded. */
    public record Intake(
            /** How often each council's inbound folder is polled. */
            @DefaultValue("5s") Duration pollInterval,
            /** A file is taken only once its size and time stamp have not changed for this long. */
            @DefaultValue("2s") Duration stableFor,
            /** Share of bad rows above which a whole file is rejected. */
            @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.10") double maxBadRowShare,
            @NotNull @DefaultValue("4GB") DataSize maxPlaintextSize,
            /** Plaintext may be at most this many times the ciphertext (compression-bomb guard). */
            @Min(1) @DefaultValue("100") long maxCompressionRatio,
            /** Unexpected failures on one file before it is quarantined with an alert. */
            @Min(1) @DefaultValue("3") int maxAttempts,
            /** Row problems listed in a report; the rest are only counted. */
            @Min(1) @DefaultValue("1000") int maxReportedProblems,
            @NotNull @DefaultValue("council-batch-v1") String schema) {
    }
}
