package org.linkgate.validation;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;

/**
 * Sits between the UTF-8 decoder and commons-csv: skips a leading BOM, turns decoding
 * errors into {@code not_utf8}, and enforces {@link CsvLimits} on the raw character stream
 * before the parser can buffer it. commons-csv grows a field in a StringBuilder without
 * limit, so the caps must be applied here, while reading.
 *
 * <p>Why a small RFC 4180 state machine rather than a counter reset by the caller: the
 * parser reads ahead, so only this reader sees record boundaries at the moment a
 * character arrives, which makes the caps exact and the reported row the offending one.
 * Row numbers count records (a quoted line break does not start a row), header = row 1,
 * matching commons-csv record numbers. This class is not thread-safe.
 */
final class LimitingCsvReader extends Reader {

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

    private static final char BOM = '\uFEFF';

    private final Reader in;
    private final CsvLimits limits;

    private boolean started;
    private boolean afterCr;
    private State state = State.FIELD_START;
    private long row = 1;
    private int fieldChars;
    private int recordChars;
    private int fields = 1;
    private boolean endedInsideQuotes;

    LimitingCsvReader(Reader in, CsvLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            int n = readDecoded(cbuf, off, len);
            if (n < 0) {
                endedInsideQuotes = state == State.QUOTED;
                return n;
            }
            int start = off;
            if (!started && n > 0) {
                started = true;
                if (cbuf[off] == BOM) {
                    start++;
                }
            }
            for (int i = start; i < off + n; i++) {
                accept(cbuf[i]);
            }
            if (start > off) {
                System.arraycopy(cbuf, start, cbuf, off, n - 1);
                n--;
            }
            if (n > 0) {
                return n;
            }
        }
    }

    /** True once the input ended inside a quoted field. */
    boolean endedInsideQuotes() {
        return endedInsideQuotes;
    }

    /** The row being read when the stream stopped, e.g. where a quoted field was opened. */
    long currentRow() {
        return row;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private int readDecoded(char[] cbuf, int off, int len) throws IOException {
        try {
            return in.read(cbuf, off, len);
        } catch (CharacterCodingException e) {
            // The decoder's message only holds a byte count, never the bytes.
            throw new MalformedBatchException(MalformedBatchException.NOT_UTF8, row, e);
        }
    }

    private void accept(char c) {
        if (afterCr) {
            afterCr = false;
            if (c == '\n') {
                return;
            }
        }
        switch (state) {
            case FIELD_START -> {
                if (c == '"') {
                    state = State.QUOTED;
                    countFieldChar();
                } else if (c == ',') {
                    nextField();
                } else if (c == '\r' || c == '\n') {
                    endRecord(c);
                } else {
                    state = State.UNQUOTED;
                    countFieldChar();
                }
            }
            case UNQUOTED -> {
                if (c == ',') {
                    nextField();
                } else if (c == '\r' || c == '\n') {
                    endRecord(c);
                } else {
                    countFieldChar();
                }
            }
            case QUOTED -> {
                if (c == '"') {
                    state = State.QUOTE_IN_QUOTED;
                }
                countFieldChar();
            }
            case QUOTE_IN_QUOTED -> {
                if (c == '"') {
                    state = State.QUOTED;
                    countFieldChar();
                } else if (c == ',') {
                    nextField();
                } else if (c == '\r' || c == '\n') {
                    endRecord(c);
                } else {
                    // Text after a closing quote: the parser rejects it; keep counting.
                    state = State.UNQUOTED;
                    countFieldChar();
                }
            }
        }
    }

    private void countFieldChar() {
        fieldChars++;
        recordChars++;
        if (fieldChars > limits.maxFieldChars() || recordChars > limits.maxRecordChars()) {
            throw new MalformedBatchException(MalformedBatchException.RECORD_TOO_LONG, row);
        }
    }

    private void nextField() {
        recordChars++;
        fields++;
        fieldChars = 0;
        state = State.FIELD_START;
        if (fields > limits.maxColumns()) {
            throw new MalformedBatchException(MalformedBatchException.TOO_MANY_COLUMNS, row);
        }
        if (recordChars > limits.maxRecordChars()) {
            throw new MalformedBatchException(MalformedBatchException.RECORD_TOO_LONG, row);
        }
    }

    private void endRecord(char lineEnd) {
        row++;
        fields = 1;
        fieldChars = 0;
        recordChars = 0;
        state = State.FIELD_START;
        afterCr = lineEnd == '\r';
    }
}
