#!/usr/bin/env python3
"""Benchmark report: raw JSON lines in, Markdown out.

    report.py header  --out HEADER.json --repo DIR --java JAVA --jvm-opts "..." --command "..."
                      --mode quick|full --duration S --warmup S --fd-limit N --cpus "..."
    report.py render  --header HEADER.json --results RESULTS.jsonl
    report.py last    --results RESULTS.jsonl      (one line about the last result, for progress)

`header` captures the run's context (machine, JDK, git state, tool versions) at the start of the
run; `render` prints the whole report (header, one table per scenario, verification, errors and
log lines) on stdout. Both use the standard library only.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys

PROXIES = ["none", "nginx", "haproxy", "caddy", "sluice"]

SCENARIOS = {
    "1k": "(a) HTTP/1.1 keep-alive, `GET /1k` (1 KiB), 50 connections — `wrk -t1 -c50 --latency`",
    "1m": "(b) HTTP/1.1 keep-alive, `GET /1m` (1 MiB), 50 connections — `wrk -t1 -c50 --latency`",
    "upload": "(c) HTTP/1.1 keep-alive, `POST /upload` with a 1 MiB body, 50 connections — "
              "`wrk -t1 -c50 -s upload.lua`",
    "close": "(d) New connection per request (`Connection: close`), `GET /1k`, 50 connections — "
             "`wrk -t1 -c50 -H 'Connection: close'`",
    "h2c": "(e) h2c (prior knowledge), `GET /1k`, 10 connections × 10 streams — "
           "`h2load -c10 -m10 -D <duration>`",
    "tls1k": "(i) HTTPS, HTTP/1.1 keep-alive over TLS 1.3, `GET /1k`, 50 connections — "
             "`wrk -t1 -c50 --latency https://…`",
    "tlsh2": "(j) HTTPS, h2 over TLS 1.3 (ALPN), `GET /1k`, 10 connections × 10 streams — "
             "`h2load -c10 -m10 -D <duration> https://…`",
    "tlsnew": "(k) New TLS connections per second: a full TLS 1.3 handshake (no resumption) and one "
              "`GET /1k` each, batches of 100 fresh clients — `tls_new.py` (`h2load --h1 -c100 -n100 "
              "-H 'Connection: close'`, back to back); p50/p99 are the request after the handshake",
    "cold": "(l) Cold start: scenario (a)'s load on a freshly started proxy, requests per second as the "
            "backend counted them, second by second — `wrk -t1 -c50 -d<cold-duration>` + `rate_curve.py`",
    "idle": "(f) Idle keep-alive connections — `idle_conns.py` (one `GET /1k` per connection, then idle)",
    "tcp-bulk": "(g) TCP (L4) bulk transfer through the proxy to an iperf3 server — "
                "`iperf3 -n <bytes>` each way",
    "tcp-connect": "(h) TCP (L4) connection rate: a new connection per request through the proxy to the "
                   "backend, `GET /1k`, 50 connections — `wrk -t1 -c50 -H 'Connection: close'`",
}
TCP = ("tcp-bulk", "tcp-connect")


def sh(cmd):
    try:
        r = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30)
        return (r.stdout + r.stderr).strip()
    except Exception as e:  # noqa: BLE001 - best effort metadata
        return f"({e})"


def cmd_header(a):
    cpu_model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
            mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    commit = sh(f"git -C '{a.repo}' rev-parse --short HEAD")
    dirty = sh(f"git -C '{a.repo}' status --porcelain --untracked-files=no")
    h = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "nproc": sh("nproc"),
        "cpu_model": cpu_model,
        "ram": mem,
        "kernel": sh("uname -r"),
        "java": sh(f"'{a.java}' -version 2>&1").splitlines(),
        "jvm_opts": a.jvm_opts,
        "jvm_opts_source": a.jvm_opts_source,
        "git_commit": commit,
        "git_dirty": bool(dirty),
        "git_dirty_files": dirty.splitlines()[:20],
        "command": a.command,
        "mode": a.mode,
        "duration": a.duration,
        "warmup": a.warmup,
        "fd_limit": a.fd_limit,
        "cpus": a.cpus,
        "variants": dict(v.split("=", 1) for v in a.variant),
        "rounds": a.rounds,
        "tools": {
            "wrk": sh("wrk -v 2>&1 | head -1"),
            "h2load": sh("h2load --version 2>&1 | head -1"),
            "nginx": sh("nginx -v 2>&1"),
            "haproxy": sh("haproxy -v 2>&1 | head -1"),
            "caddy": sh("caddy version 2>&1"),
            "iperf3": sh("iperf3 --version 2>&1 | head -1"),
            "python": sh("python3 --version 2>&1"),
        },
    }
    with open(a.out, "w") as f:
        json.dump(h, f, indent=1)


# ---------------------------------------------------------------------------------------------
def fmt_ms(ms):
    if ms is None:
        return "—"
    if ms < 1:
        return f"{ms:.2f} ms"
    if ms < 10:
        return f"{ms:.2f} ms"
    if ms < 1000:
        return f"{ms:.1f} ms"
    return f"{ms / 1000:.2f} s"


def fmt_ratio(x, ref):
    if x is None or ref in (None, 0):
        return "—"
    return f"{x / ref:.2f}×"


def fmt_cpu(r):
    a, b = r.get("cpu_proxy_pct"), r.get("cpu_load_pct")
    return "—" if a is None or b is None else f"{a} / {b}"


def fmt_int(x):
    return "—" if x is None else f"{x:,.0f}"


def fmt_mib(x):
    return "—" if x is None else f"{x:.1f}"


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                try:
                    rows.append(json.loads(line))
                except ValueError:
                    print(f"warning: unparsable result line: {line[:200]}", file=sys.stderr)
    return rows


def render(a):
    h = json.load(open(a.header)) if a.header and os.path.exists(a.header) else {}
    rows = load(a.results)
    out = []
    w = out.append

    w("# Sluice benchmark results")
    w("")
    if h:
        dirty = " (dirty: uncommitted changes in tracked files)" if h.get("git_dirty") else " (clean)"
        java = h.get("java") or ["?"]
        w(f"- **Date**: {h.get('date')}")
        w(f"- **Machine**: {h.get('nproc')} CPUs ({h.get('cpu_model')}), {h.get('ram')} RAM, "
          f"Linux {h.get('kernel')}; open-files limit {h.get('fd_limit')}")
        w(f"- **JDK**: {java[0]}" + (f" — {java[-1]}" if len(java) > 1 else ""))
        w(f"- **Sluice JVM flags**: `{h.get('jvm_opts')}` (from {h.get('jvm_opts_source')})")
        variants = h.get("variants") or {}
        if len(variants) > 1 or (variants and "sluice" not in variants):
            w("- **Sluice variants**: " + "; ".join(f"**{k}** = {v}" for k, v in variants.items()))
        w(f"- **Git commit**: `{h.get('git_commit')}`{dirty}")
        w(f"- **Command**: `{h.get('command')}`")
        w(f"- **Mode**: {h.get('mode')}: {h.get('duration')} s per scenario, Sluice JVM warm-up "
          f"{h.get('warmup')} s; CPU pinning: {h.get('cpus')}")
        t = h.get("tools", {})
        w(f"- **Tools**: {t.get('nginx')}; {t.get('haproxy')}; caddy {t.get('caddy')}; "
          f"{t.get('wrk')}; {t.get('h2load')}; {t.get('iperf3')}; {t.get('python')}")
        w("")
    disturbed = [f"{r.get('proxy')}/{r.get('scenario')} ({r.get('other_cpu_pct')} %)" for r in rows
                 if r.get("scenario") in SCENARIOS and (r.get("other_cpu_pct") or 0) >= 15]
    if disturbed:
        w(f"> **Warning**: processes outside the benchmark used ≥ 15 % of a CPU during "
          f"{len(disturbed)} measurement(s): {', '.join(disturbed)}. Those numbers are disturbed; "
          f"see the notes under each table.")
        w("")
    w("Columns: req/s over the whole measurement; p50/p99 latency (wrk `--latency`; for h2c "
      "computed from h2load's per-request log); errors = every non-2xx/3xx response, socket "
      "error, failed/errored/timed-out stream, or exit code (\"0\" = clean); RSS = resident "
      "memory of the proxy's processes right after the scenario; the last two columns divide "
      "by nginx's numbers (req/s: higher is better; p99: lower is better); CPU busy % = how busy "
      "CPU 0 (the proxy's) and CPU 1 (load generator + backend) were during the run: a proxy "
      "at ~100 % is the bottleneck, otherwise CPU 1 (client + backend) limits the number. "
      "Row **none** is the backend alone (the physical limit); its RSS is the backend nginx. "
      "The TCP (L4) scenarios (g, h) divide by HAProxy's numbers instead (mode tcp), and their "
      "**none** row is the client talking to the iperf3 server or the backend directly.")
    w("")

    # --pair results (with a round) get their own section; the tables below hold one row per proxy.
    paired = [r for r in rows if r.get("scenario") in SCENARIOS and r.get("round") is not None]
    if paired:
        render_pair(paired, h, w)
    results = [r for r in rows if r.get("scenario") in SCENARIOS and r.get("round") is None]
    proxies_seen = [p for p in PROXIES if any(r.get("proxy") == p for r in rows)]
    proxies_seen += sorted({r.get("proxy") for r in rows if r.get("proxy") not in PROXIES and r.get("proxy")},
                           key=lambda p: next(i for i, r in enumerate(rows) if r.get("proxy") == p))
    for scen, title in SCENARIOS.items():
        srows = [r for r in results if r.get("scenario") == scen]
        if not srows:
            continue
        w(f"## {title}")
        w("")
        if scen == "cold":
            render_cold(srows, proxies_seen, results, w)
            continue
        if scen == "idle":
            render_idle(srows, proxies_seen, w)
            continue
        if scen == "tcp-bulk":
            render_bulk(srows, proxies_seen, w)
            continue
        # HTTP scenarios compare with nginx; the TCP ones with HAProxy (mode tcp).
        refname = "haproxy" if scen in TCP else "nginx"
        unit = {"tcp-connect": "conn/s", "tlsnew": "handshakes/s"}.get(scen, "req/s")
        ref = next((r for r in srows if r.get("proxy") == refname and r.get("ok")), None)
        if scen == "tcp-connect":
            render_connect(srows, proxies_seen, w)
            continue
        w(f"| proxy | {unit} | p50 | p99 | errors | RSS MiB | {unit} vs {refname} | p99 vs {refname} | "
          f"CPU busy % proxy / load | CPU µs/req | JIT % of CPU C2 / C1 |")
        w("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for p in proxies_seen:
            r = next((x for x in srows if x.get("proxy") == p), None)
            if r is None:
                continue
            if not r.get("ok") and r.get("rps") is None:
                err = r.get("error_text") or r.get("problem") or "failed"
                label = "skipped" if str(err).startswith("skipped") else "FAILED"
                w(f"| {p} | {label} | — | — | {md(err)} | {fmt_mib(r.get('rss_mib'))} | — | — | — | — | — |")
                continue
            p50 = fmt_ms(r.get("p50_ms"))
            if r.get("p50_label") == "mean":
                p50 += " (mean)"
            rps = fmt_int(r.get("rps"))
            if not r.get("ok"):
                rps += " (unusable)"
            w(f"| {p} | {rps} | {p50} | {fmt_ms(r.get('p99_ms'))} | "
              f"{md(r.get('error_text', '?'))} | {fmt_mib(r.get('rss_mib'))} | "
              f"{fmt_ratio(r.get('rps'), ref and ref.get('rps'))} | "
              f"{fmt_ratio(r.get('p99_ms'), ref and ref.get('p99_ms'))} | {fmt_cpu(r)} | "
              f"{fmt_cpu_req(r)} | {fmt_jit(r)} |")
        render_notes(srows, w)

    render_verify(rows, w)
    render_logs(rows, w)
    return "\n".join(out) + "\n"


def cpu_per_req_us(r):
    """The proxy's own CPU time per request (µs): less disturbed than req/s by others on the machine."""
    if r.get("proxy") == "none" or r.get("proxy_cpu_s") in (None, "") or not r.get("requests"):
        return None
    return float(r["proxy_cpu_s"]) * 1e6 / r["requests"]


def fmt_cpu_req(r):
    v = cpu_per_req_us(r)
    return "—" if v is None else f"{v:.0f}"


def fmt_jit(r):
    c2, c1 = r.get("jit_c2_pct"), r.get("jit_c1_pct")
    if c2 is None:
        return "—"
    warn = " ⚠" if c2 > 5 else ""
    return f"{c2:.1f} / {c1:.1f}{warn}"


def median(xs):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def spread(xs, fmt):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "—"
    m = median(xs)
    return fmt(m) + (f" ({fmt(min(xs))}–{fmt(max(xs))})" if len(xs) > 1 else "")


COLD_BINS = [(1, 5), (6, 10), (11, 20), (21, 30), (31, 45), (46, 60), (61, 90), (91, 120), (121, 180), (181, 300)]


def cold_steady(r, warm_rows):
    """Steady-state rate for the 90 % mark: the same proxy's warm (a) result in this run, else the
    mean of the curve's last 10 s. Returns (rate, where it came from)."""
    warm = next((x for x in warm_rows if x.get("proxy") == r.get("proxy") and x.get("scenario") == "1k"
                 and x.get("ok") and x.get("rps")), None)
    if warm:
        return warm["rps"], "(a) warm"
    per = r.get("per_second") or []
    if len(per) >= 10:
        return sum(per[-10:]) / 10, "last 10 s"
    return None, "—"


def time_to_90(per, steady):
    """First second at which the 3-second mean ending there reaches 90 % of steady (None: never)."""
    if not per or not steady:
        return None
    for i in range(len(per)):
        win = per[max(0, i - 2):i + 1]
        if sum(win) / len(win) >= 0.9 * steady:
            return i + 1
    return None


def cold_bins(per):
    out = []
    for lo, hi in COLD_BINS:
        if lo > len(per):
            break
        seg = per[lo - 1:hi]
        out.append(((lo, min(hi, len(per))), sum(seg) / len(seg)))
    return out


def render_cold(srows, proxies_seen, results, w):
    w("Each proxy is started fresh and gets scenario (a)'s load as soon as it answers (after the setup "
      "checks' few requests): req/s counted by the backend each second (its `stub_status`), so any "
      "proxy in front of it is measured the same way. **90 % at** = the first second whose 3-second "
      "mean reaches 90 % of the proxy's own steady state: its warm (a) result in this run when there "
      "is one, else the mean of the last 10 s of the curve (which may not be steady yet). C2 % = "
      "Sluice's C2 compiler threads' share of its CPU in the first and last 10 s.")
    w("")
    bins = None
    for r in srows:
        if r.get("per_second"):
            bins = [b for b, _ in cold_bins(r["per_second"])]
            break
    if not bins:
        for r in srows:
            w(f"- {r.get('proxy')}: {md(r.get('problem') or r.get('error_text') or 'no curve')}")
        w("")
        return
    ref = next((r for r in srows if r.get("proxy") == "nginx" and r.get("per_second")), None)
    w("| proxy | ready s | " + " | ".join(f"s {lo}–{hi}" for lo, hi in bins)
      + " | steady req/s | 90 % at | errors | C2 % first / last 10 s |")
    w("| --- | ---: | " + " | ".join("---:" for _ in bins) + " | ---: | ---: | --- | ---: |")
    for p in proxies_seen:
        r = next((x for x in srows if x.get("proxy") == p), None)
        if r is None:
            continue
        per = r.get("per_second") or []
        if not per:
            w(f"| {p} | {md(str(r.get('ready_s', '—')))} | " + " | ".join("—" for _ in bins)
              + f" | — | — | {md(r.get('error_text') or r.get('problem') or 'failed')} | — |")
            continue
        steady, src = cold_steady(r, results)
        t90 = time_to_90(per, steady)
        c2 = r.get("c2_pct_per_second") or []
        c2txt = "—"
        if c2:
            first = [x for x in c2[:10] if x is not None]
            last = [x for x in c2[-10:] if x is not None]
            c2txt = f"{sum(first) / max(1, len(first)):.0f} / {sum(last) / max(1, len(last)):.0f}"
        cells = []
        refbins = dict(cold_bins(ref["per_second"])) if ref and ref is not r else {}
        for b, v in cold_bins(per):
            rv = refbins.get(b)
            cells.append(fmt_int(v) + (f" ({v / rv:.2f}×)" if rv else ""))
        w(f"| {p} | {md(str(r.get('ready_s', '—')))} | " + " | ".join(cells)
          + f" | {fmt_int(steady)} ({src}) | {'> %d s' % len(per) if t90 is None else f'{t90} s'} | "
            f"{md(r.get('error_text', '?'))} | {c2txt} |")
    w("")
    w("Ratios in brackets: to nginx's rate in the same seconds of its own cold run. Per second:")
    w("")
    w("```")
    for r in srows:
        if r.get("per_second"):
            w(f"{r['proxy']:>14}: " + " ".join(str(x) for x in r["per_second"]))
            if r.get("c2_pct_per_second"):
                w(f"{'C2 %':>14}: " + " ".join("-" if x is None else f"{x:.0f}" for x in r["c2_pct_per_second"]))
    w("```")
    render_notes(srows, w)


def render_pair(paired, h, w):
    variants = h.get("variants") or {}
    w(f"## Pair: sluice-A against sluice-B, interleaved ({h.get('rounds') or '?'} rounds, A,B then B,A)")
    w("")
    for k in ("sluice-A", "sluice-B"):
        if k in variants:
            w(f"- **{k}**: {md(variants[k])}")
    w("")
    w("Median over the rounds (min–max). **B/A** = per-round ratios of B's number to A's in the same round "
      "(median, min–max): the spread of those is the noise of this comparison. req/s: higher is better; "
      "CPU µs/req (the proxy's own CPU time per request) and p99: lower is better. cold: the mean req/s "
      "of the first 10 s and of the whole curve, and the second the curve reached 90 % of its last 10 s.")
    w("")
    w("| scenario | metric | sluice-A | sluice-B | B/A |")
    w("| --- | --- | ---: | ---: | ---: |")
    scens = [s for s in SCENARIOS if any(r.get("scenario") == s for r in paired)]
    for scen in scens:
        by = {}
        for r in paired:
            if r.get("scenario") == scen:
                by[(r.get("proxy"), r.get("round"))] = r
        rounds = sorted({k[1] for k in by})

        def metric(name, f, fmt):
            a = [f(by[("sluice-A", k)]) if ("sluice-A", k) in by else None for k in rounds]
            b = [f(by[("sluice-B", k)]) if ("sluice-B", k) in by else None for k in rounds]
            ratios = [y / x for x, y in zip(a, b) if x and y is not None]
            w(f"| {scen} | {name} | {spread(a, fmt)} | {spread(b, fmt)} | {spread(ratios, lambda v: f'{v:.3f}')} |")

        if scen == "cold":
            def first10(r):
                per = r.get("per_second") or []
                return sum(per[:10]) / len(per[:10]) if per else None

            def whole(r):
                per = r.get("per_second") or []
                return sum(per) / len(per) if per else None

            def t90(r):
                per = r.get("per_second") or []
                return time_to_90(per, sum(per[-10:]) / 10 if len(per) >= 10 else None)

            metric("req/s, s 1–10", first10, fmt_int)
            metric("req/s, whole curve", whole, fmt_int)
            metric("90 % of last 10 s at (s)", t90, lambda v: f"{v:.0f}")

            def t90_from_start(r):
                t, ready = t90(r), r.get("ready_s")
                try:
                    return None if t is None else t + float(ready)
                except (TypeError, ValueError):
                    return None

            metric("same, from the process start (s)", t90_from_start, lambda v: f"{v:.0f}")
            metric("ready (s)", lambda r: float(r["ready_s"]) if str(r.get("ready_s", "")).replace(".", "").isdigit() else None,
                   lambda v: f"{v:.1f}")
            metric("CPU µs/req", cpu_per_req_us, lambda v: f"{v:.0f}")
            continue
        metric("req/s", lambda r: r.get("rps") if r.get("ok") else None, fmt_int)
        metric("CPU µs/req", cpu_per_req_us, lambda v: f"{v:.0f}")
        metric("p99 ms", lambda r: r.get("p99_ms"), lambda v: f"{v:.1f}")
        metric("JIT C2 % of CPU", lambda r: r.get("jit_c2_pct"), lambda v: f"{v:.1f}")
    notes = [f"{r['proxy']} {r['scenario']} round {r['round']}: {r['note']}" for r in paired if r.get("note")]
    if notes:
        w("")
        for n in notes:
            w(f"- {md(n)}")
    w("")
    for r in paired:
        if r.get("scenario") == "cold" and r.get("per_second"):
            w(f"- cold {r['proxy']} round {r['round']}, req/s per second: " + " ".join(str(x) for x in r["per_second"]))
    w("")


def bytes_of(size):
    """iperf3's size notation ("1G", "256M", "1000") → bytes."""
    size = str(size).strip()
    mult = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4}.get(size[-1:].upper(), 1)
    try:
        return float(size.rstrip("KMGTkmgt")) * mult
    except ValueError:
        return None


def cpu_per_conn_us(r):
    if r.get("proxy") == "none" or r.get("proxy_cpu_s") in (None, "") or not r.get("requests"):
        return None
    return float(r["proxy_cpu_s"]) * 1e6 / r["requests"]


def cpu_per_gib_s(r):
    size = bytes_of(r.get("bytes", ""))
    n = len(r.get("gbps_up_all") or []) + len(r.get("gbps_down_all") or [])
    if r.get("proxy") == "none" or r.get("proxy_cpu_s") in (None, "") or not size or not n:
        return None
    return float(r["proxy_cpu_s"]) / (n * size / 1024 ** 3)


def render_l4_rows(srows, proxies_seen, w, measured, row, failed_row):
    """The rows of a TCP (L4) table, one per proxy: `row(r)` for a measured one, else `failed_row(p, label, err, rss)`
    (label "skipped" or "FAILED"); then the proxies' notes."""
    for p in proxies_seen:
        r = next((x for x in srows if x.get("proxy") == p), None)
        if r is None:
            continue
        if measured(r):
            w(row(r))
            continue
        err = r.get("error_text") or r.get("problem") or "failed"
        label = "skipped" if str(err).startswith("skipped") else "FAILED"
        w(failed_row(p, label, md(err), fmt_mib(r.get("rss_mib"))))
    render_notes(srows, w)


def render_notes(srows, w):
    """The proxies' notes under a scenario's table, and the blank line that ends it."""
    notes = [f"{r['proxy']}: {r['note']}" for r in srows if r.get("note")]
    if notes:
        w("")
        for n in notes:
            w(f"- {md(n)}")
    w("")


def haproxy_row(srows):
    return next((r for r in srows if r.get("proxy") == "haproxy" and r.get("ok")), None)


def render_connect(srows, proxies_seen, w):
    ref = haproxy_row(srows)
    w("Each request is a new TCP connection from wrk to the proxy and from the proxy to the backend "
      "nginx (which closes it), so requests/s = connections/s through the proxy. Ratios to HAProxy. "
      "\"CPU µs/conn\" is the proxy process's own CPU time (user + system, from /proc) per connection: "
      "less sensitive than conn/s to other programs sharing the machine.")
    w("")
    w("| proxy | conn/s | p50 | p99 | errors | RSS MiB | CPU µs/conn | conn/s vs haproxy | p99 vs haproxy | "
      "CPU/conn vs haproxy | CPU busy % proxy / load |")
    w("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")

    def row(r):
        cpu = cpu_per_conn_us(r)
        return (f"| {r['proxy']} | {fmt_int(r.get('rps'))} | {fmt_ms(r.get('p50_ms'))} | {fmt_ms(r.get('p99_ms'))} | "
                f"{md(r.get('error_text', '?'))} | {fmt_mib(r.get('rss_mib'))} | {'—' if cpu is None else f'{cpu:.1f}'} | "
                f"{fmt_ratio(r.get('rps'), ref and ref.get('rps'))} | {fmt_ratio(r.get('p99_ms'), ref and ref.get('p99_ms'))} | "
                f"{fmt_ratio(cpu, ref and cpu_per_conn_us(ref))} | {fmt_cpu(r)} |")

    render_l4_rows(srows, proxies_seen, w, lambda r: r.get("ok") or r.get("rps") is not None, row,
                   lambda p, label, err, rss: f"| {p} | {label} | — | — | {err} | {rss} | — | — | — | — | — |")


def fmt_gbps(r, direction):
    v = r.get(f"gbps_{direction}")
    if v is None:
        return "—"
    vals = r.get(f"gbps_{direction}_all") or []
    spread = f" ({min(vals):.2f}–{max(vals):.2f})" if len(vals) > 1 else ""
    return f"{v:.2f}{spread}"


def render_bulk(srows, proxies_seen, w):
    ref = haproxy_row(srows)
    reps = max((len(r.get("gbps_up_all") or []) for r in srows), default=0)
    size = next((r.get("bytes") for r in srows if r.get("bytes")), "?")
    w(f"{size} per transfer; \"up\" = client → proxy → iperf3 server, \"down\" = the reverse (`-R`); "
      f"{reps} transfer(s) each way, alternating; Gbit/s as the receiver counted it, median "
      f"(min–max). Ratios to HAProxy's medians. Client and iperf3 server share CPU 1. \"CPU s/GiB\" "
      f"is the proxy process's own CPU time per GiB relayed, over all transfers.")
    w("")
    w("| proxy | up Gbit/s | down Gbit/s | errors | RSS MiB | CPU s/GiB | up vs haproxy | down vs haproxy | "
      "CPU/GiB vs haproxy | CPU busy % proxy / load |")
    w("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")

    def row(r):
        cpu = cpu_per_gib_s(r)
        return (f"| {r['proxy']} | {fmt_gbps(r, 'up')} | {fmt_gbps(r, 'down')} | {md(r.get('error_text', '?'))} | "
                f"{fmt_mib(r.get('rss_mib'))} | {'—' if cpu is None else f'{cpu:.3f}'} | "
                f"{fmt_ratio(r.get('gbps_up'), ref and ref.get('gbps_up'))} | "
                f"{fmt_ratio(r.get('gbps_down'), ref and ref.get('gbps_down'))} | "
                f"{fmt_ratio(cpu, ref and cpu_per_gib_s(ref))} | {fmt_cpu(r)} |")

    render_l4_rows(srows, proxies_seen, w, lambda r: r.get("ok"), row,
                   lambda p, label, err, rss: f"| {p} | {label} | — | {err} | {rss} | — | — | — | — | — |")


def render_idle(srows, proxies_seen, w):
    ns = sorted({r.get("n") for r in srows if r.get("n")})
    head = "| proxy | RSS MiB before |"
    sep = "| --- | ---: |"
    for n in ns:
        head += f" {n:,}: ok / open | {n:,}: RSS MiB |"
        sep += " ---: | ---: |"
    if len(ns) >= 2:
        head += f" KiB per conn ({ns[0]:,}→{ns[-1]:,}) | RSS @{ns[-1]:,} vs nginx |"
        sep += " ---: | ---: |"
    w(head)
    w(sep)
    by = {(r.get("proxy"), r.get("n")): r for r in srows}
    ref = by.get(("nginx", ns[-1])) if ns else None
    problems = []
    for p in proxies_seen:
        prs = [r for r in srows if r.get("proxy") == p]
        if not prs:
            continue
        failed_all = next((r for r in prs if r.get("n") is None), None)
        if failed_all is not None:
            cells = " — | — |" * len(ns) + (" — | — |" if len(ns) >= 2 else "")
            w(f"| {p} | FAILED: {md(failed_all.get('problem') or '?')} |{cells}")
            continue
        base = next((r.get("baseline_rss_mib") for r in prs if r.get("baseline_rss_mib") is not None),
                    None)
        line = f"| {p} | {fmt_mib(base)} |"
        for n in ns:
            r = by.get((p, n))
            if r is None:
                line += " — | — |"
                continue
            okc = r.get("ok_count")
            est = r.get("established")
            cell = f"{fmt_int(okc)} / {fmt_int(est)}"
            if okc is not None and okc < n:
                cell = f"**{cell}**"
            line += f" {cell} | {fmt_mib(r.get('rss_mib'))} |"
            if r.get("problem") or r.get("errors"):
                problems.append(f"{p} N={n:,}: " + ", ".join(
                    filter(None, [r.get("problem"),
                                  ", ".join(f"{k} {v:,}" for k, v in (r.get("errors") or {}).items())])))
        if len(ns) >= 2:
            lo, hi = by.get((p, ns[0])), by.get((p, ns[-1]))
            per = None
            if lo and hi and lo.get("rss_mib") is not None and hi.get("rss_mib") is not None:
                extra = (hi.get("ok_count") or 0) - (lo.get("ok_count") or 0)
                if extra > 0:
                    per = (hi["rss_mib"] - lo["rss_mib"]) * 1024 / extra
            line += f" {'—' if per is None else f'{per:.1f}'} |"
            line += f" {fmt_ratio(hi and hi.get('rss_mib'), ref and ref.get('rss_mib'))} |"
        w(line)
    w("")
    w("\"ok\" = connections that got a complete `200` response to their request; \"open\" = of "
      "those, still ESTABLISHED (by `ss`) when the RSS was read, about 1 s after the last one "
      "opened. Each proxy (except none) is restarted fresh before this scenario, so \"RSS before\" "
      "is an idle process that served one request; the N runs follow each other in one process.")
    if problems:
        w("")
        for pr in problems:
            w(f"- {md(pr)}")
    w("")


def render_verify(rows, w):
    vs = [r for r in rows if r.get("scenario") == "verify"]
    if not vs:
        return
    tcp = any("tcp" in r for r in vs)
    w("## Setup checks (one request per proxy before measuring)")
    w("")
    tls = any("tls" in r for r in vs)
    w("| proxy | listens (s to ready) | `/1k` → 200, 1024 B | backend saw X-Forwarded-For | h2c `/1k` | "
      + ("HTTPS `/1k` (h1 and h2) | " if tls else "")
      + ("TCP: `/1k` and 1 MiB iperf3 through L4 | " if tcp else "") + "RSS MiB at start |")
    w("| --- | ---: | --- | --- | --- | " + ("--- | " if tls else "") + ("--- | " if tcp else "") + "---: |")
    for r in vs:
        phase = r.get("phase", "start")
        if phase != "start" and not r.get("problem") and "FAILED" not in str(r) and "MISSING" not in str(r):
            continue  # a clean restart (before the idle scenario) repeats the first check
        label = r.get("proxy") + ("" if phase == "start" else f" ({phase})")
        w(f"| {label} | {md(str(r.get('ready_s', '—')))} | {md(str(r.get('get_1k', '—')))} | "
          f"{md(str(r.get('xff', '—')))} | {md(str(r.get('h2c', '—')))} | "
          + (f"{md(str(r.get('tls', '—')))} | " if tls else "")
          + (f"{md(str(r.get('tcp', '—')))} | " if tcp else "") + f"{fmt_mib(r.get('rss_mib'))} |")
    w("")


def render_logs(rows, w):
    items = []
    for r in rows:
        for key, who in (("proxy_log", r.get("proxy")), ("backend_log", "backend")):
            lg = r.get(key)
            if lg and lg.get("lines"):
                items.append((r.get("proxy"), r.get("scenario"), who, lg))
        if r.get("output_tail") and r.get("scenario") in SCENARIOS:
            items.append((r.get("proxy"), r.get("scenario"), f"{r.get('tool')} output (the run failed)",
                          {"lines": len(r["output_tail"]), "first": r["output_tail"]}))
        if r.get("scenario") == "proxy-died":
            items.append((r.get("proxy"), r.get("during"), r.get("proxy"),
                          {"lines": 0, "first": [r.get("problem", "")] + (r.get("log_tail") or [])}))
    if not items:
        w("## Log lines written during the runs")
        w("")
        w("None: no proxy and not the backend logged anything while measuring.")
        w("")
        return
    w("## Log lines written during the runs")
    w("")
    w("What each process wrote to its log/stderr while a scenario (or its warm-up) ran: count and "
      "the first distinct lines; and the load generator's own output when a run failed.")
    w("")
    for proxy, scen, who, lg in items:
        w(f"- **{proxy} / {scen}** — {who}: {lg.get('lines')} line(s)")
        if lg.get("first"):
            w("")
            w("  ```")
            for line in lg["first"]:
                w("  " + line)
            w("  ```")
    w("")


def last_line(a):
    rows = load(a.results)
    if not rows:
        return
    r = rows[-1]
    if r.get("scenario") == "tcp-bulk":
        print(f"up {fmt_gbps(r, 'up')} Gbit/s, down {fmt_gbps(r, 'down')} Gbit/s,",
              f"errors: {r.get('error_text') or r.get('problem')}, CPU {fmt_cpu(r)}, RSS {r.get('rss_mib')} MiB")
    elif r.get("scenario") == "cold":
        per = r.get("per_second") or []
        print(f"{sum(per) / max(1, len(per)):,.0f} req/s mean over {len(per)} s", f"errors: {r.get('error_text') or r.get('problem')}")
    elif r.get("scenario") == "idle":
        print(f"N={r.get('n')}: ok {r.get('ok_count')}, open {r.get('established')}, "
              f"RSS {r.get('rss_mib')} MiB {r.get('problem') or ''}".rstrip())
    else:
        rps = r.get("rps")
        print(f"{fmt_int(rps)} req/s" if rps else "FAILED",
              f"p50 {fmt_ms(r.get('p50_ms'))} p99 {fmt_ms(r.get('p99_ms'))}",
              f"errors: {r.get('error_text') or r.get('problem')}", f"RSS {r.get('rss_mib')} MiB")


def md(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    ph = sub.add_parser("header")
    ph.add_argument("--out", required=True)
    ph.add_argument("--repo", required=True)
    ph.add_argument("--java", default="java")
    ph.add_argument("--jvm-opts", default="")
    ph.add_argument("--jvm-opts-source", default="")
    ph.add_argument("--command", default="")
    ph.add_argument("--mode", default="")
    ph.add_argument("--duration", default="")
    ph.add_argument("--warmup", default="")
    ph.add_argument("--fd-limit", default="")
    ph.add_argument("--cpus", default="")
    ph.add_argument("--variant", action="append", default=[], metavar="NAME=DESCRIPTION")
    ph.add_argument("--rounds", default=None)
    pl = sub.add_parser("last")
    pl.add_argument("--results", required=True)
    pr = sub.add_parser("render")
    pr.add_argument("--header")
    pr.add_argument("--results", required=True)
    a = p.parse_args()
    if a.cmd == "header":
        cmd_header(a)
    elif a.cmd == "last":
        last_line(a)
    else:
        sys.stdout.write(render(a))


if __name__ == "__main__":
    main()
