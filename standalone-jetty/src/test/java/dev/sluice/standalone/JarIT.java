package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar target/sluice.jar}, exactly as the README tells users to run it. */
class JarIT {
    private static final Path JAR = Path.of("target", "sluice.jar");

    private static Process java(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String finish(Process process) throws Exception {
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "process ended");
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void helpAndExitCodes(@TempDir Path dir) throws Exception {
        Process help = java("--help");
        String usage = finish(help);
        assertEquals(0, help.exitValue());
        assertTrue(usage.contains("Usage: sluice"), usage);

        Path bad = dir.resolve("bad.toml");
        Files.writeString(bad, "[entryPoints.web]\naddres = \":0\"\n");
        Process rejected = java("--config", bad.toString());
        String message = finish(rejected);
        assertEquals(2, rejected.exitValue());
        assertTrue(message.contains("entryPoints.web.addres: unknown key (did you mean \"address\"?)"), message);
    }

    @Test
    void servesAConfigFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("site"));
        Files.writeString(dir.resolve("site/index.html"), "hello from the jar");
        Path config = dir.resolve("sluice.toml");
        Files.writeString(config, """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.site]
                rule = "PathPrefix(`/`)"
                service = "site"
                [http.services.site.static]
                root = "site"
                """);
        Process sluice = java("--config", config.toString());
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(sluice.getInputStream(), StandardCharsets.UTF_8));
            Pattern listening = Pattern.compile("entry point web listening on 127\\.0\\.0\\.1:(\\d+)");
            int port = -1;
            for (String line; port < 0 && (line = lines.readLine()) != null; ) {
                Matcher m = listening.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertTrue(port > 0, "Sluice announced its port");
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("hello from the jar", response.body());
        } finally {
            sluice.destroy();
            assertTrue(sluice.waitFor(20, TimeUnit.SECONDS), "stops on SIGTERM");
        }
    }
}
