package dev.smtpwatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
    private static final Map<String, String> NO_ENV = Collections.emptyMap();

    @Test
    void defaultsAsTheSpecSays() {
        AgentConfig c = AgentConfig.parse(null, new Properties(), NO_ENV);
        assertNull(c.report());
        assertTrue(c.otel());
        assertEquals(AgentConfig.LogLevel.WARN, c.log());
        assertTrue(c.mask());
        assertEquals(200, c.commandsMax());
        assertFalse(c.debug());
        assertEquals(60, c.stuckSeconds());
        assertEquals(21, c.certExpiryDays());
        assertEquals(List.of(), c.enforce());
        assertEquals(List.of("loopback"), c.enforceAllow());
        assertEquals(100L * 1024 * 1024, c.reportMaxBytes());
        assertTrue(c.warnings().isEmpty());
    }

    @Test
    void enforceOnIsTheTwoEnforceableFindingsAndASegmentWithoutEqualsContinuesTheList() {
        AgentConfig on = AgentConfig.parse("enforce=on,enforce.allow=none", new Properties(), NO_ENV);
        assertEquals(List.of("cleartext-auth", "starttls-downgrade"), on.enforce());
        assertEquals(List.of("none"), on.enforceAllow());

        AgentConfig listed = AgentConfig.parse(
            "enforce=starttls-downgrade,cleartext-auth,otel=off,enforce.allow=loopback,relay.internal,10.0.0.5",
            new Properties(), NO_ENV);
        assertEquals(List.of("starttls-downgrade", "cleartext-auth"), listed.enforce());
        assertEquals(List.of("loopback", "relay.internal", "10.0.0.5"), listed.enforceAllow());
        assertFalse(listed.otel());
        assertTrue(listed.warnings().isEmpty(), listed.warnings().toString());
    }

    @Test
    void enforceFromSystemPropertyAndEnvironmentAndUnknownIdsAreNamedNotFatal() {
        Properties system = new Properties();
        system.setProperty("smtpwatch.enforce", "cleartext-auth, certificate-validation-disabled ,clear-text-auth");
        AgentConfig c = AgentConfig.parse(null, system, Map.of("SMTPWATCH_ENFORCE_ALLOW", "mail.example.com"));

        assertEquals(List.of("cleartext-auth"), c.enforce());
        assertEquals(List.of("mail.example.com"), c.enforceAllow());
        assertEquals(List.of("'certificate-validation-disabled' in 'enforce' (system property smtpwatch.enforce) is"
            + " not a finding that can be enforced, ignored; valid: on, off, cleartext-auth, starttls-downgrade",
            "'clear-text-auth' in 'enforce' (system property smtpwatch.enforce) is not a finding that can be"
            + " enforced, ignored; valid: on, off, cleartext-auth, starttls-downgrade"), c.warnings());

        assertEquals(List.of(), AgentConfig.parse("enforce=off", new Properties(),
            Map.of("SMTPWATCH_ENFORCE", "on")).enforce());
    }

    @Test
    void reportMaxMbTakesDecimalsAndRefusesZeroOrWords() {
        Map<String, String> env = Map.of("SMTPWATCH_REPORT_MAXMB", "0.01");
        assertEquals(10485, AgentConfig.parse(null, new Properties(), env).reportMaxBytes());

        AgentConfig bad = AgentConfig.parse("report.maxMB=0", new Properties(), NO_ENV);
        assertEquals(100L * 1024 * 1024, bad.reportMaxBytes());
        assertEquals(List.of("invalid value '0' for 'report.maxMB' (agent argument); valid: a number above 0"
            + " (decimals allowed); using 100.0"), bad.warnings());
    }

    @Test
    void stuckSecondsZeroTurnsTheWatchdogOffAndNegativeValuesKeepTheDefault() {
        Map<String, String> env = new HashMap<>();
        env.put("SMTPWATCH_STUCK_SECONDS", "0");
        env.put("SMTPWATCH_CERT_EXPIRY_DAYS", "30");
        AgentConfig c = AgentConfig.parse(null, new Properties(), env);
        assertEquals(0, c.stuckSeconds());
        assertEquals(30, c.certExpiryDays());
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());

        AgentConfig bad = AgentConfig.parse("stuck.seconds=-1,cert.expiry.days=soon", new Properties(), NO_ENV);
        assertEquals(60, bad.stuckSeconds());
        assertEquals(21, bad.certExpiryDays());
        assertEquals(List.of("invalid value '-1' for 'stuck.seconds' (agent argument); valid: a whole number of at"
            + " least 0; using 60", "invalid value 'soon' for 'cert.expiry.days' (agent argument); valid: a whole"
            + " number of at least 0; using 21"), bad.warnings());
    }

    @Test
    void agentArgumentBeatsSystemPropertyBeatsEnvironment() {
        Properties system = new Properties();
        system.setProperty("smtpwatch.report", "/from/property.jsonl");
        system.setProperty("smtpwatch.log", "info");
        Map<String, String> env = new HashMap<>();
        env.put("SMTPWATCH_REPORT", "/from/env.jsonl");
        env.put("SMTPWATCH_LOG", "off");
        env.put("SMTPWATCH_COMMANDS_MAX", "7");

        AgentConfig c = AgentConfig.parse("report=/from/arg.jsonl,otel=off", system, env);

        assertEquals("/from/arg.jsonl", c.report());
        assertFalse(c.otel());
        assertEquals(AgentConfig.LogLevel.INFO, c.log());
        assertEquals(7, c.commandsMax());
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
    }

    @Test
    void logAppSendsTheWarnLinesThroughTheAppAndAppInfoTheSessionLinesToo() {
        AgentConfig app = AgentConfig.parse("log=app", new Properties(), Collections.emptyMap());
        AgentConfig appInfo = AgentConfig.parse("log=app-info", new Properties(), Collections.emptyMap());

        assertTrue(app.log().toApp());
        assertFalse(app.log().perSession());
        assertTrue(appInfo.log().toApp());
        assertTrue(appInfo.log().perSession());
        assertTrue(app.warnings().isEmpty() && appInfo.warnings().isEmpty());
    }

    @Test
    void unknownKeysAndBadValuesWarnNameTheChoicesAndKeepDefaults() {
        Properties system = new Properties();
        system.setProperty("smtpwatch.reprot", "/tmp/x");
        AgentConfig c = AgentConfig.parse("foo=bar,log=loud,commands.max=-3,mask=maybe,debug", system,
            Collections.singletonMap("SMTPWATCH_OTLE", "off"));

        assertEquals(AgentConfig.LogLevel.WARN, c.log());
        assertEquals(200, c.commandsMax());
        assertTrue(c.mask());
        assertEquals(7, c.warnings().size(), c.warnings().toString());
        assertTrue(c.warnings().contains("unknown agent argument 'foo' ignored; valid keys: report, report.maxMB, otel, "
            + "log, mask, commands.max, debug, stuck.seconds, cert.expiry.days, enforce, enforce.allow"));
        assertTrue(c.warnings().contains("invalid value 'loud' for 'log' (agent argument); valid: warn, info, off, app, "
            + "app-info; using warn"));
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("'commands.max'") && w.contains("at least 1")));
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("'mask'") && w.contains("valid: on, off")));
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("'debug' has no value")));
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("smtpwatch.reprot")));
    }

    @Test
    void environmentNamesFollowTheSpec() {
        assertEquals("SMTPWATCH_COMMANDS_MAX", AgentConfig.envName("commands.max"));
        assertEquals("SMTPWATCH_REPORT", AgentConfig.envName("report"));
    }

    @Test
    void theOtelExtensionReadsTheSameKeysUnderTheJavaagentsNames() {
        Properties system = new Properties();
        system.setProperty("otel.instrumentation.smtpwatch.report", "/from/property.jsonl");
        system.setProperty("otel.instrumentation.smtpwatch.enabled", "true");
        system.setProperty("otel.instrumentation.smtpwatch.stuck.seconds", "5");
        system.setProperty("smtpwatch.report", "/the/standalone/agent.jsonl");
        Map<String, String> env = new HashMap<String, String>();
        env.put("OTEL_INSTRUMENTATION_SMTPWATCH_REPORT", "/from/env.jsonl");
        env.put("OTEL_INSTRUMENTATION_SMTPWATCH_LOG", "info");
        env.put("OTEL_INSTRUMENTATION_SMTPWATCH_ENABLED", "true");
        env.put("SMTPWATCH_MASK", "off");

        AgentConfig c = AgentConfig.forOtelExtension(system, env);

        assertEquals("/from/property.jsonl", c.report(), "system property beats environment");
        assertEquals(AgentConfig.LogLevel.INFO, c.log());
        assertEquals(5, c.stuckSeconds());
        assertTrue(c.mask(), "the standalone agent's names are not the extension's");
        assertEquals(Collections.emptyList(), c.warnings(), "'enabled' is the Java agent's own switch");
    }

    @Test
    void theOtelExtensionNamesUnknownKeysInItsOwnTerms() {
        Properties system = new Properties();
        system.setProperty("otel.instrumentation.smtpwatch.reprot", "/tmp/r.jsonl");
        Map<String, String> env = Collections.singletonMap("OTEL_INSTRUMENTATION_SMTPWATCH_LOG", "loud");

        List<String> warnings = AgentConfig.forOtelExtension(system, env).warnings();

        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("environment variable OTEL_INSTRUMENTATION_SMTPWATCH_LOG"), warnings.get(0));
        assertTrue(warnings.get(1).startsWith("unknown system property 'otel.instrumentation.smtpwatch.reprot'"),
            warnings.get(1));
    }
}
