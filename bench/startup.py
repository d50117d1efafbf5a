"""Start-up: seconds from launching ``wildcrawl crawl`` to its first request.

    python -m bench.startup [--runs 3]

Serves demo-bazaar from this process (threads), runs ``python -m crawler.cli crawl demo-bazaar``
with one keyword and one results page, and times, from just before the process is started, the
first request the demo site received (robots.txt). Also the crawl process's CPU seconds up
to then (user + system) and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from crawler.demo.server import DemoServer

ROOT = Path(__file__).resolve().parents[1]


def first_request(demo, folder: Path) -> tuple[float, float]:
    """(seconds, CPU seconds) from starting a crawl to the first request the demo site got."""
    demo.clear_log()
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "demo-bazaar"]
    cmd += ["--base-url", f"demo-bazaar={demo.base_url('demo-bazaar')}", "-k", "ivory"]
    cmd += ["--max-pages", "1", "--db", str(folder / "startup.db")]
    cmd += ["-s", "WILDCRAWL_EVIDENCE=False", "-s", "CLOSESPIDER_PAGECOUNT=3"]
    started = time.time()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cpu = float("nan")
    while proc.poll() is None and not demo.request_log:
        time.sleep(0.005)
    try:
        times = psutil.Process(proc.pid).cpu_times()
        cpu = times.user + times.system
    except psutil.Error:
        pass
    proc.wait()
    seconds = demo.request_log[0].at - started if demo.request_log else float("nan")
    return seconds, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    load = os.getloadavg()
    results = []
    # In this process (threads): the request log's times are this clock's.
    server = DemoServer(ports={"demo-bazaar": 0}, size=200, sites=["demo-bazaar"])
    with server as demo, tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            folder = Path(tmp, str(run))
            folder.mkdir()
            results.append(first_request(demo, folder))
    seconds = statistics.median(r[0] for r in results)
    cpu = statistics.median(r[1] for r in results)
    print(
        f"first request after {seconds:.2f} s (median of {args.runs}; "
        f"{', '.join(f'{r[0]:.2f}' for r in results)}), {cpu:.2f} CPU s; target 0.5 s; "
        f"load average {load[0]:.1f} -> {os.getloadavg()[0]:.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
