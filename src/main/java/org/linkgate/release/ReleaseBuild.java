package org.linkgate.release;

import java.util.List;
import java.util.Map;

/**
 * What a release build wrote: rows released (persons), the files inside the zip with their row
 * counts and SHA-256 (as in the manifest), the manifest itself, and SHA-256 and size of the
 * encrypted file.
 */
record ReleaseBuild(long personRows, List<FileEntry> files, String manifestJson, Map<String, Long> rowsByIntake,
                    String sha256, long sizeBytes) {

    record FileEntry(String name, long rows, long bytes, String sha256) {
    }
}
