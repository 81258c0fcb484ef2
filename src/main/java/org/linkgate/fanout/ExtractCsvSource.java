package org.linkgate.fanout;

import com.fasterxml.jackson.databind.ObjectReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import javax.crypto.SecretKey;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.linkgate.agreement.Department;
import org.linkgate.crypto.AesGcm;
import org.linkgate.kernel.SpreadsheetFormulaGuard;
import org.linkgate.pseudonymisation.IdentityRecord;

/**
 * The clear CSV of one extract as an {@link InputStream} that the encryptor pulls from: each read
 * takes the next people from the database cursor, unseals them, prints their rows (RFC 4180,
 * UTF-8, header first) into a small buffer and records them as extract members. Memory is one
 * buffer and one member batch, whatever the number of rows; the clear text exists only in that
 * buffer on its way into the encryptor. Failures (an identity that does not open or parse, a
 * database error) surface from {@link #read} with row numbers only, never a value.
 */
final class ExtractCsvSource extends InputStream {

    /** The extract's header: the department's token column, then its match fields. */
    static final String TOKEN_COLUMN = "pseudo_id";

    /** Clear bytes prepared ahead of the encryptor; about one encryptor buffer. */
    private static final int CHUNK_BYTES = 1 << 16;

    /** One research record of the intake with its sealed identity, as the extract query returns it. */
    record SourceRow(long rowNumber, String pseudoId, String cohort, int ageAtIdentification,
                     String vaultPseudoId, byte[] sealed) {
        @Override
        public String toString() {
            return "SourceRow[" + rowNumber + "]";
        }
    }

    private final Iterator<SourceRow> rows;
    private final String intakeId;
    private final Department department;
    private final SecretKey dataKey;
    private final ObjectReader identityReader;
    private final DepartmentTokens tokens;
    private final ExtractMemberRecorder members;
    private final Chunk chunk = new Chunk();
    private final CSVPrinter printer;
    private final List<String> record;
    private int position;
    private boolean exhausted;
    private long rowsWritten;

    ExtractCsvSource(Iterator<SourceRow> rows, String intakeId, Department department, SecretKey dataKey,
                     ObjectReader identityReader, DepartmentTokens tokens, ExtractMemberRecorder members)
            throws IOException {
        this.rows = rows;
        this.intakeId = intakeId;
        this.department = department;
        this.dataKey = dataKey;
        this.identityReader = identityReader;
        this.tokens = tokens;
        this.members = members;
        this.record = new ArrayList<>(1 + department.matchFields().size());
        // RFC 4180: CRLF line ends, fields quoted only when they hold a comma, quote or line break.
        this.printer = new CSVPrinter(new OutputStreamWriter(chunk, StandardCharsets.UTF_8), CSVFormat.RFC4180);
        record.add(TOKEN_COLUMN);
        record.addAll(department.matchFields());
        printer.printRecord(record);
        printer.flush();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        while (position >= chunk.size()) {
            if (exhausted) {
                return -1;
            }
            refill();
        }
        int n = Math.min(length, chunk.size() - position);
        System.arraycopy(chunk.bytes(), position, buffer, offset, n);
        position += n;
        return n;
    }

    /** People written so far; final once the stream has returned -1. */
    long rowsWritten() {
        return rowsWritten;
    }

    private void refill() throws IOException {
        chunk.reset();
        position = 0;
        while (chunk.size() < CHUNK_BYTES && rows.hasNext()) {
            writePerson(rows.next());
            // Flushed per row so the size check above sees the bytes of every row printed.
            printer.flush();
        }
        if (!rows.hasNext()) {
            // Members go in before the last bytes do: the extract cannot end without its ledger.
            members.flush();
            exhausted = true;
        }
    }

    private void writePerson(SourceRow row) throws IOException {
        // The query already filtered by age; checked again so a query change cannot widen an extract.
        if (!department.filter().accepts(row.ageAtIdentification())) {
            return;
        }
        if (row.sealed() == null) {
            throw new IllegalStateException("row " + row.rowNumber() + " of intake " + intakeId + " has no sealed identity");
        }
        if (!row.pseudoId().equals(row.vaultPseudoId())) {
            throw new IllegalStateException("row " + row.rowNumber() + " of intake " + intakeId
                    + " has a sealed identity of another pseudo id");
        }
        IdentityRecord identity = unseal(row);
        String token = tokens.token(department.code(), row.pseudoId());
        record.clear();
        record.add(token);
        for (String field : department.matchFields()) {
            record.add(SpreadsheetFormulaGuard.neutralise(MatchFieldValues.value(field, identity)));
        }
        printer.printRecord(record);
        members.add(token, row.pseudoId(), row.rowNumber(), row.cohort());
        rowsWritten++;
    }

    private IdentityRecord unseal(SourceRow row) {
        byte[] aad = (intakeId + "|" + row.rowNumber()).getBytes(StandardCharsets.UTF_8);
        byte[] json;
        try {
            json = AesGcm.open(dataKey, row.sealed(), aad);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalStateException("sealed identity of row " + row.rowNumber() + " of intake " + intakeId
                    + " does not open with the intake's data key", e);
        }
        try {
            return identityReader.readValue(json);
        } catch (IOException | RuntimeException e) {
            // Parser messages can quote the JSON, i.e. personal data: keep only the kind of failure.
            throw new IllegalStateException("sealed identity of row " + row.rowNumber() + " of intake " + intakeId
                    + " is not an identity record (" + e.getClass().getSimpleName() + ")");
        } finally {
            Arrays.fill(json, (byte) 0);
        }
    }

    @Override
    public void close() {
        // The cursor belongs to the writer, which closes it; nothing of ours to release.
    }

    /** A byte buffer whose contents can be read without a copy. */
    private static final class Chunk extends ByteArrayOutputStream {
        Chunk() {
            super(CHUNK_BYTES + 4096);
        }

        byte[] bytes() {
            return buf;
        }
    }
}
