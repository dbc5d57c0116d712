package org.scratchnet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the package shows a user: the checking facade and the types its signatures need, the thread pool and the FMA
 * peak, and the internal {@link KernelImplementation} that the benchmarks time the two implementations through. The
 * implementations themselves are package-private, so nothing outside can call a kernel without its argument checks
 * except through that one documented internal entry point.
 */
class ApiSurfaceTest {

    @Test
    void thePublicTypesAreTheFacadeAndItsCompanions() throws Exception {
        Path dir = Path.of(Kernels.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(Kernels.class.getPackageName().replace('.', '/'));
        Set<String> publicTypes = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.collect(Collectors.toList());
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (!name.endsWith(".class") || name.contains("$") || name.equals("package-info.class")) {
                continue;
            }
            Class<?> type = Class.forName(Kernels.class.getPackageName() + "." + name.replace(".class", ""), false,
                    ApiSurfaceTest.class.getClassLoader());
            if (Modifier.isPublic(type.getModifiers())) {
                publicTypes.add(type.getSimpleName());
            }
        }
        assertEquals(new TreeSet<>(Set.of("Backend", "FmaPeak", "KernelImplementation", "Kernels", "Parallel",
                "Transpose")), publicTypes, "public types of " + dir);
    }

    @Test
    void exactlyTheTwoPackagePrivateImplementationsImplementTheInterface() {
        Class<?>[] permitted = KernelImplementation.class.getPermittedSubclasses();
        assertTrue(KernelImplementation.class.isSealed());
        assertEquals(Set.of(ScalarKernels.class, VectorKernels.class), Set.copyOf(Arrays.asList(permitted)));
        for (Class<?> impl : permitted) {
            assertFalse(Modifier.isPublic(impl.getModifiers()), impl + " is public");
            assertTrue(Modifier.isFinal(impl.getModifiers()), impl + " is not final");
        }
    }
}
