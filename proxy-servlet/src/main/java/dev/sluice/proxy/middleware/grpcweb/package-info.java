/**
 * gRPC-Web to gRPC translation (the {@code grpcWeb} middleware). Start at {@link dev.sluice.proxy.middleware.grpcweb.GrpcWeb}.
 */
package dev.sluice.proxy.middleware.grpcweb;
