package dev.smtpwatch.instrumentation;

import dev.smtpwatch.instrumentation.javamail.SmtpTransportInstrumentation;
import dev.smtpwatch.instrumentation.spring.JavaMailSenderInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * Every library line we instrument, for both ways of weaving it: the standalone agent's own weaver and the
 * OpenTelemetry Java agent extension (module {@code agent/otel-extension}), which hands the same advice to that
 * agent.
 */
public final class Instrumentations {
    private Instrumentations() {
    }

    public static List<TypeInstrumentation> all() {
        return Arrays.<TypeInstrumentation>asList(new SmtpTransportInstrumentation(),
            new JavaMailSenderInstrumentation());
    }
}
