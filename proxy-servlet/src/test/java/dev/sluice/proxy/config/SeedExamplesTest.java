package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.runtime.SluiceRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example of Traefik's services documentation kept in conf/examples loads, and its HTTP service
 * tree starts (the TCP and UDP ones are started by standalone-jetty's TcpSeedExamplesTest).
 */
class SeedExamplesTest {
    static Stream<Path> examples() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(Path.of("..", "conf", "examples"))) {
            files = listing.filter(p -> p.toString().endsWith(".toml")).sorted().toList();
        }
        assertTrue(files.size() >= 25, "the examples are there: " + files);
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void loadsAndStarts(Path example) throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(example));
        assertFalse(config.http().services().isEmpty() && config.tcp().services().isEmpty() && config.udp().services().isEmpty(),
                "an example declares services");
        try (SluiceRuntime runtime = SluiceRuntime.start(config)) {
            config.http().services().keySet().forEach(name ->
                    assertTrue(runtime.current().service(name) != null, "service " + name + " was built"));
        }
    }
}
