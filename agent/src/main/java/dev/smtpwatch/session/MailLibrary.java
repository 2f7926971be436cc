package dev.smtpwatch.session;

/** The mail library line a session came from; the version is resolved off the sending thread. */
public final class MailLibrary {
    public static final String JAVAX = "javax.mail";
    public static final String JAKARTA = "jakarta.mail";
    public static final String ANGUS = "angus-mail";

    private final String name;
    private final Class<?> transportClass;

    public MailLibrary(String name, Class<?> transportClass) {
        this.name = name;
        this.transportClass = transportClass;
    }

    /** {@code javax.mail}, {@code jakarta.mail} (both com.sun.mail) or {@code angus-mail}. */
    public String name() {
        return name;
    }

    public Class<?> transportClass() {
        return transportClass;
    }

    /** Angus Mail checks the server identity by default; com.sun.mail (javax 1.x, jakarta 2.0) does not. */
    public boolean checksServerIdentityByDefault() {
        return ANGUS.equals(name);
    }
}
