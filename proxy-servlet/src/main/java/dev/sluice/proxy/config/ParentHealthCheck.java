package dev.sluice.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * {@code healthCheck = {}} on a service of services: the parent follows its children's health and
 * reports its own upward. It has no options; every child must have a health check of its own.
 */
public record ParentHealthCheck() {
    @JsonCreator
    public ParentHealthCheck {}
}
