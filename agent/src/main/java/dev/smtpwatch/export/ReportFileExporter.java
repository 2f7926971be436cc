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
import java.util.Arrays;
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
    /** What every exporter of this file in this JVM writes under. */
    private final Object sameFile;
    private final long maxBytes;
    private final ReportLine format;
    private final Logger log;
    private final RepeatedFailures repeats;
    private final Ticker ticker;
    /** The lines of the batch, encoded, one after another; reused from batch to batch. */
    private final Batch pending = new Batch();
    /** Where each line is formatted before it is encoded; reused from line to line. */
    private final StringBuilder line = new StringBuilder(2048);
    private FileOutputStream out;
    private boolean failed;

    public ReportFileExporter(String path, long maxBytes, ReportLine format, Logger log) {
        this(path, maxBytes, format, log, FOLD_INTERVAL_NANOS, SYSTEM_TICKER);
    }

    ReportFileExporter(String path, long maxBytes, ReportLine format, Logger log, long foldIntervalNanos,
                       Ticker ticker) {
        this.file = new File(path).getAbsoluteFile();
        this.rotated = new File(file.getPath() + ".1");
        this.sameFile = WRITERS_IN_THIS_JVM.computeIfAbsent(file, k -> new Object());
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
            write(session, findings, 1, session.startEpochMillis());
        }
    }

    @Override
    public void entryEnded(EntryCall entry) {
        writeFolded(repeats.due(ticker.nanos()));
    }

    private void writeFolded(List<RepeatedFailures.Folded> folded) {
        for (RepeatedFailures.Folded f : folded) {
            write(f.first, f.findings, f.count, f.lastEpochMillis);
        }
    }

    /** Kept until the export thread's batch ends ({@link #batchEnded}): one locked write for all of them. */
    private void write(SmtpSession session, List<Finding> findings, int count, long lastEpochMillis) {
        if (!failed) {
            line.setLength(0);
            format.append(line, session, findings, count, lastEpochMillis);
            pending.add(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void batchEnded() {
        if (failed || pending.isEmpty()) {
            return;
        }
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
            if (line.capacity() > Batch.KEPT_BYTES) {
                line.setLength(0);
                line.trimToSize();
            }
        }
    }

    /**
     * Under the lock of the file this exporter has open. When another JVM rotated it (or an operator moved it away),
     * the handle is to the old file, whose size then differs from the file at the path: reopen and lock again. The
     * lines that fit under {@code report.maxMB} go in one write; before the next one the file is rotated, still
     * under its lock, so no other writer appends to it between the check and the rename.
     */
    private void append(Batch lines) throws IOException {
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
                        && (grown == 0 || grown + lines.length(end) <= maxBytes); end++) {
                        grown += lines.length(end);
                    }
                    if (end > from) {
                        writeWhole(channel, lines.bytes(from, end));
                    }
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

    private static void writeWhole(FileChannel channel, ByteBuffer buffer) throws IOException {
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

    /**
     * The encoded lines of a batch in one array, so that the batch is written from it as it is: no array per line
     * joined into another per batch. An array grown past {@link #KEPT_BYTES} by a burst is let go after it.
     */
    private static final class Batch {
        static final int KEPT_BYTES = 256 * 1024;

        private byte[] bytes = new byte[16 * 1024];
        private int length;
        /** Where each line ends in {@link #bytes}. */
        private int[] ends = new int[16];
        private int lines;

        void add(byte[] line) {
            if (length + line.length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + line.length));
            }
            System.arraycopy(line, 0, bytes, length, line.length);
            length += line.length;
            if (lines == ends.length) {
                ends = Arrays.copyOf(ends, lines * 2);
            }
            ends[lines++] = length;
        }

        int size() {
            return lines;
        }

        boolean isEmpty() {
            return lines == 0;
        }

        int length(int line) {
            return ends[line] - start(line);
        }

        /** Lines {@code from} to {@code end} (exclusive). */
        ByteBuffer bytes(int from, int end) {
            return ByteBuffer.wrap(bytes, start(from), ends[end - 1] - start(from));
        }

        void clear() {
            length = 0;
            lines = 0;
            if (bytes.length > KEPT_BYTES) {
                bytes = new byte[16 * 1024];
                ends = new int[16];
            }
        }

        private int start(int line) {
            return line == 0 ? 0 : ends[line - 1];
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
