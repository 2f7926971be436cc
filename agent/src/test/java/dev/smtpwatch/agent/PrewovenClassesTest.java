package dev.smtpwatch.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.smtpwatch.instrumentation.Instrumentations;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pre-woven classes the build put into target/classes are what the weaver makes of those builds now. */
class PrewovenClassesTest {
    private static final Path JARS = Paths.get("target", "library-jars");

    @Test
    void everyLibraryBuildIsServedExactlyAsTheWeaverWeavesIt() throws Exception {
        AdviceWeaver weaver = new AdviceWeaver(Instrumentations.all());
        int served = 0;
        for (Map.Entry<String, List<String>> library : PrewovenCatalogue.LIBRARIES.entrySet()) {
            try (URLClassLoader loader = PrewovenCatalogue.loader(JARS, library.getKey(), library.getValue())) {
                for (String name : HookTransformer.TYPE_NAMES) {
                    byte[] original = PrewovenCatalogue.classFile(loader, library.getKey(), name);
                    if (original == null) {
                        continue;
                    }
                    byte[] prewoven = PrewovenClasses.lookup(original);
                    assertNotNull(prewoven, () -> name + " of " + library.getKey() + " is not pre-woven");
                    assertArrayEquals(weaver.weave(name, original, loader, new ArrayList<>()), prewoven,
                        () -> name + " of " + library.getKey() + ": stale pre-woven class");
                    served++;
                }
            }
        }
        assertEquals(7, served, "five transports and two Spring senders");
    }

    @Test
    void aBuildNotInTheCatalogueIsWovenAtRunTime() throws Exception {
        assertNull(PrewovenClasses.lookup(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE}));
    }
}
