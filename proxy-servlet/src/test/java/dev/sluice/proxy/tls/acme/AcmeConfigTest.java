package dev.sluice.proxy.tls.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.AcmeConfig;
import dev.sluice.proxy.config.ConfigException;
import dev.sluice.proxy.config.ConfigLoader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code [certificatesResolvers.NAME.acme]}: Traefik's defaults, and each bad value named by its key path. */
class AcmeConfigTest {
    private static List<String> problems(String toml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(toml, "acme.toml")).problems();
    }

    @Test
    void defaultsAreTraefiksWithEc256() throws Exception {
        AcmeConfig acme = ConfigLoader.parse("[certificatesResolvers.le.acme.tlsChallenge]\n", "acme.toml").certificatesResolvers()
                .get("le").acme();
        assertEquals(AcmeConfig.LETS_ENCRYPT, acme.caServer());
        // acme.json, like every relative path, next to the configuration (here: parsed text, the working directory)
        assertEquals(java.nio.file.Path.of("acme.json").toAbsolutePath().normalize().toString(), acme.storage());
        assertEquals("EC256", acme.keyType());
        assertEquals(2160, acme.certificatesDuration());
        assertEquals(Duration.ofMinutes(2), acme.clientTimeout());
    }

    @Test
    void anUnknownKeyTypeIsNamedWithTheKnownOnes() {
        assertEquals(List.of("certificatesResolvers.le.acme.keyType: unknown key type \"EC999\"; known: EC256, EC384, RSA2048, RSA4096"),
                problems("[certificatesResolvers.le.acme]\nkeyType = \"EC999\"\n[certificatesResolvers.le.acme.tlsChallenge]\n"));
    }

    @Test
    void aDnsProviderOtherThanExecIsRefused() {
        assertEquals(List.of("certificatesResolvers.le.acme.dnsChallenge.provider: unsupported provider \"cloudflare\"; Sluice calls a"
                + " script with provider = \"exec\" (EXEC_PATH), the provider-neutral form"),
                problems("[certificatesResolvers.le.acme.dnsChallenge]\nprovider = \"cloudflare\"\n"));
    }

    @Test
    void theHttpChallengeNamesAnEntryPoint() {
        assertEquals(List.of("certificatesResolvers.le.acme.httpChallenge.entryPoint: unknown entry point \"wbe\" (did you mean \"web\"?)"),
                problems("[entryPoints.web]\naddress = \":80\"\n[certificatesResolvers.le.acme.httpChallenge]\nentryPoint = \"wbe\"\n"));
    }

    @Test
    void aResolverWithoutChallengeOrWithBadValuesSaysSo() {
        assertEquals(List.of("certificatesResolvers.le.acme.caServer: must be an https:// URL, got \"http://ca\"",
                "certificatesResolvers.le.acme.certificatesDuration: must be a positive number of hours, got 0",
                "certificatesResolvers.le.acme.eab.kid: missing key identifier",
                "certificatesResolvers.le.acme: missing a challenge: httpChallenge, tlsChallenge or dnsChallenge"),
                problems("[certificatesResolvers.le.acme]\ncaServer = \"http://ca\"\ncertificatesDuration = 0\n"
                        + "[certificatesResolvers.le.acme.eab]\nhmacEncoded = \"abcd\"\n"));
    }

    @Test
    void aMisspeltKeyIsAnErrorWithASuggestion() {
        List<String> problems = problems("[certificatesResolvers.le.acme]\nkeyTyp = \"EC256\"\n");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("acme.toml: certificatesResolvers.le.acme.keyTyp: unknown key (did you mean \"keyType\"?)"),
                problems.get(0));
    }
}
