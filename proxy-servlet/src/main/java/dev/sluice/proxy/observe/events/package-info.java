/**
 * Events (Pingap's webhook notifications, {@code [events]}): start at {@link dev.sluice.proxy.observe.events.EventBus},
 * which the runtime holds; {@link dev.sluice.proxy.observe.events.Event} is what every source publishes and
 * {@link dev.sluice.proxy.observe.events.Payloads} what each webhook format makes of it.
 */
package dev.sluice.proxy.observe.events;
