package dev.sluice.proxy.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;

/**
 * {@code /debug/vars} with {@code api.debug}: what Go's expvar gives Traefik's operators, for a JVM:
 * heap and non-heap memory, threads, each collector's count and time, uptime. No command line (it
 * may hold secrets in {@code -D} options).
 */
final class DebugVars {
    private DebugVars() {}

    static ObjectNode of() {
        ObjectNode vars = ApiService.JSON.createObjectNode();
        RuntimeMXBean jvm = ManagementFactory.getRuntimeMXBean();
        vars.put("vmName", jvm.getVmName());
        vars.put("vmVersion", jvm.getVmVersion());
        vars.put("uptimeMillis", jvm.getUptime());
        vars.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ObjectNode mem = vars.putObject("memory");
        mem.put("heapUsed", memory.getHeapMemoryUsage().getUsed());
        mem.put("heapCommitted", memory.getHeapMemoryUsage().getCommitted());
        mem.put("heapMax", memory.getHeapMemoryUsage().getMax());
        mem.put("nonHeapUsed", memory.getNonHeapMemoryUsage().getUsed());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ObjectNode t = vars.putObject("threads");
        t.put("count", threads.getThreadCount());
        t.put("daemon", threads.getDaemonThreadCount());
        t.put("peak", threads.getPeakThreadCount());
        ArrayNode gc = vars.putArray("gc");
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc.addObject().put("name", collector.getName()).put("count", collector.getCollectionCount())
                    .put("timeMillis", collector.getCollectionTime());
        }
        return vars;
    }
}
