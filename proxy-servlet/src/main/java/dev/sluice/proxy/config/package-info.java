/**
 * The configuration model: Traefik's file-provider schema as immutable records.
 *
 * <p>Start here: {@link dev.sluice.proxy.config.ConfigLoader#load} reads TOML or YAML into
 * {@link dev.sluice.proxy.config.SluiceConfig} and runs {@link dev.sluice.proxy.config.ConfigValidator};
 * every problem is reported as a {@link dev.sluice.proxy.config.ConfigException} line that starts with
 * its key path. Nothing here imports servlet classes.
 */
package dev.sluice.proxy.config;
