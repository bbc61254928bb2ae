/**
 * The service tree: what a router leads to.
 *
 * <p>Start here: {@link dev.sluice.proxy.service.HttpService}; kinds are registered by TOML type name
 * in {@link dev.sluice.proxy.service.ServiceKinds}. {@link dev.sluice.proxy.service.Exchange} carries
 * one request's choices from the filter to the proxy servlet.
 */
package dev.sluice.proxy.service;
