package dev.smtpwatch.otel;

import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;

/** Registered as the embedded SDK's only HTTP sender (META-INF/services). */
public final class OtlpHttpSenderProvider implements HttpSenderProvider {
    @Override
    public HttpSender createSender(HttpSenderConfig config) {
        return new OtlpHttpSender(config);
    }
}
