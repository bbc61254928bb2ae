#!/usr/bin/env python3
"""Requests per second, second by second, as the backend counted them, while a load generator runs.

    rate_curve.py --status URL --seconds N --out CURVE.json [--jvm-pid PID] -- wrk ARGS...

Reads the backend nginx's `stub_status` counter ("requests") once, starts the load generator,
then reads the counter again every second on the second (monotonic clock) for N seconds; writes
{"per_second": [...], "load_rc": ...} to CURVE.json. The load generator's own output goes to this
script's stdout (so parse_output.py can read wrk's summary from it). Each status read is a request
too: one is subtracted per second. With --jvm-pid, also "c2_pct_per_second": the JVM's C2
compiler threads' share of its CPU in each second (see jit_share.py). Counting at the backend costs the client nothing per request
(a wrk Lua `response()` callback would), and works for any proxy in front of it.
Standard library only.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jit_share  # noqa: E402


def requests_so_far(url):
    with urllib.request.urlopen(url, timeout=2) as r:
        text = r.read().decode("ascii", "replace")
    # "Active connections: 1 \nserver accepts handled requests\n 5 5 17 \n..."
    m = re.search(r"^\s*(\d+)\s+(\d+)\s+(\d+)\s*$", text, re.M)
    return int(m.group(3))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--status", required=True)
    p.add_argument("--seconds", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--jvm-pid", default=None)
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    a = p.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    last = requests_so_far(a.status)
    jit_last = jit_share.read(a.jvm_pid) if a.jvm_pid else None
    t0 = time.monotonic()
    load = subprocess.Popen(cmd, stdout=sys.stdout, stderr=subprocess.STDOUT)
    per_second, c2 = [], []
    try:
        for i in range(1, a.seconds + 1):
            time.sleep(max(0.0, t0 + i - time.monotonic()))
            now = requests_so_far(a.status)
            per_second.append(max(0, now - last - 1))
            last = now
            if jit_last is not None:
                jit_now = jit_share.read(a.jvm_pid)
                c2.append(jit_share.share(jit_last, jit_now)["c2"])
                jit_last = jit_now
    finally:
        try:
            rc = load.wait(timeout=a.seconds + 30)
        except subprocess.TimeoutExpired:
            load.kill()
            rc = load.wait()
        with open(a.out, "w") as f:
            json.dump({"per_second": per_second, "c2_pct_per_second": c2 if a.jvm_pid else None, "load_rc": rc}, f)
    sys.exit(rc)


if __name__ == "__main__":
    main()
