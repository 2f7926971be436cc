package dev.smtpwatch.export;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.session.SmtpSession;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;

/**
 * Appends one line per session to the report file. Each line is one write of the whole line under an
 * exclusive file lock, on a file opened for append, so two JVMs sharing the file never interleave lines.
 * A file that cannot be written gives one warning and is then left alone: the app is never affected.
 */
public final class ReportFileExporter implements SessionExporter {
    /** File locks are held per JVM, and a second lock on the same file in one JVM throws: serialize here first. */
    private static final ConcurrentMap<File, Object> WRITERS_IN_THIS_JVM = new ConcurrentHashMap<File, Object>();

    private final File file;
    private final ReportLine format;
    private final Logger log;
    private FileOutputStream out;
    private boolean failed;

    public ReportFileExporter(String path, ReportLine format, Logger log) {
        this.file = new File(path).getAbsoluteFile();
        this.format = format;
        this.log = log;
    }

    @Override
    public void export(SmtpSession session, List<Finding> findings) {
        if (failed) {
            return;
        }
        byte[] line = (format.format(session, findings) + "\n").getBytes(StandardCharsets.UTF_8);
        Object sameFile = WRITERS_IN_THIS_JVM.computeIfAbsent(file, k -> new Object());
        try {
            FileChannel channel = open().getChannel();
            synchronized (sameFile) {
                try (FileLock lock = channel.lock()) {
                    ByteBuffer buffer = ByteBuffer.wrap(line);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            log.warn("cannot write the report file {} ({}); no further report lines are written, mail is unaffected",
                file, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private FileOutputStream open() throws IOException {
        if (out == null) {
            File dir = file.getParentFile();
            if (dir != null && !dir.isDirectory() && !dir.mkdirs() && !dir.isDirectory()) {
                throw new IOException("cannot create directory " + dir);
            }
            out = new FileOutputStream(file, true);
        }
        return out;
    }

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // closing an append-only file loses nothing: every line was written whole already
            }
        }
    }
}
