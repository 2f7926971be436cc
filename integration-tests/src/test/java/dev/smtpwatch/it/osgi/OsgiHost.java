package dev.smtpwatch.it.osgi;

import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;

/**
 * Starts an Apache Felix framework with its defaults, installs and starts one bundle (whose activator sends a mail),
 * stops the framework. Usage: {@code OsgiHost <bundle.jar> <cache dir> [<framework property>=<value> …]}.
 */
public final class OsgiHost {
    private OsgiHost() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, args[1]);
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            config.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Felix framework = new Felix(config);
        framework.start();
        try {
            Bundle bundle = framework.getBundleContext().installBundle(Paths.get(args[0]).toUri().toString());
            bundle.start();
            System.out.println("osgi: bundle " + bundle.getSymbolicName() + " started");
        } finally {
            framework.stop();
            FrameworkEvent stopped = framework.waitForStop(10_000);
            System.out.println("osgi: framework stopped (" + stopped.getType() + ")");
        }
    }
}
