#!/usr/bin/env python3
"""How much CPU did processes outside the benchmark use during a scenario?

    cpu_other.py snap FILE ROOT_PID      snapshot of CPU counters into FILE
    cpu_other.py diff FILE_BEFORE FILE_AFTER
        prints JSON: {"other_pct": <% of one CPU>, "top": "comm 12%, comm 3%"}

other = (user+nice+system time of all CPUs, from /proc/stat)
        - (time of ROOT_PID's process tree, including the children it reaped)
        - (time of kernel threads, e.g. ksoftirqd doing loopback network work).
So short-lived processes (a build that starts and ends inside the window) are counted. "top"
names the outside processes that were alive at the end, by their own time in the window.
Treat the figure as an indication (a few % of noise), not a measurement.
"""
import json
import os
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def read_procs():
    procs = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
        except OSError:
            continue
        comm = s[s.index("(") + 1:s.rindex(")")]
        rest = s[s.rindex(")") + 2:].split()
        # rest[0] = state (field 3); ppid field 4; utime 14, stime 15, cutime 16, cstime 17,
        # starttime 22.
        ppid = int(rest[1])
        ticks_self = int(rest[11]) + int(rest[12])
        ticks_children = int(rest[13]) + int(rest[14])
        start = int(rest[19])
        procs[int(d)] = (ppid, start, ticks_self, ticks_children, comm)
    return procs


def busy_ticks():
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith("cpu "):
                v = [int(x) for x in line.split()[1:]]
                return v[0] + v[1] + v[2]  # user + nice + system
    return 0


def snap(path, root):
    procs = read_procs()
    children = {}
    for pid, p in procs.items():
        children.setdefault(p[0], []).append(pid)
    tree, stack = set(), [root]
    while stack:
        pid = stack.pop()
        if pid in tree:
            continue
        tree.add(pid)
        stack.extend(children.get(pid, []))
    out = {}
    for pid, (ppid, start, ts, tc, comm) in procs.items():
        kind = "own" if pid in tree else ("kernel" if pid == 2 or ppid == 2 else "other")
        out[pid] = [start, ts, tc, comm, kind]
    with open(path, "w") as f:
        json.dump({"t": time.monotonic(), "busy": busy_ticks(), "procs": out}, f)


def diff(path_a, path_b):
    a, b = json.load(open(path_a)), json.load(open(path_b))
    elapsed = max(1e-3, b["t"] - a["t"])
    own = kernel = 0
    others = {}
    for pid, (start, ts, tc, comm, kind) in b["procs"].items():
        old = a["procs"].get(pid)
        same = old is not None and old[0] == start
        if kind == "own":
            own += (ts + tc) - ((old[1] + old[2]) if same else 0)
        elif kind == "kernel":
            kernel += ts - (old[1] if same else 0)
        else:
            d = ts - (old[1] if same else 0)
            if d > 0:
                others[comm] = others.get(comm, 0) + d
    other = max(0, (b["busy"] - a["busy"]) - own - kernel)
    pct = 100.0 * other / HZ / elapsed
    top = sorted(others.items(), key=lambda kv: -kv[1])[:3]
    print(json.dumps({
        "other_pct": round(pct, 1),
        "top": ", ".join(f"{c} {100.0 * t / HZ / elapsed:.0f}%" for c, t in top
                         if 100.0 * t / HZ / elapsed >= 1) or "short-lived processes",
    }))


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        snap(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "diff":
        diff(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)
