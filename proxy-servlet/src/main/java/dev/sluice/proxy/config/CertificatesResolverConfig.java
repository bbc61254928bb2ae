package dev.sluice.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code [certificatesResolvers.NAME]}: where the certificates of routers naming this resolver in
 * {@code tls.certResolver} come from. Only {@code acme} is implemented; {@code tailscale} loads with a warning.
 *
 * <pre>
 * [certificatesResolvers.le.acme]
 * email = "ops@example.com"
 * storage = "acme.json"
 * [certificatesResolvers.le.acme.httpChallenge]
 * entryPoint = "web"
 * </pre>
 *
 * @param acme an ACME CA (Let's Encrypt by default)
 * @param tailscale not supported yet
 */
public record CertificatesResolverConfig(AcmeConfig acme, JsonNode tailscale) {}
