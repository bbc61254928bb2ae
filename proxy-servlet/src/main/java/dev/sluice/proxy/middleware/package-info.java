/**
 * Middlewares: one {@link jakarta.servlet.Filter} per type, run in the router's order before the
 * service.
 *
 * <p>Start here: {@link dev.sluice.proxy.middleware.Middlewares} maps TOML type names to filters;
 * {@link dev.sluice.proxy.middleware.ModifiedRequest} is how a filter changes the path or headers.
 */
package dev.sluice.proxy.middleware;
