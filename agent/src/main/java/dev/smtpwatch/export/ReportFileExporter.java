package dev.smtpwatch.export;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.session.EntryCall;
import dev.smtpwatch.session.SmtpSession;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Appends one line per session to the report file. The lines of one batch of the export thread are one write
 * under an exclusive file lock, on a file opened for append, so two JVMs sharing the file never interleave lines.
 * Identical failed connects are folded ({@link RepeatedFailures}); a file that would grow past {@code report.maxMB}
 * is renamed to {@code <path>.1} (replacing an older one) and a new one begun. A file that cannot be written gives
 * one warning and is then left alone: the app is never affected.
 */
public final class ReportFileExporter implements SessionExporter {
    /** File locks are held per JVM, and a second lock on the same file in one JVM throws: serialize here first. */
    private static final ConcurrentMap<File, Object> WRITERS_IN_THIS_JVM = new ConcurrentHashMap<File, Object>();
    static final long FOLD_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final File file;
    private final File rotated;
    private final long maxBytes;
    private final ReportLine format;
    private final Logger log;
    private final RepeatedFailures repeats;
    private final Ticker ticker;
    private final List<byte[]> pending = new ArrayList<byte[]>();
    private FileOutputStream out;
    private boolean failed;

    public ReportFileExporter(String path, long maxBytes, ReportLine format, Logger log) {
        this(path, maxBytes, format, log, FOLD_INTERVAL_NANOS, SYSTEM_TICKER);
    }

    ReportFileExporter(String path, long maxBytes, ReportLine format, Logger log, long foldIntervalNanos,
                       Ticker ticker) {
        this.file = new File(path).getAbsoluteFile();
        this.rotated = new File(file.getPath() + ".1");
        this.maxBytes = maxBytes;
        this.format = format;
        this.log = log;
        this.repeats = new RepeatedFailures(foldIntervalNanos);
        this.ticker = ticker;
    }

    @Override
    public void export(SmtpSession session, List<Finding> findings) {
        long now = ticker.nanos();
        writeFolded(repeats.due(now));
        if (repeats.admit(session, findings, now)) {
            write(format.format(session, findings));
        }
    }

    @Override
    public void entryEnded(EntryCall entry) {
        writeFolded(repeats.due(ticker.nanos()));
    }

    private void writeFolded(List<RepeatedFailures.Folded> folded) {
        for (RepeatedFailures.Folded f : folded) {
            write(format.format(f.first, f.findings, f.count, f.lastEpochMillis));
        }
    }

    /** Kept until the export thread's batch ends ({@link #batchEnded}): one locked write for all of them. */
    private void write(String text) {
        if (!failed) {
            pending.add((text + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void batchEnded() {
        if (failed || pending.isEmpty()) {
            return;
        }
        Object sameFile = WRITERS_IN_THIS_JVM.computeIfAbsent(file, k -> new Object());
        try {
            synchronized (sameFile) {
                append(pending);
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            log.warn("cannot write the report file {} ({}); no further report lines are written, mail is unaffected",
                file, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } finally {
            pending.clear();
        }
    }

    /**
     * Under the lock of the file this exporter has open. When another JVM rotated it (or an operator moved it away),
     * the handle is to the old file, whose size then differs from the file at the path: reopen and lock again. The
     * lines that fit under {@code report.maxMB} go in one write; before the next one the file is rotated, still
     * under its lock, so no other writer appends to it between the check and the rename.
     */
    private void append(List<byte[]> lines) throws IOException {
        int from = 0;
        int staleSeen = 0;
        while (from < lines.size()) {
            FileOutputStream current = open();
            FileChannel channel = current.getChannel();
            boolean reopen;
            try (FileLock lock = channel.lock()) {
                long size = channel.size();
                if (staleSeen < 3 && size != file.length()) {
                    staleSeen++;
                    reopen = true;
                } else {
                    int end = from;
                    for (long grown = size; end < lines.size()
                        && (grown == 0 || grown + lines.get(end).length <= maxBytes); end++) {
                        grown += lines.get(end).length;
                    }
                    writeWhole(channel, joined(lines, from, end));
                    from = end;
                    reopen = from < lines.size();
                    if (reopen) {
                        Files.move(file.toPath(), rotated.toPath(), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            if (reopen) {
                current.close();
                out = null;
            }
        }
    }

    private static byte[] joined(List<byte[]> lines, int from, int end) {
        if (end - from == 1) {
            return lines.get(from);
        }
        int length = 0;
        for (int i = from; i < end; i++) {
            length += lines.get(i).length;
        }
        byte[] all = new byte[length];
        for (int i = from, at = 0; i < end; at += lines.get(i).length, i++) {
            System.arraycopy(lines.get(i), 0, all, at, lines.get(i).length);
        }
        return all;
    }

    private static void writeWhole(FileChannel channel, byte[] line) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
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
        writeFolded(repeats.all());
        batchEnded();
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // closing an append-only file loses nothing: every line was written whole already
            }
        }
    }

    /** The clock of the fold interval; a test's own in unit tests. */
    interface Ticker {
        long nanos();
    }

    private static final Ticker SYSTEM_TICKER = new Ticker() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }
    };
}
