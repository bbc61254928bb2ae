#!/usr/bin/env python3
"""Turn one load generator's raw output into one JSON object (printed on stdout).

    parse_output.py --tool wrk    --out OUTPUT_FILE --rc EXIT_CODE [--set key=value]...
    parse_output.py --tool h2load --out OUTPUT_FILE --rc EXIT_CODE --h2log H2LOAD_LOG_FILE
    parse_output.py --tool idle   --out IDLE_CLIENT_JSON_LINE_FILE
    parse_output.py --tool iperf3 --iperf up=FILE.json --iperf down=FILE.json ...  (iperf3 -J outputs)
    parse_output.py --tool none   --problem "why the scenario could not run"
    (--log-delta FILE / --backend-log-delta FILE: log lines written during the run, summarized)

The JSON always has: tool, ok (bool: the tool ran and printed a usable summary), rps, p50_ms,
p99_ms, requests, errors (dict of counters, all zero when clean), error_text (a short human
summary, "0" when clean), and problem (why the run is unusable, or null).
Nothing is hidden: every non-zero error counter ends up in error_text.
"""
import json
import math
import re
import sys

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def to_ms(value, unit):
    return float(value) * UNITS_MS[unit]


def base(tool):
    return {"tool": tool, "ok": False, "rps": None, "p50_ms": None, "p99_ms": None,
            "p50_label": "p50", "requests": None, "errors": {}, "error_text": "", "problem": None}


def finish(res, rc):
    errs = {k: v for k, v in res["errors"].items() if v}
    parts = [f"{k} {v:,}" for k, v in errs.items()]
    if rc not in (0, "0"):
        parts.append(f"exit code {rc}")
    if res["problem"]:
        parts.append(res["problem"])
    if parts and res["requests"] is not None:
        parts.append(f"(of {res['requests']:,})")
    res["error_text"] = ", ".join(parts) if parts else "0"
    res["exit_code"] = int(rc) if str(rc).lstrip("-").isdigit() else rc
    return res


def parse_wrk(text, rc):
    res = base("wrk")
    m = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    if m:
        res["rps"] = float(m.group(1))
    m = re.search(r"^\s*(\d+) requests in ([\d.]+)(\w+),", text, re.M)
    if m:
        res["requests"] = int(m.group(1))
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
        if m:
            res[key] = to_ms(m.group(1), m.group(2))
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    res["errors"]["non-2xx/3xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        for name, val in zip(("connect", "read", "write", "timeout"), m.groups()):
            res["errors"][f"socket {name}"] = int(val)
    if res["rps"] is None or res["requests"] is None:
        res["problem"] = "no wrk summary in output"
    elif res["requests"] == 0:
        res["problem"] = "no request completed"
    else:
        res["ok"] = True
    return res


def percentile(sorted_vals, p):
    # nearest-rank percentile
    if not sorted_vals:
        return None
    k = max(0, min(len(sorted_vals) - 1, math.ceil(p / 100.0 * len(sorted_vals)) - 1))
    return sorted_vals[k]


def parse_h2load(text, rc, log_file):
    res = base("h2load")
    m = re.search(r"finished in ([\d.]+)(\w+), ([\d.]+) req/s", text)
    if m:
        res["rps"] = float(m.group(3))
    m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, "
                  r"(\d+) failed, (\d+) errored, (\d+) timeout", text)
    if m:
        total, started, done, succeeded, failed, errored, timeout = map(int, m.groups())
        res["requests"] = done
        res["errors"]["failed"] = failed
        res["errors"]["errored"] = errored
        res["errors"]["timeout"] = timeout
    m = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text)
    if m:
        res["status_2xx"] = int(m.group(1))
        res["errors"]["3xx"] = int(m.group(2))
        res["errors"]["4xx"] = int(m.group(3))
        res["errors"]["5xx"] = int(m.group(4))
    # Per-request latencies from --log-file: "<start µs since epoch>\t<status>\t<duration µs>"
    durations = []
    other_status = 0
    try:
        with open(log_file) as f:
            for line in f:
                cols = line.split("\t")
                if len(cols) < 3:
                    continue
                try:
                    status, dur = int(cols[1]), int(cols[2])
                except ValueError:
                    continue
                if status <= 0:
                    continue  # stream failed before a response: counted in failed/errored
                durations.append(dur / 1000.0)
                if not 200 <= status < 300:
                    other_status += 1
    except OSError:
        pass
    durations.sort()
    if durations:
        res["p50_ms"] = percentile(durations, 50)
        res["p99_ms"] = percentile(durations, 99)
        res["latency_samples"] = len(durations)
    else:
        # Fall back to h2load's own summary: mean only, labelled as such.
        m = re.search(r"time for request:\s+([\d.]+)(us|ms|s)\s+([\d.]+)(us|ms|s)\s+([\d.]+)(us|ms|s)",
                      text)
        if m:
            res["p50_ms"] = to_ms(m.group(5), m.group(6))
            res["p50_label"] = "mean"
    if res["rps"] is None or res["requests"] is None:
        res["problem"] = "no h2load summary in output"
    elif res["requests"] == 0:
        res["problem"] = "no request completed"
    else:
        res["ok"] = True
    return res


def parse_iperf(specs):
    """iperf3 -J transfers, "up" (client→server) and "down" (-R, server→client): the median rate
    of each direction in Gbit/s, every single rate, retransmits and failed transfers."""
    res = {"tool": "iperf3", "ok": False, "problem": None, "errors": {}, "error_text": ""}
    rates = {"up": [], "down": []}
    failed, retrans, problems = 0, 0, []
    for spec in specs:
        direction, _, path = spec.partition("=")
        try:
            with open(path, errors="replace") as f:
                text = f.read()
            d = json.loads(text[text.index("{"):])
        except (OSError, ValueError) as e:
            failed += 1
            problems.append(f"{direction}: no iperf3 JSON ({e.__class__.__name__})")
            continue
        if d.get("error"):
            failed += 1
            problems.append(f"{direction}: {d['error']}")
            continue
        end = d.get("end", {})
        received = end.get("sum_received", {})
        bps = received.get("bits_per_second")
        if not bps:
            failed += 1
            problems.append(f"{direction}: no sum_received")
            continue
        rates[direction].append(bps / 1e9)
        retrans += end.get("sum_sent", {}).get("retransmits", 0) or 0
    for direction, vals in rates.items():
        vals_sorted = sorted(vals)
        res[f"gbps_{direction}"] = vals_sorted[(len(vals_sorted) - 1) // 2] if vals_sorted else None
        res[f"gbps_{direction}_all"] = [round(v, 3) for v in vals]
    res["transfers"] = len(specs)
    res["errors"] = {"failed transfers": failed}
    res["retransmits"] = retrans
    parts = [f"{k} {v:,}" for k, v in res["errors"].items() if v]
    if problems:
        parts.append("; ".join(problems[:3]))
    res["error_text"] = ", ".join(parts) if parts else "0"
    if res["gbps_up"] is None and res["gbps_down"] is None:
        res["problem"] = "no transfer completed"
    else:
        res["ok"] = True
    return res


def read_log_delta(path, max_lines=6, max_len=400):
    """Lines a process logged during a scenario: a count and the first few distinct ones."""
    try:
        with open(path, errors="replace") as f:
            lines = [l.rstrip("\n") for l in f if l.strip()]
    except OSError:
        return None
    first, seen = [], set()
    for line in lines:
        key = re.sub(r"\d+", "#", line)[:160]  # ignore timestamps, ids and counters
        if key in seen:
            continue
        seen.add(key)
        first.append(line[:max_len])
        if len(first) >= max_lines:
            break
    return {"lines": len(lines), "first": first}


def value(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


def main():
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("--tool", required=True, choices=["wrk", "h2load", "idle", "iperf3", "none"])
    p.add_argument("--iperf", action="append", default=[], metavar="DIRECTION=FILE")
    p.add_argument("--out", default="")
    p.add_argument("--rc", default="0")
    p.add_argument("--h2log", default="")
    p.add_argument("--problem", default=None)
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--log-delta", default=None, help="proxy log lines written during the run")
    p.add_argument("--backend-log-delta", default=None)
    a = p.parse_args()
    try:
        with open(a.out, errors="replace") as f:
            text = f.read()
    except OSError:
        text = ""
    if a.tool == "wrk":
        res = finish(parse_wrk(text, a.rc), a.rc)
    elif a.tool == "h2load":
        res = finish(parse_h2load(text, a.rc, a.h2log), a.rc)
    elif a.tool == "iperf3":
        res = parse_iperf(a.iperf)
    elif a.tool == "idle":
        res = {"tool": "idle", "ok": False, "problem": None}
        try:
            summary = json.loads(text.strip().splitlines()[-1])
            res["ok_count"] = summary.pop("ok")
            res.update(summary)
            res["ok"] = True
        except (ValueError, IndexError):
            res["problem"] = "the idle client reported nothing (see its output)"
            res["client_output"] = text[-2000:]
    else:
        res = {"tool": None, "ok": False, "problem": None}
    if a.problem:
        res["ok"] = False
        res["problem"] = a.problem if not res.get("problem") else res["problem"] + "; " + a.problem
        if "error_text" in res or a.tool == "none":
            res["error_text"] = res["problem"]
    if not res.get("ok") and text.strip():
        res["output_tail"] = text.strip().splitlines()[-12:]
    for kv in a.set:
        k, _, v = kv.partition("=")
        res[k] = value(v)
    if a.log_delta:
        res["proxy_log"] = read_log_delta(a.log_delta)
    if a.backend_log_delta:
        res["backend_log"] = read_log_delta(a.backend_log_delta)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
