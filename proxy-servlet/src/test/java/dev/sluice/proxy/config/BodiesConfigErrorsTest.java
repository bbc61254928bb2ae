package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.proxy.config.middleware.CompressConfig;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Configuration errors of the body middlewares (compress, buffering, subFilter), each with its key path. */
class BodiesConfigErrorsTest {
    private static String config(String middleware) {
        return """
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                middlewares = ["m"]
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "http://127.0.0.1:9000"
                [http.middlewares.m]
                """ + middleware;
    }

    private static List<String> problems(String middleware) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(config(middleware), "test.toml")).problems();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            both type lists | compress = { excludedContentTypes = ["text/csv"], includedContentTypes = ["text/html"] } | http.middlewares.m.compress: excludedContentTypes and includedContentTypes are mutually exclusive
            bad excluded type | compress = { excludedContentTypes = ["text/csv", "nonsense"] } | http.middlewares.m.compress.excludedContentTypes[1]: not a media type: "nonsense"
            bad included type | compress = { includedContentTypes = ["text/"] } | http.middlewares.m.compress.includedContentTypes[0]: not a media type: "text/"
            unknown encoding | compress = { encodings = ["gzip", "deflate"] } | http.middlewares.m.compress.encodings[1]: unsupported encoding "deflate" (supported: gzip, br, zstd)
            no encoding | compress = { encodings = [] } | http.middlewares.m.compress.encodings: at least one encoding required
            default not offered | compress = { encodings = ["gzip"], defaultEncoding = "br" } | http.middlewares.m.compress.defaultEncoding: "br" is not one of encodings [gzip]
            """)
    void compress(String label, String middleware, String expected) {
        assertEquals(List.of(expected), problems(middleware));
    }

    @Test
    void compressUnknownOptionIsNamedWithItsPath() {
        String problem = problems("compress = { minResponseBodyByte = 10 }").get(0);
        assertEquals(true, problem.startsWith("test.toml: http.middlewares.m.compress.minResponseBodyByte: unknown key"
                + " (did you mean \"minResponseBodyBytes\"?)"), problem);
    }

    @Test
    void compressDefaults() throws Exception {
        SluiceConfig parsed = ConfigLoader.parse(config("[http.middlewares.m.compress]\n"), "test.toml");
        CompressConfig options = (CompressConfig) parsed.http().middlewares().get("m").options();
        assertEquals(List.of("gzip", "br", "zstd"), options.encodings());
        assertEquals(1024, options.minResponseBodyBytes());
        assertEquals(null, options.defaultEncoding());
    }
}
