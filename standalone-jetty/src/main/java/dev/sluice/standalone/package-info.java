/**
 * The executable jar: embedded Jetty and the command line.
 *
 * <p>Start here: {@link dev.sluice.standalone.Main} parses the command line;
 * {@link dev.sluice.standalone.EmbeddedServer} wires entry points to Sluice's filter and servlet.
 */
package dev.sluice.standalone;
