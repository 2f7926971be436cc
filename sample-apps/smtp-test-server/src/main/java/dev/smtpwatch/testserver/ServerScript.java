package dev.smtpwatch.testserver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;

/** The behaviour a {@link ScriptedSmtpServer} was built with; immutable, shared by all its connections. */
final class ServerScript {
    static final String DEFAULT_GREETING = "220 localhost ESMTP scripted";

    final TlsMode tlsMode;
    final SSLContext sslContext;
    /** null: the context's defaults. */
    final String[] tlsProtocols;
    final boolean stripStartTls;
    /** null: AUTH not enabled. */
    final String user;
    final String password;
    final List<String> authMechanisms;
    /** Lower-case addresses. */
    final Set<String> rejectedRecipients;
    /** Upper-case verb to reply line. */
    final Map<String, String> scriptedReplies;
    /** Upper-case verbs. */
    final Set<String> dropVerbs;
    /** Upper-case verbs never answered: the connection hangs from then on. */
    final Set<String> hangVerbs;
    /** null: no greeting at all. */
    final String greeting;
    final boolean requireEhlo;
    /** AUTH listed in EHLO before TLS even when TLS is required (AUTH itself still refused until then). */
    final boolean advertiseAuthBeforeTls;
    /** Never answers the end of DATA (the message is read, then nothing comes back). */
    final boolean hangAtEndOfData;
    final boolean dropInData;
    /** XOAUTH2 access token accepted for {@link #user}; null: XOAUTH2 is refused like any unknown mechanism. */
    final String oauthToken;
    /** Waited before every reply line is written (a server at some distance); 0: at once. */
    final long replyDelayNanos;

    ServerScript(TlsMode tlsMode, SSLContext sslContext, String[] tlsProtocols, boolean stripStartTls,
            String user, String password, List<String> authMechanisms, Set<String> rejectedRecipients,
            Map<String, String> scriptedReplies, Set<String> dropVerbs, Set<String> hangVerbs, String greeting,
            boolean requireEhlo, boolean advertiseAuthBeforeTls, boolean hangAtEndOfData, boolean dropInData,
            String oauthToken, long replyDelayNanos) {
        this.tlsMode = tlsMode;
        this.sslContext = sslContext;
        this.tlsProtocols = tlsProtocols == null ? null : tlsProtocols.clone();
        this.stripStartTls = stripStartTls;
        this.user = user;
        this.password = password;
        this.authMechanisms = Collections.unmodifiableList(new ArrayList<>(authMechanisms));
        this.rejectedRecipients = Collections.unmodifiableSet(new HashSet<>(rejectedRecipients));
        this.scriptedReplies = Collections.unmodifiableMap(new HashMap<>(scriptedReplies));
        this.dropVerbs = Collections.unmodifiableSet(new HashSet<>(dropVerbs));
        this.hangVerbs = Collections.unmodifiableSet(new HashSet<>(hangVerbs));
        this.greeting = greeting;
        this.requireEhlo = requireEhlo;
        this.advertiseAuthBeforeTls = advertiseAuthBeforeTls;
        this.hangAtEndOfData = hangAtEndOfData;
        this.dropInData = dropInData;
        this.oauthToken = oauthToken;
        this.replyDelayNanos = replyDelayNanos;
    }

    boolean authEnabled() {
        return user != null;
    }

    /** Whether STARTTLS is advertised and performed (before TLS is active). */
    boolean offersStartTls() {
        return (tlsMode == TlsMode.STARTTLS || tlsMode == TlsMode.STARTTLS_REQUIRED) && !stripStartTls;
    }

    boolean rejects(String recipient) {
        return rejectedRecipients.contains(recipient.toLowerCase(Locale.ROOT));
    }
}
