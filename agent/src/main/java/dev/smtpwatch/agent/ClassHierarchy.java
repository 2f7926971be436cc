package dev.smtpwatch.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The class files the weaver reads beyond the one it rewrites: superclass chains (for stack map frames) and the
 * fields a class inherits. They are read as bytes through the instrumented class's loader, never loaded as
 * classes: loading would run static initialisers in the middle of a transformation and could recurse into it.
 * One instance per transformation, caching what it read.
 *
 * <p>A class file that cannot be read fails the weaving (the class is then left untouched) rather than being
 * guessed as {@code java/lang/Object}: a wrong guess in a stack map frame is a {@code VerifyError} in the app.
 */
final class ClassHierarchy {
    static final String OBJECT = "java/lang/Object";

    private final ClassLoader loader;
    private final Map<String, ClassReader> classes = new HashMap<String, ClassReader>();
    private final Map<String, Members> members = new HashMap<String, Members>();

    ClassHierarchy(ClassLoader loader, String internalName, ClassReader classFile) {
        this.loader = loader;
        classes.put(internalName, classFile);
    }

    /** The fields and methods {@code internalName} declares. */
    Members members(String internalName) {
        Members declared = members.get(internalName);
        if (declared == null) {
            declared = new Members();
            read(internalName).accept(declared, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            members.put(internalName, declared);
        }
        return declared;
    }

    /**
     * The field {@code name} as code of {@code owner} sees it: declared by it, or inherited from a superclass that
     * lets subclasses read it (public, protected, or package-private in the same package); null when there is none.
     */
    Member field(String owner, String name) {
        for (String type = owner; type != null; type = superName(type)) {
            for (Member field : members(type).fields) {
                if (field.name.equals(name)) {
                    return type.equals(owner) || visibleToSubclass(field.access, type, owner) ? field : null;
                }
            }
        }
        return null;
    }

    /** For {@code ClassWriter.getCommonSuperClass}: the nearest common superclass, {@code Object} for interfaces. */
    String commonSuperClass(String first, String second) {
        if (first.equals(second)) {
            return first;
        }
        if (OBJECT.equals(first) || OBJECT.equals(second) || isInterface(first) || isInterface(second)) {
            return OBJECT;
        }
        Set<String> firstChain = new HashSet<String>();
        for (String type = first; type != null; type = superName(type)) {
            firstChain.add(type);
        }
        for (String type = second; type != null; type = superName(type)) {
            if (firstChain.contains(type)) {
                return type;
            }
        }
        return OBJECT;
    }

    private boolean isInterface(String internalName) {
        return (read(internalName).getAccess() & Opcodes.ACC_INTERFACE) != 0;
    }

    private String superName(String internalName) {
        return OBJECT.equals(internalName) ? null : read(internalName).getSuperName();
    }

    private ClassReader read(String internalName) {
        ClassReader reader = classes.get(internalName);
        if (reader != null) {
            return reader;
        }
        InputStream in = loader.getResourceAsStream(internalName + ".class");
        if (in == null) {
            throw new TypeNotPresentException(internalName.replace('/', '.'), null);
        }
        try {
            try {
                reader = new ClassReader(in);
            } finally {
                in.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        classes.put(internalName, reader);
        return reader;
    }

    private static boolean visibleToSubclass(int access, String declaringType, String subclass) {
        if ((access & Opcodes.ACC_PRIVATE) != 0) {
            return false;
        }
        return (access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) != 0
            || packageOf(declaringType).equals(packageOf(subclass));
    }

    private static String packageOf(String internalName) {
        return internalName.substring(0, Math.max(0, internalName.lastIndexOf('/')));
    }

    /** A declared field or method: access flags, name, descriptor. */
    static final class Member {
        final int access;
        final String name;
        final String descriptor;

        Member(int access, String name, String descriptor) {
            this.access = access;
            this.name = name;
            this.descriptor = descriptor;
        }
    }

    /** The declared fields and methods of one class, collected from its class file without reading any code. */
    static final class Members extends ClassVisitor {
        final List<Member> fields = new ArrayList<Member>();
        final List<Member> methods = new ArrayList<Member>();

        Members() {
            super(Opcodes.ASM9);
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            fields.add(new Member(access, name, descriptor));
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            methods.add(new Member(access, name, descriptor));
            return null;
        }
    }
}
