package org.scratchnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git commit in results is the one of the checkout the classes were built in, never the current directory's. */
class ProvenanceTest {

    private static final String PARENT_POM = "<project><artifactId>scratchnet-parent</artifactId></project>\n";

    @TempDir
    Path tmp;

    @Test
    void sourceRepositoryIsThreeLevelsAboveTheJarOrClassesAndMustBeScratchnets() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("checkout"));
        Files.writeString(root.resolve("pom.xml"), PARENT_POM);
        assertEquals(root, Provenance.sourceRepository(root.resolve("cli/target/scratchnet.jar")));
        assertEquals(root, Provenance.sourceRepository(root.resolve("cli/target/classes")));

        Path launcherOnly = Files.createDirectories(tmp.resolve("launcher"));
        Files.writeString(launcherOnly.resolve("scratchnet"), "#!/usr/bin/env bash\n");
        assertEquals(launcherOnly, Provenance.sourceRepository(launcherOnly.resolve("cli/target/scratchnet.jar")));

        Path foreign = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(foreign.resolve("pom.xml"), "<project><artifactId>other-parent</artifactId></project>\n");
        assertNull(Provenance.sourceRepository(foreign.resolve("lib/x/scratchnet.jar")), "a copied jar");
        assertNull(Provenance.sourceRepository(Path.of("scratchnet.jar").toAbsolutePath().getRoot()));
        assertNull(Provenance.sourceRepository(null));
    }

    @Test
    void commitOfTheScratchnetCheckoutNotOfAnEnclosingRepository() throws IOException, InterruptedException {
        assumeTrue(git(tmp, "--version") != null, "git is not installed");
        // another project's repository, with a scratchnet tree unpacked (not cloned) inside it
        Path other = Files.createDirectories(tmp.resolve("other"));
        assertNotNull(git(other, "init", "-q"));
        Files.writeString(other.resolve("pom.xml"), PARENT_POM);
        assertNotNull(git(other, "add", "pom.xml"));
        assertNotNull(git(other, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "x"));
        String otherHead = git(other, "rev-parse", "--short=12", "HEAD");
        Path unpacked = Files.createDirectories(other.resolve("vendor/scratchnet"));
        Files.writeString(unpacked.resolve("pom.xml"), PARENT_POM);

        assertNull(Provenance.gitCommit(unpacked), "the enclosing repository's commit must not be recorded");
        assertNull(Provenance.gitCommit(tmp), "not a repository at all");
        assertNull(Provenance.gitCommit(null));
        assertEquals(otherHead, Provenance.gitCommit(other), "the checkout's own commit");
        Files.writeString(other.resolve("pom.xml"), PARENT_POM + "<!-- edited -->\n");
        assertEquals(otherHead + "-dirty", Provenance.gitCommit(other));
    }

    @Test
    void theseClassesReportTheirOwnCheckout() throws IOException, InterruptedException {
        Path classes = Path.of(Provenance.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path repo = Provenance.sourceRepository(classes);
        assertNotNull(repo, "cli/target/classes lies in the scratchnet checkout: " + classes);
        String head = git(repo, "rev-parse", "--short=12", "HEAD");
        String top = git(repo, "rev-parse", "--show-toplevel");
        assumeTrue(head != null && top != null && Path.of(top).toRealPath().equals(repo.toRealPath()),
                "the build does not run in a git checkout");
        String commit = Provenance.gitCommit();
        assertNotNull(commit);
        assertTrue(commit.startsWith(head), commit + " vs " + head);
    }

    /** Runs git in {@code dir}; its trimmed output, or null when it fails. */
    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException noGit) {
            return null;
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    }
}
