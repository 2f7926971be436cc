package dev.smtpwatch.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.session.MailLibrary;
import dev.smtpwatch.session.SessionFixture;
import dev.smtpwatch.session.SmtpSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleCatalogTest {
    private final RuleCatalog catalog = RuleCatalog.standard();

    private static void assertNothingAtMediumOrAbove(List<Finding> findings) {
        for (Finding f : findings) {
            assertTrue(f.severity().compareTo(Severity.MEDIUM) < 0, () -> Sessions.describe(findings));
        }
    }

    @Test
    void aCleanStartTlsSessionHasNoFinding() {
        for (String library : new String[] {MailLibrary.JAVAX, MailLibrary.JAKARTA, MailLibrary.ANGUS}) {
            SmtpSession session = Sessions.startTlsSession(Sessions.startTlsConfig(587).library(library)
                .property("mail.smtp.auth").property("mail.smtp.starttls.enable")
                .property("mail.smtp.starttls.required").property("mail.smtp.ssl.checkserveridentity"));
            assertEquals(Arrays.asList(), catalog.judge(session), Sessions.describe(catalog.judge(session)));
        }
    }

    @Test
    void aCleanImplicitTlsSessionHasNoFinding() {
        SmtpSession session = Sessions.implicitTlsSession(Sessions.implicitTlsConfig(465)
            .property("mail.smtp.auth").property("mail.smtp.ssl.enable"));
        assertEquals(Arrays.asList(), catalog.judge(session), Sessions.describe(catalog.judge(session)));
    }

    @Test
    void cleanSessionsOnNonStandardPortsHaveNoFinding() {
        assertNothingAtMediumOrAbove(catalog.judge(Sessions.startTlsSession(Sessions.startTlsConfig(10587))));
        assertNothingAtMediumOrAbove(catalog.judge(Sessions.implicitTlsSession(Sessions.implicitTlsConfig(10465))));
        // servers that swap the conventions, spoken to the way they actually work
        assertNothingAtMediumOrAbove(catalog.judge(Sessions.implicitTlsSession(Sessions.implicitTlsConfig(587))));
        assertNothingAtMediumOrAbove(catalog.judge(Sessions.startTlsSession(Sessions.startTlsConfig(465))));
    }

    @Test
    void startTlsEnabledButNotRequiredGetsOnlyStartTlsNotRequired() {
        List<Finding> findings = catalog.judge(Sessions.startTlsSession(SessionFixture.at(Sessions.HOST, 587)
            .startTls(true, false).checkServerIdentity(true).auth()));
        assertEquals(Arrays.asList("starttls-not-required"), ids(findings), Sessions.describe(findings));
    }

    @Test
    void aPlaintextLoopbackRelayWithoutAuthIsOnlyInfo() {
        assertNothingAtMediumOrAbove(catalog.judge(SessionFixture.at("localhost", 25).greeting(220).ehlo(false)
            .sendMessage().quit().end()));
    }

    @Test
    void findingsComeOutInTheSpecTableOrder() {
        List<Finding> findings = catalog.judge(Sessions.plaintextSession(SessionFixture.at("relay.example.com", 25)
            .auth().property("mail.smpt.auth"), true));
        assertEquals(Arrays.asList("cleartext-auth", "starttls-not-used", "property-typo", "cleartext-message"),
            ids(findings), Sessions.describe(findings));
    }

    private static List<String> ids(List<Finding> findings) {
        List<String> ids = new ArrayList<String>();
        for (Finding f : findings) {
            ids.add(f.id());
        }
        return ids;
    }
}
