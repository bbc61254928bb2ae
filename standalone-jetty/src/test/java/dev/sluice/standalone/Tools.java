package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * External commands a test drives (curl, slowhttptest, h2load, chromium…): found on the PATH, else
 * installed with Debian's apt-get (as the project's rules ask: never assumed), else a failure naming
 * the package. Installs wait for another apt run's lock instead of failing beside it.
 */
final class Tools {
    private Tools() {}

    /** The path of {@code command}, installing Debian's {@code debianPackage} first when it is missing. */
    static synchronized Path require(String command, String debianPackage) throws IOException, InterruptedException {
        Path found = onPath(command);
        if (found == null) {
            aptInstall(debianPackage);
            found = onPath(command);
        }
        if (found == null) {
            fail(command + " is missing and apt-get could not install it (apt-get install -y " + debianPackage + ")");
        }
        return found;
    }

    /** Installs Debian's {@code packages} (space-separated); whether it worked, the caller checks. */
    static synchronized void aptInstall(String packages) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "(apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive"
                + " apt-get -o DPkg::Lock::Timeout=300 install -y -qq " + packages + ") >/dev/null 2>&1").inheritIO().start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
    }

    static Path onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
