package org.linkgate.inbound;

/**
 * A reason a whole file was refused: a stable rule name and a fixed message that tells the sender
 * what to do. Messages are built from rule names, schema column names, row numbers and counts
 * only: nothing from the file is ever echoed.
 */
public record FileError(String rule, String message) {
}
