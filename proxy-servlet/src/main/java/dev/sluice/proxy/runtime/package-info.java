/**
 * The live, immutable snapshot built from a configuration.
 *
 * <p>Start here: {@link dev.sluice.proxy.runtime.SluiceRuntime#start} builds a
 * {@link dev.sluice.proxy.runtime.Snapshot}; requests read {@link dev.sluice.proxy.runtime.SluiceRuntime#current()}.
 */
package dev.sluice.proxy.runtime;
