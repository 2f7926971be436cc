package dev.smtpwatch.agent;

import dev.smtpwatch.agent.ClassHierarchy.Member;
import dev.smtpwatch.instrumentation.AdviceErrors;
import dev.smtpwatch.instrumentation.Hook;
import dev.smtpwatch.instrumentation.HookArg;
import dev.smtpwatch.instrumentation.HookedMethod;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Weaves the declared hooks of one class into its class file, in place: calls are inserted into the bodies of
 * existing methods and nothing else changes (no field, no method, same class version), so the same bytes serve
 * retransformation on runtime attach. What a hooked method becomes:
 *
 * <pre>
 *   enter hook, guarded
 *   try { original body, each return replaced by a jump to "returned" }
 *   catch (Throwable t) { exit hook (default return value, t), guarded; throw t; }
 *   returned: store the return value; exit hook (return value, null), guarded; return the value
 * </pre>
 *
 * "Guarded" is {@code try { hook(...); } catch (Throwable e) { try { AdviceErrors.record(e); } catch (Throwable
 * ignored) { } }}: whatever a hook throws, including {@code NoClassDefFoundError}, never reaches the app. The
 * inserted code lies outside every range of the method's own exception table, so the method's handlers never
 * see a hook's Throwable, and the catch-all comes after them in the table, so they still see the body's.
 *
 * <p>Frames: class files of version 50+ get their woven methods' frames computed by ASM, with superclasses read
 * through {@link ClassHierarchy}; older ones (javax.mail 1.4, Java 5) have none and only get max stack and
 * locals. Methods without hooks are copied as they are.
 */
final class HookWeaver {
    private static final String THROWABLE = "java/lang/Throwable";
    private static final Type OBJECT_TYPE = Type.getObjectType(ClassHierarchy.OBJECT);
    private static final String ADVICE_ERRORS = Type.getInternalName(AdviceErrors.class);

    private final String className;
    private final ClassHierarchy hierarchy;
    private final Map<String, Site> sites = new HashMap<String, Site>();
    private final List<String> missing = new ArrayList<String>();

    /** Binds each hooked method to the methods {@code className} declares; see {@link #missing()}. */
    HookWeaver(String className, List<HookedMethod> hookedMethods, Map<Hook, HookCall> calls,
               ClassHierarchy hierarchy) {
        this.className = className;
        this.hierarchy = hierarchy;
        for (HookedMethod hooked : hookedMethods) {
            boolean found = false;
            for (Member method : hierarchy.members(className).methods) {
                Type[] parameters = Type.getArgumentTypes(method.descriptor);
                List<String> parameterNames = new ArrayList<String>();
                for (Type parameter : parameters) {
                    parameterNames.add(parameter.getClassName());
                }
                boolean hasCode = (method.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
                if (hasCode && hooked.matches(method.name,
                    parameterNames, Type.getReturnType(method.descriptor).getClassName())) {
                    found = true;
                    sites.put(method.name + method.descriptor, new Site(method,
                        bind(hooked.enter(), calls, method, false), bind(hooked.exit(), calls, method, true)));
                }
            }
            if (!found) {
                missing.add("method " + hooked);
            }
        }
    }

    /** What this class lacks for its hooks (methods, fields, or their types); empty when it can be woven. */
    List<String> missing() {
        return missing;
    }

    byte[] weave(ClassReader reader) {
        boolean frames = reader.readUnsignedShort(6) >= Opcodes.V1_6;
        ClassWriter writer = new ClassWriter(reader, frames ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String first, String second) {
                return hierarchy.commonSuperClass(first, second);
            }
        };
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                Site site = sites.get(name + descriptor);
                // Unhooked methods go straight to the writer, which then copies them without decoding.
                return site == null || next == null ? next : new WovenMethod(next, site);
            }
        }, frames ? ClassReader.SKIP_FRAMES : 0);
        return writer.toByteArray();
    }

    private Bound bind(Hook hook, Map<Hook, HookCall> calls, Member method, boolean exit) {
        if (hook == null) {
            return null;
        }
        HookCall call = calls.get(hook);
        Load[] loads = new Load[hook.args().size()];
        for (int i = 0; i < loads.length; i++) {
            HookArg arg = hook.args().get(i);
            loads[i] = load(arg, method, exit);
            if (loads[i] != null && !assignable(loads[i].type, call.parameters[i])) {
                missing.add(arg + " of type " + call.parameters[i].getClassName() + " (for " + hook + ")");
            }
        }
        return new Bound(call, loads);
    }

    private Load load(HookArg arg, Member method, boolean exit) {
        boolean isStatic = (method.access & Opcodes.ACC_STATIC) != 0;
        Type[] arguments = Type.getArgumentTypes(method.descriptor);
        Type result = Type.getReturnType(method.descriptor);
        switch (arg.kind()) {
            case THIS:
                return isStatic ? unusable(arg, method) : new Load(arg.kind(), Type.getObjectType(className), 0, null);
            case ARGUMENT:
                if (arg.index() < 0 || arg.index() >= arguments.length) {
                    return unusable(arg, method);
                }
                int slot = isStatic ? 0 : 1;
                for (int i = 0; i < arg.index(); i++) {
                    slot += arguments[i].getSize();
                }
                return new Load(arg.kind(), arguments[arg.index()], slot, null);
            case FIELD:
                Member field = hierarchy.field(className, arg.field());
                if (field == null) {
                    missing.add("field " + arg.field());
                    return null;
                }
                boolean staticField = (field.access & Opcodes.ACC_STATIC) != 0;
                return isStatic && !staticField ? unusable(arg, method)
                    : new Load(arg.kind(), Type.getType(field.descriptor), staticField ? -1 : 0, field.name);
            case RETURN_VALUE:
                return !exit || result.getSort() == Type.VOID ? unusable(arg, method) : new Load(arg.kind(), result, -1, null);
            default:
                return !exit ? unusable(arg, method) : new Load(arg.kind(), Type.getObjectType(THROWABLE), -1, null);
        }
    }

    private Load unusable(HookArg arg, Member method) {
        missing.add(arg + " in " + method.name + method.descriptor);
        return null;
    }

    /** A value of type {@code value} can be passed as {@code parameter}: the same type, or any object as Object. */
    private static boolean assignable(Type value, Type parameter) {
        return value.equals(parameter) || parameter.equals(OBJECT_TYPE)
            && (value.getSort() == Type.OBJECT || value.getSort() == Type.ARRAY);
    }

    /** A hook's method, resolved once: the one public static method of its name with that many parameters. */
    static final class HookCall {
        final String owner;
        final String name;
        final String descriptor;
        final Type[] parameters;
        final Type result;

        private HookCall(Method method) {
            this.owner = Type.getInternalName(method.getDeclaringClass());
            this.name = method.getName();
            this.descriptor = Type.getMethodDescriptor(method);
            this.parameters = Type.getArgumentTypes(method);
            this.result = Type.getReturnType(method);
        }

        static HookCall resolve(Hook hook) {
            Method found = null;
            for (Method method : hook.owner().getMethods()) {
                if (method.getName().equals(hook.method()) && Modifier.isStatic(method.getModifiers())
                    && method.getParameterTypes().length == hook.args().size()) {
                    if (found != null) {
                        throw new IllegalArgumentException("more than one method for " + hook);
                    }
                    found = method;
                }
            }
            if (found == null || !Modifier.isPublic(hook.owner().getModifiers())) {
                throw new IllegalArgumentException("no public static method for " + hook);
            }
            return new HookCall(found);
        }
    }

    /** How one hook argument is put on the stack. */
    private static final class Load {
        final HookArg.Kind kind;
        final Type type;
        /** ARGUMENT: its local slot; FIELD: 0 for an instance field, -1 for a static one. */
        final int slot;
        final String field;

        Load(HookArg.Kind kind, Type type, int slot, String field) {
            this.kind = kind;
            this.type = type;
            this.slot = slot;
            this.field = field;
        }
    }

    /** A hook bound to one method: the call and where each of its arguments comes from. */
    private static final class Bound {
        final HookCall call;
        final Load[] loads;

        Bound(HookCall call, Load[] loads) {
            this.call = call;
            this.loads = loads;
        }
    }

    /** One hooked method of the class. */
    private static final class Site {
        final Type result;
        final Bound enter;
        final Bound exit;

        Site(Member method, Bound enter, Bound exit) {
            this.result = Type.getReturnType(method.descriptor);
            this.enter = enter;
            this.exit = exit;
        }
    }

    /** Rewrites one method's body as the class comment shows. */
    private final class WovenMethod extends MethodVisitor {
        private final MethodVisitor out;
        private final Site site;
        private final Label bodyStart = new Label();
        private final Label returned = new Label();
        private boolean returns;

        WovenMethod(MethodVisitor out, Site site) {
            super(Opcodes.ASM9, out);
            this.out = out;
            this.site = site;
        }

        @Override
        public void visitCode() {
            out.visitCode();
            // Before the first label of the original code, so outside every range of its exception table.
            if (site.enter != null) {
                callGuarded(site.enter, -1, -1);
            }
            out.visitLabel(bodyStart);
        }

        @Override
        public void visitInsn(int opcode) {
            if (site.exit != null && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                // The value stays on the stack; javac leaves nothing under it at a return.
                returns = true;
                out.visitJumpInsn(Opcodes.GOTO, returned);
            } else {
                out.visitInsn(opcode);
            }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            if (site.exit != null) {
                // The original max_locals: slots from there on are free for the values the exit needs.
                int spare = maxLocals;
                Label bodyEnd = new Label();
                Label threw = new Label();
                out.visitLabel(bodyEnd);
                // Visited after the original entries, so last in the table: the body's own handlers come first.
                out.visitTryCatchBlock(bodyStart, bodyEnd, threw, THROWABLE);
                out.visitLabel(threw);
                out.visitVarInsn(Opcodes.ASTORE, spare);
                callGuarded(site.exit, -1, spare);
                out.visitVarInsn(Opcodes.ALOAD, spare);
                out.visitInsn(Opcodes.ATHROW);
                if (returns) {
                    out.visitLabel(returned);
                    boolean hasValue = site.result.getSort() != Type.VOID;
                    if (hasValue) {
                        out.visitVarInsn(site.result.getOpcode(Opcodes.ISTORE), spare);
                    }
                    callGuarded(site.exit, hasValue ? spare : -1, -1);
                    if (hasValue) {
                        out.visitVarInsn(site.result.getOpcode(Opcodes.ILOAD), spare);
                    }
                    out.visitInsn(site.result.getOpcode(Opcodes.IRETURN));
                }
            }
            out.visitMaxs(maxStack, maxLocals);
        }

        /** The hook call, guarded; {@code returnSlot}/{@code thrownSlot} -1: default value / null. */
        private void callGuarded(Bound hook, int returnSlot, int thrownSlot) {
            Label start = new Label();
            Label end = new Label();
            Label failed = new Label();
            Label recorded = new Label();
            Label swallow = new Label();
            Label done = new Label();
            out.visitTryCatchBlock(start, end, failed, THROWABLE);
            out.visitTryCatchBlock(failed, recorded, swallow, THROWABLE);
            out.visitLabel(start);
            for (Load load : hook.loads) {
                push(load, returnSlot, thrownSlot);
            }
            HookCall call = hook.call;
            out.visitMethodInsn(Opcodes.INVOKESTATIC, call.owner, call.name, call.descriptor, false);
            if (call.result.getSort() != Type.VOID) {
                out.visitInsn(call.result.getSize() == 2 ? Opcodes.POP2 : Opcodes.POP);
            }
            out.visitLabel(end);
            out.visitJumpInsn(Opcodes.GOTO, done);
            out.visitLabel(failed);
            out.visitMethodInsn(Opcodes.INVOKESTATIC, ADVICE_ERRORS, "record", "(Ljava/lang/Throwable;)V", false);
            out.visitLabel(recorded);
            out.visitJumpInsn(Opcodes.GOTO, done);
            out.visitLabel(swallow);
            out.visitInsn(Opcodes.POP);
            out.visitLabel(done);
        }

        private void push(Load load, int returnSlot, int thrownSlot) {
            switch (load.kind) {
                case THIS:
                    out.visitVarInsn(Opcodes.ALOAD, 0);
                    break;
                case ARGUMENT:
                    out.visitVarInsn(load.type.getOpcode(Opcodes.ILOAD), load.slot);
                    break;
                case FIELD:
                    if (load.slot == 0) {
                        out.visitVarInsn(Opcodes.ALOAD, 0);
                    }
                    out.visitFieldInsn(load.slot == 0 ? Opcodes.GETFIELD : Opcodes.GETSTATIC, className, load.field,
                        load.type.getDescriptor());
                    break;
                case RETURN_VALUE:
                    if (returnSlot >= 0) {
                        out.visitVarInsn(load.type.getOpcode(Opcodes.ILOAD), returnSlot);
                    } else {
                        pushDefault(load.type);
                    }
                    break;
                default:
                    if (thrownSlot >= 0) {
                        out.visitVarInsn(Opcodes.ALOAD, thrownSlot);
                    } else {
                        out.visitInsn(Opcodes.ACONST_NULL);
                    }
            }
        }

        private void pushDefault(Type type) {
            switch (type.getSort()) {
                case Type.LONG:
                    out.visitInsn(Opcodes.LCONST_0);
                    break;
                case Type.FLOAT:
                    out.visitInsn(Opcodes.FCONST_0);
                    break;
                case Type.DOUBLE:
                    out.visitInsn(Opcodes.DCONST_0);
                    break;
                case Type.OBJECT:
                case Type.ARRAY:
                    out.visitInsn(Opcodes.ACONST_NULL);
                    break;
                default:
                    out.visitInsn(Opcodes.ICONST_0);
            }
        }
    }
}
