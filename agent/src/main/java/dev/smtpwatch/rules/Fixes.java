package dev.smtpwatch.rules;

import dev.smtpwatch.session.EntryCall;
import dev.smtpwatch.session.SmtpSession;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The wording of fixes: the exact {@code mail.*} keys for the protocol in use ({@code mail.smtp.} or
 * {@code mail.smtps.}; javax.mail, Jakarta Mail and Angus read the same keys), plus the Spring Boot property when
 * the session came from Spring's {@code JavaMailSender}.
 */
final class Fixes {
    static final String TRANSPORT_PROTOCOL = "mail.transport.protocol";
    /** Protocols are {@code smtp} and {@code smtps}, or an app's own name for one: a few per JVM. */
    private static final int MAX_CACHED_PROTOCOLS = 8;
    /**
     * {@link #requireStartTls} per protocol, outside Spring: the fix of every plaintext session, which several rules
     * give, made once.
     */
    private static final ConcurrentMap<String, String> REQUIRE_STARTTLS = new ConcurrentHashMap<String, String>();

    private Fixes() {
    }

    /** {@code mail.<protocol>.<suffix>}: the key the library reads for this session. */
    static String key(SmtpSession s, String suffix) {
        return "mail." + s.config().protocol() + "." + suffix;
    }

    /** "set a=1, b=2 and c=3", with the Spring Boot spelling appended for Spring sessions. */
    static String set(SmtpSession s, String... settings) {
        String fix = "set " + list(settings);
        if (!fromSpring(s)) {
            return fix;
        }
        String[] spring = new String[settings.length];
        for (int i = 0; i < settings.length; i++) {
            spring[i] = spring(settings[i]);
        }
        return fix + " (Spring Boot: " + list(spring) + ")";
    }

    /** "rename a to b", with the Spring Boot spelling appended for Spring sessions. */
    static String rename(SmtpSession s, String from, String to) {
        String fix = "rename " + from + " to " + to;
        return fromSpring(s) ? fix + " (Spring Boot: " + spring(from) + " to " + spring(to) + ")" : fix;
    }

    /** STARTTLS on and mandatory: the library then refuses to go on without TLS. */
    static String requireStartTls(SmtpSession s) {
        String protocol = s.config().protocol();
        boolean cacheable = protocol != null && !fromSpring(s);
        String fix = cacheable ? REQUIRE_STARTTLS.get(protocol) : null;
        if (fix == null) {
            fix = set(s, key(s, "starttls.enable") + "=true", key(s, "starttls.required") + "=true");
            if (cacheable && REQUIRE_STARTTLS.size() < MAX_CACHED_PROTOCOLS) {
                REQUIRE_STARTTLS.put(protocol, fix);
            }
        }
        return fix;
    }

    /**
     * For a library that did STARTTLS only in answer to a 530 to AUTH, and then repeated AUTH without EHLO: STARTTLS
     * configured and mandatory, so it is done up front and followed by EHLO.
     */
    static String startTlsBeforeAuth(SmtpSession s) {
        return requireStartTls(s) + " so the library starts TLS before AUTH and sends EHLO after it";
    }

    /** The Spring Boot property for a {@code mail.*} key or {@code key=value}. */
    static String spring(String setting) {
        if (setting.startsWith(TRANSPORT_PROTOCOL + "=")) {
            return "spring.mail.protocol" + setting.substring(TRANSPORT_PROTOCOL.length());
        }
        return "spring.mail.properties." + setting;
    }

    static boolean fromSpring(SmtpSession s) {
        EntryCall entry = s.entry();
        return entry != null && entry.id().startsWith("spring.");
    }

    /** "a, b and c". */
    static String list(String[] items) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < items.length; i++) {
            if (i > 0) {
                b.append(i == items.length - 1 ? " and " : ", ");
            }
            b.append(items[i]);
        }
        return b.toString();
    }
}
