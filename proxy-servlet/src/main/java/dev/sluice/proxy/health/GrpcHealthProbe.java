package dev.sluice.proxy.health;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpVersion;

/**
 * The standard gRPC health check ({@code grpc.health.v1.Health/Check}) spoken with Jetty's client,
 * without grpc-java: an empty {@code HealthCheckRequest} in a gRPC frame over HTTP/2, and a
 * {@code HealthCheckResponse} whose field 1 must be {@code SERVING} (1), with {@code grpc-status} 0.
 */
final class GrpcHealthProbe {
    /** A gRPC message frame: not compressed, length 0 (the empty request message). */
    private static final byte[] EMPTY_REQUEST = {0, 0, 0, 0, 0};
    private static final int SERVING = 1;

    private GrpcHealthProbe() {}

    static void send(Request request, BiConsumer<Result, Boolean> done) {
        request.version(HttpVersion.HTTP_2)
                .method("POST")
                .path("/grpc.health.v1.Health/Check")
                .headers(h -> h.put("Content-Type", "application/grpc").put("TE", "trailers"))
                .body(new BytesRequestContent("application/grpc", EMPTY_REQUEST))
                .send(new BufferingResponseListener(1024) {
                    @Override
                    public void onComplete(Result result) {
                        done.accept(result, result.isSucceeded() && result.getResponse().getStatus() == 200
                                && grpcOk(result.getResponse().getTrailers()) && serving(getContent()));
                    }
                });
    }

    private static boolean grpcOk(HttpFields trailers) {
        String status = trailers == null ? null : trailers.get("grpc-status");
        return status == null || status.equals("0");
    }

    /** Reads field 1 (status, a varint) of the first framed message. */
    static boolean serving(byte[] body) {
        if (body == null || body.length < 5 || body[0] != 0) {
            return false;
        }
        // A message shorter than its declared length (or a length past 2^31) is cut off: unhealthy.
        int declared = ByteBuffer.wrap(body, 1, 4).getInt();
        if (declared < 0 || declared > body.length - 5) {
            return false;
        }
        ByteBuffer message = ByteBuffer.wrap(body, 5, declared);
        while (message.hasRemaining()) {
            int tag = message.get() & 0xFF;
            if (tag == 0x08) { // field 1, wire type 0 (varint)
                return readVarint(message) == SERVING;
            }
            if ((tag & 7) == 0) {
                if (readVarint(message) < 0) {
                    return false;
                }
            } else if ((tag & 7) == 2) {
                long length = readVarint(message);
                if (length < 0 || length > message.remaining()) {
                    return false;
                }
                message.position(message.position() + (int) length);
            } else {
                return false;
            }
        }
        return false; // status absent: UNKNOWN (0)
    }

    /** An unsigned varint of at most 9 bytes (63 bits), or -1 if it is cut off or longer. */
    private static long readVarint(ByteBuffer buffer) {
        long value = 0;
        for (int shift = 0; shift < 63 && buffer.hasRemaining(); shift += 7) {
            byte b = buffer.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }
}
