package dev.smtpwatch.instrumentation.spring;

import dev.smtpwatch.session.SessionRecorder;

/** What the advice woven into Spring's class reaches through {@code HookDispatcher}. */
public final class SpringHooks {
    private static volatile SessionRecorder recorder;

    private SpringHooks() {
    }

    public static void install(SessionRecorder sessionRecorder) {
        recorder = sessionRecorder;
    }

    public static void sendStarted(Object sender) {
        started(sender, "spring.JavaMailSender.send", "JavaMailSender.send");
    }

    public static void testConnectionStarted(Object sender) {
        started(sender, "spring.JavaMailSender.testConnection", "JavaMailSender.testConnection");
    }

    public static void callEnded(Throwable thrown) {
        SessionRecorder r = recorder;
        if (r != null) {
            r.entryEnded(thrown);
        }
    }

    private static void started(Object sender, String id, String operation) {
        SessionRecorder r = recorder;
        if (r != null) {
            r.entryStarted(id, operation, sender.getClass().getClassLoader());
        }
    }
}
