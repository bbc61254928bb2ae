package dev.sluice.proxy.config.middleware;

/**
 * {@code contentType}: sets a missing response Content-Type from the first body bytes. Traefik v3
 * still reads the deprecated {@code autoDetect}; {@code false} turns the middleware into a no-op.
 */
public record ContentTypeConfig(Boolean autoDetect) implements MiddlewareOptions {
    public ContentTypeConfig {
        autoDetect = autoDetect == null || autoDetect;
    }
}
