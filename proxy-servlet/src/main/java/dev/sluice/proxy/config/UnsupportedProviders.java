package dev.sluice.proxy.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Traefik's providers other than {@code file}: accepted in {@code [providers]} and named in one
 * warning each. Sluice reads files only; discovery it adds later comes as its own extension.
 * {@link StaticWarnings} calls {@link #warnings}; a provider that Sluice implements leaves this list.
 */
public final class UnsupportedProviders {
    private UnsupportedProviders() {}

    /** One warning per provider (and {@code precedence}, {@code plugin}) present in {@code providers}. */
    public static List<String> warnings(ProvidersConfig providers) {
        List<String> out = new ArrayList<>();
        Object[] values = {providers.precedence(), providers.docker(), providers.swarm(), providers.kubernetesIngress(),
                providers.kubernetesIngressNGINX(), providers.kubernetesCRD(), providers.kubernetesGateway(), providers.knative(),
                providers.rest(), providers.consulCatalog(), providers.nomad(), providers.ecs(), providers.consul(), providers.etcd(),
                providers.zooKeeper(), providers.redis(), providers.http(), providers.plugin()};
        String[] names = {"precedence", "docker", "swarm", "kubernetesIngress", "kubernetesIngressNGINX", "kubernetesCRD",
                "kubernetesGateway", "knative", "rest", "consulCatalog", "nomad", "ecs", "consul", "etcd", "zooKeeper", "redis", "http",
                "plugin"};
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                out.add(StaticWarnings.never("providers." + names[i]));
            }
        }
        return out;
    }
}
