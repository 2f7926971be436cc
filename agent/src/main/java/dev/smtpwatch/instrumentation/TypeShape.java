package dev.smtpwatch.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

/**
 * What a library line's advice needs of a class: every hooked method declared by it, every field an advice reads
 * ({@code @Advice.FieldValue}) declared by it or a super class. A class of another shape (another library version)
 * is left untouched, by the standalone agent's weaver and by the OpenTelemetry Java agent extension alike.
 */
public final class TypeShape {
    private final List<MethodAdvice> methods;
    private final Set<String> fields;

    private TypeShape(List<MethodAdvice> methods, Set<String> fields) {
        this.methods = methods;
        this.fields = fields;
    }

    /** @param adviceTypes where the advice classes are described from (their class files; none is loaded) */
    public static TypeShape of(TypeInstrumentation line, TypePool adviceTypes) {
        TypeDescription fieldValue = TypeDescription.ForLoadedType.of(Advice.FieldValue.class);
        Set<String> fields = new LinkedHashSet<String>();
        for (MethodAdvice method : line.advice()) {
            fields.addAll(fieldsRead(adviceTypes.describe(method.adviceClass()).resolve(), fieldValue));
        }
        return new TypeShape(line.advice(), fields);
    }

    /** What {@code type} lacks, as a warning names it ({@code method int readServerResponse()}); empty: none. */
    public List<String> missing(TypeDescription type) {
        List<String> missing = new ArrayList<String>();
        for (MethodAdvice method : methods) {
            if (type.getDeclaredMethods().filter(method.matcher()).isEmpty()) {
                missing.add("method " + method.method());
            }
        }
        for (String field : fields) {
            if (!hasField(type, field)) {
                missing.add("field " + field);
            }
        }
        return missing;
    }

    /** The fields named by the advice's {@code @Advice.FieldValue} parameters. */
    private static List<String> fieldsRead(TypeDescription adviceType, TypeDescription fieldValue) {
        List<String> fields = new ArrayList<String>();
        for (MethodDescription method : adviceType.getDeclaredMethods()) {
            for (ParameterDescription parameter : method.getParameters()) {
                AnnotationDescription annotation = parameter.getDeclaredAnnotations().ofType(fieldValue);
                if (annotation != null) {
                    fields.add(annotation.getValue("value").resolve(String.class));
                }
            }
        }
        return fields;
    }

    /** Declared by the class or one of its super classes (read as class files through the class's loader). */
    private static boolean hasField(TypeDescription type, String field) {
        for (TypeDefinition t = type; t != null; t = t.getSuperClass()) {
            if (!t.getDeclaredFields().filter(named(field)).isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
