package dev.smtpwatch.export;

import dev.smtpwatch.rules.Finding;
import dev.smtpwatch.session.MailLibrary;
import dev.smtpwatch.session.ServerCertificate;
import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpConfig;
import dev.smtpwatch.session.SmtpError;
import dev.smtpwatch.session.SmtpSession;
import java.lang.ref.WeakReference;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Formats a judged session as one line of schema {@code smtpwatch.session/1}. */
public final class ReportLine {
    public static final String SCHEMA = "smtpwatch.session/1";
    private static final int MAX_ERROR_MESSAGE = 1000;

    private final LibraryVersions versions = new LibraryVersions();
    /** The connections of one mail session share their library and settings objects, so their JSON repeats. */
    private final LastFragment<MailLibrary> library = new LastFragment<MailLibrary>() {
        @Override
        void write(Json json, MailLibrary l) {
            json.object("library")
                .field("name", l.name())
                .field("version", versions.of(l.transportClass()))
                .field("transport", l.transportClass().getName())
                .end();
        }
    };
    private final LastFragment<SmtpConfig> config = new LastFragment<SmtpConfig>() {
        @Override
        void write(Json json, SmtpConfig c) {
            json.object("config")
                .field("protocol", c.protocol())
                .field("starttls.enable", c.startTlsEnable())
                .field("starttls.required", c.startTlsRequired())
                .field("ssl.enable", c.sslEnable())
                .field("auth", c.auth())
                .field("credentials", c.credentials())
                .field("ssl.trust", c.sslTrust())
                .field("ssl.checkserveridentity", c.checkServerIdentity())
                .end();
        }
    };

    public String format(SmtpSession s, List<Finding> findings) {
        StringBuilder line = new StringBuilder(2048);
        append(line, s, findings, 1, s.startEpochMillis());
        return line.toString();
    }

    /**
     * Appends the session's line (without its newline) to {@code out}. {@code repeats} &gt; 1: the line standing for
     * that many identical failed connects, {@code s} the first of them (its time) and {@code lastEpochMillis} when
     * the last one started ({@link RepeatedFailures}).
     */
    void append(StringBuilder out, SmtpSession s, List<Finding> findings, int repeats, long lastEpochMillis) {
        Json json = new Json(out).begin()
            .field("schema", SCHEMA)
            .field("time", isoUtc(s.startEpochMillis()))
            .field("durationMs", s.durationMs());
        json.fragment(library.of(s.library()));
        json.field("entry", s.entry() == null ? null : s.entry().id());
        json.object("server").field("address", s.serverAddress()).field("port", s.serverPort()).end();
        json.fragment(config.of(s.config()));
        json.object("tls").field("mode", s.tlsMode().id()).field("established", s.tlsEstablished())
            .field("protocol", s.tlsProtocol()).field("cipher", s.tlsCipher());
        if (!s.serverCertificates().isEmpty()) {
            ServerCertificate leaf = s.serverCertificates().get(0);
            json.object("certificate").field("subject", leaf.subject()).field("issuer", leaf.issuer())
                .field("notAfter", isoUtc(leaf.notAfterMillis())).end();
        }
        json.end();
        json.beginArray("commands");
        for (SmtpCommand command : s.commands()) {
            json.element().field("verb", command.verb()).field("arg", command.arg())
                .field("tls", command.tls()).field("reply", command.reply());
            if (command.blocked()) {
                json.field("blocked", true);
            }
            json.end();
        }
        json.endArray();
        if (s.commandsNotRecorded() > 0) {
            json.field("commandsNotRecorded", s.commandsNotRecorded());
        }
        json.field("greeting", s.greeting());
        SmtpCommand auth = s.auth();
        if (auth != null) {
            json.object("auth").field("mechanism", auth.arg()).field("tls", auth.tls())
                .field("outcome", auth.blocked() ? "blocked" : authOutcome(auth.reply())).end();
        }
        json.field("logins", s.logins());
        json.field("messages", s.messages());
        if (!s.queueIds().isEmpty()) {
            json.beginArray("queueIds");
            for (String id : s.queueIds()) {
                json.stringElement(id);
            }
            json.endArray();
        }
        if (s.queueIdsNotRecorded() > 0) {
            json.field("queueIdsNotRecorded", s.queueIdsNotRecorded());
        }
        json.field("outcome", s.outcome());
        SmtpError error = s.error();
        if (error != null) {
            json.object("error").field("type", error.type()).field("message", truncate(error.message())).end();
        }
        if (repeats > 1) {
            json.field("repeats", repeats).field("lastTime", isoUtc(lastEpochMillis));
        }
        if (s.openAtExit()) {
            json.field("openAtExit", true);
        }
        json.beginArray("findings");
        for (Finding f : findings) {
            json.element().field("id", f.id()).field("severity", f.severity().id()).field("message", f.message())
                .field("fix", f.fix()).field("detail", f.detail());
            if (s.enforcedFindings().contains(f.id())) {
                json.field("enforced", true);
            }
            json.end();
        }
        json.endArray().end();
    }

    private static String authOutcome(int reply) {
        if (reply >= 200 && reply < 300) {
            return "success";
        }
        return reply == SmtpCommand.NO_REPLY ? "no-reply" : "failure";
    }

    private static String truncate(String message) {
        if (message == null || message.length() <= MAX_ERROR_MESSAGE) {
            return message;
        }
        return message.substring(0, MAX_ERROR_MESSAGE) + "…";
    }

    /** UTC, ISO-8601 with milliseconds: {@code 2026-11-23T12:00:00.123Z}. */
    public static String isoUtc(long epochMillis) {
        // one call per report line: SimpleDateFormat cost more than the rest of the line, DateTimeFormatter's
        // pattern parsing more classes at the first session; the calendar arithmetic is the JDK's
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000L),
            (int) Math.floorMod(epochMillis, 1000L) * 1_000_000, ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(24);
        digits(out, t.getYear(), 4).append('-');
        digits(out, t.getMonthValue(), 2).append('-');
        digits(out, t.getDayOfMonth(), 2).append('T');
        digits(out, t.getHour(), 2).append(':');
        digits(out, t.getMinute(), 2).append(':');
        digits(out, t.getSecond(), 2).append('.');
        return digits(out, t.getNano() / 1_000_000, 3).append('Z').toString();
    }

    private static StringBuilder digits(StringBuilder out, int value, int width) {
        int unit = 1;
        for (int i = 1; i < width; i++) {
            unit *= 10;
        }
        if (value >= unit * 10) {
            return out.append(value); // a year past 9999
        }
        for (; unit > 0; unit /= 10) {
            out.append((char) ('0' + value / unit % 10));
        }
        return out;
    }

    /**
     * The JSON of the object the last line was written for, reused while the lines keep coming for the same one.
     * Holds that object weakly: a library names its transport class, and with it a webapp's class loader. Used by
     * the export thread; a second thread at worst writes the JSON once more.
     */
    private abstract static class LastFragment<T> {
        private volatile Written<T> last;

        String of(T object) {
            Written<T> w = last;
            if (w == null || w.get() != object) {
                StringBuilder json = new StringBuilder(256);
                write(new Json(json), object);
                w = new Written<T>(object, json.toString());
                last = w;
            }
            return w.json;
        }

        /** Appends {@code "name":{...}} for {@code object}. */
        abstract void write(Json json, T object);

        private static final class Written<T> extends WeakReference<T> {
            final String json;

            Written(T object, String json) {
                super(object);
                this.json = json;
            }
        }
    }
}
