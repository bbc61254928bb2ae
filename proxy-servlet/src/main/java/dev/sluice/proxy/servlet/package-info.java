/**
 * The servlet layer: what a container sees of Sluice.
 *
 * <p>Start here: {@link dev.sluice.proxy.servlet.SluiceFilter} routes each request and runs the
 * router's middlewares and service; {@link dev.sluice.proxy.servlet.SluiceProxyServlet} forwards it
 * upstream; {@link dev.sluice.proxy.servlet.SluiceContextListener} boots everything in a WAR.
 */
package dev.sluice.proxy.servlet;
