#!/usr/bin/env python3
"""Open N keep-alive connections to a proxy, send one GET on each, then hold them idle.

    idle_conns.py --port P --n 10000 [--host 127.0.0.1] [--path /1k] [--expect-bytes 1024]
                  [--concurrency 256] [--deadline 60] [--conn-timeout 15] [--hold 120]
                  [--ready-file F]

Each connection: connect, send `GET <path> HTTP/1.1` (keep-alive), read the full response.
A connection counts as "ok" when the status is 200 and the body has the expected length; it
then stays open and idle. Opening stops at --deadline seconds (whatever is not done by then is
counted as not done). When all attempts are finished, one JSON line with the counts is printed
on stdout and --ready-file is created; the client then holds the connections until SIGTERM/SIGINT
or --hold seconds, and closes them with RST (SO_LINGER 0) so no TIME_WAIT piles up.
"""
import argparse
import asyncio
import collections
import json
import signal
import socket
import struct
import sys


async def one(args, sem, deadline, held, stats):
    loop = asyncio.get_running_loop()
    async with sem:
        remaining = deadline - loop.time()
        if remaining <= 0:
            stats["not attempted (deadline)"] += 1
            return
        timeout = min(args.conn_timeout, remaining)
        writer = None
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(args.host, args.port), timeout)
        except asyncio.TimeoutError:
            stats["connect timeout"] += 1
            return
        except OSError as e:
            stats[f"connect error: {e.strerror or type(e).__name__}"] += 1
            return
        try:
            req = (f"GET {args.path} HTTP/1.1\r\nHost: {args.host}:{args.port}\r\n"
                   f"User-Agent: sluice-bench-idle\r\n\r\n").encode()
            writer.write(req)

            async def read_response():
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                status = int(lines[0].split(" ", 2)[1])
                length = None
                chunked = False
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    name = name.strip().lower()
                    if name == "content-length":
                        length = int(value.strip())
                    elif name == "transfer-encoding" and "chunked" in value.lower():
                        chunked = True
                body = 0
                if length is not None:
                    body = len(await reader.readexactly(length))
                elif chunked:
                    while True:
                        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                        if size == 0:
                            await reader.readuntil(b"\r\n")  # end of (empty) trailers
                            break
                        body += len(await reader.readexactly(size + 2)) - 2
                return status, body

            status, body = await asyncio.wait_for(read_response(), max(0.1, deadline - loop.time()))
            if status != 200:
                stats[f"status {status}"] += 1
                writer.transport.abort()
            elif args.expect_bytes >= 0 and body != args.expect_bytes:
                stats[f"body {body} bytes"] += 1
                writer.transport.abort()
            else:
                stats["ok"] += 1
                held.append((reader, writer))
        except asyncio.TimeoutError:
            stats["response timeout"] += 1
            writer.transport.abort()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, OSError,
                ValueError, IndexError) as e:
            stats[f"response error: {type(e).__name__}"] += 1
            writer.transport.abort()


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--path", default="/1k")
    p.add_argument("--expect-bytes", type=int, default=1024)
    p.add_argument("--concurrency", type=int, default=256)
    p.add_argument("--deadline", type=float, default=60.0)
    p.add_argument("--conn-timeout", type=float, default=15.0)
    p.add_argument("--hold", type=float, default=120.0)
    p.add_argument("--ready-file")
    args = p.parse_args()

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    start = loop.time()
    deadline = start + args.deadline
    sem = asyncio.Semaphore(args.concurrency)
    held = []
    stats = collections.Counter()
    opening = asyncio.gather(*(one(args, sem, deadline, held, stats) for _ in range(args.n)))
    stopper = asyncio.ensure_future(stop.wait())
    await asyncio.wait({opening, stopper}, return_when=asyncio.FIRST_COMPLETED)
    interrupted = not opening.done()
    if interrupted:
        opening.cancel()
    elapsed = loop.time() - start
    errors = {k: v for k, v in stats.items() if k != "ok"}
    summary = {"n": args.n, "ok": stats["ok"], "failed": args.n - stats["ok"], "errors": errors,
               "open_seconds": round(elapsed, 2), "interrupted": interrupted}
    print(json.dumps(summary), flush=True)
    if args.ready_file:
        with open(args.ready_file, "w") as f:
            f.write(json.dumps(summary) + "\n")

    if not interrupted:
        try:
            await asyncio.wait_for(stop.wait(), args.hold)
        except asyncio.TimeoutError:
            pass
    for _, writer in held:
        try:
            sock = writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
        except OSError:
            pass
    await asyncio.sleep(0)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(130)
