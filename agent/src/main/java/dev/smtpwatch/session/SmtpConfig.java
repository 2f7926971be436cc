package dev.smtpwatch.session;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of the mail session that decide how the connection is secured and how long it may wait, read once
 * at connect. Only the values of these keys are kept; of every other {@code mail.*} property only the name, so
 * that no password or token set as a property can reach an output.
 */
public final class SmtpConfig {
    private final String protocol;
    private final boolean startTlsEnable;
    private final boolean startTlsRequired;
    private final boolean sslEnable;
    private final boolean auth;
    private final boolean credentials;
    private final boolean authenticator;
    private final String sslTrust;
    private final boolean checkServerIdentity;
    private final String sslSocketFactoryClass;
    private final Set<String> mailPropertyNames;
    private final int connectionTimeout;
    private final int timeout;
    private final int writeTimeout;

    /**
     * @param mailPropertyNames kept as given, and shared by every session of one mail session: an unmodifiable
     *                          set, such as {@link #propertyNames} makes
     * @param connectionTimeout and the other two: milliseconds, 0 when unset (the library waits forever)
     */
    public SmtpConfig(String protocol, boolean startTlsEnable, boolean startTlsRequired, boolean sslEnable,
                      boolean auth, boolean credentials, boolean authenticator, String sslTrust,
                      boolean checkServerIdentity, String sslSocketFactoryClass, Set<String> mailPropertyNames,
                      int connectionTimeout, int timeout, int writeTimeout) {
        this.protocol = protocol;
        this.startTlsEnable = startTlsEnable;
        this.startTlsRequired = startTlsRequired;
        this.sslEnable = sslEnable;
        this.auth = auth;
        this.credentials = credentials;
        this.authenticator = authenticator;
        this.sslTrust = sslTrust;
        this.checkServerIdentity = checkServerIdentity;
        this.sslSocketFactoryClass = sslSocketFactoryClass;
        this.mailPropertyNames = mailPropertyNames;
        this.connectionTimeout = Math.max(0, connectionTimeout);
        this.timeout = Math.max(0, timeout);
        this.writeTimeout = Math.max(0, writeTimeout);
    }

    /**
     * These settings for one connect call: over implicit TLS or not (the transport's own), (not) handed a user and
     * password, with (without) an {@code Authenticator} to ask. The rest is the mail session's, the same for each of
     * its connections.
     */
    public SmtpConfig forConnect(boolean implicitTls, boolean credentialsGiven, boolean authenticatorToAsk) {
        if (implicitTls == sslEnable && credentialsGiven == credentials && authenticatorToAsk == authenticator) {
            return this;
        }
        return new SmtpConfig(protocol, startTlsEnable, startTlsRequired, implicitTls, auth, credentialsGiven,
            authenticatorToAsk, sslTrust, checkServerIdentity, sslSocketFactoryClass, mailPropertyNames,
            connectionTimeout, timeout, writeTimeout);
    }

    /** The names, sorted and unmodifiable, as the constructor takes them. */
    public static Set<String> propertyNames(Collection<String> names) {
        return Collections.unmodifiableSortedSet(new TreeSet<String>(names));
    }

    /** {@code smtp} or {@code smtps}: the {@code mail.<protocol>.} prefix the library reads. */
    public String protocol() {
        return protocol;
    }

    public boolean startTlsEnable() {
        return startTlsEnable;
    }

    public boolean startTlsRequired() {
        return startTlsRequired;
    }

    public boolean sslEnable() {
        return sslEnable;
    }

    /** Whether {@code mail.<protocol>.auth} is set to true: AUTH configured, which need not mean it happened. */
    public boolean auth() {
        return auth;
    }

    /**
     * Whether the connect call was handed a user name and a password. Angus Mail and com.sun.mail log in whenever
     * it was, whatever {@code auth} says; whether AUTH really happened is the session's {@code auth()}.
     */
    public boolean credentials() {
        return credentials;
    }

    /** Whether the mail session has an {@code Authenticator} the library can ask for a missing password. */
    public boolean authenticator() {
        return authenticator;
    }

    /** Value of {@code mail.<protocol>.ssl.trust}, or null when unset. */
    public String sslTrust() {
        return sslTrust;
    }

    /** The effective value: the property when set, else the library's default. */
    public boolean checkServerIdentity() {
        return checkServerIdentity;
    }

    /** Class name of a configured {@code ssl.socketFactory} (or {@code socketFactory}), or null. */
    public String sslSocketFactoryClass() {
        return sslSocketFactoryClass;
    }

    /** Names (never values) of every {@code mail.*} property of the session. */
    public Set<String> mailPropertyNames() {
        return mailPropertyNames;
    }

    /** {@code mail.<protocol>.connectiontimeout} in milliseconds; 0 when unset or 0 (wait forever). */
    public int connectionTimeout() {
        return connectionTimeout;
    }

    /** {@code mail.<protocol>.timeout} (reading a reply) in milliseconds; 0 when unset or 0 (wait forever). */
    public int timeout() {
        return timeout;
    }

    /** {@code mail.<protocol>.writetimeout} in milliseconds; 0 when unset or 0 (wait forever). */
    public int writeTimeout() {
        return writeTimeout;
    }
}
