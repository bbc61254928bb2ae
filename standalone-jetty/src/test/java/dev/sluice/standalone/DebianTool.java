package dev.sluice.standalone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Debian tool a test drives (slowhttptest, h2load): installed with apt-get when missing, as the project's rules ask. */
final class DebianTool {
    private DebianTool() {}

    /** The path of {@code binary}, installing {@code debianPackage} first if it is not on the machine. */
    static String require(String binary, String debianPackage) throws Exception {
        Path path = Path.of("/usr/bin", binary);
        if (!Files.isExecutable(path)) {
            run(List.of("sh", "-c", "apt-get update -qq && apt-get install -y -qq " + debianPackage));
        }
        if (!Files.isExecutable(path)) {
            throw new AssertionError(binary + " is missing and apt-get install " + debianPackage + " did not provide it");
        }
        return path.toString();
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 10 minutes");
        }
    }
}
