package dev.smtpwatch.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The woven class files of the library builds we test against, made at build time by the same {@link AdviceWeaver}
 * and kept in the agent jar under the SHA-256 of the original class file. The JVM hands the transformer a library
 * class's bytes exactly as they are in the library's jar, so a known build is served from here: no Byte Buddy is
 * loaded, which is most of what the first mail costs. Any other build, or a class file the JVM reconstituted for
 * a retransformation, is woven at run time as before.
 *
 * <p>The key covers the class's own bytes; the shape check it skips is the one those bytes passed at build time.
 * The only field the advice reads from a super class is {@code Service.session}, present in every mail API.
 */
final class PrewovenClasses {
    static final String DIRECTORY = "META-INF/smtpwatch/prewoven/";

    private PrewovenClasses() {
    }

    /** The woven bytes for {@code classFile}, or null when this build of the class is not in the catalogue. */
    static byte[] lookup(byte[] classFile) throws IOException {
        InputStream in = PrewovenClasses.class.getClassLoader().getResourceAsStream(resourceName(classFile));
        if (in == null) {
            return null;
        }
        try {
            ByteArrayOutputStream woven = new ByteArrayOutputStream(classFile.length + 4096);
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) != -1; ) {
                woven.write(buffer, 0, n);
            }
            return woven.toByteArray();
        } finally {
            in.close();
        }
    }

    /** Where the woven form of {@code classFile} is kept in the agent jar. */
    static String resourceName(byte[] classFile) {
        return DIRECTORY + sha256(classFile) + ".class";
    }

    private static String sha256(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            StringBuilder hex = new StringBuilder(64);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
