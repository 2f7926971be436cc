package dev.smtpwatch.otel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Whether the embedded SDK has anywhere to export to, decided before it is started. Starting it loads several
 * hundred classes and its exit flush runs in the shutdown hook: a short-lived app (a cron job sending its report)
 * would pay that on every run for spans that go nowhere. When the app's {@code OTEL_*} environment and
 * {@code otel.*} properties name no exporter, endpoint or protocol, the only place spans could go is the OTLP
 * default, {@code http://localhost:4318}, and a loopback connect says at once whether anything listens there.
 * Anything configured is left to the SDK, which reports its own failures.
 */
final class DefaultEndpoint {
    static final String TRACES = "http://localhost:4318/v1/traces";
    static final int PORT = 4318;
    /** While nothing listens, looked at again at most this often, so a collector started later is found. */
    static final long RETRY_MILLIS = 30_000;
    /** Loopback answers a connect at once (accepted or refused); this bounds a firewall that drops it. */
    private static final int CONNECT_TIMEOUT_MILLIS = 200;

    private static final String[] PROPERTY_PREFIXES = {"otel.exporter.", "otel.traces.exporter",
        "otel.metrics.exporter", "otel.sdk.disabled"};

    private DefaultEndpoint() {
    }

    /** Whether the environment or the system properties say anything about where or how to export. */
    static boolean configured(Map<String, String> environment, Properties properties) {
        for (String name : properties.stringPropertyNames()) {
            if (exportSetting(name)) {
                return true;
            }
        }
        for (String name : environment.keySet()) {
            if (exportSetting(name.toLowerCase(Locale.ROOT).replace('_', '.'))) {
                return true;
            }
        }
        return false;
    }

    private static boolean exportSetting(String name) {
        for (String prefix : PROPERTY_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Null when something accepts connections on {@code localhost:port}, else why not (connection refused). */
    static IOException unreachable(int port) {
        IOException reason = null;
        try {
            for (InetAddress address : InetAddress.getAllByName("localhost")) {
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MILLIS);
                    return null;
                } catch (IOException e) {
                    reason = e;
                } finally {
                    socket.close();
                }
            }
        } catch (IOException e) {
            reason = e;
        }
        return reason;
    }
}
