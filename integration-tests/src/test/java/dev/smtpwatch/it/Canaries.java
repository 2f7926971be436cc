package dev.smtpwatch.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The secrets every test hands the apps: distinctive enough that finding one anywhere in what the suite produced
 * means it leaked. {@code CanarySweepTest} looks for each in every form an SMTP client may put it on the wire.
 */
public final class Canaries {
    /** The password of every test login, scripted server and Postfix/Dovecot alike. */
    public static final String PASSWORD = "Canary-3f9a-Secret";
    /** The OAuth2 access token of the XOAUTH2 tests. */
    public static final String XOAUTH2_TOKEN = "ya29.Canary-OAuth-Token-7c1e";
    /** The logins the tests use with them (Postfix's SASL user, the scripted servers' user). */
    static final List<String> USERS = List.of("smtpwatch", "canary-user");

    private Canaries() {
    }

    /**
     * Each secret as text, base64 (AUTH LOGIN), inside AUTH PLAIN's {@code \0user\0password} and XOAUTH2's
     * {@code user=…\1auth=Bearer …\1\1} (base64), keyed by a name that says which form it is.
     */
    static Map<String, String> forms() {
        Map<String, String> forms = new LinkedHashMap<>();
        for (String secret : List.of(PASSWORD, XOAUTH2_TOKEN)) {
            forms.put(secret, secret);
            forms.put("base64(" + secret + ")", base64(secret));
            forms.put("base64 without padding(" + secret + ")", base64(secret).replace("=", ""));
        }
        List<String> users = new ArrayList<>(USERS);
        users.add("");
        for (String user : users) {
            forms.put("AUTH PLAIN " + user, base64("\0" + user + "\0" + PASSWORD));
            forms.put("AUTH PLAIN " + user + " (authzid)", base64(user + "\0" + user + "\0" + PASSWORD));
            forms.put("XOAUTH2 " + user, base64("user=" + user + "\1auth=Bearer " + XOAUTH2_TOKEN + "\1\1"));
        }
        return forms;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
