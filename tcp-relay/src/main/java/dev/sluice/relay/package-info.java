/**
 * The L4 relay: TCP and UDP entry points on one selector thread. Start here: {@link dev.sluice.relay.Relay}
 * (built from a validated {@code SluiceConfig}); one connection's pump is {@code TcpSession}, routing by
 * ClientHello (SNI, ALPN) is {@code ClientHello} + {@code TcpRoutes}, datagram sessions are {@code UdpListener}.
 * A session's two sides are {@code EndPoint}s: the socket itself, or {@code TlsEndPoint} when a router terminates
 * TLS ({@code Terminations}) or a server has {@code tls = true}.
 */
package dev.sluice.relay;
