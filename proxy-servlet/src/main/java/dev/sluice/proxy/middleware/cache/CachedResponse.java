package dev.sluice.proxy.middleware.cache;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One stored answer: status, headers (in order, repeated names kept), body, and when it was stored
 * and stops being fresh. Written to and read from the disk tier as a small binary record.
 */
record CachedResponse(int status, List<Header> headers, byte[] body, long storedAtMillis, long expiresAtMillis) {
    private static final int FORMAT = 0x534c4331; // "SLC1"

    record Header(String name, String value) {}

    boolean isFresh(long nowMillis) {
        return nowMillis < expiresAtMillis;
    }

    /** Seconds since it was stored, for the {@code Age} header. */
    long ageSeconds(long nowMillis) {
        return Math.max(0, (nowMillis - storedAtMillis) / 1000);
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(FORMAT);
        out.writeLong(storedAtMillis);
        out.writeLong(expiresAtMillis);
        out.writeInt(status);
        out.writeInt(headers.size());
        for (Header header : headers) {
            out.writeUTF(header.name());
            out.writeUTF(header.value());
        }
        out.writeInt(body.length);
        out.write(body);
    }

    /** Reads a record written by {@link #writeTo}; throws IOException for anything else. */
    static CachedResponse readFrom(DataInputStream in, int maxBodyBytes) throws IOException {
        if (in.readInt() != FORMAT) {
            throw new IOException("not a cache entry");
        }
        long storedAt = in.readLong();
        long expiresAt = in.readLong();
        int status = in.readInt();
        int count = in.readInt();
        if (count < 0 || count > 1000) {
            throw new IOException("bad header count " + count);
        }
        List<Header> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            headers.add(new Header(in.readUTF(), in.readUTF()));
        }
        int length = in.readInt();
        if (length < 0 || length > maxBodyBytes) {
            throw new IOException("bad body length " + length);
        }
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new IOException("truncated body");
        }
        return new CachedResponse(status, List.copyOf(headers), body, storedAt, expiresAt);
    }
}
