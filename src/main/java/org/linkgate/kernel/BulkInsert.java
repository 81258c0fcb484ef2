package org.linkgate.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Many rows into one table, a chunk at a time, each chunk in a short transaction of its own
 * (the caller's template): on PostgreSQL by {@code COPY … FROM STDIN} through the driver's
 * {@code CopyManager} (one round trip per chunk, no per-row statement), elsewhere (H2) by one
 * JDBC batch of a plain prepared statement. Holds at most one chunk in memory. Values are
 * {@link String}, {@link Number}, {@code byte[]}, an {@link java.time.OffsetDateTime} (ISO text in
 * COPY) or null; none is ever logged or put in an
 * error, so a failing chunk reports the table only. Not thread-safe: one per writer.
 */
public final class BulkInsert {

    /**
     * Source rows per short transaction on H2. Its MVStore revisits every entry a transaction wrote
     * when the transaction commits (and serialises each changed page again); in a small transaction
     * those index pages are still in its page cache, in a large one they have been evicted and are
     * read back from the file. Measured 2026-12-04, 20,000 rows: intake 232 s with 5,000 rows per
     * transaction, 75 s with 500 (docs/benchmark.md).
     */
    public static final int H2_TRANSACTION_ROWS = 500;

    private final DataSource dataSource;
    private final TransactionTemplate transactions;
    private final String table;
    private final List<String> columns;
    private final int chunk;
    private final List<Object[]> pending;
    private final String insert;
    private final String copy;
    private Boolean postgres;
    private long written;

    public BulkInsert(DataSource dataSource, TransactionTemplate transactions, String table, List<String> columns, int chunk) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.table = table;
        this.columns = List.copyOf(columns);
        this.chunk = chunk;
        this.pending = new ArrayList<>(Math.min(chunk, 8192));
        String names = String.join(", ", columns);
        this.insert = "insert into " + table + " (" + names + ") values (" + "?, ".repeat(columns.size() - 1) + "?)";
        this.copy = "copy " + table + " (" + names + ") from stdin with (format csv)";
    }

    /**
     * How many source rows a writer should stage per short transaction: {@code postgresRows} on
     * PostgreSQL (one COPY per table and chunk), {@link #H2_TRANSACTION_ROWS} elsewhere (H2).
     */
    public static int transactionRows(DataSource dataSource, int postgresRows) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            return connection.isWrapperFor(PGConnection.class) ? postgresRows : H2_TRANSACTION_ROWS;
        } catch (SQLException e) {
            throw new org.springframework.dao.DataAccessResourceFailureException("cannot tell the database apart", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** Adds one row (values in column order); a full chunk is written at once. */
    public void add(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(table + ": " + values.length + " values for " + columns.size() + " columns");
        }
        pending.add(values);
        if (pending.size() >= chunk) {
            flush();
        }
    }

    /** Writes what is pending, in a transaction of the caller's template (joining one already open). */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        transactions.executeWithoutResult(tx -> {
            Connection connection = DataSourceUtils.getConnection(dataSource);
            try {
                if (isPostgres(connection)) {
                    copy(connection);
                } else {
                    batch(connection);
                }
            } catch (SQLException e) {
                throw translate(e);
            } finally {
                DataSourceUtils.releaseConnection(connection, dataSource);
            }
        });
        written += pending.size();
        pending.clear();
    }

    /** Rows written so far (flushed). */
    public long written() {
        return written;
    }

    private boolean isPostgres(Connection connection) throws SQLException {
        if (postgres == null) {
            postgres = connection.isWrapperFor(PGConnection.class);
        }
        return postgres;
    }

    private void copy(Connection connection) throws SQLException {
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy);
        try {
            Writer csv = new CopyWriter(in);
            for (Object[] row : pending) {
                for (int i = 0; i < row.length; i++) {
                    if (i > 0) {
                        csv.write(',');
                    }
                    writeCsv(csv, row[i]);
                }
                csv.write('\n');
            }
            csv.flush();
            in.endCopy();
        } catch (IOException e) {
            throw new UncheckedIOException("bulk write to " + table + " failed", e);
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** CSV as COPY reads it: null unquoted and empty, text always quoted, bytea as its hex form. */
    private static void writeCsv(Writer csv, Object value) throws IOException {
        if (value == null) {
            return;
        }
        if (value instanceof Number number) {
            csv.write(number.toString());
        } else if (value instanceof byte[] bytes) {
            csv.write("\"\\x");
            csv.write(HexFormat.of().formatHex(bytes));
            csv.write('"');
        } else {
            String text = value.toString();
            csv.write('"');
            if (text.indexOf('"') >= 0) {
                text = text.replace("\"", "\"\"");
            }
            csv.write(text);
            csv.write('"');
        }
    }

    private void batch(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            for (Object[] row : pending) {
                for (int i = 0; i < row.length; i++) {
                    statement.setObject(i + 1, row[i]);
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /**
     * The database's kind of failure (SQL state and code, so a duplicate key is still a
     * DuplicateKeyException) without its message: PostgreSQL quotes the offending COPY line.
     */
    private DataAccessException translate(SQLException e) {
        SQLException bare = new SQLException("bulk write to " + table + " failed (SQL state " + e.getSQLState() + ")",
                e.getSQLState(), e.getErrorCode());
        DataAccessException translated = new SQLErrorCodeSQLExceptionTranslator(dataSource)
                .translate("bulk write to " + table, null, bare);
        return translated != null ? translated
                : new org.springframework.dao.DataIntegrityViolationException(bare.getMessage());
    }

    /** UTF-8 characters into the COPY stream in 64 KiB writes. */
    private static final class CopyWriter extends Writer {
        private final CopyIn in;
        private final StringBuilder buffer = new StringBuilder(1 << 16);

        CopyWriter(CopyIn in) {
            this.in = in;
        }

        @Override
        public void write(char[] chars, int off, int len) throws IOException {
            buffer.append(chars, off, len);
            drainIfFull();
        }

        @Override
        public void write(int c) throws IOException {
            buffer.append((char) c);
            drainIfFull();
        }

        @Override
        public void write(String text) throws IOException {
            buffer.append(text);
            drainIfFull();
        }

        private void drainIfFull() throws IOException {
            if (buffer.length() >= 1 << 16) {
                flush();
            }
        }

        @Override
        public void flush() throws IOException {
            if (buffer.length() == 0) {
                return;
            }
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            buffer.setLength(0);
            try {
                in.writeToCopy(bytes, 0, bytes.length);
            } catch (SQLException e) {
                throw new IOException("COPY refused a chunk", e);
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
