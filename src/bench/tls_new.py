#!/usr/bin/env python3
"""New TLS connections per second, each a full handshake (no session resumption).

    tls_new.py --url https://127.0.0.1:PORT/1k --duration S [--batch N] [--log-file FILE]

wrk and h2load both resume TLS sessions when they reconnect (wrk after `Connection: close`,
h2load --h1 likewise): the server sees abbreviated handshakes. A fresh h2load client never has a
session, so this runs h2load batches of N new clients with one request each (`--h1 -c N -n N`,
`Connection: close`) back to back until S seconds have passed, and prints h2load-style summary
lines over all batches (handshakes/s = succeeded requests / wall time, process starts included).
"""
import argparse
import re
import subprocess
import sys
import time

p = argparse.ArgumentParser()
p.add_argument("--url", required=True)
p.add_argument("--duration", type=float, required=True)
p.add_argument("--batch", type=int, default=100)
p.add_argument("--log-file", default="")
a = p.parse_args()

keys = ("total", "started", "done", "succeeded", "failed", "errored", "timeout")
tot = dict.fromkeys(keys, 0)
codes = [0, 0, 0, 0]
batches = 0
proto = set()
t0 = time.monotonic()
log = open(a.log_file, "w") if a.log_file else None
while time.monotonic() - t0 < a.duration:
    tmp = (a.log_file + ".batch") if a.log_file else "/dev/null"
    cmd = ["h2load", "--h1", "-c", str(a.batch), "-n", str(a.batch), "-m1", "-H", "Connection: close",
           "--log-file", tmp, a.url]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    batches += 1
    m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, "
                  r"(\d+) failed, (\d+) errored, (\d+) timeout", r.stdout)
    if not m:
        sys.stdout.write(r.stdout + r.stderr)
        sys.exit(1)
    for k, v in zip(keys, map(int, m.groups())):
        tot[k] += v
    m = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", r.stdout)
    if m:
        codes = [c + int(v) for c, v in zip(codes, m.groups())]
    for m in re.finditer(r"^(TLS Protocol|Application protocol): (\S+)", r.stdout, re.M):
        proto.add(m.group(2))
    if log and tmp != "/dev/null":
        with open(tmp) as f:
            log.write(f.read())
elapsed = time.monotonic() - t0
print(f"batches of {a.batch} new connections: {batches}; protocols: {', '.join(sorted(proto))}")
print(f"finished in {elapsed:.2f}s, {tot['succeeded'] / elapsed:.2f} req/s, 0B/s")
print("requests: " + ", ".join(f"{tot[k]} {k}" for k in keys))
print(f"status codes: {codes[0]} 2xx, {codes[1]} 3xx, {codes[2]} 4xx, {codes[3]} 5xx")
