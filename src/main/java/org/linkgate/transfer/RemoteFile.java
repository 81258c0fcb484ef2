package org.linkgate.transfer;

import java.time.Instant;

/** A complete regular file in a remote directory, as listed (name only, no directory part). */
public record RemoteFile(String name, long size, Instant modified) {
}
