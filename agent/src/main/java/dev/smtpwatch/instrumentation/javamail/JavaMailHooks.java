package dev.smtpwatch.instrumentation.javamail;

import dev.smtpwatch.session.BlockedCommand;
import dev.smtpwatch.session.MailLibrary;
import dev.smtpwatch.session.SessionRecorder;
import dev.smtpwatch.session.SmtpConfig;
import dev.smtpwatch.session.SmtpError;
import dev.smtpwatch.session.WeakIdentityMap;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.Socket;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * What the woven advice reaches through {@code HookDispatcher} (JDK types only, the library's objects as
 * {@code Object}). Translates the library's fields into the session recorder's terms.
 */
public final class JavaMailHooks {
    private static volatile SessionRecorder recorder;
    /**
     * Per transport class. A {@code ClassValue} keeps its value with the class, so a {@link MailLibrary}, which
     * names its class, lives exactly as long as that class and its loader; a weak map whose value held its key
     * would keep an undeployed webapp's loader forever.
     */
    private static final ClassValue<MailLibrary> LIBRARIES = new ClassValue<MailLibrary>() {
        @Override
        protected MailLibrary computeValue(Class<?> transportClass) {
            return new MailLibrary(libraryName(transportClass), transportClass);
        }
    };

    /** Per mail {@code Session} class: its reflective handles, looked up once (a lookup copies them each time). */
    private static final ClassValue<SessionClass> SESSION_CLASSES = new ClassValue<SessionClass>() {
        @Override
        protected SessionClass computeValue(Class<?> sessionClass) {
            return new SessionClass(sessionClass);
        }
    };
    /**
     * Per {@code Properties} of a mail session: what the last connect read of them. Every connection of a mail
     * session reads the same properties, so they are read again only when a key or value changed. Fewer reads per
     * connect, and a far smaller method for the JIT to compile into the library's {@code protocolConnect}.
     */
    private static final WeakIdentityMap<Properties, PropertyReading> PROPERTY_READINGS =
        new WeakIdentityMap<Properties, PropertyReading>();

    private JavaMailHooks() {
    }

    public static void install(SessionRecorder sessionRecorder) {
        recorder = sessionRecorder;
    }

    /**
     * {@code user} and {@code password} are the connect call's arguments; only whether they were given is kept.
     * {@code Service.connect} first calls with no password when the mail session has an {@code Authenticator}.
     */
    public static void connectStarted(Object transport, String host, int port, Object mailSession, String protocol,
                                      boolean implicitTls, int defaultPort, String user, String password)
        throws ReflectiveOperationException {
        SessionRecorder r = recorder;
        if (r == null) {
            return;
        }
        SessionClass sessionClass = SESSION_CLASSES.get(mailSession.getClass());
        Properties props = (Properties) sessionClass.getProperties.invoke(mailSession);
        MailLibrary library = LIBRARIES.get(transport.getClass());
        PropertyReading reading = readingOf(props, PropertyKeys.of(protocol), library.checksServerIdentityByDefault());
        int effectivePort = port != -1 ? port : reading.port != -1 ? reading.port : defaultPort;
        String effectiveHost = host == null || host.isEmpty() ? "localhost" : host;
        SmtpConfig config = reading.config.forConnect(implicitTls, user != null && password != null,
            password == null && sessionClass.hasAuthenticator(mailSession));
        r.connectStarted(transport, library, effectiveHost, effectivePort, config);
    }

    public static void connectEnded(Object transport, boolean connected, Throwable thrown, String lastReply) {
        SessionRecorder r = recorder;
        if (r == null) {
            return;
        }
        SmtpError failure = null;
        if (thrown == null && !connected) {
            // protocolConnect returned false: Service.connect turns that into an AuthenticationFailedException.
            failure = new SmtpError(apiPackage(transport.getClass()) + ".AuthenticationFailedException",
                lastReply == null ? "failed to connect" : lastReply.trim());
        }
        r.connectEnded(transport, thrown, failure);
    }

    /**
     * @return when {@code enforce} blocks the command, the library's own exception of the app's namespace
     *         ({@code AuthenticationFailedException} for AUTH and its continuation lines, else
     *         {@code MessagingException}), for the advice to throw instead of writing it; else null
     */
    public static Throwable commandSent(Object transport, byte[] line, Socket socket) {
        SessionRecorder r = recorder;
        if (r == null || line == null) {
            return null;
        }
        BlockedCommand blocked = r.commandSent(transport, line, socket);
        if (blocked == null) {
            return null;
        }
        String type = apiPackage(transport.getClass())
            + (blocked.credentials() ? ".AuthenticationFailedException" : ".MessagingException");
        try {
            return (Throwable) Class.forName(type, false, transport.getClass().getClassLoader())
                .getConstructor(String.class).newInstance(blocked.message());
        } catch (Exception | LinkageError unavailable) {
            // every library line has both classes; without them the command cannot be refused in the app's terms
            return new IllegalStateException(blocked.message(), unavailable);
        }
    }

    /** {@code code} is what {@code readServerResponse} returned; when it threw, the reply is recorded as -1. */
    public static void replyRead(Object transport, int code, Throwable thrown, String text, Socket socket) {
        SessionRecorder r = recorder;
        if (r != null) {
            r.replyRead(transport, thrown == null ? code : -1, text, socket);
        }
    }

    public static void sendStarted(Object transport) {
        SessionRecorder r = recorder;
        if (r != null) {
            r.sendStarted(transport);
        }
    }

    public static void sendEnded(Object transport, Throwable thrown) {
        SessionRecorder r = recorder;
        if (r != null) {
            r.sendEnded(transport, thrown);
        }
    }

    public static void connectionClosed(Object transport) {
        SessionRecorder r = recorder;
        if (r != null) {
            r.connectionClosed(transport);
        }
    }

    /**
     * Angus Mail 2 moved to {@code org.eclipse.angus}; Angus Mail 1 kept the {@code com.sun.mail} packages of
     * jakarta.mail 2.0 but differs in defaults (it checks the server identity), and only it ships
     * {@code MailStreamProvider}.
     */
    private static String libraryName(Class<?> transportClass) {
        if (transportClass.getName().startsWith("org.eclipse.angus.")) {
            return MailLibrary.ANGUS;
        }
        if (!"jakarta.mail".equals(apiPackage(transportClass))) {
            return MailLibrary.JAVAX;
        }
        ClassLoader loader = transportClass.getClassLoader();
        boolean angus1 = loader != null && loader.getResource("com/sun/mail/util/MailStreamProvider.class") != null;
        return angus1 ? MailLibrary.ANGUS : MailLibrary.JAKARTA;
    }

    /** {@code javax.mail} or {@code jakarta.mail}: the package of the {@code Transport} the class extends. */
    private static String apiPackage(Class<?> transportClass) {
        for (Class<?> c = transportClass; c != null; c = c.getSuperclass()) {
            if (c.getName().equals("jakarta.mail.Transport")) {
                return "jakarta.mail";
            }
        }
        return "javax.mail";
    }

    private static Object property(Properties props, String key) {
        Object value = props.get(key);
        return value != null ? value : props.getProperty(key);
    }

    private static boolean booleanProperty(Properties props, String key, boolean otherwise) {
        Object value = property(props, key);
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        return value instanceof String ? "true".equalsIgnoreCase(((String) value).trim()) : otherwise;
    }

    private static int intProperty(Properties props, String key, int otherwise) {
        Object value = property(props, key);
        if (value instanceof Number) {
            return ((Number) value).intValue();
        }
        try {
            return value instanceof String ? Integer.parseInt(((String) value).trim()) : otherwise;
        } catch (NumberFormatException notANumber) {
            return otherwise;
        }
    }

    private static String stringProperty(Properties props, String key) {
        Object value = property(props, key);
        return value == null ? null : String.valueOf(value);
    }

    private static String socketFactoryClass(Properties props, PropertyKeys keys) {
        for (String key : keys.socketFactories) {
            Object value = property(props, key);
            if (value instanceof String) {
                return (String) value;
            }
            if (value != null) {
                return value.getClass().getName();
            }
        }
        return null;
    }

    private static PropertyReading readingOf(Properties props, PropertyKeys keys, boolean checksIdentityByDefault) {
        long fingerprint = PropertyReading.fingerprintOf(props);
        PropertyReading known = PROPERTY_READINGS.get(props);
        if (known != null && known.fingerprint == fingerprint && known.keys.protocol.equals(keys.protocol)
            && !known.fromDefaults && known.checksIdentityByDefault == checksIdentityByDefault) {
            return known;
        }
        SmtpConfig config = new SmtpConfig(keys.protocol,
            booleanProperty(props, keys.startTlsEnable, false),
            booleanProperty(props, keys.startTlsRequired, false),
            false,
            booleanProperty(props, keys.auth, false),
            false,
            false,
            stringProperty(props, keys.sslTrust),
            booleanProperty(props, keys.checkServerIdentity, checksIdentityByDefault),
            socketFactoryClass(props, keys),
            mailPropertyNames(props),
            intProperty(props, keys.connectionTimeout, 0),
            intProperty(props, keys.timeout, 0),
            intProperty(props, keys.writeTimeout, 0));
        PropertyReading read = new PropertyReading(fingerprint, keys, checksIdentityByDefault, config,
            intProperty(props, keys.port, -1), keys.anyFromDefaults(props));
        PROPERTY_READINGS.put(props, read);
        return read;
    }

    private static Set<String> mailPropertyNames(Properties props) {
        Set<String> names = new HashSet<String>();
        for (Map.Entry<Object, Object> entry : props.entrySet()) {
            if (entry.getKey() instanceof String && ((String) entry.getKey()).startsWith("mail.")) {
                names.add((String) entry.getKey());
            }
        }
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith("mail.")) {
                names.add(name);
            }
        }
        return SmtpConfig.propertyNames(names);
    }

    /** The keys read at every connect, {@code mail.<protocol>.…}, made once per protocol instead of each time. */
    private static final class PropertyKeys {
        private static final PropertyKeys SMTP = new PropertyKeys("smtp");
        private static final PropertyKeys SMTPS = new PropertyKeys("smtps");

        final String protocol;
        final String port;
        final String startTlsEnable;
        final String startTlsRequired;
        final String auth;
        final String sslTrust;
        final String checkServerIdentity;
        final String connectionTimeout;
        final String timeout;
        final String writeTimeout;
        final String[] socketFactories;
        /** Every key above. */
        final String[] all;

        private PropertyKeys(String protocol) {
            this.protocol = protocol;
            String prefix = "mail." + protocol + ".";
            port = prefix + "port";
            startTlsEnable = prefix + "starttls.enable";
            startTlsRequired = prefix + "starttls.required";
            auth = prefix + "auth";
            sslTrust = prefix + "ssl.trust";
            checkServerIdentity = prefix + "ssl.checkserveridentity";
            connectionTimeout = prefix + "connectiontimeout";
            timeout = prefix + "timeout";
            writeTimeout = prefix + "writetimeout";
            socketFactories = new String[] {prefix + "ssl.socketFactory", prefix + "socketFactory",
                                            prefix + "ssl.socketFactory.class", prefix + "socketFactory.class"};
            all = new String[] {port, startTlsEnable, startTlsRequired, auth, sslTrust, checkServerIdentity,
                                connectionTimeout, timeout, writeTimeout, socketFactories[0], socketFactories[1],
                                socketFactories[2], socketFactories[3]};
        }

        static PropertyKeys of(String protocol) {
            if ("smtp".equals(protocol)) {
                return SMTP;
            }
            return "smtps".equals(protocol) ? SMTPS : new PropertyKeys(protocol);
        }

        /**
         * Whether a value read comes from the defaults table behind the properties, whose changes the fingerprint
         * does not see: such properties are read at every connect.
         */
        boolean anyFromDefaults(Properties props) {
            for (String key : all) {
                if (props.get(key) == null && props.getProperty(key) != null) {
                    return true;
                }
            }
            return false;
        }
    }

    /** What one connect read of a mail session's properties: the settings, without the connect call's login. */
    private static final class PropertyReading {
        /** What {@link #fingerprintOf} gave when they were read. */
        final long fingerprint;
        final PropertyKeys keys;
        final boolean checksIdentityByDefault;
        final SmtpConfig config;
        /** {@code mail.<protocol>.port}, or -1 when unset. */
        final int port;
        final boolean fromDefaults;

        PropertyReading(long fingerprint, PropertyKeys keys, boolean checksIdentityByDefault, SmtpConfig config,
                        int port, boolean fromDefaults) {
            this.fingerprint = fingerprint;
            this.keys = keys;
            this.checksIdentityByDefault = checksIdentityByDefault;
            this.config = config;
            this.port = port;
            this.fromDefaults = fromDefaults;
        }

        /**
         * The number of entries and the sums of their keys' and values' hash codes: a key added, removed or renamed
         * and a value changed change it. Walks the keys and the values, whose string hash codes are cached: no copy
         * of the table, as listing the names takes. A value that is no string, boolean or number (a socket factory
         * object) counts by its identity: the app's own {@code hashCode} is never called.
         */
        static long fingerprintOf(Properties props) {
            long keys = 0;
            int count = 0;
            for (Object key : props.keySet()) {
                keys += key instanceof String ? key.hashCode() : System.identityHashCode(key);
                count++;
            }
            long values = 0;
            for (Object value : props.values()) {
                values += value instanceof String || value instanceof Boolean || value instanceof Number
                    ? value.hashCode() : System.identityHashCode(value);
            }
            return ((long) count << 48) ^ (keys << 24) ^ values;
        }
    }

    private static final class SessionClass {
        final Method getProperties;
        /** {@code Session} keeps its {@code Authenticator} in a private field and has no getter; null if unreadable. */
        final Field authenticator;

        SessionClass(Class<?> sessionClass) {
            Method properties;
            try {
                properties = sessionClass.getMethod("getProperties");
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(sessionClass.getName() + " has no getProperties()", e);
            }
            getProperties = properties;
            Field field = null;
            try {
                field = sessionClass.getDeclaredField("authenticator");
                field.setAccessible(true);
            } catch (Exception | LinkageError unreadable) {
                field = null;
            }
            authenticator = field;
        }

        /**
         * Asking the session for a password instead would call the app's {@code Authenticator}. Read only when no
         * password was given. A library that hides the field: the password may come from somewhere, so true (no
         * warning is given).
         */
        boolean hasAuthenticator(Object mailSession) {
            if (authenticator == null) {
                return true;
            }
            try {
                return authenticator.get(mailSession) != null;
            } catch (IllegalAccessException unreadable) {
                return true;
            }
        }
    }
}
