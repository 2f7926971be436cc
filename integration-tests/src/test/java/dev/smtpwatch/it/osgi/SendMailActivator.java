package dev.smtpwatch.it.osgi;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The activator of the mail bundle {@link OsgiBundleTest} builds: runs the embedded sample app's main (Angus Mail,
 * one message) when the bundle starts. The mail API finds its providers through the context class loader, which in
 * an OSGi framework is nobody's in particular: set to the bundle's own loader, as bundles that send mail do.
 */
public final class SendMailActivator implements BundleActivator {
    static final String MAIN_CLASS = "dev.smtpwatch.sample.jakartamail.SendMail";

    @Override
    public void start(BundleContext context) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SendMailActivator.class.getClassLoader());
        try {
            Class.forName(MAIN_CLASS, true, SendMailActivator.class.getClassLoader()).getMethod("main", String[].class)
                    .invoke(null, (Object) new String[0]);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void stop(BundleContext context) {
    }
}
