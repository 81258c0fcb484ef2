package org.linkgate.kernel;

import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The rows one received file left in one table, numbered by {@code row_number}: what the table's owner
 * hands to retention so it can count them for the evidence and delete them in bounded chunks, without
 * writing SQL on another feature's table. Table and column names come from the owning repository,
 * never from input.
 */
public final class FileRows {

    private static final Pattern NAME = Pattern.compile("[a-z_]+");

    private final JdbcTemplate jdbc;
    private final String table;
    private final String column;
    private final String fileId;

    public FileRows(JdbcTemplate jdbc, String table, String column, String fileId) {
        this.jdbc = jdbc;
        this.table = requireName(table);
        this.column = requireName(column);
        this.fileId = Objects.requireNonNull(fileId, "fileId");
    }

    public String table() {
        return table;
    }

    public long count() {
        Long n = jdbc.queryForObject("select count(*) from " + table + " where " + column + " = ?", Long.class, fileId);
        return n == null ? 0 : n;
    }

    /** The highest row number left, or -1 if none is. */
    public long lastRowNumber() {
        Long last = jdbc.queryForObject("select max(row_number) from " + table + " where " + column + " = ?", Long.class,
                fileId);
        return last == null ? -1 : last;
    }

    /** Deletes rows numbered {@code from} (inclusive) to {@code to} (exclusive); the caller holds the transaction. */
    public int deleteRange(long from, long to) {
        return jdbc.update("delete from " + table + " where " + column + " = ? and row_number >= ? and row_number < ?",
                fileId, from, to);
    }

    public int deleteAll() {
        return jdbc.update("delete from " + table + " where " + column + " = ?", fileId);
    }

    private static String requireName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a table or column name: " + name);
        }
        return name;
    }
}
