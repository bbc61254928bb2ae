package dev.sluice.proxy.middleware.grpcweb;

import java.util.Locale;

/** The two gRPC-Web encodings, told by the request's content type, with the matching gRPC and gRPC-Web types. */
enum GrpcWebMode {
    /** {@code application/grpc-web[+codec]}: messages as they are. */
    BINARY("application/grpc-web"),
    /** {@code application/grpc-web-text[+codec]}: the body in base64, both ways. */
    TEXT("application/grpc-web-text");

    private static final String GRPC = "application/grpc";

    private final String prefix;

    GrpcWebMode(String prefix) {
        this.prefix = prefix;
    }

    /** The mode of a request's content type, or null if it is no gRPC-Web. */
    static GrpcWebMode of(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        if (starts(type, TEXT.prefix)) {
            return TEXT;
        }
        return starts(type, BINARY.prefix) ? BINARY : null;
    }

    /** {@code prefix} followed by the end, a codec ({@code +proto}) or parameters. */
    private static boolean starts(String type, String prefix) {
        if (!type.startsWith(prefix)) {
            return false;
        }
        if (type.length() == prefix.length()) {
            return true;
        }
        char next = type.charAt(prefix.length());
        return next == '+' || next == ';' || next == ' ';
    }

    /** The gRPC type sent upstream: {@code application/grpc-web-text+proto} → {@code application/grpc+proto}. */
    String toGrpc(String webType) {
        return GRPC + webType.substring(prefix.length());
    }

    /** The gRPC-Web type sent back for the upstream's gRPC type, or null if it is none. */
    String toWeb(String grpcType) {
        if (grpcType == null || !grpcType.regionMatches(true, 0, GRPC, 0, GRPC.length())) {
            return null;
        }
        String rest = grpcType.substring(GRPC.length());
        if (!rest.isEmpty() && rest.charAt(0) != '+' && rest.charAt(0) != ';') {
            return null; // application/grpc-web… already, or another type
        }
        return prefix + rest;
    }
}
