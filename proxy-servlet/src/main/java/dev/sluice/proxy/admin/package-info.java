/**
 * The internal services: Traefik's REST API ({@code api@internal}), the health endpoint
 * ({@code ping@internal}), {@code noop@internal} and a placeholder for the dashboard.
 *
 * <p>Start here: {@link dev.sluice.proxy.admin.InternalServices}.
 */
package dev.sluice.proxy.admin;
