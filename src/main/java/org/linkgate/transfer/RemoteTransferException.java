package org.linkgate.transfer;

import java.io.IOException;

/** A transfer to or from a department's SFTP server failed; the message names the endpoint and file, never key material. */
public class RemoteTransferException extends IOException {

    private static final long serialVersionUID = 1L;

    public RemoteTransferException(String message) {
        super(message);
    }

    public RemoteTransferException(String message, Throwable cause) {
        super(message, cause);
    }
}
