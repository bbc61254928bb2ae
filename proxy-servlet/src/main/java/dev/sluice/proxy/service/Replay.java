package dev.sluice.proxy.service;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * A failover's promise for one request: if the main service answers one of {@code statuses}, the
 * request goes to {@code fallback} instead, before anything reached the client. The body, if any,
 * was read into memory so that it can be sent twice.
 */
public final class Replay {
    private final int[][] statuses;
    private final HttpService fallback;
    private final byte[] body;
    private boolean used;

    Replay(int[][] statuses, HttpService fallback, byte[] body) {
        this.statuses = statuses;
        this.fallback = fallback;
        this.body = body;
    }

    /** Status ranges from {@code ["500", "502-504"]} (validated). */
    static int[][] parse(List<String> statuses) {
        return statuses.stream().map(s -> {
            int dash = s.indexOf('-');
            int low = Integer.parseInt(dash < 0 ? s : s.substring(0, dash));
            int high = dash < 0 ? low : Integer.parseInt(s.substring(dash + 1));
            return new int[] {low, high};
        }).toArray(int[][]::new);
    }

    /** True once, when {@code status} is listed: the caller then replays on {@link #fallback()}. */
    public synchronized boolean claim(int status) {
        if (used) {
            return false;
        }
        for (int[] range : statuses) {
            if (status >= range[0] && status <= range[1]) {
                used = true;
                return true;
            }
        }
        return false;
    }

    public HttpService fallback() {
        return fallback;
    }

    /** The request as the fallback should see it: the buffered body served again, if there was one. */
    public HttpServletRequest request(HttpServletRequest original) {
        return body == null ? original : new ReplayedBodyRequest(original, body);
    }
}
