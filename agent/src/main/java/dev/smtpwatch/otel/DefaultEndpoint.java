package dev.smtpwatch.otel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnsupportedAddressTypeException;
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

    /** What {@code localhost} is, without asking the resolver. */
    private static final InetAddress[] LOOPBACK = loopback();

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

    /**
     * Null when something accepts connections on {@code localhost:port} (127.0.0.1, else ::1), else why not
     * (connection refused).
     *
     * <p>Through a {@link SocketChannel} to the loopback addresses, never {@code java.net.Socket} or the resolver:
     * the app's mail goes out through {@code Socket} and {@code InetAddress}, and the JIT has compiled their code
     * for the app's connects, which succeed. A refused connect through the same code every
     * {@value #RETRY_MILLIS} ms made the JIT throw that code away ({@code SocksSocketImpl.connect},
     * {@code NioSocketImpl.connect}, {@code InetAddress.getAllByName}: "made not entrant"), and the app's connects
     * ran in slower code for seconds after each look, until it was compiled again.
     */
    static IOException unreachable(int port) {
        IOException first = null;
        for (InetAddress address : LOOPBACK) {
            IOException failure;
            try {
                failure = connectFailure(new InetSocketAddress(address, port));
            } catch (UnsupportedAddressTypeException ipv4Only) {
                // java.net.preferIPv4Stack: no ::1 to look at
                continue;
            }
            if (failure == null) {
                return null;
            }
            first = first != null ? first : failure;
        }
        return first;
    }

    /** Null when {@code address} accepted a connection, else why it did not. */
    private static IOException connectFailure(InetSocketAddress address) {
        try (SocketChannel channel = SocketChannel.open()) {
            channel.configureBlocking(false);
            if (channel.connect(address)) {
                return null;
            }
            try (Selector selector = Selector.open()) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                if (selector.select(CONNECT_TIMEOUT_MILLIS) > 0 && channel.finishConnect()) {
                    return null;
                }
            }
            return new SocketTimeoutException("connect to " + address + " timed out");
        } catch (IOException e) {
            return e;
        }
    }

    private static InetAddress[] loopback() {
        try {
            return new InetAddress[] {
                InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}),
                InetAddress.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})};
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
