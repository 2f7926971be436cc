package dev.smtpwatch.cli;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * The JDK's attach API: {@code list} reads {@code com.sun.tools.attach.VirtualMachine} by reflection, and
 * {@code attach} goes through Byte Buddy Agent (relocated into the agent jar), which does the same. The agent compiles
 * with {@code --release 8}, where that API is not part of the platform, and a JRE has none at all. It is the
 * module {@code jdk.attach} from Java 9 on, and {@code lib/tools.jar} of a Java 8 JDK.
 */
final class AttachApi {
    private static final String VIRTUAL_MACHINE = "com.sun.tools.attach.VirtualMachine";
    private static final String DESCRIPTOR = "com.sun.tools.attach.VirtualMachineDescriptor";

    private final Class<?> virtualMachine;
    private final Class<?> descriptor;

    private AttachApi(Class<?> virtualMachine, Class<?> descriptor) {
        this.virtualMachine = virtualMachine;
        this.descriptor = descriptor;
    }

    /** @throws CliException when this Java has no attach API, saying to run the command with a JDK's java */
    static AttachApi load() throws CliException {
        ClassLoader loader = AttachApi.class.getClassLoader();
        try {
            return new AttachApi(Class.forName(VIRTUAL_MACHINE, true, loader), Class.forName(DESCRIPTOR, true, loader));
        } catch (ClassNotFoundException | LinkageError notOnClassPath) {
            // Java 8: the API is in the JDK's tools.jar, never on the class path of java -jar
        }
        File toolsJar = new File(System.getProperty("java.home"), "../lib/tools.jar");
        if (toolsJar.isFile()) {
            try {
                ClassLoader tools = new URLClassLoader(new URL[] {toolsJar.toURI().toURL()}, loader);
                return new AttachApi(Class.forName(VIRTUAL_MACHINE, true, tools), Class.forName(DESCRIPTOR, true,
                    tools));
            } catch (Exception | LinkageError unusable) {
                // fall through to the message below
            }
        }
        throw noAttachApi();
    }

    /** The JVMs of this user on this machine, as {pid, display name} (main class or jar, and its arguments). */
    List<String[]> list() throws CliException {
        List<String[]> jvms = new ArrayList<String[]>();
        try {
            Method id = descriptor.getMethod("id");
            Method displayName = descriptor.getMethod("displayName");
            for (Object jvm : (List<?>) virtualMachine.getMethod("list").invoke(null)) {
                jvms.add(new String[] {(String) id.invoke(jvm), (String) displayName.invoke(jvm)});
            }
        } catch (InvocationTargetException e) {
            throw CliException.failed("cannot list the JVMs (" + describe(e.getCause()) + ")");
        } catch (ReflectiveOperationException e) {
            throw CliException.failed("cannot use the attach API of this Java (" + e + ")");
        }
        return jvms;
    }

    /**
     * Attaches to {@code pid} through Byte Buddy Agent and loads {@code agentJar} with {@code agentArgs} there; the
     * target's {@code agentmain} runs before this returns. Byte Buddy Agent finds the attach API itself (the
     * {@code jdk.attach} module, a Java 8 JDK's tools.jar, or OpenJ9's).
     *
     * @throws CliException saying why, in the attach API's words and with what to do about it
     */
    static void loadAgent(String pid, String agentJar, String agentArgs) throws CliException {
        try {
            ByteBuddyAgent.attach(new File(agentJar), pid, agentArgs);
        } catch (RuntimeException | LinkageError e) {
            Throwable cause = attachFailure(e);
            if (cause == null) {
                throw noAttachApi();
            }
            String type = cause.getClass().getName();
            if (type.endsWith(".AgentLoadException") || type.endsWith(".AgentInitializationException")) {
                throw CliException.failed("attached to JVM " + pid + " but it did not load the agent: "
                    + describe(cause));
            }
            throw CliException.failed("cannot attach to JVM " + pid + ": " + attachProblem(cause));
        }
    }

    /**
     * The attach API's own exception under Byte Buddy Agent's wrappers (it reaches the API by reflection), or
     * null when no attachment provider was available at all.
     */
    private static Throwable attachFailure(Throwable thrown) {
        Throwable t = thrown;
        while (t.getCause() != null && (t instanceof InvocationTargetException
            || String.valueOf(t.getMessage()).startsWith("Error during attachment using"))) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage()).startsWith("No compatible attachment provider") ? null : t;
    }

    private static CliException noAttachApi() {
        return CliException.failed("this Java (" + System.getProperty("java.home") + ") has no attach API; "
            + "run the command with a JDK's java (a JRE has no jdk.attach module), e.g. $JAVA_HOME/bin/java -jar "
            + "smtpwatch-agent.jar");
    }

    /** The attach API's own message, plus what to do for the cases it leaves cryptic. */
    private static String attachProblem(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        // JDK 8-17 and JDK 21+ say it differently
        if (message.contains("No such process") || message.contains("non existent JVM pid")) {
            return "no process with that pid";
        }
        if (message.contains("does not support the attach mechanism")) {
            return "attach is disabled in that JVM (started with -XX:+DisableAttachMechanism)";
        }
        if (message.contains("Can not attach to current VM")) {
            return "that is this command's own JVM";
        }
        if (message.contains("ermission") || message.contains("not secure") || message.contains("owned by")) {
            return describe(cause) + " (run the command as the user that runs that JVM)";
        }
        if (message.contains("doesn't respond") || message.contains("not responding")) {
            return "it did not answer (not a HotSpot JVM, run by another user, or in another container)";
        }
        return describe(cause);
    }

    private static String describe(Throwable t) {
        String name = t.getClass().getSimpleName();
        return t.getMessage() == null ? name : t.getMessage() + " (" + name + ")";
    }
}
