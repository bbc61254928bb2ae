/**
 * The authentication middlewares: {@code basicAuth}, {@code digestAuth}, {@code forwardAuth} (Traefik),
 * {@code keyAuth} and {@code jwt} (Pingap), each a {@link jakarta.servlet.Filter}.
 *
 * <p>Start here: {@link dev.sluice.proxy.middleware.auth.BasicAuth} is the simplest;
 * {@link dev.sluice.proxy.middleware.auth.ForwardAuth} shows how a filter waits for a sub-request
 * without blocking a thread and then resumes the chain ({@link dev.sluice.proxy.middleware.Resumed}).
 */
package dev.sluice.proxy.middleware.auth;
