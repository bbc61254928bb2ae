/**
 * Options of each middleware type, one record per type, bound from {@code [http.middlewares.NAME.TYPE]}.
 *
 * <p>Start here: {@link dev.sluice.proxy.config.middleware.MiddlewareTypes} lists them;
 * {@link dev.sluice.proxy.config.middleware.MiddlewareOptions} is what each implements.
 */
package dev.sluice.proxy.config.middleware;
