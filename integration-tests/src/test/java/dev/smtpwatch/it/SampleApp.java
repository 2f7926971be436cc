package dev.smtpwatch.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The sample apps the tests run, with what the report must say about the library each one uses. */
public enum SampleApp {
    JAVAX_MAIL("smtpwatch.it.javaxMailApp", "sample-apps/javax-mail/target/app.jar", "javax.mail", "1.6.2",
            "com.sun.mail.smtp.SMTPTransport", "javax.mail.", "com.sun.mail.util.MailConnectException"),
    ANGUS_MAIL("smtpwatch.it.angusMailApp", "sample-apps/angus-mail/target/app.jar", "angus-mail", "2.0.5",
            "org.eclipse.angus.mail.smtp.SMTPTransport", "jakarta.mail.",
            "org.eclipse.angus.mail.util.MailConnectException");

    private final String jarProperty;
    private final String defaultJar;
    private final String libraryName;
    private final String libraryVersion;
    private final String transportClass;
    private final String apiPackage;
    private final String connectExceptionClass;

    SampleApp(String jarProperty, String defaultJar, String libraryName, String libraryVersion,
            String transportClass, String apiPackage, String connectExceptionClass) {
        this.jarProperty = jarProperty;
        this.defaultJar = defaultJar;
        this.libraryName = libraryName;
        this.libraryVersion = libraryVersion;
        this.transportClass = transportClass;
        this.apiPackage = apiPackage;
        this.connectExceptionClass = connectExceptionClass;
    }

    /** The app's runnable fat jar; the build passes its path, a run from the IDE finds it next to this module. */
    public Path jar() {
        String configured = System.getProperty(jarProperty);
        Path jar = configured != null && !configured.isBlank()
                ? Paths.get(configured) : Paths.get("..").resolve(defaultJar);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("sample app jar " + jar.toAbsolutePath().normalize()
                    + " is missing; build it first: mvn -q install -DskipTests");
        }
        return jar;
    }

    /** {@code library.name} in the report. */
    public String libraryName() {
        return libraryName;
    }

    /** {@code library.version} in the report: the version the app's pom pins. */
    public String libraryVersion() {
        return libraryVersion;
    }

    /** {@code library.transport} in the report, and the class {@code debug=on} says it instrumented. */
    public String transportClass() {
        return transportClass;
    }

    /** A class of the mail API the app uses, e.g. {@code SendFailedException}, fully qualified. */
    public String apiClass(String simpleName) {
        return apiPackage + simpleName;
    }

    /** What the library throws when nothing listens on the port. */
    public String connectExceptionClass() {
        return connectExceptionClass;
    }
}
