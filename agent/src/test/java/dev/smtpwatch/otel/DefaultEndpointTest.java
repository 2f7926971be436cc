package dev.smtpwatch.otel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DefaultEndpointTest {
    @Test
    void anExporterEndpointOrProtocolSettingLeavesTheDecisionToTheSdk() {
        assertTrue(DefaultEndpoint.configured(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
            new Properties()));
        assertTrue(DefaultEndpoint.configured(Map.of("OTEL_TRACES_EXPORTER", "console"), new Properties()));
        Properties properties = new Properties();
        properties.setProperty("otel.exporter.otlp.traces.endpoint", "http://collector:4318/v1/traces");
        assertTrue(DefaultEndpoint.configured(Map.of(), properties));
    }

    @Test
    void serviceNameAndResourceSayNothingAboutWhereSpansGo() {
        Properties properties = new Properties();
        properties.setProperty("otel.service.name", "mailer");
        assertFalse(DefaultEndpoint.configured(
            Map.of("OTEL_SERVICE_NAME", "mailer", "OTEL_RESOURCE_ATTRIBUTES", "a=b", "PATH", "/bin"), properties));
    }

    @Test
    void aListeningPortIsReachableAndAClosedOneIsRefusedAtOnce() throws Exception {
        int closed;
        try (ServerSocket listening = new ServerSocket(0)) {
            assertNull(DefaultEndpoint.unreachable(listening.getLocalPort()));
            closed = listening.getLocalPort();
        }
        Exception refused = DefaultEndpoint.unreachable(closed);
        assertNotNull(refused);
        assertTrue(refused instanceof ConnectException, refused::toString);
    }
}
