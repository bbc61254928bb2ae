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
            negative max request | buffering = { maxRequestBodyBytes = -1 } | http.middlewares.m.buffering.maxRequestBodyBytes: must be 0 or more, got -1
            negative mem response | buffering = { memResponseBodyBytes = -5 } | http.middlewares.m.buffering.memResponseBodyBytes: must be 0 or more, got -5
            retry expression cut short | buffering = { retryExpression = "IsNetworkError() && Attempts() <" } | http.middlewares.m.buffering.retryExpression: column 33: expected a number
            retry expression unknown function | buffering = { retryExpression = "IsNetworkError() && Attempt() < 2" } | http.middlewares.m.buffering.retryExpression: column 21: unknown function Attempt; known: Attempts, ResponseCode, IsNetworkError
            retry expression breaker function | buffering = { retryExpression = "NetworkErrorRatio() > 0.5" } | http.middlewares.m.buffering.retryExpression: column 1: unknown function NetworkErrorRatio; known: Attempts, ResponseCode, IsNetworkError
            retry expression bare number | buffering = { retryExpression = "Attempts()" } | http.middlewares.m.buffering.retryExpression: column 11: expected a comparison (> >= < <= == !=) after the function
            no filters | subFilter = { filters = [] } | http.middlewares.m.subFilter.filters: at least one filter required
            malformed rule | subFilter = { filters = ["sub_filter 'a' 'b' g", "replace a b"] } | http.middlewares.m.subFilter.filters[1]: expected sub_filter 'text' 'replacement' [g][i] or subs_filter 'regex' 'replacement' [g][i], got "replace a b"
            bad rule regex | subFilter = { filters = ["subs_filter '(x' 'y'"] } | http.middlewares.m.subFilter.filters[0]: bad regex '(x': Unclosed group
            bad path regex | subFilter = { filters = ["sub_filter 'a' 'b'"], path = "[" } | http.middlewares.m.subFilter.path: bad regex "[": Unclosed character class
            bad status | subFilter = { filters = ["sub_filter 'a' 'b'"], statusCodes = "200,ok" } | http.middlewares.m.subFilter.statusCodes: "ok" is not a status code
            bad type | subFilter = { filters = ["sub_filter 'a' 'b'"], types = ["html"] } | http.middlewares.m.subFilter.types[0]: not a media type: "html"
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
