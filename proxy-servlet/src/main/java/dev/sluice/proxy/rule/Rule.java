package dev.sluice.proxy.rule;

/**
 * A compiled Traefik v3 rule. Matching compiles nothing and allocates nothing beyond what the
 * {@link RuleRequest} computes lazily.
 */
@FunctionalInterface
public interface Rule {
    boolean matches(RuleRequest request);
}
