package dev.smtpwatch.rules;

import dev.smtpwatch.session.SmtpSession;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** {@code weak-tls}: TLS below 1.2, or a NULL, anonymous, export, RC4, (3)DES or CBC-with-SHA-1 cipher suite. */
public final class WeakTlsRule implements Rule {
    private static final List<String> WEAK_PROTOCOLS = Arrays.asList("SSLv2", "SSLv2Hello", "SSLv3", "TLSv1",
        "TLSv1.1");
    private static final String[] WEAK_SUITE_PARTS = {"_NULL_", "_anon_", "_EXPORT", "_RC4_", "_DES_", "_3DES_",
        "DES40", "_MD5"};

    @Override
    public List<Finding> judge(SmtpSession session) {
        if (!session.tlsEstablished()) {
            return Collections.emptyList();
        }
        String protocol = session.tlsProtocol();
        String cipher = session.tlsCipher();
        boolean weakProtocol = weakProtocol(protocol);
        boolean weakCipher = weakSuite(cipher);
        if (!weakProtocol && !weakCipher) {
            return Collections.emptyList();
        }
        String where = SessionFacts.where(session);
        String what = weakProtocol && weakCipher ? "a protocol below TLS 1.2 and a weak cipher suite"
            : weakProtocol ? "a protocol below TLS 1.2" : "a weak cipher suite";
        String protocols = Fixes.key(session, "ssl.protocols") + "=TLSv1.2 TLSv1.3";
        String ciphers = Fixes.key(session, "ssl.ciphersuites")
            + "=TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
            + " TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
        String fix = weakProtocol && weakCipher ? Fixes.set(session, protocols, ciphers)
            : weakProtocol ? Fixes.set(session, protocols) : Fixes.set(session, ciphers);
        return Collections.singletonList(new Finding("weak-tls", Severity.MEDIUM,
            "TLS with " + where + " negotiated " + protocol + " with " + cipher + ", " + what,
            fix + ", and enable TLS 1.2+ with AEAD suites on " + where));
    }

    /** Below TLS 1.2 (also used by {@code probe}). */
    public static boolean weakProtocol(String protocol) {
        return WEAK_PROTOCOLS.contains(protocol);
    }

    /** A NULL, anonymous, export, RC4, (3)DES, MD5 or CBC-with-SHA-1 suite (also used by {@code probe}). */
    public static boolean weakSuite(String cipher) {
        if (cipher == null) {
            return false;
        }
        for (String part : WEAK_SUITE_PARTS) {
            if (cipher.contains(part)) {
                return true;
            }
        }
        return cipher.endsWith("_CBC_SHA");
    }
}
