/**
 * The access log ({@code [accessLog]}). Start here: {@link dev.sluice.proxy.observe.accesslog.AccessLogs},
 * the observer of exchanges and relay sessions that {@code SluiceRuntime} holds across reloads; the
 * formats ({@code ClfFormat}, {@code JsonFormat}, {@code TemplateFormat}) are compiled once from
 * {@link dev.sluice.proxy.config.AccessLogConfig}, the writer thread owns the files ({@code Sink}).
 */
package dev.sluice.proxy.observe.accesslog;
