package org.linkgate.returns;

/** Why a return was rejected: a stable rule name and a fixed message. Neither holds a value from the file. */
public record ReturnError(String rule, String message) {
}
