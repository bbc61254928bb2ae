/**
 * Middlewares: one {@link jakarta.servlet.Filter} per type, run in the router's order before the
 * service.
 *
 * <p>Start here: {@link dev.sluice.proxy.middleware.Middlewares} maps TOML type names to filters;
 * {@link dev.sluice.proxy.middleware.ModifiedRequest} is how a filter changes the path or headers;
 * {@link dev.sluice.proxy.middleware.body.RewrittenExchange} how it changes the response body, and
 * {@link dev.sluice.proxy.middleware.Resume} how it goes on with the chain after an async wait.
 */
package dev.sluice.proxy.middleware;
