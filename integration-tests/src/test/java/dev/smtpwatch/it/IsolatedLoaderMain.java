package dev.smtpwatch.it;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.util.jar.JarFile;

/**
 * Runs a sample app's main the way an app server or plugin host runs code: its jar in a {@code URLClassLoader}
 * whose parent is the platform class loader, so nothing on the application class path (the agent jar included)
 * is visible to the mail library. Usage: {@code IsolatedLoaderMain <app.jar>}.
 */
public final class IsolatedLoaderMain {
    private IsolatedLoaderMain() {
    }

    public static void main(String[] args) throws Exception {
        URL jar = Paths.get(args[0]).toUri().toURL();
        String mainClass;
        try (JarFile file = new JarFile(args[0])) {
            mainClass = file.getManifest().getMainAttributes().getValue("Main-Class");
        }
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader())) {
            // javax.mail and Angus find their providers through the context class loader
            Thread.currentThread().setContextClassLoader(isolated);
            isolated.loadClass(mainClass).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        }
    }
}
