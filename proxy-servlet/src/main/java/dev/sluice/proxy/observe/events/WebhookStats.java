package dev.sluice.proxy.observe.events;

/**
 * What one webhook did since it started.
 *
 * @param delivered events it answered 2xx to
 * @param failed events given up on: a 4xx answer, or every attempt failed
 * @param dropped events not queued because its queue was full
 * @param attempts HTTP requests made, retries included
 */
public record WebhookStats(long delivered, long failed, long dropped, long attempts) {}
