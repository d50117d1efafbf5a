"""The crawl benchmark: wildcrawl against baseline crawlers, same pages, one invocation.

    python -m bench --quick        # a few minutes: small workloads, 3 runs each
    python -m bench                # full: larger workloads, 3 runs each (~15 min on 2 cores)
    python -m bench --scale        # adds one wildcrawl run over >= 10,000 detail pages per site
                                   # (and plain Scrapy over the same static pages)

The demo marketplaces are served scaled up (``--size`` listings per site, 10,000
by default: >= 10,000 listing pages and thousands of search pages) from their own
process. Each scenario's crawler runs in its own process whose tree (crawler +
browser) is measured; scenarios are interleaved run by run so load on a shared
machine hits them alike. Writes ``output/bench.md`` (printed too), the raw runs to
``output/bench.json`` and each run's log to ``output/bench-logs/``.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import json
import os
import platform
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench.demo_process import ServedDemo
from bench.measure import run_measured
from bench.report import RunRecord, Summary, Target, render_markdown, summarize
from bench.workload import Workload, expected_pages
from crawler.demo.weight import ALMANAC_2024, LIGHT

ROOT = Path(__file__).resolve().parents[1]
OURS = "bench.crawl_bench"
NO_EVIDENCE = {"WILDCRAWL_EVIDENCE": False}
HEAVY = ALMANAC_2024.name


@dataclass(frozen=True)
class Scenario:
    """One crawler on one workload."""

    key: str
    label: str
    module: str  # run as ``python -m MODULE --spec FILE``
    site: str
    render: str | None = None
    settings: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # Workload.extra, e.g. {"api": False}
    weight: str = "light"  # demo-jsmarket's page weight (crawler.demo.weight)


SCENARIOS = [
    Scenario("static", "demo-bazaar · wildcrawl render: http, all pipelines", OURS, "demo-bazaar"),
    Scenario(
        "static-noev",
        "demo-bazaar · wildcrawl render: http, evidence off",
        OURS,
        "demo-bazaar",
        settings=NO_EVIDENCE,
    ),
    # The same crawl with the lexicon alone (no relevance model): what the model costs a crawl.
    Scenario(
        "static-nomodel",
        "demo-bazaar · wildcrawl render: http, evidence off, lexicon alone (no model)",
        OURS,
        "demo-bazaar",
        settings={**NO_EVIDENCE, "WILDCRAWL_MODEL": "none"},
    ),
    Scenario(
        "static-auto",
        "demo-bazaar · wildcrawl render: auto, evidence off",
        OURS,
        "demo-bazaar",
        render="auto",
        settings=NO_EVIDENCE,
    ),
    Scenario(
        "static-scrapy",
        "demo-bazaar · plain Scrapy, no pipelines (baseline)",
        "bench.baselines.plain_scrapy",
        "demo-bazaar",
    ),
    # render: browser reads the JSON the rendered pages received (the config's api section).
    Scenario(
        "js",
        "demo-jsmarket · wildcrawl render: browser (captured JSON), all pipelines",
        OURS,
        "demo-jsmarket",
    ),
    Scenario(
        "js-dom",
        "demo-jsmarket · wildcrawl render: browser, DOM (api section dropped), all pipelines",
        OURS,
        "demo-jsmarket",
        extra={"api": False},
    ),
    Scenario(
        "js-auto",
        "demo-jsmarket · wildcrawl render: auto (HTTP, then the JSON endpoints, then the browser), "
        "all pipelines",
        OURS,
        "demo-jsmarket",
        render="auto",
    ),
    Scenario(
        "js-api",
        "demo-jsmarket · wildcrawl render: api (JSON over HTTP), all pipelines",
        OURS,
        "demo-jsmarket",
        render="api",
    ),
    Scenario(
        "js-playwright",
        "demo-jsmarket · scrapy-playwright defaults (baseline)",
        "bench.baselines.default_playwright",
        "demo-jsmarket",
    ),
    Scenario(
        "js-bare",
        "demo-jsmarket · bare Playwright loop, pages reused, same extraction, no Scrapy "
        "(reference: what one browser allows when every page's DOM is awaited and read)",
        "bench.baselines.bare_playwright",
        "demo-jsmarket",
    ),
    Scenario(
        "js-crawlee",
        "demo-jsmarket · Crawlee PlaywrightCrawler (baseline)",
        "bench.baselines.crawlee_playwright",
        "demo-jsmarket",
    ),
    # The same JS site, each page carrying the median web page's images, scripts, fonts and
    # CSS (crawler.demo.weight.ALMANAC_2024): what a real marketplace page makes a browser load.
    Scenario(
        "js-heavy",
        "demo-jsmarket, median web page weight · wildcrawl render: browser (captured JSON), "
        "all pipelines",
        OURS,
        "demo-jsmarket",
        weight=HEAVY,
    ),
    # Without reusing tabs: what the default (tabs reused, garbage collected) is compared with.
    Scenario(
        "js-heavy-newtab",
        "demo-jsmarket, median web page weight · wildcrawl render: browser, a new tab per page "
        "(-s WILDCRAWL_REUSE_PAGES=False), all pipelines",
        OURS,
        "demo-jsmarket",
        settings={"WILDCRAWL_REUSE_PAGES": False},
        weight=HEAVY,
    ),
    Scenario(
        "js-heavy-playwright",
        "demo-jsmarket, median web page weight · scrapy-playwright defaults (baseline)",
        "bench.baselines.default_playwright",
        "demo-jsmarket",
        weight=HEAVY,
    ),
    Scenario(
        "js-heavy-bare",
        "demo-jsmarket, median web page weight · bare Playwright loop (reference)",
        "bench.baselines.bare_playwright",
        "demo-jsmarket",
        weight=HEAVY,
    ),
    Scenario(
        "js-heavy-crawlee",
        "demo-jsmarket, median web page weight · Crawlee PlaywrightCrawler (baseline)",
        "bench.baselines.crawlee_playwright",
        "demo-jsmarket",
        weight=HEAVY,
    ),
]
SCALE_SCENARIOS = [
    Scenario(
        "scale-static",
        "demo-bazaar · wildcrawl http, ≥ 10,000 detail pages, 1 run",
        OURS,
        "demo-bazaar",
        settings=NO_EVIDENCE,
    ),
    Scenario(
        "scale-static-scrapy",
        "demo-bazaar · plain Scrapy, ≥ 10,000 detail pages, 1 run (baseline)",
        "bench.baselines.plain_scrapy",
        "demo-bazaar",
    ),
    Scenario(
        "scale-js",
        "demo-jsmarket · wildcrawl browser, ≥ 10,000 detail pages, 1 run",
        OURS,
        "demo-jsmarket",
        settings=NO_EVIDENCE,
    ),
]

# Workloads: lexicon seed keywords (what monitors search for), pages per keyword, and for
# the JavaScript site the "Load more" clicks (24 listings each) per search page.
MODES = {
    "quick": {
        "static": (["ivory", "pangolin"], 2),
        "js": (["ivory"], 1),
        "timeout": 900,
        "many_seconds": 20,
    },
    "full": {
        "static": (["ivory", "pangolin", "Elfenbein"], 4),
        "js": (["ivory"], 3),
        "timeout": 1800,
    },
}
# --scale: broad searches that reach every listing (several thousand search pages).
SCALE = {"static": (["e", "a", "i", "o", "n"], 10_000), "js": (["e"], 420), "timeout": 7200}


# The many-marketplaces scenario (bench/many_sites.py): 20 demo copies, one crawl.
MANY_SITES = "many-sites"


def _against_browser_baselines(
    label: str, key: str, playwright: str = "js-playwright", crawlee: str = "js-crawlee"
) -> list[Target]:
    """Issue 8's browser targets for scenario ``key``: pages/s >= 3x default
    scrapy-playwright and >= 1.5x Crawlee, peak RSS no higher than either's."""
    baselines = (
        (playwright, "default scrapy-playwright", 3.0),
        (crawlee, "Crawlee PlaywrightCrawler", 1.5),
    )
    return [
        Target(f"{label}: pages/s vs {name}", "pages_per_s", key, speed, baseline=b)
        for b, name, speed in baselines
    ] + [
        Target(f"{label}: peak RSS vs {name}", "peak_rss", key, 1.0, baseline=b, at_least=False)
        for b, name, _speed in baselines
    ]


TARGETS = [
    # The JS site as wildcrawl crawls it given its config's api section (render: auto: the
    # static page, then the JSON endpoints, the browser only if those fail), then in the
    # browser for every page (render: browser), against the same two baselines.
    *_against_browser_baselines("JS site, render: auto", "js-auto"),
    *_against_browser_baselines("JS site, every page in the browser", "js"),
    # The same, on pages that load what the median web page loads (crawler.demo.weight).
    *_against_browser_baselines(
        "JS site at median page weight", "js-heavy", "js-heavy-playwright", "js-heavy-crawlee"
    ),
    Target(
        "static site: pages/s vs plain Scrapy (all pipelines)",
        "pages_per_s",
        "static",
        0.8,
        baseline="static-scrapy",
    ),
    # Not a target: the evidence screenshots of flagged listings are taken after the crawl,
    # in a browser (~100 ms each); plain Scrapy takes none. Shown so that cost is not hidden.
    Target(
        "static site, crawl and its evidence screenshots after it: pages/s vs plain Scrapy",
        "pages_per_s_with_capture",
        "static",
        None,
        baseline="static-scrapy",
    ),
    Target(
        "static site: pages/s vs plain Scrapy (evidence off)",
        "pages_per_s",
        "static-noev",
        0.8,
        baseline="static-scrapy",
    ),
    # The same over the scaled-up site: the full mode's 252 pages take about a second, so a
    # crawl's fixed start (lexicon, matcher, store) weighs on its ratio; this one is the rate
    # a long crawl keeps.
    Target(
        "static site, ≥ 10,000 detail pages: pages/s vs plain Scrapy (evidence off, --scale)",
        "pages_per_s",
        "scale-static",
        0.8,
        baseline="scale-static-scrapy",
    ),
    Target(  # issue 21: scoring with the relevance model keeps a crawl within 5 %
        "static site with the relevance model vs the lexicon alone (evidence off)",
        "pages_per_s",
        "static-noev",
        0.95,
        baseline="static-nomodel",
    ),
    Target(
        "render: auto vs render: http, static site",
        "pages_per_s",
        "static-auto",
        0.9,
        baseline="static-noev",
    ),
    # Issue 26: CPU per browser page (the whole tree, orphaned Chromium processes included:
    # bench.measure), the crawl against Crawlee's, then with the evidence screenshots wildcrawl
    # takes after it (Crawlee takes none: shown, not a target).
    Target(
        "JS site, every page in the browser: CPU s/page vs Crawlee (crawl)",
        "cpu_per_page_crawl",
        "js",
        0.5,
        baseline="js-crawlee",
        at_least=False,
    ),
    Target(
        "JS site, every page in the browser: CPU s/page vs Crawlee (crawl and its screenshots)",
        "cpu_per_page",
        "js",
        None,
        baseline="js-crawlee",
    ),
    Target(
        "JS site at median page weight: CPU s/page vs Crawlee (crawl)",
        "cpu_per_page_crawl",
        "js-heavy",
        0.5,
        baseline="js-heavy-crawlee",
        at_least=False,
    ),
    Target(
        "JS site at median page weight: CPU s/page vs Crawlee (crawl and its screenshots)",
        "cpu_per_page",
        "js-heavy",
        None,
        baseline="js-heavy-crawlee",
    ),
    Target("JS site: peak RSS of the tree, MiB", "peak_rss_mib", "js", 1024, at_least=False),
    Target("JS site: RSS end / middle", "end_over_middle", "js", 1.2, at_least=False),
    Target(
        "10,000-page browser run: peak RSS, MiB (--scale)",
        "peak_rss_mib",
        "scale-js",
        1024,
        at_least=False,
    ),
    Target(
        "10,000-page browser run: RSS end / middle (--scale)",
        "end_over_middle",
        "scale-js",
        1.2,
        at_least=False,
    ),
    Target("store: listing upserts/s (re-crawl)", "store_upserts", "", 50_000),  # issue 26
]


def workload_for(
    scenario: Scenario, mode: dict, size: int, base_url: str, work: Path, run: int
) -> Workload:
    keywords, limit = mode["js" if scenario.site == "demo-jsmarket" else "static"]
    stem = f"{scenario.key}-{run}"
    return Workload(
        site=scenario.site,
        keywords=keywords,
        size=size,
        base_url=base_url,
        max_pages=limit if scenario.site != "demo-jsmarket" else 1,
        max_rounds=limit if scenario.site == "demo-jsmarket" else 50,
        render=scenario.render,
        settings=dict(scenario.settings),
        extra=dict(scenario.extra),
        db=str(work / f"{stem}.db"),
        result=str(work / f"{stem}.json"),
    )


def crawlee_problem() -> str | None:
    """Why Crawlee cannot run here, or None."""
    try:
        import crawlee.crawlers  # noqa: F401
        from crawlee.crawlers import PlaywrightCrawler  # noqa: F401
    except ImportError as exc:
        return f"Crawlee is not installed ({exc}); pip install 'crawlee[playwright]'"
    return None


def measure_once(
    scenario: Scenario, workload: Workload, work: Path, logs: Path, timeout: float
) -> RunRecord:
    spec = workload.dump(work / f"{Path(workload.result).stem}.spec.json")
    log = logs / f"{Path(workload.result).stem}.log"
    expected = expected_pages(workload).total
    proc = run_measured(
        [sys.executable, "-m", scenario.module, "--spec", str(spec)],
        ROOT,
        log,
        timeout=timeout,
        env={"PYTHONPATH": str(ROOT)},
    )
    result = Path(workload.result)
    counts = json.loads(result.read_text(encoding="utf-8")) if result.exists() else {}
    pages = counts.get("search_pages", 0) + counts.get("detail_pages", 0)
    window = tuple(counts["crawl_window"]) if counts.get("crawl_window") else None
    note, ok = "", proc.returncode == 0 and bool(counts)
    if proc.timed_out:
        note = f"timed out after {timeout:.0f} s"
    elif not ok:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
        note = f"exit {proc.returncode}: {tail[0][:200] if tail else 'no output'} (log: {log})"
    elif pages < expected:
        note = f"fetched {pages} of {expected} expected pages"
    return RunRecord(
        scenario=scenario.key,
        pages=pages,
        listings=counts.get("listings", 0),
        details_complete=counts.get("details_complete", 0),
        expected_pages=expected,
        crawl_s=counts.get("seconds", proc.wall_s),
        wall_s=proc.wall_s,
        cpu_s=proc.cpu_s,
        peak_rss=proc.peak_rss,
        peak_pss=proc.peak_pss,
        rss_start=proc.rss_at("start", window),
        rss_middle=proc.rss_at("middle", window),
        rss_end=proc.rss_at("end", window),
        capture_s=counts.get("capture_seconds", 0.0),
        screenshots=counts.get("screenshots", 0),
        capture_cpu_s=_after_crawl_cpu(proc, window),
        ok=ok,
        note=note,
    )


def _after_crawl_cpu(proc, window: tuple | None) -> float:
    """The tree's CPU after the crawl (the evidence screenshots and the process's exit)."""
    at_end = proc.cpu_at(window[1]) if window else None
    return max(proc.cpu_s - at_end, 0.0) if at_end is not None else 0.0


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def context_lines(args, mode_name: str, mode: dict, load_before, load_after) -> list[str]:
    from crawler.browser.launch import find_chromium

    versions = ", ".join(
        f"{n} {_version(n)}" for n in ("scrapy", "scrapy-playwright", "playwright", "crawlee")
    )
    return [
        (
            f"`python -m bench{' --quick' if args.quick else ''}{' --scale' if args.scale else ''}` "
            f"({mode_name} mode), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {args.runs} runs per "
            f"scenario, figures are medians."
        ),
        (
            f"Machine: {os.cpu_count()} CPUs, {platform.python_implementation()} "
            f"{platform.python_version()}, load average {load_before:.1f} before and "
            f"{load_after:.1f} after (a shared machine: read ratios, not absolute times)."
        ),
        f"Versions: {versions}; Chromium {find_chromium()}.",
        (
            f"Demo sites served with {args.size:,} listings each from their own process. Workloads: "
            f"demo-bazaar keywords {mode['static'][0]}, {mode['static'][1]} search pages each, then "
            f"every listing's page; demo-jsmarket keywords {mode['js'][0]}, {mode['js'][1]} "
            f'"Load more" clicks (24 listings each), then every listing\'s page.'
        ),
        (
            "Pages = results pages + detail pages parsed; pages/s over the crawl (browser start "
            "included, interpreter start-up not); CPU = user + system of the whole process tree; "
            "RSS summed over the tree (crawler + Playwright driver + Chromium), start/middle/end = "
            'medians at 10-20 / 45-55 / 80-90 % of the run. "Details complete" counts detail '
            "pages whose detail-only field was extracted (seller link on demo-bazaar, date on "
            "demo-jsmarket). All crawlers use the marketplace's politeness (concurrency, delay, "
            "robots.txt)."
        ),
    ]


def compile_sources(root: Path = ROOT) -> None:
    """Bytecode for a checkout's modules (this one's by default), as an installed package has:
    every crawler process (wildcrawl's and the baselines', which import
    ``crawler.extract.listings``) then loads them from ``__pycache__`` even where
    ``PYTHONDONTWRITEBYTECODE`` is set, instead of compiling ~80 modules again in each crawl's
    timed start (~0.1 CPU s). ``bench.startup`` and ``bench.static_phases`` use it too."""
    for package in ("crawler", "spiders", "bench"):
        compileall.compile_dir(str(root / package), quiet=1, workers=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example: python -m bench --quick",
    )
    parser.add_argument("--quick", action="store_true", help="small workloads (a few minutes)")
    parser.add_argument(
        "--scale",
        action="store_true",
        help="also one wildcrawl run per site over >= 10,000 detail pages (long)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (median)")
    parser.add_argument("--size", type=int, default=10_000, help="listings per demo site")
    parser.add_argument("--only", default="", help="comma-separated scenario keys")
    parser.add_argument("--out", default=str(ROOT / "output"), help="report folder")
    parser.add_argument("--store-listings", type=int, default=20_000)
    args = parser.parse_args(argv)
    if args.runs < 1 or args.size < 100:
        parser.error("--runs must be >= 1 and --size >= 100")
    mode_name = "quick" if args.quick else "full"
    mode = MODES[mode_name]
    wanted = {k for k in args.only.split(",") if k}
    scenarios = [s for s in SCENARIOS if not wanted or s.key in wanted]
    out = Path(args.out)
    logs = out / "bench-logs"
    logs.mkdir(parents=True, exist_ok=True)
    compile_sources()
    load_before = os.getloadavg()[0]
    notes: list[str] = []
    problem = crawlee_problem()
    if problem:
        notes.append(f"- Crawlee baseline not run: {problem}")
        scenarios = [s for s in scenarios if not s.module.endswith("crawlee_playwright")]
    records: dict[str, list[RunRecord]] = {s.key: [] for s in scenarios}
    with (
        tempfile.TemporaryDirectory(prefix="wildcrawl-bench-") as tmp,
        contextlib.ExitStack() as servers,
    ):
        demo = servers.enter_context(ServedDemo(args.size, ["demo-bazaar", "demo-jsmarket"]))
        demos = {LIGHT.name: demo}
        if any(s.weight != LIGHT.name for s in scenarios):
            demos[HEAVY] = servers.enter_context(
                ServedDemo(args.size, ["demo-jsmarket"], weight=HEAVY)
            )
        work = Path(tmp)
        for run in range(args.runs):
            for s in scenarios:
                base_url = demos[s.weight].base_urls[s.site]
                w = workload_for(s, mode, args.size, base_url, work, run)
                record = measure_once(s, w, work, logs, mode["timeout"])
                records[s.key].append(record)
                print(
                    f"run {run + 1}/{args.runs} {s.key}: {record.pages} pages, "
                    f"{record.pages_per_s:.1f} pages/s, peak {record.peak_rss / 2**20:.0f} MiB"
                    f"{' — ' + record.note if record.note else ''}",
                    file=sys.stderr,
                    flush=True,
                )
        if args.scale:
            for s in SCALE_SCENARIOS:
                w = workload_for(s, SCALE, args.size, demo.base_urls[s.site], work, 0)
                records[s.key] = [measure_once(s, w, work, logs, SCALE["timeout"])]
                scenarios.append(s)
    if not wanted or MANY_SITES in wanted:
        from bench import many_sites

        many = many_sites.run(
            seconds=mode.get("many_seconds", 60), size=args.size, out=out / "bench-many-sites"
        )
        notes.append(many_sites.report(many))
    from bench.store_bench import measure as store_measure

    rate = store_measure(args.store_listings)
    summaries: list[Summary] = [summarize(s.key, s.label, records[s.key]) for s in scenarios]
    notes.append(
        f"- Store micro-benchmark (`python -m bench.store_bench`): {rate.listings:,} "
        f"listings through `ListingStore`, batches of 200, medians of {rate.runs} runs: "
        f"{rate.new_per_s:,.0f} new listings/s, {rate.again_per_s:,.0f} re-crawl upserts/s "
        f"(per CPU-second: {rate.new_per_cpu_s:,.0f} new, {rate.again_per_cpu_s:,.0f} re-crawl; "
        "targets 30,000 and 50,000)."
    )
    if not args.scale:
        notes.append("- The 10,000-page runs are measured with `--scale` only (they take long).")
    context = context_lines(args, mode_name, mode, load_before, os.getloadavg()[0])
    markdown = render_markdown(
        "wildcrawl crawl benchmark",
        context,
        summaries,
        TARGETS,
        {"store_upserts": rate.again_per_s},
        notes,
    )
    (out / "bench.md").write_text(markdown, encoding="utf-8")
    raw = {k: [asdict(r) for r in v] for k, v in records.items()}
    (out / "bench.json").write_text(json.dumps(raw, indent=1), encoding="utf-8")
    print(markdown)
    return 0 if all(s.failed == 0 for s in summaries) else 1
