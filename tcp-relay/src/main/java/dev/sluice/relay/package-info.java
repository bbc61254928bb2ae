/**
 * The L4 relay: TCP and UDP entry points on one selector thread. Start here: {@link dev.sluice.relay.Relay}
 * (built from a validated {@code SluiceConfig}); one connection's pump is {@code TcpSession}, routing by
 * ClientHello (SNI, ALPN) is {@code ClientHello} + {@code TcpRoutes}, datagram sessions are {@code UdpListener}.
 */
package dev.sluice.relay;
