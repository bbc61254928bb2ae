#!/usr/bin/env python3
"""How much of a JVM's CPU did its JIT compiler threads use during a scenario?

    jit_share.py snap FILE PID           per-thread CPU counters of PID into FILE
    jit_share.py diff FILE_BEFORE FILE_AFTER
        prints JSON: {"c2_pct": ..., "c1_pct": ..., "proc_cpu_s": ...}

c2_pct / c1_pct = CPU time (user + system, /proc/PID/task/TID/stat) of the threads named
"C2 CompilerThread*" / "C1 CompilerThread*" during the window, as a % of the whole process's CPU
time in that window (/proc/PID/stat, which also counts threads that ended). HotSpot starts and
stops compiler threads as the compile queue grows and drains (UseDynamicNumberOfCompilerThreads):
a compiler thread that ended inside the window takes its time with it, so the shares are a lower
bound. Standard library only.
"""
import json
import os
import sys

HZ = os.sysconf("SC_CLK_TCK")


def ticks(stat):
    rest = stat[stat.rindex(")") + 2:].split()
    return int(rest[11]) + int(rest[12])  # utime, stime (fields 14, 15)


def read(pid):
    """{"proc": ticks of the process, "threads": {tid: [kind, ticks]}} for its compiler threads."""
    threads = {}
    proc = 0
    try:
        with open(f"/proc/{pid}/stat") as f:
            proc = ticks(f.read())
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/stat") as f:
                    s = f.read()
            except OSError:
                continue
            comm = s[s.index("(") + 1:s.rindex(")")]
            # The kernel keeps 15 characters of a thread's name: "C2 CompilerThre".
            kind = "c2" if comm.startswith("C2 Compiler") else "c1" if comm.startswith("C1 Compiler") else None
            if kind:
                threads[tid] = [kind, ticks(s)]
    except OSError:
        pass
    return {"proc": proc, "threads": threads}


def share(a, b):
    """The compiler threads' % of the process's CPU between two read()s (None: no CPU used)."""
    spent = {"c2": 0, "c1": 0}
    for tid, (kind, t) in b["threads"].items():
        t0 = a["threads"].get(tid, [kind, 0])[1]  # a thread started inside the window began at 0
        spent[kind] += max(0, t - t0)
    proc = b["proc"] - a["proc"]
    pct = {k: (round(100.0 * v / proc, 1) if proc > 0 else None) for k, v in spent.items()}
    pct["proc_cpu_s"] = round(proc / HZ, 2)
    return pct


def snap(path, pid):
    with open(path, "w") as f:
        json.dump(read(pid), f)


def diff(before_path, after_path):
    with open(before_path) as f:
        a = json.load(f)
    with open(after_path) as f:
        b = json.load(f)
    pct = share(a, b)
    print(json.dumps({"c2_pct": pct["c2"], "c1_pct": pct["c1"], "proc_cpu_s": pct["proc_cpu_s"]}))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "snap":
        snap(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "diff":
        diff(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
