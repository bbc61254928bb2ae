/**
 * The L4 relay for TCP and UDP: SNI routing, PROXY protocol, NIO pumps.
 *
 * <p>Start here: nothing lives here yet; the TCP and UDP relay is a later issue. The module exists
 * so that the dependency direction {@code proxy-servlet <- tcp-relay <- standalone-jetty} is fixed
 * from the start.
 */
package dev.sluice.relay;
