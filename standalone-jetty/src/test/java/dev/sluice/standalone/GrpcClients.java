package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Test helper: grpc-java client calls to {@link GrpcBackend}'s service, checked as they go. */
final class GrpcClients {
    private GrpcClients() {}

    /**
     * A generous deadline (the test machine may be loaded; a first TLS connection is slow), made per
     * call: it counts from when the options are made.
     */
    static CallOptions deadline() {
        return CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** Server streaming, client streaming and bidi (each answer awaited before the next message: no buffering on the way). */
    static void allFourKinds(ManagedChannel channel) throws Exception {
        Iterator<byte[]> split = ClientCalls.blockingServerStreamingCall(channel, GrpcBackend.SPLIT, deadline(),
                "100,1000".getBytes(StandardCharsets.UTF_8));
        int count = 0;
        while (split.hasNext()) {
            byte[] message = split.next();
            assertEquals(1000, message.length);
            assertEquals((byte) count, message[999]);
            count++;
        }
        assertEquals(100, count);

        CompletableFuture<String> joined = new CompletableFuture<>();
        StreamObserver<byte[]> join = ClientCalls.asyncClientStreamingCall(channel.newCall(GrpcBackend.JOIN, deadline()),
                collect(joined));
        for (int i = 0; i < 50; i++) {
            join.onNext(new byte[10_000]);
        }
        join.onCompleted();
        assertEquals("50,500000", joined.get(5, TimeUnit.SECONDS));

        LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();
        CompletableFuture<String> chatEnded = new CompletableFuture<>();
        StreamObserver<byte[]> chat = ClientCalls.asyncBidiStreamingCall(channel.newCall(GrpcBackend.CHAT, deadline()),
                new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] value) {
                        answers.add(new String(value, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void onError(Throwable t) {
                        chatEnded.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        chatEnded.complete("done");
                    }
                });
        for (int i = 0; i < 20; i++) {
            chat.onNext(("m" + i).getBytes(StandardCharsets.UTF_8));
            assertEquals("re:m" + i, answers.poll(5, TimeUnit.SECONDS), "answer " + i + " arrives while the call is open");
        }
        chat.onCompleted();
        assertEquals("done", chatEnded.get(5, TimeUnit.SECONDS));
    }

    private static StreamObserver<byte[]> collect(CompletableFuture<String> result) {
        return new StreamObserver<>() {
            private String last;

            @Override
            public void onNext(byte[] value) {
                last = new String(value, StandardCharsets.UTF_8);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                result.complete(last);
            }
        };
    }
}
