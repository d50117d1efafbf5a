"""Start-up: seconds from launching ``wildcrawl crawl`` to its first request.

    python -m bench.startup [--runs 3] [--root DIR ...]

Serves demo-bazaar from this process (threads), runs ``python -m crawler.cli crawl demo-bazaar``
with one keyword and one results page, and times, from just before the process is started, the
first request the demo site received (robots.txt). Also the crawl process's CPU seconds up
to then (user + system) and the load average. The same for two floors, run alternately with it:
plain Scrapy (a ``CrawlerProcess`` with a one-URL spider, robots.txt obeyed, no project) and
Python alone (``urllib.request.urlopen``). ``--root DIR`` (repeated) runs the crawl of each
checkout in turn, alternately with the others (before/after a change); the floors run once
per round.
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


PLAIN_SCRAPY = """
import sys
import scrapy
from scrapy.crawler import CrawlerProcess

class One(scrapy.Spider):
    name = "one"
    start_urls = [sys.argv[1]]

    def parse(self, response):
        pass

process = CrawlerProcess({"ROBOTSTXT_OBEY": True, "LOG_LEVEL": "WARNING"})
process.crawl(One)
process.start()
"""
PYTHON_ALONE = "import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()"


def wildcrawl_command(demo, folder: Path) -> list[str]:
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "demo-bazaar"]
    cmd += ["--base-url", f"demo-bazaar={demo.base_url('demo-bazaar')}", "-k", "ivory"]
    cmd += ["--max-pages", "1", "--db", str(folder / "startup.db")]
    return cmd + ["-s", "WILDCRAWL_EVIDENCE=False", "-s", "CLOSESPIDER_PAGECOUNT=3"]


def floor_command(demo, program: str) -> list[str]:
    return [sys.executable, "-c", program, f"{demo.base_url('demo-bazaar')}/search?q=ivory"]


def first_request(demo, cmd: list[str], root: Path = ROOT) -> tuple[float, float]:
    """(seconds, CPU seconds) from starting ``cmd`` to the first request the demo site got."""
    demo.clear_log()
    started = time.time()
    proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
    parser.add_argument("--no-floors", action="store_true", help="wildcrawl only")
    parser.add_argument(
        "--root",
        action="append",
        type=Path,
        help="a checkout whose crawl to time (repeat to alternate; default: this one)",
    )
    args = parser.parse_args(argv)
    roots = [r.resolve() for r in args.root] if args.root else [ROOT]
    from bench.run import compile_sources

    for root in roots:
        compile_sources(root)
    load = os.getloadavg()
    labels = {
        f"wildcrawl {i}": f"wildcrawl crawl ({root})" if len(roots) > 1 else "wildcrawl crawl"
        for i, root in enumerate(roots)
    }
    labels |= {"scrapy": "plain Scrapy (floor)", "python": "Python alone (floor)"}
    results: dict[str, list[tuple[float, float]]] = {key: [] for key in labels}
    # In this process (threads): the request log's times are this clock's.
    server = DemoServer(ports={"demo-bazaar": 0}, size=200, sites=["demo-bazaar"])
    with server as demo, tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):  # interleaved: the machine's load weighs on all alike
            folder = Path(tmp, str(run))
            folder.mkdir()
            for i, root in enumerate(roots):
                (folder / str(i)).mkdir()
                cmd = wildcrawl_command(demo, folder / str(i))
                results[f"wildcrawl {i}"].append(first_request(demo, cmd, root))
            if not args.no_floors:
                results["scrapy"].append(first_request(demo, floor_command(demo, PLAIN_SCRAPY)))
                results["python"].append(first_request(demo, floor_command(demo, PYTHON_ALONE)))
    for key, runs in results.items():
        if not runs:
            continue
        seconds = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(
            f"{labels[key]}: first request after {seconds:.2f} s (median of {args.runs}; "
            f"{', '.join(f'{r[0]:.2f}' for r in runs)}), {cpu:.2f} CPU s"
            + ("; target 0.5 s" if key.startswith("wildcrawl") else "")
        )
    print(f"load average {load[0]:.1f} -> {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
