package dev.sluice.proxy.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;

/**
 * Checks {@code [certificatesResolvers.NAME.acme]}: the key type, the CA's URL, the challenge
 * ({@code dnsChallenge.provider} must be {@code exec}, {@code httpChallenge.entryPoint} an entry point),
 * the duration and the external account binding. Each problem names its key path, e.g.
 * {@code certificatesResolvers.le.acme.keyType: unknown key type "EC999"; known: EC256, EC384, RSA2048, RSA4096}.
 */
final class AcmeValidator {
    private final SluiceConfig config;
    private final Problems problems;

    AcmeValidator(SluiceConfig config, Problems problems) {
        this.config = config;
        this.problems = problems;
    }

    void validate() {
        config.certificatesResolvers().forEach((name, resolver) -> {
            String path = "certificatesResolvers." + name;
            if (resolver.acme() == null) {
                if (resolver.tailscale() == null) {
                    problems.add(path, "missing acme (the only resolver Sluice implements)");
                }
                return;
            }
            acme(path + ".acme", resolver.acme());
        });
    }

    private void acme(String path, AcmeConfig acme) {
        if (!AcmeConfig.KEY_TYPES.contains(acme.keyType())) {
            problems.add(path + ".keyType", "unknown key type \"" + acme.keyType() + "\"" + Suggestions.didYouMean(acme.keyType(),
                    AcmeConfig.KEY_TYPES) + "; known: " + String.join(", ", AcmeConfig.KEY_TYPES));
        }
        try {
            URI uri = new URI(acme.caServer());
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                problems.add(path + ".caServer", "must be an https:// URL, got \"" + acme.caServer() + "\"");
            }
        } catch (URISyntaxException e) {
            problems.add(path + ".caServer", "invalid URL \"" + acme.caServer() + "\": " + e.getReason());
        }
        if (acme.storage().isBlank()) {
            problems.add(path + ".storage", "must name a file");
        }
        if (acme.certificatesDuration() <= 0) {
            problems.add(path + ".certificatesDuration", "must be a positive number of hours, got " + acme.certificatesDuration());
        }
        if (!ConfigValidator.positive(acme.clientTimeout())) {
            problems.add(path + ".clientTimeout", "must be positive, got " + Durations.format(acme.clientTimeout()));
        }
        if (acme.eab() != null) {
            eab(path + ".eab", acme.eab());
        }
        if (acme.httpChallenge() == null && acme.tlsChallenge() == null && acme.dnsChallenge() == null) {
            problems.add(path, "missing a challenge: httpChallenge, tlsChallenge or dnsChallenge");
        }
        if (acme.httpChallenge() != null) {
            String entryPoint = acme.httpChallenge().entryPoint();
            if (entryPoint == null || entryPoint.isBlank()) {
                problems.add(path + ".httpChallenge.entryPoint", "missing entry point name");
            } else if (!config.entryPoints().containsKey(entryPoint)) {
                problems.add(path + ".httpChallenge.entryPoint", "unknown entry point \"" + entryPoint + "\""
                        + Suggestions.didYouMean(entryPoint, config.entryPoints().keySet()));
            }
        }
        if (acme.dnsChallenge() != null && !"exec".equals(acme.dnsChallenge().provider())) {
            String provider = acme.dnsChallenge().provider();
            problems.add(path + ".dnsChallenge.provider", (provider == null ? "missing provider" : "unsupported provider \"" + provider
                    + "\"") + "; Sluice calls a script with provider = \"exec\" (EXEC_PATH), the provider-neutral form");
        }
    }

    private void eab(String path, AcmeConfig.Eab eab) {
        if (eab.kid() == null || eab.kid().isBlank()) {
            problems.add(path + ".kid", "missing key identifier");
        }
        if (eab.hmacEncoded() == null || eab.hmacEncoded().isBlank()) {
            problems.add(path + ".hmacEncoded", "missing MAC key");
        } else {
            try {
                Base64.getUrlDecoder().decode(eab.hmacEncoded());
            } catch (IllegalArgumentException e) {
                problems.add(path + ".hmacEncoded", "not base64url: " + e.getMessage());
            }
        }
    }
}
