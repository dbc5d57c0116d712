package org.scratchnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The git commit in results is the one the build recorded in scratchnet.properties, never one looked up at run time
 * (JarIT runs a copy of the jar outside the checkout).
 */
class ProvenanceTest {

    private static Properties build(String commit, String dirty) {
        Properties p = new Properties();
        if (commit != null) {
            p.setProperty("git_commit", commit);
        }
        if (dirty != null) {
            p.setProperty("git_dirty", dirty);
        }
        return p;
    }

    @Test
    void commitAndDirtyFlagComeFromTheBuildProperties() {
        assertEquals("0123456789ab", Provenance.gitCommit(build("0123456789ab", "false")));
        assertEquals("0123456789ab-dirty", Provenance.gitCommit(build("0123456789ab", "true")));
        assertEquals("0123456789ab", Provenance.gitCommit(build("0123456789ab", null)));
        assertNull(Provenance.gitCommit(build("${git.commit.id.abbrev}", "${git.dirty}")), "built without git");
        assertNull(Provenance.gitCommit(build("", "true")));
        assertNull(Provenance.gitCommit(build(null, null)));
    }

    @Test
    void theBuildRecordedTheCheckoutsHead() throws IOException, InterruptedException {
        // the module lies one level below the checkout: <root>/cli, the tests' working directory
        Path root = Path.of("..").toAbsolutePath().normalize();
        String head = git(root, "rev-parse", "--short=12", "HEAD");
        String top = git(root, "rev-parse", "--show-toplevel");
        assumeTrue(head != null && top != null && Path.of(top).toRealPath().equals(root.toRealPath()),
                "the build does not run in a git checkout of its own");
        String commit = Provenance.gitCommit();
        assertNotNull(commit, "the build ran in a git checkout, so scratchnet.properties holds its commit");
        assertTrue(commit.equals(head) || commit.equals(head + "-dirty"), commit + " vs HEAD " + head);
    }

    @Test
    void versionIsTheProjectVersion() {
        assertTrue(Provenance.version().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), Provenance.version());
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
