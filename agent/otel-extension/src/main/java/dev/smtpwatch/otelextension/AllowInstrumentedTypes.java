package dev.smtpwatch.otelextension;

import dev.smtpwatch.instrumentation.Instrumentations;
import dev.smtpwatch.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.ignore.IgnoredTypesBuilder;
import io.opentelemetry.javaagent.extension.ignore.IgnoredTypesConfigurer;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;

/**
 * The OpenTelemetry Java agent ignores every {@code com.sun.*} class by default, javax.mail's and com.sun.mail
 * jakarta.mail's {@code SMTPTransport} among them: allowed here by exact name.
 */
public final class AllowInstrumentedTypes implements IgnoredTypesConfigurer {
    @Override
    public void configure(IgnoredTypesBuilder builder, ConfigProperties config) {
        for (TypeInstrumentation line : Instrumentations.all()) {
            for (String type : line.typeNames()) {
                builder.allowClass(type);
            }
        }
    }
}
