package dev.smtpwatch.rules;

import dev.smtpwatch.session.CommandGuard;
import dev.smtpwatch.session.SmtpCommand;
import dev.smtpwatch.session.SmtpSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code enforce}: which findings stop the command that would cause them, and which hosts are only reported.
 * Decided from the recorded session alone, on the app's thread, before the command's bytes are written.
 */
public final class EnforcementPolicy implements CommandGuard {
    /** The findings one command causes before anything leaks; in the catalogue's order. */
    public static final List<String> ENFORCEABLE = Collections.unmodifiableList(
        Arrays.asList(CleartextAuthRule.ID, StartTlsDowngradeRule.ID));
    /** {@code enforce.allow} keyword: every loopback host (by name or address, never resolved). */
    public static final String ALLOW_LOOPBACK = "loopback";
    /** {@code enforce.allow} keyword: no host is exempt. */
    public static final String ALLOW_NONE = "none";

    private final List<EnforceableRule> rules = new ArrayList<EnforceableRule>(2);
    private final boolean allowLoopback;
    private final Set<String> allowedHosts = new HashSet<String>();

    /**
     * @param findingIds ids from {@link #ENFORCEABLE} (others are ignored: the configuration warned about them)
     * @param allow      {@code enforce.allow}: {@code loopback}, {@code none}, host names and addresses
     */
    public EnforcementPolicy(Collection<String> findingIds, Collection<String> allow) {
        // the downgrade first: where both apply, it names the cause (the missing offer) the app's error should show
        for (EnforceableRule rule : Arrays.<EnforceableRule>asList(new StartTlsDowngradeRule(),
            new CleartextAuthRule())) {
            if (findingIds.contains(rule.id())) {
                rules.add(rule);
            }
        }
        boolean loopback = false;
        for (String entry : allow) {
            String host = normalized(entry);
            if (ALLOW_LOOPBACK.equals(host)) {
                loopback = true;
            } else if (!ALLOW_NONE.equals(host) && !host.isEmpty()) {
                allowedHosts.add(host);
            }
        }
        this.allowLoopback = loopback;
    }

    /** Whether any finding is enforced at all. */
    public boolean active() {
        return !rules.isEmpty();
    }

    /** Hosts in {@code enforce.allow} are reported, not blocked: matched as written, never resolved. */
    public boolean allowed(String host) {
        if (host == null) {
            return false;
        }
        return allowLoopback && SessionFacts.loopback(host) || allowedHosts.contains(normalized(host));
    }

    @Override
    public List<String> findingsCausedBy(SmtpSession session, SmtpCommand command) {
        if (command.tls() || allowed(session.serverAddress())) {
            return Collections.emptyList();
        }
        List<String> ids = new ArrayList<String>(rules.size());
        for (EnforceableRule rule : rules) {
            if (rule.causedBy(session, command)) {
                ids.add(rule.id());
            }
        }
        return ids;
    }

    @Override
    public String blockedMessage(SmtpSession session, String findingId) {
        for (EnforceableRule rule : rules) {
            if (rule.id().equals(findingId)) {
                for (Finding finding : rule.judge(session)) {
                    return "smtpwatch blocked " + findingId + ": " + finding.message() + " — fix: " + finding.fix();
                }
            }
        }
        return "smtpwatch blocked " + findingId;
    }

    private static String normalized(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
