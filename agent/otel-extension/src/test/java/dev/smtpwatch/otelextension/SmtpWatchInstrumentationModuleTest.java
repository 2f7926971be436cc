package dev.smtpwatch.otelextension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpwatch.agent.RecordingClaim;
import dev.smtpwatch.instrumentation.Instrumentations;
import dev.smtpwatch.instrumentation.MethodAdvice;
import dev.smtpwatch.instrumentation.javamail.SmtpTransportInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The module as the OpenTelemetry Java agent sees it; the JVM-wide claim makes the order matter. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmtpWatchInstrumentationModuleTest {
    @AfterAll
    static void release() {
        System.clearProperty("dev.smtpwatch.recording");
    }

    @Test
    @Order(1)
    void staysIdleAndSaysSoOnceWhenTheStandaloneAgentRecords() {
        System.setProperty("dev.smtpwatch.recording", RecordingClaim.STANDALONE_AGENT);
        String stderr = stderrOf(() -> assertTrue(new SmtpWatchInstrumentationModule().typeInstrumentations()
            .isEmpty()));
        assertEquals("WARN smtpwatch smtpwatch-agent.jar (-javaagent) already records this JVM's mail sessions; the"
            + " smtpwatch extension of the OpenTelemetry Java agent (otel.javaagent.extensions) stays idle (attach"
            + " only one of them)" + System.lineSeparator(), stderr);
        System.clearProperty("dev.smtpwatch.recording");
    }

    @Test
    @Order(2)
    void handsTheStandaloneAgentsOwnAdviceToTheJavaagentAndSkipsClassesOfAnotherShape() {
        List<String> handedOver = new ArrayList<String>();
        List<TypeInstrumentation> adapters = new ArrayList<TypeInstrumentation>();
        // A class of the transport's name with none of its methods or fields.
        TypeDescription shapeless = new ByteBuddy().subclass(Object.class)
            .name(SmtpTransportInstrumentation.ANGUS_TRANSPORT).make().getTypeDescription();
        // The extension's log prints to the stderr of the moment it is created: all of it inside one capture.
        String stderr = stderrOf(() -> {
            SmtpWatchInstrumentationModule module = new SmtpWatchInstrumentationModule();
            assertEquals("smtpwatch", module.instrumentationName());
            adapters.addAll(module.typeInstrumentations());
            for (TypeInstrumentation adapter : adapters) {
                adapter.transform(new RecordingTransformer(handedOver));
            }
            ElementMatcher<TypeDescription> transport = adapters.get(0).typeMatcher();
            assertFalse(transport.matches(shapeless));
            assertFalse(transport.matches(shapeless));
        });

        List<String> ours = new ArrayList<String>();
        for (dev.smtpwatch.instrumentation.TypeInstrumentation line : Instrumentations.all()) {
            for (MethodAdvice method : line.advice()) {
                ours.add(method.adviceClass());
            }
        }
        assertEquals(ours, handedOver, "the same advice classes, by name");
        assertEquals(RecordingClaim.OTEL_EXTENSION, System.getProperty("dev.smtpwatch.recording"));
        assertTrue(stderr.startsWith("WARN smtpwatch not instrumenting org.eclipse.angus.mail.smtp.SMTPTransport:"
            + " this library version has no method boolean protocolConnect(String, int, String, String), "), stderr);
        assertEquals(1, stderr.lines().count(), stderr);
    }

    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return new String(captured.toByteArray(), StandardCharsets.UTF_8);
    }

    /** Notes the advice class names the adapter hands over. */
    private static final class RecordingTransformer implements TypeTransformer {
        private final List<String> adviceClasses;

        RecordingTransformer(List<String> adviceClasses) {
            this.adviceClasses = adviceClasses;
        }

        @Override
        public void applyAdviceToMethod(ElementMatcher<? super MethodDescription> methodMatcher,
                                        Function<Advice.WithCustomMapping, Advice.WithCustomMapping> customizer,
                                        String adviceClassName) {
            adviceClasses.add(adviceClassName);
        }

        @Override
        public void applyTransformer(AgentBuilder.Transformer transformer) {
        }
    }
}
