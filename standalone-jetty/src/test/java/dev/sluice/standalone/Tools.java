package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** External commands a test drives (curl, ...): found on the PATH, else installed with apt-get once, else a failure naming the package. */
final class Tools {
    private Tools() {}

    /** The path of {@code command}, installing Debian's {@code debianPackage} first when it is missing. */
    static synchronized Path require(String command, String debianPackage) throws IOException, InterruptedException {
        Path found = onPath(command);
        if (found == null) {
            Process p = new ProcessBuilder("sh", "-c", "(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
                    + debianPackage + ") >/dev/null 2>&1").inheritIO().start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            found = onPath(command);
        }
        if (found == null) {
            fail(command + " is missing and apt-get could not install it (apt-get install -y " + debianPackage + ")");
        }
        return found;
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
