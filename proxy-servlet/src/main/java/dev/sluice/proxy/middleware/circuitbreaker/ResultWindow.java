package dev.sluice.proxy.middleware.circuitbreaker;

/**
 * The answers of the last ten seconds, as oxy's rolling counters keep them: ten one-second buckets
 * used in turn, each with its answer count, its 502/504 count, a count per status, and (if the
 * expression asks for latencies) a latency histogram. A bucket older than the window is cleared
 * when its turn comes again, and ignored until then. Memory is fixed: about 60 KiB with latencies.
 */
final class ResultWindow implements Metrics {
    static final int BUCKETS = 10;
    private static final long SECOND = 1_000_000_000L;

    private final Bucket[] buckets = new Bucket[BUCKETS];
    private final java.util.function.LongSupplier nanoClock;
    /** The second the window ends at while an expression is evaluated. */
    private long now;

    ResultWindow(boolean keepLatency, java.util.function.LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = new Bucket(keepLatency);
        }
    }

    private static final class Bucket {
        long second = Long.MIN_VALUE;
        int total;
        int networkErrors;
        final int[] statuses = new int[500];
        final LatencyHistogram latency;

        Bucket(boolean keepLatency) {
            latency = keepLatency ? new LatencyHistogram() : null;
        }

        void reset(long second) {
            this.second = second;
            total = 0;
            networkErrors = 0;
            java.util.Arrays.fill(statuses, 0);
            if (latency != null) {
                latency.clear();
            }
        }
    }

    synchronized void record(int status, long latencyNanos) {
        long second = Math.floorDiv(nanoClock.getAsLong(), SECOND);
        Bucket bucket = buckets[(int) Math.floorMod(second, (long) BUCKETS)];
        if (bucket.second != second) {
            bucket.reset(second);
        }
        bucket.total++;
        if (status == 502 || status == 504) {
            bucket.networkErrors++;
        }
        if (status >= 100 && status <= 599) {
            bucket.statuses[status - 100]++;
        }
        if (bucket.latency != null) {
            bucket.latency.record(latencyNanos / 1000);
        }
    }

    synchronized void clear() {
        for (Bucket bucket : buckets) {
            bucket.reset(Long.MIN_VALUE);
        }
    }

    /** Evaluates {@code expression} over the window as it is now. */
    synchronized boolean matches(Expression expression) {
        now = Math.floorDiv(nanoClock.getAsLong(), SECOND);
        return expression.test(this);
    }

    private boolean live(Bucket bucket) {
        return bucket.second != Long.MIN_VALUE && bucket.second > now - BUCKETS && bucket.second <= now;
    }

    @Override
    public double networkErrorRatio() {
        long total = 0;
        long errors = 0;
        for (Bucket bucket : buckets) {
            if (live(bucket)) {
                total += bucket.total;
                errors += bucket.networkErrors;
            }
        }
        return total == 0 ? 0 : (double) errors / total;
    }

    @Override
    public double responseCodeRatio(int from, int to, int divFrom, int divTo) {
        long a = 0;
        long b = 0;
        for (Bucket bucket : buckets) {
            if (live(bucket)) {
                a += count(bucket, from, to);
                b += count(bucket, divFrom, divTo);
            }
        }
        return b == 0 ? 0 : (double) a / b;
    }

    private static long count(Bucket bucket, int from, int to) {
        long n = 0;
        for (int status = Math.max(100, from); status < Math.min(600, to); status++) {
            n += bucket.statuses[status - 100];
        }
        return n;
    }

    @Override
    public double latencyAtQuantileMs(double percent) {
        long[] totals = LatencyHistogram.newTotals();
        for (Bucket bucket : buckets) {
            if (live(bucket) && bucket.latency != null) {
                bucket.latency.addTo(totals);
            }
        }
        // Whole milliseconds, as oxy's int conversion gives them.
        return Math.floor(LatencyHistogram.atPercentile(totals, percent) / 1000.0);
    }

    @Override
    public long requests() {
        long total = 0;
        for (Bucket bucket : buckets) {
            if (live(bucket)) {
                total += bucket.total;
            }
        }
        return total;
    }
}
