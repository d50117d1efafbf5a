"""Start-up: seconds from launching ``wildcrawl crawl`` to its first request.

    python -m bench.startup [--runs 3]

Serves demo-bazaar (``bench/demo_process.py``), runs ``python -m crawler.cli crawl demo-bazaar``
at DEBUG log level with one keyword and one results page, and times, from just before the
process is started, the arrival of the first ``Crawled (`` line (Scrapy logs it when the first
response is in: robots.txt, so the first request went out before it). Also the process's CPU
seconds up to then, from ``/proc`` (user + system), and the load average.
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

from bench.demo_process import ServedDemo

ROOT = Path(__file__).resolve().parents[1]


def first_request(base_url: str, folder: Path) -> tuple[float, float]:
    """(seconds, CPU seconds) from starting a crawl to its first logged response."""
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "demo-bazaar"]
    cmd += ["--base-url", f"demo-bazaar={base_url}", "-k", "ivory", "--max-pages", "1"]
    cmd += ["--db", str(folder / "startup.db"), "-s", "LOG_LEVEL=DEBUG"]
    cmd += ["-s", "WILDCRAWL_EVIDENCE=False", "-s", "CLOSESPIDER_PAGECOUNT=3"]
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    seconds = cpu = float("nan")
    for line in proc.stderr:
        if "Crawled (" in line:
            seconds = time.perf_counter() - started
            try:
                times = psutil.Process(proc.pid).cpu_times()
                cpu = times.user + times.system
            except psutil.Error:
                pass
            break
    for _ in proc.stderr:
        pass
    proc.wait()
    return seconds, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    load = os.getloadavg()
    results = []
    with ServedDemo(size=200, sites=["demo-bazaar"]) as demo, tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            folder = Path(tmp, str(run))
            folder.mkdir()
            results.append(first_request(demo.base_urls["demo-bazaar"], folder))
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
