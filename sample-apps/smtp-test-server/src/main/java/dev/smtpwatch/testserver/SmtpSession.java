package dev.smtpwatch.testserver;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The server side of one SMTP connection: Postfix-like replies, bent where the {@link ServerScript} says so.
 * Runs on the connection's own thread; every command it receives goes into the {@link SessionTranscript}.
 */
final class SmtpSession {
    private static final String MUST_STARTTLS = "530 5.7.0 Must issue a STARTTLS command first";
    private static final String SEND_EHLO_FIRST = "503 5.5.1 Error: send HELO/EHLO first";
    private static final String AUTH_FAILED = "535 5.7.8 Error: authentication failed";
    private static final String OK = "250 2.0.0 Ok";
    /** Longest line read; longer ones end the connection rather than fill the heap. */
    private static final int MAX_LINE = 1 << 20;
    private static final String QUEUE_ID_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int QUEUE_ID_LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServerScript script;
    private final Socket plainSocket;
    private final SessionTranscript transcript;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean tls;
    /** EHLO or HELO seen since the connection or STARTTLS began. */
    private boolean greeted;
    private boolean authenticated;
    private boolean mailGiven;
    private int acceptedRecipients;

    SmtpSession(ServerScript script, Socket plainSocket, SessionTranscript transcript) {
        this.script = script;
        this.plainSocket = plainSocket;
        this.transcript = transcript;
    }

    /** Serves the connection until QUIT, a scripted drop, or the client going away; never throws. */
    void run() {
        try {
            useSocket(plainSocket);
            if (script.tlsMode == TlsMode.IMPLICIT && !startTls()) {
                return;
            }
            if (script.greeting == null) {
                swallowUntilClosed();
                return;
            }
            writeLine(script.greeting);
            for (String line; (line = readLine()) != null; ) {
                if (!handle(line)) {
                    return;
                }
            }
        } catch (IOException clientWentAway) {
            // an ended connection is an outcome for the test to judge, not an error of the server
        }
    }

    /** A silent server: reads whatever comes, answers nothing, until the client gives up. */
    private void swallowUntilClosed() throws IOException {
        byte[] ignored = new byte[4096];
        while (in.read(ignored) != -1) {
            // nothing to answer
        }
    }

    /** Handles one command line; false when the connection is to end. */
    private boolean handle(String line) throws IOException {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : line.substring(space + 1).trim();
        if (script.dropVerbs.contains(verb)) {
            transcript.command(verb, tls, -1);
            // the raw socket, so that not even a TLS close_notify answers: the connection just breaks
            plainSocket.close();
            return false;
        }
        if (script.hangVerbs.contains(verb)) {
            transcript.command(verb, tls, -1);
            swallowUntilClosed();
            return false;
        }
        String scripted = script.scriptedReplies.get(verb);
        if (scripted != null) {
            reply(verb, scripted);
            return true;
        }
        switch (verb) {
            case "EHLO":
                ehlo();
                return true;
            case "HELO":
                greeted = true;
                resetTransaction();
                reply(verb, "250 localhost");
                return true;
            case "STARTTLS":
                return startTlsCommand();
            case "AUTH":
                auth(argument);
                return true;
            case "MAIL":
                mail();
                return true;
            case "RCPT":
                rcpt(argument);
                return true;
            case "DATA":
                return data();
            case "RSET":
                resetTransaction();
                reply(verb, OK);
                return true;
            case "NOOP":
                reply(verb, OK);
                return true;
            case "QUIT":
                reply(verb, "221 2.0.0 Bye");
                socket.close();
                return false;
            default:
                reply(verb, "502 5.5.2 Error: command not recognized");
                return true;
        }
    }

    private void ehlo() throws IOException {
        greeted = true;
        resetTransaction();
        StringBuilder reply = new StringBuilder("250-localhost\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n");
        if (script.offersStartTls() && !tls) {
            reply.append("250-STARTTLS\r\n");
        }
        if (script.authEnabled() && (!tlsRequiredButMissing() || script.advertiseAuthBeforeTls)) {
            reply.append("250-AUTH ").append(String.join(" ", script.authMechanisms)).append("\r\n");
        }
        reply.append("250 8BITMIME");
        reply("EHLO", reply.toString());
    }

    private boolean startTlsCommand() throws IOException {
        if (tls) {
            reply("STARTTLS", "554 5.5.1 Error: TLS already active");
            return true;
        }
        if (!script.offersStartTls()) {
            reply("STARTTLS", "502 5.5.1 Error: command not implemented");
            return true;
        }
        reply("STARTTLS", "220 2.0.0 Ready to start TLS");
        // RFC 3207 §4.2: everything learned in plaintext is forgotten
        greeted = false;
        authenticated = false;
        resetTransaction();
        return startTls();
    }

    private void auth(String argument) throws IOException {
        String[] parts = argument.split(" ", 2);
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        String initialResponse = parts.length > 1 ? parts[1].trim() : null;
        transcript.authMechanism(mechanism);
        if (tlsRequiredButMissing()) {
            reply("AUTH", MUST_STARTTLS);
        } else if (!script.authEnabled()) {
            reply("AUTH", "503 5.5.1 Error: authentication not enabled");
        } else if (authenticated) {
            reply("AUTH", "503 5.5.1 Error: already authenticated");
        } else if (script.requireEhlo && !greeted) {
            reply("AUTH", SEND_EHLO_FIRST);
        } else if ("XOAUTH2".equals(mechanism) && script.oauthToken != null
                && script.authMechanisms.contains(mechanism)) {
            xoauth2(initialResponse);
        } else if (!script.authMechanisms.contains(mechanism)
                || !("PLAIN".equals(mechanism) || "LOGIN".equals(mechanism))) {
            reply("AUTH", "504 5.5.4 Unrecognized authentication type");
        } else {
            authenticate(mechanism, initialResponse);
        }
    }

    private void authenticate(String mechanism, String initialResponse) throws IOException {
        String user;
        String password;
        try {
            if ("PLAIN".equals(mechanism)) {
                // authorization id, authentication id and password, separated by NUL (RFC 4616)
                String response = initialResponse != null ? initialResponse : challenge("");
                String[] fields = decode(response).split("\u0000", -1);
                if (fields.length != 3) {
                    reply("AUTH", AUTH_FAILED);
                    return;
                }
                user = fields[1];
                password = fields[2];
            } else {
                user = decode(initialResponse != null ? initialResponse : challenge("VXNlcm5hbWU6"));
                password = decode(challenge("UGFzc3dvcmQ6"));
            }
        } catch (AuthAborted aborted) {
            reply("AUTH", "501 5.7.0 Authentication aborted");
            return;
        } catch (IllegalArgumentException notBase64) {
            reply("AUTH", "501 5.5.2 Cannot decode response");
            return;
        }
        if (script.user.equals(user) && script.password.equals(password)) {
            authenticated = true;
            transcript.authenticated(true);
            reply("AUTH", "235 2.7.0 Authentication successful");
        } else {
            reply("AUTH", AUTH_FAILED);
        }
    }

    /** {@code user=<user>^Aauth=Bearer <token>^A^A}, base64, as the initial response or after an empty 334. */
    private void xoauth2(String initialResponse) throws IOException {
        String expected = "user=" + script.user + "\u0001auth=Bearer " + script.oauthToken + "\u0001\u0001";
        try {
            String response = decode(initialResponse != null ? initialResponse : challenge(""));
            if (expected.equals(response)) {
                authenticated = true;
                transcript.authenticated(true);
                reply("AUTH", "235 2.7.0 Accepted");
            } else {
                reply("AUTH", AUTH_FAILED);
            }
        } catch (AuthAborted aborted) {
            reply("AUTH", "501 5.7.0 Authentication aborted");
        } catch (IllegalArgumentException notBase64) {
            reply("AUTH", "501 5.5.2 Cannot decode response");
        }
    }

    /** Sends a 334 continuation and returns the client's answer, which is never recorded. */
    private String challenge(String base64Text) throws IOException {
        writeLine("334 " + base64Text);
        String response = readLine();
        if (response == null) {
            throw new EOFException("connection closed during AUTH");
        }
        if ("*".equals(response)) {
            throw new AuthAborted();
        }
        return response;
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
    }

    private void mail() throws IOException {
        if (tlsRequiredButMissing()) {
            reply("MAIL", MUST_STARTTLS);
        } else if (script.requireEhlo && !greeted) {
            reply("MAIL", SEND_EHLO_FIRST);
        } else if (mailGiven) {
            reply("MAIL", "503 5.5.1 Error: nested MAIL command");
        } else {
            mailGiven = true;
            reply("MAIL", "250 2.1.0 Ok");
        }
    }

    private void rcpt(String argument) throws IOException {
        String address = address(argument);
        if (tlsRequiredButMissing()) {
            reply("RCPT", MUST_STARTTLS);
        } else if (!mailGiven) {
            reply("RCPT", "503 5.5.1 Error: need MAIL command");
        } else if (script.rejects(address)) {
            reply("RCPT", "550 5.1.1 <" + address + ">: Recipient address rejected");
        } else {
            acceptedRecipients++;
            reply("RCPT", "250 2.1.5 Ok");
        }
    }

    /** The path inside {@code <>} of {@code TO:<a@b> PARAMS}, or the argument after the colon. */
    private static String address(String argument) {
        int open = argument.indexOf('<');
        int close = argument.indexOf('>', open + 1);
        if (open >= 0 && close > open) {
            return argument.substring(open + 1, close);
        }
        int colon = argument.indexOf(':');
        return argument.substring(colon + 1).trim();
    }

    private boolean data() throws IOException {
        if (tlsRequiredButMissing()) {
            reply("DATA", MUST_STARTTLS);
            return true;
        }
        if (acceptedRecipients == 0) {
            reply("DATA", "503 5.5.1 Error: need RCPT command");
            return true;
        }
        reply("DATA", "354 End data with <CR><LF>.<CR><LF>");
        if (script.dropInData) {
            readLine();
            return false;
        }
        for (String line; !".".equals(line = readLine()); ) {
            if (line == null) {
                return false;
            }
        }
        resetTransaction();
        if (script.hangAtEndOfData) {
            swallowUntilClosed();
            return false;
        }
        String queueId = newQueueId();
        transcript.queued(queueId);
        writeLine("250 2.0.0 Ok: queued as " + queueId);
        return true;
    }

    private static String newQueueId() {
        StringBuilder id = new StringBuilder(QUEUE_ID_LENGTH);
        for (int i = 0; i < QUEUE_ID_LENGTH; i++) {
            id.append(QUEUE_ID_CHARACTERS.charAt(RANDOM.nextInt(QUEUE_ID_CHARACTERS.length())));
        }
        return id.toString();
    }

    private boolean tlsRequiredButMissing() {
        return script.tlsMode == TlsMode.STARTTLS_REQUIRED && !tls;
    }

    private void resetTransaction() {
        mailGiven = false;
        acceptedRecipients = 0;
    }

    /** Wraps the connection in TLS, server side; false (and the failure recorded) when the handshake fails. */
    private boolean startTls() throws IOException {
        SSLSocket sslSocket = (SSLSocket) script.sslContext.getSocketFactory().createSocket(
                socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        sslSocket.setUseClientMode(false);
        if (script.tlsProtocols != null) {
            sslSocket.setEnabledProtocols(script.tlsProtocols);
        }
        try {
            sslSocket.startHandshake();
        } catch (IOException e) {
            transcript.tlsFailed(e.toString());
            return false;
        }
        SSLSession session = sslSocket.getSession();
        transcript.tlsEstablished(session.getProtocol(), session.getCipherSuite());
        tls = true;
        // plaintext the client sent after STARTTLS and before the handshake is dropped with the old stream
        useSocket(sslSocket);
        return true;
    }

    private void useSocket(Socket newSocket) throws IOException {
        socket = newSocket;
        in = new BufferedInputStream(newSocket.getInputStream());
        out = new BufferedOutputStream(newSocket.getOutputStream());
    }

    /** Records the command, then writes its reply (one or more lines separated by CRLF). */
    private void reply(String verb, String reply) throws IOException {
        transcript.command(verb, tls, finalReplyCode(reply));
        writeLine(reply);
    }

    private static int finalReplyCode(String reply) {
        String last = reply.substring(reply.lastIndexOf('\n') + 1);
        if (last.length() >= 3 && Character.isDigit(last.charAt(0)) && Character.isDigit(last.charAt(1))
                && Character.isDigit(last.charAt(2))) {
            return Integer.parseInt(last.substring(0, 3));
        }
        return -1;
    }

    private void writeLine(String line) throws IOException {
        if (script.replyDelayNanos > 0) {
            LockSupport.parkNanos(script.replyDelayNanos);
        }
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The next line without its CRLF (or bare LF); null at the end of the stream. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() == MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        return null;
    }

    /** The client answered a 334 challenge with {@code *} (RFC 4954). */
    private static final class AuthAborted extends IOException {
        private static final long serialVersionUID = 1L;
    }
}
