"""Many marketplaces, one crawl: the capacity of one machine on a monitor's night.

    python -m bench.many_sites [--sites 20] [--seconds 60] [--delay 1] [--concurrency 2]

The demo server (its own process, ``bench/demo_process.py``) serves several copies of each
demo site under other names and ports (``demo-bazaar-2``, ...). Each copy gets a marketplace
config (the demo site's own, renamed, its politeness set to ``--delay`` and
``--concurrency``) and all of them are crawled by one ``wildcrawl crawl`` invocation until
``--seconds`` have passed (``CLOSESPIDER_TIMEOUT``). The mix: HTTP sites (demo-bazaar and
demo-tiaozao), browser sites (demo-jsmarket, ``render: browser``) and API sites
(demo-jsmarket, ``render: api``).

Reported: aggregate pages/s against two ceilings: the issue's (sites x concurrency / delay)
and the one the politeness enforces (a download delay spaces the starts of a site's
requests, so a site gets at most 1 / delay pages/s whatever its concurrency); CPU s per page
of the whole tree and split between the crawler's Python process and the browser processes
(Playwright's driver and Chromium) over the pages of each kind; peak RSS (and PSS) of the tree;
the most Chromiums (browser processes, not their renderers) running at once.

The enforced ceiling is the one the documentation promises: a crawl "waits
``politeness.download_delay`` seconds between requests to a marketplace (randomised between
0.5x and 1.5x) and sends at most ``politeness.concurrency`` requests to it at once"
(docs/schedule.md), so the delay, not the concurrency, bounds a site's pages/s.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import yaml

from bench.demo_process import ServedDemo
from bench.measure import MiB, tree_memory

ROOT = Path(__file__).resolve().parents[1]
# (demo site, render mode, share of the sites): 7 + 6 + 4 + 3 of 20.
MIX = (
    ("demo-bazaar", "http", 7),
    ("demo-tiaozao", "http", 6),
    ("demo-jsmarket", "browser", 4),
    ("demo-jsmarket", "api", 3),
)
BROWSER_NAMES = ("chrome", "chromium", "headless_shell", "node", "playwright")


def plan(sites: int) -> list[tuple[str, str, str]]:
    """(served copy, demo site, render) for ``sites`` sites in ``MIX``'s proportions."""
    total = sum(n for *_, n in MIX)
    counts = [max(1, round(n * sites / total)) for *_, n in MIX]
    while sum(counts) > sites:
        counts[counts.index(max(counts))] -= 1
    while sum(counts) < sites:
        counts[0] += 1
    taken: dict[str, int] = {}
    out = []
    for (site, render, _), count in zip(MIX, counts, strict=True):
        for _ in range(count):
            taken[site] = taken.get(site, 0) + 1
            copy = site if taken[site] == 1 else f"{site}-{taken[site]}"
            out.append((copy, site, render))
    return out


def copies_needed(sites: list[tuple[str, str, str]]) -> int:
    per_site: dict[str, int] = {}
    for _, site, _ in sites:
        per_site[site] = per_site.get(site, 0) + 1
    return max(per_site.values())


def write_configs(
    sites, base_urls: dict[str, str], folder: Path, delay: float, concurrency: int
) -> list[Path]:
    """One marketplace YAML per served copy: the demo site's config, renamed and re-pointed."""
    paths = []
    for copy, site, render in sites:
        data = yaml.safe_load((ROOT / "spiders" / "marketplaces" / f"{site}.yaml").read_text())
        name = f"{copy}-{render}" if copy != site or render != data.get("render") else copy
        data.update(name=name, base_url=base_urls[copy], render=render)
        data["politeness"] = {**data.get("politeness", {}), "download_delay": delay}
        data["politeness"]["concurrency"] = concurrency
        path = folder / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        paths.append(path)
    return paths


def _kind(proc: psutil.Process) -> str:
    try:
        name = proc.name().lower()
    except psutil.Error:
        return "python"
    return "browser" if any(b in name for b in BROWSER_NAMES) else "python"


def _is_browser_main(proc: psutil.Process) -> bool:
    """A Chromium's browser process (Playwright starts it with a pipe; its renderers, GPU and
    utility processes have a ``--type``)."""
    try:
        cmdline = proc.cmdline()
    except psutil.Error:
        return False
    return "--remote-debugging-pipe" in cmdline and not any(
        a.startswith("--type=") for a in cmdline
    )


def run(
    sites: int = 20,
    seconds: float = 60.0,
    delay: float = 1.0,
    concurrency: int = 2,
    size: int = 10_000,
    out: Path | None = None,
) -> dict:
    """Crawl ``sites`` demo copies in one ``wildcrawl crawl``; return the figures."""
    chosen = plan(sites)
    out = Path(out or tempfile.mkdtemp(prefix="many-sites-"))
    out.mkdir(parents=True, exist_ok=True)
    origins = sorted({site for _, site, _ in chosen})
    with ServedDemo(size=size, sites=origins, copies=copies_needed(chosen)) as demo:
        configs = write_configs(chosen, demo.base_urls, out, delay, concurrency)
        db = out / "many-sites.db"
        db.unlink(missing_ok=True)
        cmd = [sys.executable, "-m", "crawler.cli", "crawl", *map(str, configs), "--db", str(db)]
        cmd += ["-s", f"CLOSESPIDER_TIMEOUT={seconds:g}", "-s", "WILDCRAWL_EVIDENCE=False"]
        load_before = os.getloadavg()
        started = time.perf_counter()
        with open(out / "crawl.log", "wb") as log:
            child = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            root = psutil.Process(child.pid)
            cpu_by_pid: dict[int, tuple[str, float]] = {}
            peak_rss = peak_pss = 0
            peak_browsers = 0
            while True:
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid == child.pid:
                    break
                rss, pss, _ = tree_memory(root)
                peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
                try:
                    members = [root, *root.children(recursive=True)]
                except psutil.Error:
                    members = []
                browsers = 0
                for member in members:
                    try:
                        times = member.cpu_times()
                        used = times.user + times.system
                    except psutil.Error:
                        continue
                    kind = "python" if member.pid == root.pid else _kind(member)
                    cpu_by_pid[member.pid] = (kind, used)
                    browsers += kind == "browser" and _is_browser_main(member)
                peak_browsers = max(peak_browsers, browsers)
                time.sleep(0.25)
        wall = time.perf_counter() - started
    total_cpu = usage.ru_utime + usage.ru_stime
    python_cpu = sum(c for k, c in cpu_by_pid.values() if k == "python")
    browser_cpu = max(total_cpu - python_cpu, 0.0)  # everything the crawler's process waited for
    pages = _pages(db)
    by_render: dict[str, int] = {}
    for (copy, site, render), config in zip(chosen, configs, strict=True):
        by_render[render] = by_render.get(render, 0) + pages.get(config.stem, 0)
    total_pages = sum(by_render.values())
    crawl_s = min(seconds, wall)
    rate = total_pages / crawl_s if crawl_s else 0.0
    return {
        "sites": len(chosen),
        "mix": {r: sum(1 for *_, x in chosen if x == r) for r in ("http", "browser", "api")},
        "delay": delay,
        "concurrency": concurrency,
        "seconds": seconds,
        "wall_s": wall,
        "returncode": os.waitstatus_to_exitcode(status),
        "pages": total_pages,
        "pages_by_render": by_render,
        "pages_per_s": rate,
        "ceiling_issue": len(chosen) * concurrency / delay,
        "ceiling_enforced": len(chosen) / delay,
        "cpu_s": total_cpu,
        "cpu_python_s": python_cpu,
        "cpu_browser_s": browser_cpu,
        "peak_rss_mib": peak_rss / MiB,
        "peak_pss_mib": peak_pss / MiB,
        "peak_browsers": peak_browsers,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "out": str(out),
    }


def _pages(db: Path) -> dict[str, int]:
    """Pages fetched per marketplace, from the crawls table."""
    if not db.exists():
        return {}
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select marketplace, sum(pages) from crawls group by marketplace")
        return {name: pages or 0 for name, pages in rows}


def report(r: dict) -> str:
    """The scenario as Markdown lines."""
    pages = r["pages"] or 1
    http_pages = r["pages_by_render"].get("http", 0) + r["pages_by_render"].get("api", 0)
    browser_pages = r["pages_by_render"].get("browser", 0)
    load = f"{r['load_before'][0]:.1f} -> {r['load_after'][0]:.1f}"
    lines = [
        f"- **Many marketplaces**: {r['sites']} demo sites in one `wildcrawl crawl` "
        f"({r['mix']['http']} http, {r['mix']['browser']} browser, {r['mix']['api']} api), "
        f"delay {r['delay']:g} s, concurrency {r['concurrency']}, {r['seconds']:g} s",
        f"  - pages: {r['pages']:,} ({', '.join(f'{k} {v:,}' for k, v in r['pages_by_render'].items())})"
        f" in {min(r['seconds'], r['wall_s']):.0f} s: **{r['pages_per_s']:.1f} pages/s**, "
        f"{r['pages_per_s'] / r['ceiling_issue']:.0%} of the issue's ceiling "
        f"({r['ceiling_issue']:.0f} pages/s = sites x concurrency / delay), "
        f"{r['pages_per_s'] / r['ceiling_enforced']:.0%} of the ceiling the documented delay enforces "
        f"({r['ceiling_enforced']:.0f} pages/s = sites / delay)",
        f"  - CPU: {r['cpu_s']:.1f} s for the tree, {r['cpu_s'] / pages:.3f} s/page; the crawler's "
        f"Python process {r['cpu_python_s']:.1f} s, the browser processes "
        f"{r['cpu_browser_s']:.1f} s"
        + (
            f" ({r['cpu_browser_s'] / browser_pages:.3f} s per browser page)"
            if browser_pages
            else ""
        )
        + (
            f"; {r['cpu_python_s'] / (http_pages + browser_pages):.3f} Python s/page"
            if pages
            else ""
        ),
        f"  - peak RSS of the tree {r['peak_rss_mib']:,.0f} MiB (PSS {r['peak_pss_mib']:,.0f} MiB), "
        f"{r.get('peak_browsers', 0)} Chromium(s) at most; "
        f"wall {r['wall_s']:.0f} s incl. start-up and shut-down; exit {r['returncode']}; "
        f"load average {load}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.many_sites", description=__doc__)
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--size", type=int, default=10_000, help="listings per demo site")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    result = run(args.sites, args.seconds, args.delay, args.concurrency, args.size, args.out)
    print(report(result))
    Path(result["out"], "many-sites.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
