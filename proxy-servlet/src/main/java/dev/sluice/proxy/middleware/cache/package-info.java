/**
 * The {@code cache} middleware (Pingap's cache plugin): an HTTP cache in front of the upstream.
 *
 * <p>Start here: {@link dev.sluice.proxy.middleware.cache.Cache} is the filter; {@code CacheLookup}
 * walks one request through memory, disk and upstream; {@code Freshness} decides what is stored
 * and for how long.
 */
package dev.sluice.proxy.middleware.cache;
