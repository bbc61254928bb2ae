/**
 * Test fixtures shared by every module through proxy-servlet's test-jar. Start here: {@link
 * dev.sluice.proxy.testing.RefusingPort}, a port that refuses connections for a test's lifetime.
 */
package dev.sluice.proxy.testing;
