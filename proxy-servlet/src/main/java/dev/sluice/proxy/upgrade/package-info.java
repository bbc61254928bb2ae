/**
 * WebSocket and any other HTTP/1.1 {@code Upgrade}, proxied as tunnels. Start here:
 * {@link dev.sluice.proxy.upgrade.UpgradeProxy} (called by the proxy servlet for requests that
 * {@link dev.sluice.proxy.service.Upgrades#requested ask to switch}), which sends the handshake
 * ({@code Handshake}) and, on a 101, joins the server's connection to the client's: both as Jetty
 * endpoints where the container allows it ({@code EndPointTunnel}, the standalone jar), else through
 * the Servlet API's upgraded streams ({@code Tunnel}, Tomcat).
 */
package dev.sluice.proxy.upgrade;
