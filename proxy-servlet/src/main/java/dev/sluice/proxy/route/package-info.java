/**
 * Routing tables: compiled routers of one entry point, in matching order.
 *
 * <p>Start here: {@link dev.sluice.proxy.route.RouteTable#match}.
 */
package dev.sluice.proxy.route;
