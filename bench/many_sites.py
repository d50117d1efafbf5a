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
of the whole tree (``bench.measure.run_measured``, with the Chromium processes orphaned when
their parent exits) split by kind of process as ``bench.cpu_split`` splits it (the crawler's
Python, Playwright's driver, Chromium's browser process, renderers, GPU, utility, zygote), the
browser side over the browser pages; peak RSS (and PSS) of the tree;
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
import sys
import tempfile
from pathlib import Path

import yaml

from bench.demo_process import ServedDemo
from bench.measure import MiB, run_measured

ROOT = Path(__file__).resolve().parents[1]
# (demo site, render mode, share of the sites): 7 + 6 + 4 + 3 of 20.
MIX = (
    ("demo-bazaar", "http", 7),
    ("demo-tiaozao", "http", 6),
    ("demo-jsmarket", "browser", 4),
    ("demo-jsmarket", "api", 3),
)


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


# Kinds of process (``bench.measure.kind_of``) on the browser's side of the crawl.
BROWSER_KINDS = ("driver", "browser", "renderer", "gpu", "utility", "zygote")


def measure_crawl(cmd: list[str], log_path: Path, timeout: float) -> dict:
    """Run the crawl ``cmd`` with ``bench.measure.run_measured``: the whole tree's CPU (with
    the Chromium processes orphaned when their parent exits, reaped as the bench's own
    children), split by kind of process as ``bench.cpu_split`` splits it; peak RSS and PSS;
    the most Chromium browser processes (not their renderers) running at once."""
    run = run_measured(cmd, ROOT, log_path, timeout=timeout)
    kinds = run.cpu_by_kind
    return {
        "wall_s": run.wall_s,
        "returncode": run.returncode,
        "timed_out": run.timed_out,
        "cpu_s": run.cpu_s,
        "cpu_orphans_s": run.orphan_cpu_s,
        "cpu_by_kind": kinds,
        "cpu_unsampled_s": run.unsampled_cpu_s,
        "cpu_python_s": kinds.get("python", 0.0),
        "cpu_browser_s": sum(kinds.get(k, 0.0) for k in BROWSER_KINDS),
        "peak_rss_mib": run.peak_rss / MiB,
        "peak_pss_mib": run.peak_pss / MiB,
        "peak_browsers": run.peak_by_kind.get("browser", 0),
    }


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
        measured = measure_crawl(cmd, out / "crawl.log", timeout=seconds * 3 + 300)
    pages = _pages(db)
    by_render: dict[str, int] = {}
    for (copy, site, render), config in zip(chosen, configs, strict=True):
        by_render[render] = by_render.get(render, 0) + pages.get(config.stem, 0)
    total_pages = sum(by_render.values())
    crawl_s = min(seconds, measured["wall_s"])
    rate = total_pages / crawl_s if crawl_s else 0.0
    return {
        "sites": len(chosen),
        "mix": {r: sum(1 for *_, x in chosen if x == r) for r in ("http", "browser", "api")},
        "delay": delay,
        "concurrency": concurrency,
        "seconds": seconds,
        **measured,
        "pages": total_pages,
        "pages_by_render": by_render,
        "pages_per_s": rate,
        "ceiling_issue": len(chosen) * concurrency / delay,
        "ceiling_enforced": len(chosen) / delay,
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
    browser_pages = r["pages_by_render"].get("browser", 0)
    load = f"{r['load_before'][0]:.1f} -> {r['load_after'][0]:.1f}"
    kinds = ", ".join(
        f"{k} {v:.1f} s" for k, v in sorted(r["cpu_by_kind"].items(), key=lambda kv: -kv[1]) if v
    )
    kinds += f", unsampled {r['cpu_unsampled_s']:.1f} s"
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
        f"  - CPU: {r['cpu_s']:.1f} s for the whole tree ({r['cpu_orphans_s']:.1f} s of it in "
        f"Chromium processes orphaned when their parent exited), {r['cpu_s'] / pages:.3f} s/page; "
        f"by kind of process: {kinds}; Python {r['cpu_python_s'] / pages:.3f} s/page"
        + (
            f"; browser side (driver, Chromium) {r['cpu_browser_s'] / browser_pages:.3f} s "
            "per browser page"
            if browser_pages
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
