package org.linkgate.demo;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Vector;

/**
 * What a partner does with its drop-zone, over real SFTP (JSch): upload under a temporary
 * name then rename, list and download. Host keys are pinned from a known_hosts file; used by
 * the demo command and the end-to-end tests.
 */
public final class PartnerSftpClient implements AutoCloseable {

    private final Session session;
    private final ChannelSftp sftp;

    public PartnerSftpClient(String host, int port, String user, Path privateKey, Path knownHosts) throws JSchException {
        JSch jsch = new JSch();
        jsch.addIdentity(privateKey.toString());
        jsch.setKnownHosts(knownHosts.toString());
        session = jsch.getSession(user, host, port);
        session.setConfig("StrictHostKeyChecking", "yes");
        session.setConfig("PreferredAuthentications", "publickey");
        session.connect(15_000);
        sftp = (ChannelSftp) session.openChannel("sftp");
        sftp.connect(15_000);
    }

    /** Uploads to {@code dir/name.part}, then renames to {@code dir/name}, as careful clients do. */
    public void upload(InputStream content, String dir, String name) throws SftpException {
        String partial = dir + "/" + name + ".part";
        sftp.put(content, partial);
        sftp.rename(partial, dir + "/" + name);
    }

    public List<String> list(String dir) throws SftpException {
        Vector<ChannelSftp.LsEntry> entries = sftp.ls(dir);
        return entries.stream().map(ChannelSftp.LsEntry::getFilename)
                .filter(n -> !n.equals(".") && !n.equals("..")).sorted().toList();
    }

    public byte[] download(String path) throws SftpException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sftp.get(path, out);
        return out.toByteArray();
    }

    public ChannelSftp channel() {
        return sftp;
    }

    @Override
    public void close() {
        sftp.disconnect();
        session.disconnect();
    }
}
