/**
 * Response-body rewriting for middlewares (compression, substitution) that works with servlet
 * non-blocking I/O as well as with blocking writes.
 *
 * <p>Start here: {@link dev.sluice.proxy.middleware.body.RewrittenExchange} wraps a request and
 * its response; a {@link dev.sluice.proxy.middleware.body.BodyRewrite} decides per response
 * whether and how the body is transformed.
 */
package dev.sluice.proxy.middleware.body;
