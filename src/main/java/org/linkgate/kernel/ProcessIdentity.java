package org.linkgate.kernel;

/**
 * The user and group the gateway runs as (numeric ids), to judge who else a file's mode lets in.
 * Null where the platform is not Unix.
 */
public record ProcessIdentity(long uid, long gid) {

    private static final ProcessIdentity CURRENT = lookUp();

    public static ProcessIdentity current() {
        return CURRENT;
    }

    private static ProcessIdentity lookUp() {
        try {
            com.sun.security.auth.module.UnixSystem unix = new com.sun.security.auth.module.UnixSystem();
            return new ProcessIdentity(unix.getUid(), unix.getGid());
        } catch (LinkageError | RuntimeException notUnix) {
            return null;
        }
    }
}
