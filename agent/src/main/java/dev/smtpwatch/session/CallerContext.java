package dev.smtpwatch.session;

/**
 * Captures, on the app's thread, whatever ties a session to the app's own trace (its current OpenTelemetry
 * context). Opaque here: the session model knows nothing of tracing; an exporter that does hands it back.
 */
public interface CallerContext {
    CallerContext NONE = new CallerContext() {
        @Override
        public Object capture(ClassLoader appLoader) {
            return null;
        }
    };

    /**
     * Must be cheap and must not throw: it runs on the app's sending thread.
     *
     * @param appLoader the class loader of the mail library, where the app's own tracing API would be
     * @return the caller's context, or null when there is none
     */
    Object capture(ClassLoader appLoader);
}
