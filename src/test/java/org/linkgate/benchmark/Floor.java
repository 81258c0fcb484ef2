package org.linkgate.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.linkgate.agreement.Department;
import org.linkgate.crypto.AesGcm;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpDecryptVerifier;
import org.linkgate.crypto.PgpEncryptSigner;
import org.linkgate.crypto.PgpLimits;
import org.linkgate.crypto.VerifiedPlaintext;
import org.linkgate.fanout.DepartmentTokens;
import org.linkgate.fanout.MatchFieldValues;
import org.linkgate.kernel.SpreadsheetFormulaGuard;
import org.linkgate.linkage.MatchEncoder;
import org.linkgate.linkage.MatchKeys;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.pseudonymisation.Pseudonymiser;
import org.linkgate.pseudonymisation.ResearchVariableDeriver;
import org.linkgate.validation.CsvBatchReader;
import org.linkgate.validation.CsvLimits;
import org.linkgate.validation.CsvRow;
import org.linkgate.validation.DatasetSchema;
import org.linkgate.validation.RowValidator;

/**
 * The floor: the work the gateway must do for one batch, done once, in process, with no database
 * and no ledger — decrypt and verify (one pass), parse with commons-csv, validate, derive, HMAC
 * (the pseudo id, and linkage's match keys and comparison tokens), seal each identity with
 * AES-GCM, and write each department's extract (its token, its match fields, its age filter) as
 * CSV encrypted and signed by BouncyCastle into a sink that discards
 * it. The gateway's time for the same batch is reported as a ratio to this one. It uses the
 * gateway's own classes for each piece of work, so the floor moves when they get faster.
 */
final class Floor {

    private final DatasetSchema schema;
    private final PseudonymisationKey pseudonymisationKey;
    private final GatewayPgpKey gatewayKey;
    private final List<Department> departments;
    private final ObjectMapper json = new ObjectMapper();

    Floor(DatasetSchema schema, PseudonymisationKey pseudonymisationKey, GatewayPgpKey gatewayKey,
          List<Department> departments) {
        this.schema = schema;
        this.pseudonymisationKey = pseudonymisationKey;
        this.gatewayKey = gatewayKey;
        this.departments = departments;
    }

    record Result(long rows, long extractRows, double seconds) {
    }

    Result run(Path encrypted, PGPPublicKeyRing council, String councilCode, String period) throws Exception {
        long start = System.nanoTime();
        SecretKey dataKey = new SecretKeySpec(new byte[32], "AES");
        List<Extract> extracts = new ArrayList<>();
        ExecutorService encryptors = Executors.newFixedThreadPool(departments.size());
        try {
            for (Department department : departments) {
                extracts.add(new Extract(department, encryptors));
            }
            DepartmentTokens tokens = new DepartmentTokens(pseudonymisationKey);
            ResearchVariableDeriver deriver = new ResearchVariableDeriver(new Pseudonymiser(pseudonymisationKey),
                    councilCode, period);
            RowValidator validator = new RowValidator(schema, Clock.system(ZoneId.of("Europe/London")));
            // Linkage's match keys and comparison tokens, computed from the clear identity as intake does.
            MatchEncoder encoder = new MatchKeys(pseudonymisationKey, null, null).encoder();
            long linkageTokens = 0;
            long rows = 0;
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(encrypted), 1 << 16)) {
                VerifiedPlaintext message = new PgpDecryptVerifier().open(raw, gatewayKey, council,
                        new PgpLimits(Long.MAX_VALUE / 4, 1000, Files.size(encrypted)));
                CsvBatchReader reader = new CsvBatchReader(message.plaintext(), schema, CsvLimits.DEFAULTS);
                if (!reader.header().problems().isEmpty()) {
                    throw new IllegalStateException("floor: header refused");
                }
                Optional<CsvRow> next;
                while ((next = reader.next()).isPresent()) {
                    CsvRow row = next.get();
                    rows++;
                    if (!validator.validate(row).isEmpty()) {
                        continue;
                    }
                    if (!(deriver.derive(row.rowNumber(), c -> row.value(c).orElse(null))
                            instanceof ResearchVariableDeriver.Derived derived)) {
                        continue;
                    }
                    MatchEncoder.Parts parts = MatchEncoder.parts(derived.identity());
                    linkageTokens += encoder.keys(parts).size() + encoder.comparison(parts).forenameEdits().length();
                    byte[] aad = ("intake|" + row.rowNumber()).getBytes(StandardCharsets.UTF_8);
                    AesGcm.seal(dataKey, json.writeValueAsBytes(derived.identity()), aad);
                    for (Extract extract : extracts) {
                        extract.add(tokens, derived);
                    }
                }
                message.verify();
            }
            long extractRows = 0;
            for (Extract extract : extracts) {
                extractRows += extract.finish();
            }
            if (linkageTokens == 0 && rows > 0) {
                throw new IllegalStateException("floor: no linkage keys computed");
            }
            return new Result(rows, extractRows, (System.nanoTime() - start) / 1e9);
        } finally {
            encryptors.shutdownNow();
        }
    }

    /** One department's extract: CSV into a pipe that its own thread encrypts and signs into nothing. */
    private final class Extract {
        private final Department department;
        private final OutputStream pipe;
        private final CSVPrinter printer;
        private final CompletableFuture<Void> encrypted;
        private final List<String> record = new ArrayList<>();
        private long rows;

        Extract(Department department, ExecutorService encryptors) throws IOException {
            this.department = department;
            ChunkPipe chunks = new ChunkPipe();
            InputStream in = chunks.in;
            this.pipe = chunks.out;
            Writer writer = new OutputStreamWriter(pipe, StandardCharsets.UTF_8);
            this.printer = new CSVPrinter(writer, CSVFormat.RFC4180);
            this.encrypted = CompletableFuture.runAsync(() -> {
                try (in) {
                    new PgpEncryptSigner().encryptAndSign(in, OutputStream.nullOutputStream(),
                            department.pgpPublicKey(), gatewayKey, department.code() + ".csv");
                } catch (Exception e) {
                    throw new IllegalStateException("floor: extract not encrypted", e);
                }
            }, encryptors);
            record.add("pseudo_id");
            record.addAll(department.matchFields());
            printer.printRecord(record);
        }

        void add(DepartmentTokens tokens, ResearchVariableDeriver.Derived derived) throws IOException {
            if (!department.filter().accepts(derived.research().ageAtIdentification())) {
                return;
            }
            record.clear();
            record.add(tokens.token(department.code(), derived.research().pseudoId()));
            for (String field : department.matchFields()) {
                record.add(SpreadsheetFormulaGuard.neutralise(MatchFieldValues.value(field, derived.identity())));
            }
            printer.printRecord(record);
            rows++;
        }

        long finish() throws IOException {
            printer.close();
            encrypted.join();
            return rows;
        }
    }
}
