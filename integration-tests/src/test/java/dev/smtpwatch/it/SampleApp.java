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
            "org.eclipse.angus.mail.util.MailConnectException"),
    JAVAX_MAIL_1_4("smtpwatch.it.javaxMail14App", "sample-apps/javax-mail-1.4/target/app.jar", "javax.mail", "1.4.7",
            "com.sun.mail.smtp.SMTPTransport", "javax.mail.", "com.sun.mail.util.MailConnectException"),
    JAKARTA_MAIL_2_0("smtpwatch.it.jakartaMail20App", "sample-apps/jakarta-mail-2.0/target/app.jar", "jakarta.mail",
            "2.0.1", "com.sun.mail.smtp.SMTPTransport", "jakarta.mail.", "com.sun.mail.util.MailConnectException"),
    ANGUS_MAIL_1("smtpwatch.it.angusMail1App", "sample-apps/angus-mail-1/target/app.jar", "angus-mail", "1.1.0",
            "com.sun.mail.smtp.SMTPTransport", "jakarta.mail.", "com.sun.mail.util.MailConnectException"),
    /** Spring 5.3 {@code JavaMailSenderImpl} over javax.mail 1.6.2, configured by the same {@code -Dmail.*}. */
    SPRING_5("smtpwatch.it.spring5App", "sample-apps/spring5-mail/target/app.jar", "javax.mail", "1.6.2",
            "com.sun.mail.smtp.SMTPTransport", "javax.mail.", "com.sun.mail.util.MailConnectException"),
    /**
     * Spring Boot 3 starter-mail (Angus Mail 2), configured only by {@code spring.mail.*}: {@link #propertyName}
     * turns the settings the tests write for the other apps into Boot's.
     */
    SPRING_BOOT("smtpwatch.it.springBootApp", "sample-apps/spring-boot-mail/target/app.jar", "angus-mail", "2.0.5",
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

    /**
     * The system property that carries a setting for this app: the {@code mail.*} and {@code sample.*} names
     * the plain apps read, in Spring Boot's {@code spring.mail.*} terms for the Boot app.
     */
    public String propertyName(String setting) {
        if (this != SPRING_BOOT) {
            return setting;
        }
        switch (setting) {
            case "mail.smtp.host":
                return "spring.mail.host";
            case "mail.smtp.port":
                return "spring.mail.port";
            case "mail.transport.protocol":
                return "spring.mail.protocol";
            case "sample.user":
                return "spring.mail.username";
            case "sample.password":
                return "spring.mail.password";
            default:
                return setting.startsWith("mail.") ? "spring.mail.properties." + setting : setting;
        }
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
