package org.linkgate.inbound;

import org.linkgate.validation.PartnerFileNames;

/** The rule for echoing a partner's file name back in a report and a report's name ({@link PartnerFileNames}). */
public final class FileNames {

    private FileNames() {
    }

    /** True if the name may appear in a report name and in the report, though it may not be a contract name. */
    public static boolean safeToEcho(String fileName) {
        return PartnerFileNames.safeToEcho(fileName);
    }
}
