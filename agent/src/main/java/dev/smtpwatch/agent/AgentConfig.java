package dev.smtpwatch.agent;

import dev.smtpwatch.rules.EnforcementPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The agent's settings: agent argument, then system property {@code smtpwatch.<key>}, then environment variable
 * {@code SMTPWATCH_<KEY>}, then the default (in the OpenTelemetry Java agent extension the same keys under that
 * agent's names, see {@link #forOtelExtension}). Anything unknown or invalid becomes a warning naming the key and
 * the valid choices, and the default is used: a typo must never stop the app.
 */
public final class AgentConfig {
    /**
     * {@code app}: the {@code warn} lines through the app's own logging; {@code app-info}: the {@code info} lines
     * (also one INFO line per session) through it.
     */
    public enum LogLevel {
        WARN, INFO, OFF, APP, APP_INFO;

        /** Whether each session gets an INFO line too. */
        public boolean perSession() {
            return this == INFO || this == APP_INFO;
        }

        public boolean toApp() {
            return this == APP || this == APP_INFO;
        }
    }

    private static final List<String> KEYS = Arrays.asList("report", "report.maxMB", "otel", "log", "mask",
        "commands.max", "debug", "stuck.seconds", "cert.expiry.days", "enforce", "enforce.allow");
    /** Keys whose value is a comma list: in agent arguments a segment without '=' continues it. */
    private static final List<String> LIST_KEYS = Arrays.asList("enforce", "enforce.allow");
    private static final List<String> ON_OFF = Arrays.asList("on", "off");
    private static final Names STANDALONE = new Names("smtpwatch.", "SMTPWATCH_", Collections.<String>emptyList());
    private static final Names OTEL_EXTENSION = new Names("otel.instrumentation.smtpwatch.",
        "OTEL_INSTRUMENTATION_SMTPWATCH_", Collections.singletonList("enabled"));

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
    private List<String> enforce = Collections.emptyList();
    private List<String> enforceAllow = Collections.singletonList(EnforcementPolicy.ALLOW_LOOPBACK);

    private AgentConfig() {
    }

    public static AgentConfig parse(String agentArgs, Map<?, ?> systemProperties, Map<String, String> environment) {
        return parse(agentArgs, systemProperties, environment, STANDALONE);
    }

    /**
     * The settings of the OpenTelemetry Java agent extension: the same keys, named the way that agent names an
     * instrumentation's settings, {@code otel.instrumentation.smtpwatch.<key>} and
     * {@code OTEL_INSTRUMENTATION_SMTPWATCH_<KEY>} ({@code .enabled} is that agent's own switch).
     */
    public static AgentConfig forOtelExtension(Map<?, ?> systemProperties, Map<String, String> environment) {
        return parse(null, systemProperties, environment, OTEL_EXTENSION);
    }

    private static AgentConfig parse(String agentArgs, Map<?, ?> systemProperties, Map<String, String> environment,
                                     Names names) {
        AgentConfig config = new AgentConfig();
        Map<String, String> fromArgs = config.agentArguments(agentArgs);
        for (String key : KEYS) {
            String value = fromArgs.get(key);
            String source = "agent argument";
            if (value == null && systemProperties.get(names.property(key)) != null) {
                value = String.valueOf(systemProperties.get(names.property(key)));
                source = "system property " + names.property(key);
            }
            if (value == null && environment.get(names.env(key)) != null) {
                value = environment.get(names.env(key));
                source = "environment variable " + names.env(key);
            }
            if (value != null) {
                config.apply(key, value.trim(), source);
            }
        }
        config.warnAboutUnknownNames(systemProperties, environment, names);
        return config;
    }

    static String envName(String key) {
        return STANDALONE.env(key);
    }

    /** How settings are named: a system property prefix, an environment variable prefix, names left to others. */
    private static final class Names {
        final String propertyPrefix;
        final String envPrefix;
        final List<String> notOurs;

        Names(String propertyPrefix, String envPrefix, List<String> notOurs) {
            this.propertyPrefix = propertyPrefix;
            this.envPrefix = envPrefix;
            this.notOurs = notOurs;
        }

        String property(String key) {
            return propertyPrefix + key;
        }

        String env(String key) {
            return envPrefix + key.replace('.', '_').toUpperCase(Locale.ROOT);
        }
    }

    private Map<String, String> agentArguments(String agentArgs) {
        Map<String, String> values = new LinkedHashMap<String, String>();
        if (agentArgs == null || agentArgs.trim().isEmpty()) {
            return values;
        }
        String listKey = null;
        for (String pair : agentArgs.split(",")) {
            if (pair.trim().isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0 && listKey != null) {
                // a list value: the segment continues the previous key's list
                values.put(listKey, values.get(listKey) + "," + pair);
                continue;
            }
            String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
            listKey = LIST_KEYS.contains(key) && eq >= 0 ? key : null;
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
                log = LogLevel.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException invalid) {
                invalid(key, value, source, "warn, info, off, app, app-info", "warn");
            }
        } else if ("commands.max".equals(key)) {
            commandsMax = wholeNumber(key, value, source, 1, commandsMax);
        } else if ("stuck.seconds".equals(key)) {
            stuckSeconds = wholeNumber(key, value, source, 0, stuckSeconds);
        } else if ("cert.expiry.days".equals(key)) {
            certExpiryDays = wholeNumber(key, value, source, 0, certExpiryDays);
        } else if ("enforce".equals(key)) {
            enforce = enforcedFindings(value, source);
        } else if ("enforce.allow".equals(key)) {
            enforceAllow = allowList(value, source);
        }
    }

    /** {@code on} (the enforceable findings), {@code off}, or finding ids; ids that cannot be enforced are named. */
    private List<String> enforcedFindings(String value, String source) {
        Set<String> ids = new LinkedHashSet<String>();
        for (String item : list(value)) {
            String id = item.toLowerCase(Locale.ROOT);
            if ("on".equals(id) || "true".equals(id)) {
                ids.addAll(EnforcementPolicy.ENFORCEABLE);
            } else if ("off".equals(id) || "false".equals(id)) {
                ids.clear();
            } else if (EnforcementPolicy.ENFORCEABLE.contains(id)) {
                ids.add(id);
            } else {
                warnings.add("'" + item + "' in 'enforce' (" + source + ") is not a finding that can be enforced,"
                    + " ignored; valid: on, off, " + String.join(", ", EnforcementPolicy.ENFORCEABLE));
            }
        }
        return new ArrayList<String>(ids);
    }

    private List<String> allowList(String value, String source) {
        List<String> hosts = list(value);
        if (hosts.isEmpty()) {
            invalid("enforce.allow", value, source, "loopback, none, or host names and addresses", "loopback");
            return enforceAllow;
        }
        return hosts;
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<String>();
        for (String item : value.split(",")) {
            if (!item.trim().isEmpty()) {
                items.add(item.trim());
            }
        }
        return items;
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

    private void warnAboutUnknownNames(Map<?, ?> systemProperties, Map<String, String> environment, Names names) {
        for (Object name : systemProperties.keySet()) {
            String n = String.valueOf(name);
            if (n.startsWith(names.propertyPrefix)) {
                String key = n.substring(names.propertyPrefix.length());
                if (!KEYS.contains(key) && !names.notOurs.contains(key)) {
                    warnings.add("unknown system property '" + n + "' ignored; valid keys: " + keyList());
                }
            }
        }
        List<String> envNames = new ArrayList<String>();
        List<String> othersEnvNames = new ArrayList<String>();
        for (String key : KEYS) {
            envNames.add(names.env(key));
        }
        for (String key : names.notOurs) {
            othersEnvNames.add(names.env(key));
        }
        for (String name : environment.keySet()) {
            if (name.startsWith(names.envPrefix) && !envNames.contains(name) && !othersEnvNames.contains(name)) {
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

    /** Ids of the findings whose command is blocked ({@code enforce}); empty when off. */
    public List<String> enforce() {
        return Collections.unmodifiableList(enforce);
    }

    /** {@code enforce.allow}: {@code loopback}, {@code none}, host names and addresses. */
    public List<String> enforceAllow() {
        return Collections.unmodifiableList(enforceAllow);
    }

    /** {@code certificate-expiring} when a server certificate expires within this many days. */
    public int certExpiryDays() {
        return certExpiryDays;
    }
}
