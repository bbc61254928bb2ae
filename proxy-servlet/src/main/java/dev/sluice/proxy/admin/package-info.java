/**
 * The internal services and the route explainer: Traefik's REST API ({@code api@internal},
 * {@link dev.sluice.proxy.admin.ApiService}), the health endpoint ({@code ping@internal}),
 * {@code noop@internal}, the web dashboard ({@code dashboard@internal}), and
 * {@link dev.sluice.proxy.admin.RouteExplainer} ({@code /api/explain}, {@code sluice explain}).
 *
 * <p>Start here: {@link dev.sluice.proxy.admin.InternalServices}, the registry the snapshot
 * builder asks for every {@code NAME@internal} a router names.
 */
package dev.sluice.proxy.admin;
