package dev.smtpwatch.agent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's settings: agent argument, then system property {@code smtpwatch.<key>}, then environment variable
 * {@code SMTPWATCH_<KEY>}, then the default. Anything unknown or invalid becomes a warning naming the key and
 * the valid choices, and the default is used: a typo must never stop the app.
 */
public final class AgentConfig {
    public enum LogLevel { WARN, INFO, OFF }

    private static final List<String> KEYS = Arrays.asList("report", "report.maxMB", "otel", "log", "mask",
        "commands.max", "debug", "stuck.seconds", "cert.expiry.days");
    private static final List<String> ON_OFF = Arrays.asList("on", "off");

    private final List<String> warnings = new ArrayList<String>();
    private String report;
    private double reportMaxMB = 100;
    private boolean otel = true;
    private LogLevel log = LogLevel.WARN;
    private boolean mask = true;
    private int commandsMax = 200;
    private boolean debug;
    private int stuckSeconds = 60;
    private int certExpiryDays = 21;

    private AgentConfig() {
    }

    public static AgentConfig parse(String agentArgs, Map<?, ?> systemProperties, Map<String, String> environment) {
        AgentConfig config = new AgentConfig();
        Map<String, String> fromArgs = config.agentArguments(agentArgs);
        for (String key : KEYS) {
            String value = fromArgs.get(key);
            String source = "agent argument";
            if (value == null && systemProperties.get("smtpwatch." + key) != null) {
                value = String.valueOf(systemProperties.get("smtpwatch." + key));
                source = "system property smtpwatch." + key;
            }
            if (value == null && environment.get(envName(key)) != null) {
                value = environment.get(envName(key));
                source = "environment variable " + envName(key);
            }
            if (value != null) {
                config.apply(key, value.trim(), source);
            }
        }
        config.warnAboutUnknownNames(systemProperties, environment);
        return config;
    }

    static String envName(String key) {
        return "SMTPWATCH_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private Map<String, String> agentArguments(String agentArgs) {
        Map<String, String> values = new LinkedHashMap<String, String>();
        if (agentArgs == null || agentArgs.trim().isEmpty()) {
            return values;
        }
        for (String pair : agentArgs.split(",")) {
            if (pair.trim().isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
            if (!KEYS.contains(key)) {
                warnings.add("unknown agent argument '" + key + "' ignored; valid keys: " + keyList());
            } else if (eq < 0) {
                warnings.add("agent argument '" + key + "' has no value; write " + key + "=<value>");
            } else {
                values.put(key, pair.substring(eq + 1));
            }
        }
        return values;
    }

    private void apply(String key, String value, String source) {
        if ("report".equals(key)) {
            if (value.isEmpty()) {
                warnings.add("'report' from " + source + " is empty; no report file is written");
            } else {
                report = value;
            }
        } else if ("report.maxMB".equals(key)) {
            reportMaxMB = positiveDecimal(key, value, source, reportMaxMB);
        } else if ("otel".equals(key)) {
            otel = onOff(key, value, source, otel);
        } else if ("mask".equals(key)) {
            mask = onOff(key, value, source, mask);
        } else if ("debug".equals(key)) {
            debug = onOff(key, value, source, debug);
        } else if ("log".equals(key)) {
            try {
                log = LogLevel.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException invalid) {
                invalid(key, value, source, "warn, info, off", "warn");
            }
        } else if ("commands.max".equals(key)) {
            commandsMax = wholeNumber(key, value, source, 1, commandsMax);
        } else if ("stuck.seconds".equals(key)) {
            stuckSeconds = wholeNumber(key, value, source, 0, stuckSeconds);
        } else if ("cert.expiry.days".equals(key)) {
            certExpiryDays = wholeNumber(key, value, source, 0, certExpiryDays);
        }
    }

    private int wholeNumber(String key, String value, String source, int min, int otherwise) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // said below, like a number out of range
        }
        invalid(key, value, source, "a whole number of at least " + min, String.valueOf(otherwise));
        return otherwise;
    }

    private double positiveDecimal(String key, String value, String source, double otherwise) {
        try {
            double parsed = Double.parseDouble(value);
            if (parsed > 0 && !Double.isInfinite(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // said below, like a number out of range
        }
        invalid(key, value, source, "a number above 0 (decimals allowed)", String.valueOf(otherwise));
        return otherwise;
    }

    private boolean onOff(String key, String value, String source, boolean otherwise) {
        String v = value.toLowerCase(Locale.ROOT);
        if (ON_OFF.contains(v) || "true".equals(v) || "false".equals(v)) {
            return "on".equals(v) || "true".equals(v);
        }
        invalid(key, value, source, "on, off", otherwise ? "on" : "off");
        return otherwise;
    }

    private void invalid(String key, String value, String source, String choices, String fallback) {
        warnings.add("invalid value '" + value + "' for '" + key + "' (" + source + "); valid: " + choices
            + "; using " + fallback);
    }

    private void warnAboutUnknownNames(Map<?, ?> systemProperties, Map<String, String> environment) {
        for (Object name : systemProperties.keySet()) {
            String n = String.valueOf(name);
            if (n.startsWith("smtpwatch.") && !KEYS.contains(n.substring("smtpwatch.".length()))) {
                warnings.add("unknown system property '" + n + "' ignored; valid keys: " + keyList());
            }
        }
        List<String> envNames = new ArrayList<String>();
        for (String key : KEYS) {
            envNames.add(envName(key));
        }
        for (String name : environment.keySet()) {
            if (name.startsWith("SMTPWATCH_") && !envNames.contains(name)) {
                warnings.add("unknown environment variable '" + name + "' ignored; valid: " + envNames);
            }
        }
    }

    private static String keyList() {
        return String.join(", ", KEYS);
    }

    /** Problems found while parsing, one line each, for the caller to log. */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** Path of the JSON Lines report, or null for none. */
    public String report() {
        return report;
    }

    /** The report's size limit in bytes ({@code report.maxMB}, 1 MB = 1,048,576 bytes); at least one line fits. */
    public long reportMaxBytes() {
        return (long) (reportMaxMB * 1024 * 1024);
    }

    public boolean otel() {
        return otel;
    }

    public LogLevel log() {
        return log;
    }

    public boolean mask() {
        return mask;
    }

    public int commandsMax() {
        return commandsMax;
    }

    public boolean debug() {
        return debug;
    }

    /** Seconds a session may wait for one reply before {@code session-stuck} is logged; 0: no watchdog. */
    public int stuckSeconds() {
        return stuckSeconds;
    }

    /** {@code certificate-expiring} when a server certificate expires within this many days. */
    public int certExpiryDays() {
        return certExpiryDays;
    }
}
