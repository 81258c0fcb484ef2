package org.linkgate.sftp;

/**
 * The two directories of a drop-zone account's home and which way files flow through them. Every layout has exactly
 * one directory the partner writes into (the gateway collects from it) and one the partner reads from (the gateway
 * delivers into it); the drop-zone policy is the same for every layout, only the names differ.
 */
public enum SftpLayout {

    /** A council: uploads batches into {@code inbound/}, collects reports and feedback from {@code outbound/}. */
    COUNCIL("inbound", "outbound"),

    /** A department: uploads its returns into {@code returns/}, collects extracts from {@code upload/}. */
    DEPARTMENT("returns", "upload");

    private final String partnerWritableDirectory;
    private final String partnerReadableDirectory;

    SftpLayout(String partnerWritableDirectory, String partnerReadableDirectory) {
        this.partnerWritableDirectory = partnerWritableDirectory;
        this.partnerReadableDirectory = partnerReadableDirectory;
    }

    /**
     * Name of the directory in the home where the partner may write, rename, read and remove files, e.g.
     * {@code inbound}; the gateway collects complete files from it.
     */
    public String partnerWritableDirectory() {
        return partnerWritableDirectory;
    }

    /**
     * Name of the directory in the home where the partner may only read and remove files, e.g. {@code outbound};
     * the gateway delivers files into it.
     */
    public String partnerReadableDirectory() {
        return partnerReadableDirectory;
    }
}
