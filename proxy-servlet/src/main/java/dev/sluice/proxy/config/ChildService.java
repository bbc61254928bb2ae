package dev.sluice.proxy.config;

/**
 * A child of a {@code weighted} or {@code highestRandomWeight} service.
 *
 * @param name the child service's name
 * @param weight share of traffic, default 1
 */
public record ChildService(String name, Integer weight) {
    public ChildService {
        weight = weight == null ? 1 : weight;
    }
}
