"""Where the 252-page static run's CPU goes: wildcrawl's ``run_crawl`` against plain Scrapy.

    python -m bench.static_phases [--runs 5] [--root DIR ...] [--profile PREFIX]

Serves demo-bazaar (10,000 listings) from its own process and crawls the static scenario of
``python -m bench`` (keywords ivory, pangolin, Elfenbein, 4 results pages each, every listing's
page; evidence off): with each checkout's ``run_crawl`` (``--root``, repeated: alternately,
before/after a change) and with plain Scrapy (``bench.baselines.plain_scrapy``, this checkout's),
one process each. Each crawl reports, from the start of ``run_crawl`` (plain Scrapy: of its
``CrawlerProcess``), the process's CPU seconds and wall seconds at Scrapy's signals (spider
opened, first request left, first item, spider idle, the end), the warm-up thread's CPU per
preload (``crawler.crawl.warmup``) and each item pipeline's CPU (thread time, summed over the
items). Medians over the runs, with the load average. ``--profile PREFIX`` writes a cProfile
of each wildcrawl ``run_crawl`` (the crawl's thread only) to ``PREFIX-<checkout>-<run>.prof``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = ["ivory", "pangolin", "Elfenbein"]
SIGNALS = (
    "spider_opened",
    "request_left_downloader",
    "item_scraped",
    "spider_idle",
)
PIPELINE_STEPS = (  # (module, class, method, label): the step's own work per item
    ("clean", "CleanPipeline", "process_item", "clean"),
    ("price", "PricePipeline", "_process", "price"),
    ("seller", "SellerPipeline", "_process", "seller"),
    ("match", "MatchPipeline", "_process", "match"),
    ("evidence", "EvidencePipeline", "process_item", "evidence"),
    ("store", "StorePipeline", "process_item", "store write"),
    ("store", "StorePipeline", "open_spider", "store open"),
    ("store", "StorePipeline", "close_spider", "store flush"),
)


def _child(root: str, kind: str, spec: str, profile: str | None) -> None:
    """One crawl in this process (``root`` first on ``sys.path``); prints one JSON line."""
    sys.path.insert(0, root)
    from scrapy import signals
    from scrapy.crawler import Crawler

    from bench.workload import Workload

    marks: dict[str, tuple[float, float]] = {}
    spent: dict[str, float] = {}

    def mark(name: str) -> None:
        marks.setdefault(name, (time.process_time(), time.perf_counter()))

    def timed(cls, method: str, label: str) -> None:
        original = getattr(cls, method)

        def wrapper(self, *args, **kwargs):
            started = time.thread_time()
            try:
                return original(self, *args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.thread_time() - started

        setattr(cls, method, wrapper)

    crawl = Crawler.crawl

    def crawl_and_mark(self, *args, **kwargs):
        for name in SIGNALS:
            signal = getattr(signals, name)
            self.signals.connect(lambda name=name, **_: mark(name), signal=signal, weak=False)
        return crawl(self, *args, **kwargs)

    Crawler.crawl = crawl_and_mark
    workload = Workload.load(spec)
    if kind == "scrapy":
        from bench.baselines import plain_scrapy

        process = plain_scrapy.CrawlerProcess

        def process_and_mark(*args, **kwargs):
            mark("start")
            return process(*args, **kwargs)

        plain_scrapy.CrawlerProcess = process_and_mark
        counts = plain_scrapy.crawl(workload, {})
    else:
        import importlib

        import crawler.crawl.runner as runner
        from bench import crawl_bench
        from crawler.crawl import warmup

        for module, cls, method, label in PIPELINE_STEPS:
            pipelines = importlib.import_module(f"crawler.crawl.pipelines.{module}")
            timed(getattr(pipelines, cls), method, label)
        build = warmup.Preload._run

        def build_and_time(self):
            started, done = time.thread_time(), self.done
            build(self)
            if not done:
                where = "" if threading.current_thread().name == "wildcrawl-warmup" else " (crawl)"
                label = f"warm-up: {self.name}{where}"
                spent[label] = spent.get(label, 0.0) + time.thread_time() - started

        warmup.Preload._run = build_and_time
        run_crawl = runner.run_crawl

        def run_and_mark(*args, **kwargs):
            mark("start")
            profiler = None
            if profile:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            try:
                return run_crawl(*args, **kwargs)
            finally:
                if profiler is not None:
                    profiler.disable()
                    profiler.dump_stats(profile)

        runner.run_crawl = run_and_mark
        counts = crawl_bench.run(workload)
    mark("end")
    cpu0, wall0 = marks["start"]
    print(
        "PHASES "
        + json.dumps(
            {
                "marks": {k: (c - cpu0, w - wall0) for k, (c, w) in marks.items()},
                "spent": spent,
                "pages": counts.get("search_pages", 0) + counts.get("detail_pages", 0),
            }
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.static_phases", description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", action="append", type=Path, help="a checkout (repeat)")
    parser.add_argument("--profile", help="cProfile files' prefix (wildcrawl's crawls)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child, os.environ.get("STATIC_PHASES_PROFILE"))
        return 0
    from bench.demo_process import ServedDemo
    from bench.workload import Workload

    roots = [r.resolve() for r in args.root] if args.root else [ROOT]
    from bench.run import compile_sources

    for root in {*roots, ROOT}:  # bytecode, as an installed package has
        compile_sources(root)
    targets = [(root, "wildcrawl") for root in roots] + [(ROOT, "scrapy")]
    results: dict[tuple, list[dict]] = {target: [] for target in targets}
    loads = []
    with ServedDemo(10_000, ["demo-bazaar"]) as demo, tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):  # interleaved: the machine's load weighs on all alike
            for n, (root, kind) in enumerate(targets):
                stem = f"{n}-{kind}-{run}"
                workload = Workload(
                    site="demo-bazaar",
                    keywords=KEYWORDS,
                    size=10_000,
                    base_url=demo.base_urls["demo-bazaar"],
                    max_pages=4,
                    settings={"WILDCRAWL_EVIDENCE": False},
                    db=f"{tmp}/{stem}.db",
                    result=f"{tmp}/{stem}.json",
                )
                spec = workload.dump(Path(tmp) / f"{stem}.spec.json")
                env = {**os.environ, "PYTHONPATH": str(root)}
                if args.profile and kind == "wildcrawl":
                    env["STATIC_PHASES_PROFILE"] = f"{args.profile}-{n}-{run}.prof"
                loads.append(os.getloadavg()[0])
                proc = subprocess.run(
                    [sys.executable, __file__, "--child", str(root), kind, str(spec)],
                    cwd=root,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                lines = [line for line in proc.stdout.splitlines() if line.startswith("PHASES ")]
                if not lines:
                    print(f"{kind} ({root}) failed: {proc.stderr[-1500:]}", file=sys.stderr)
                    continue
                results[(root, kind)].append(json.loads(lines[0][len("PHASES ") :]))
    print(f"load average {min(loads):.1f}-{max(loads):.1f}; medians of {args.runs} runs")
    for (root, kind), runs in results.items():
        if not runs:
            continue

        def median(value) -> float:
            return statistics.median(value(r) for r in runs)

        end = median(lambda r: r["marks"]["end"][0])
        wall = median(lambda r: r["marks"]["end"][1])
        pages = median(lambda r: r["pages"])
        print(f"\n{kind} ({root}): {pages:.0f} pages in {wall:.3f} s, {pages / wall:.1f} pages/s")
        each = ", ".join(f"{r['marks']['end'][0]:.3f}" for r in runs)
        print(f"  CPU s {end:.3f} ({each})")
        for name in ("spider_opened", "request_left_downloader", "item_scraped", "spider_idle"):
            cpu = median(lambda r, name=name: r["marks"].get(name, (0, 0))[0])
            at = median(lambda r, name=name: r["marks"].get(name, (0, 0))[1])
            print(f"  first {name:24s} CPU {cpu:.3f}, wall {at:.3f}")
        for label in sorted({k for r in runs for k in r["spent"]}):
            value = median(lambda r, label=label: r["spent"].get(label, 0))
            if value >= 0.0005:  # "(crawl)": an item waited for the build, did not build
                print(f"  {label:34s} {value:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
