package dev.smtpwatch.it.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpwatch.it.AgentRun;
import dev.smtpwatch.it.ItSupport;
import dev.smtpwatch.it.Report;
import dev.smtpwatch.it.postfix.PostfixServer;
import dev.smtpwatch.it.postfix.PostfixServer.Listener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Libraries that wrap javax.mail or Jakarta Mail, each configured through its own API for STARTTLS against the
 * real Postfix (STARTTLS required, trusted certificate): one report line per connection Postfix saw, the message
 * it queued, the login that happened, and no finding at medium or above but those the library earns by default.
 */
@PostfixServer.Required
class WrapperLibrariesTest {
    static PostfixServer server;

    @BeforeAll
    static void startPostfix() {
        server = PostfixServer.shared();
    }

    enum Wrapper {
        COMMONS_EMAIL_JAVAX("smtpwatch.it.wrappersJavaxApp", "wrappers-javax", "commons-email", "javax.mail",
                Set.of()),
        LOG4J_SMTP_APPENDER_JAVAX("smtpwatch.it.wrappersJavaxApp", "wrappers-javax", "log4j", "javax.mail",
                Set.of("hostname-verification-off")),
        COMMONS_EMAIL_JAKARTA("smtpwatch.it.wrappersJakartaApp", "wrappers-jakarta", "commons-email", "angus-mail",
                Set.of()),
        LOG4J_SMTP_APPENDER_JAKARTA("smtpwatch.it.wrappersJakartaApp", "wrappers-jakarta", "log4j", "angus-mail",
                Set.of()),
        /** Simple Java Mail trusts every certificate unless told otherwise: the agent says so, rightly. */
        SIMPLE_JAVA_MAIL("smtpwatch.it.wrappersJakartaApp", "wrappers-jakarta", "simple-java-mail", "angus-mail",
                Set.of("certificate-validation-disabled"));

        final String jarProperty;
        final String module;
        final String wrapper;
        final String libraryName;
        final Set<String> expectedFindings;

        Wrapper(String jarProperty, String module, String wrapper, String libraryName, Set<String> expectedFindings) {
            this.jarProperty = jarProperty;
            this.module = module;
            this.wrapper = wrapper;
            this.libraryName = libraryName;
            this.expectedFindings = expectedFindings;
        }

        Path jar() {
            String configured = System.getProperty(jarProperty);
            return configured != null && !configured.isBlank() ? Paths.get(configured)
                    : Paths.get("..", "sample-apps", module, "target", "app.jar");
        }
    }

    @ParameterizedTest
    @EnumSource(Wrapper.class)
    void oneReportLinePerConnectionAndNoFalseFinding(Wrapper wrapper) throws IOException {
        Path report = ItSupport.workDir().resolve("wrappers").resolve(wrapper.name() + ".jsonl");
        Files.createDirectories(report.getParent());
        Files.deleteIfExists(report);
        AgentRun run = AgentRun.ofJar(wrapper.jar())
                .agentArgs("report=" + report + ",otel=off")
                .property("sample.wrapper", wrapper.wrapper)
                .property("mail.smtp.host", "localhost")
                .property("mail.smtp.port", server.port(Listener.SUBMISSION))
                .property("mail.smtp.starttls.enable", "true")
                .property("mail.smtp.starttls.required", "true")
                .property("mail.smtp.ssl.checkserveridentity", "true")
                .property("mail.smtp.connectiontimeout", UsagePatternTest.TIMEOUT_MS)
                .property("mail.smtp.timeout", UsagePatternTest.TIMEOUT_MS)
                .property("mail.smtp.writetimeout", UsagePatternTest.TIMEOUT_MS)
                .property("sample.user", server.user())
                .property("sample.password", server.password())
                .property("sample.from", "sender@example.com")
                .property("sample.to", "recipient@example.org")
                .property("javax.net.ssl.trustStore", server.trustStore())
                .property("javax.net.ssl.trustStorePassword", server.trustStorePassword())
                .property("javax.net.ssl.trustStoreType", "PKCS12");
        long mark = server.maillogMark();
        AgentRun.Result result = run.run();

        assertEquals(0, result.exitCode(), result::describe);
        ItSupport.assertNoCredentials(result, report, "AUTH", server.user(), server.password());
        ConnectionReferee.Tally tally = ConnectionReferee.judge(server, Listener.SUBMISSION, mark, report, 1,
                wrapper.expectedFindings, result);
        assertEquals(java.util.List.of(1), tally.postfixMessages(), tally::toString);
        JsonNode line = Report.single(report);
        assertEquals(wrapper.libraryName, line.at("/library/name").asText(), line::toString);
        assertEquals("sent", line.path("outcome").asText(), line::toString);
        assertTrue(line.at("/tls/established").asBoolean(), line::toString);
        assertEquals("LOGIN", line.at("/auth/mechanism").asText(), line::toString);
        System.out.println("wrapper " + wrapper + ": " + tally);
    }
}
