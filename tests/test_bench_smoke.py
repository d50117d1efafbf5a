"""Smoke test of the benchmark harness (``bench/``) on a handful of pages. Not timed.

The benchmark itself (``make bench``) is never part of ``make test``; this only checks
that its pieces run and agree: the served demo, the page expectations from ground
truth, the measured crawler processes, the medians and ratios, the store bench.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from bench.demo_process import ServedDemo
from bench.measure import TreeSample, rss_in_window, run_measured
from bench.report import RunRecord, Target, evaluate, render_markdown, summarize
from bench.workload import Workload, expected_pages

pytestmark = pytest.mark.slow  # real crawls, servers and timed delays: not in make test-fast

ROOT = Path(__file__).resolve().parents[1]
SIZE = 200


@pytest.fixture(scope="module")
def demo():
    with ServedDemo(size=SIZE, sites=["demo-bazaar"]) as served:
        yield served


def _workload(demo, tmp_path: Path, **changes) -> Workload:
    fields = {
        "site": "demo-bazaar",
        "keywords": ["ivory"],
        "max_pages": 1,
        "size": SIZE,
        "base_url": demo.base_urls["demo-bazaar"],
        "db": str(tmp_path / "bench.db"),
        "result": str(tmp_path / "result.json"),
    }
    return Workload(**{**fields, **changes})


@pytest.mark.parametrize(
    ("module", "settings"),
    [
        ("bench.baselines.plain_scrapy", {}),
        ("bench.crawl_bench", {"WILDCRAWL_EVIDENCE": False, "WILDCRAWL_PROGRESS": False}),
    ],
)
def test_crawler_process_fetches_the_expected_pages_and_is_measured(
    demo, tmp_path, module, settings
):
    workload = _workload(demo, tmp_path, settings=settings)
    expected = expected_pages(workload)
    assert expected.search == 1 and 0 < expected.detail <= 20
    spec = workload.dump(tmp_path / "spec.json")
    run = run_measured(
        [sys.executable, "-m", module, "--spec", str(spec)],
        ROOT,
        tmp_path / "run.log",
        timeout=120,
        interval=0.1,
        env={"PYTHONPATH": str(ROOT)},
    )
    log = (tmp_path / "run.log").read_text(errors="replace")
    assert run.returncode == 0, log[-2000:]
    counts = json.loads(Path(workload.result).read_text())
    assert counts["search_pages"] == expected.search
    assert counts["detail_pages"] == expected.detail
    assert counts["details_complete"] == expected.detail  # every seller link extracted
    assert counts["listings"] == expected.detail
    assert run.cpu_s > 0 and run.peak_rss > 20 * 2**20 and run.samples


def test_bare_playwright_reference_fetches_the_expected_pages(tmp_path):
    with ServedDemo(size=SIZE, sites=["demo-jsmarket"]) as served:
        workload = Workload(
            site="demo-jsmarket",
            keywords=["ivory"],
            max_pages=1,
            size=SIZE,
            max_rounds=1,
            base_url=served.base_urls["demo-jsmarket"],
            result=str(tmp_path / "result.json"),
        )
        expected = expected_pages(workload)
        spec = workload.dump(tmp_path / "spec.json")
        run = run_measured(
            [sys.executable, "-m", "bench.baselines.bare_playwright", "--spec", str(spec)],
            ROOT,
            tmp_path / "run.log",
            timeout=180,
            interval=0.1,
            env={"PYTHONPATH": str(ROOT)},
        )
    assert run.returncode == 0, (tmp_path / "run.log").read_text(errors="replace")[-2000:]
    counts = json.loads(Path(workload.result).read_text())
    assert counts["errors"] == 0
    assert (counts["search_pages"], counts["detail_pages"]) == (expected.search, expected.detail)
    assert counts["details_complete"] == expected.detail > 0


def test_crawl_bench_times_the_evidence_screenshots_apart(demo, tmp_path):
    workload = _workload(demo, tmp_path, settings={"WILDCRAWL_PROGRESS": False})
    spec = workload.dump(tmp_path / "spec.json")
    run = run_measured(
        [sys.executable, "-m", "bench.crawl_bench", "--spec", str(spec)],
        ROOT,
        tmp_path / "run.log",
        timeout=180,
        interval=0.1,
        env={"PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 0, (tmp_path / "run.log").read_text(errors="replace")[-2000:]
    counts = json.loads(Path(workload.result).read_text())
    with sqlite3.connect(workload.db) as conn:
        flagged = conn.execute("select count(*) from listings where flagged").fetchone()[0]
        shots = conn.execute("select count(*) from evidence where kind = 'screenshot'").fetchone()
    assert flagged >= 1 and counts["screenshots"] == flagged == shots[0]
    assert counts["capture_seconds"] > 0
    start, end = counts["crawl_window"]
    assert 0 < start < end < run.wall_s and end - start >= counts["seconds"] * 0.9


def test_expected_pages_follow_page_limits_and_deduplicate(demo, tmp_path):
    one = expected_pages(_workload(demo, tmp_path, keywords=["e"], max_pages=2))
    assert (one.search, one.detail) == (2, 40)
    # Two spellings of one search (the site casefolds): search pages twice, detail pages once.
    twice = expected_pages(_workload(demo, tmp_path, keywords=["e", "E"], max_pages=2))
    assert (twice.search, twice.detail) == (4, 40)
    js = Workload(site="demo-jsmarket", keywords=["e"], max_pages=1, size=SIZE, max_rounds=1)
    assert expected_pages(js).detail == 48


def test_rss_windows_take_the_median_of_each_phase():
    samples = [
        TreeSample(at=t, rss=rss, processes=1)
        for t, rss in [(0.5, 10), (1.5, 100), (4.5, 200), (5.0, 220), (5.5, 210), (8.5, 300)]
    ]
    assert rss_in_window(samples, 10.0, 0.45, 0.55) == 210
    assert rss_in_window(samples, 10.0, 0.10, 0.20) == 100
    assert rss_in_window([], 10.0, 0.1, 0.2) is None


def _record(scenario: str, pages: int, seconds: float, peak: int, ok: bool = True) -> RunRecord:
    return RunRecord(
        scenario,
        pages,
        pages,
        pages,
        pages,
        seconds,
        seconds + 1,
        2.0,
        peak,
        peak,
        peak // 2,
        peak,
        peak,
        ok=ok,
        note="" if ok else "exit 1",
    )


def test_rates_count_no_more_pages_than_the_workload_and_screenshots_apart():
    record = _record("js-api", 100, 2.0, 1)
    record.expected_pages = 97  # "Load more" read as 4 JSON batches: 100 requests, 97 pages
    record.capture_s = 2.85
    assert record.counted_pages == 97 and record.pages_per_s == 48.5
    assert record.pages_per_s_with_capture == 20.0


def test_medians_ratios_and_report():
    ours = summarize("js", "wildcrawl", [_record("js", 100, s, 500 * 2**20) for s in (10, 20, 50)])
    base = summarize(
        "js-base",
        "baseline",
        [_record("js-base", 100, 40, 800 * 2**20), _record("js-base", 0, 1, 0, ok=False)],
    )
    assert ours.pages_per_s == 5.0  # the median of 10, 5 and 2 pages/s
    assert (base.runs, base.failed, base.pages_per_s) == (2, 1, 2.5)
    faster = Target("faster", "pages_per_s", "js", 3.0, baseline="js-base")
    lighter = Target("lighter", "peak_rss", "js", 1.0, baseline="js-base", at_least=False)
    summaries = {"js": ours, "js-base": base}
    assert evaluate(faster, summaries, {}) == 2.0
    assert evaluate(lighter, summaries, {}) == 500 / 800
    text = render_markdown("t", [], [ours, base], [faster, lighter], {}, [])
    assert "| faster | 2.00 | ≥ 3 | **no** |" in text
    assert "| lighter | 0.62 | ≤ 1 | yes |" in text
    assert "exit 1" in text  # a failed run is reported, not averaged in
    # The charts: bar lengths in proportion (5 vs 2.5 pages/s: 40 and 20 blocks).
    assert "js       " + "█" * 40 + " 5.0 pages/s" in text
    assert "js-base  " + "█" * 20 + " 2.5 pages/s" in text
    assert "js-base  " + "█" * 40 + " 800.0 MiB" in text
    # A ratio that rounds to its goal shows the digit that decides whether it was met.
    close = summarize("js", "wildcrawl", [_record("js", 100, 100 / 7.48, 500 * 2**20)])
    crawlee = summarize("js-base", "baseline", [_record("js-base", 100, 100 / 5.0, 800 * 2**20)])
    near = render_markdown(
        "t",
        [],
        [close, crawlee],
        [Target("near", "pages_per_s", "js", 1.5, baseline="js-base")],
        {},
        [],
    )
    assert "| near | 1.496 | ≥ 1.5 | **no** |" in near
    # A figure shown for information (no goal) is neither met nor missed.
    info = render_markdown(
        "t",
        [],
        [ours, base],
        [Target("info", "pages_per_s", "js", None, baseline="js-base")],
        {},
        [],
    )
    assert "| info | 2.00 | – (information) | – |" in info


def test_store_bench_upserts_real_pipeline_items(tmp_path):
    from bench.store_bench import measure

    rate = measure(listings=400, batch=100, pool=3, folder=tmp_path, runs=2)
    assert rate.listings == 400 and rate.new_per_s > 0 and rate.again_per_s > 0
    assert 0 < rate.new_closed_per_cpu_s <= rate.new_per_cpu_s
    assert rate.runs == 2 and not list(tmp_path.iterdir())  # each run's database removed


def test_heavy_scenarios_are_served_the_median_page_weight_and_have_targets():
    """The ``js-heavy*`` scenarios run on a demo server of their own at the Web Almanac's
    median page weight; every target names scenarios that exist."""
    import urllib.request

    from bench.run import SCALE_SCENARIOS, SCENARIOS, TARGETS
    from crawler.demo.weight import ALMANAC_2024

    keys = {s.key for s in SCENARIOS + SCALE_SCENARIOS}
    for target in (t for t in TARGETS if t.scenario):  # "" : a figure from outside the crawls
        assert target.scenario in keys and (target.baseline is None or target.baseline in keys)
    heavy = [s for s in SCENARIOS if s.key.startswith("js-heavy")]
    assert {s.module for s in heavy} >= {
        "bench.crawl_bench",
        "bench.baselines.default_playwright",
        "bench.baselines.crawlee_playwright",
    }
    assert all(s.weight == ALMANAC_2024.name for s in heavy)
    assert "js-heavy" in {t.scenario for t in TARGETS}
    assert "js-heavy-newtab" in keys
    with ServedDemo(size=SIZE, sites=["demo-jsmarket"], weight=ALMANAC_2024.name) as served:
        url = served.base_urls["demo-jsmarket"] + "/search?q=tusk"
        with urllib.request.urlopen(url, timeout=10) as response:
            html = response.read().decode()
    assert html.count('<script src="/static/w/lib') == ALMANAC_2024.scripts


def test_many_sites_plan_mixes_kinds_and_names_each_copy():
    from bench.many_sites import copies_needed, plan

    sites = plan(20)
    assert len(sites) == 20
    assert {render for *_, render in sites} == {"http", "browser", "api"}
    assert copies_needed(sites) == 7
    assert len({(copy, render) for copy, _, render in sites}) == 20


def test_many_sites_crawls_every_copy_in_one_invocation(tmp_path):
    from bench.many_sites import report, run

    result = run(sites=4, seconds=8, size=200, out=tmp_path)
    assert result["returncode"] == 0
    assert set(result["pages_by_render"]) == {"http", "browser", "api"}
    assert all(pages > 0 for pages in result["pages_by_render"].values())
    assert result["ceiling_enforced"] == 4 and result["peak_rss_mib"] > 0
    assert result["peak_browsers"] == 1  # the browser copy's Chromium, seen while it ran
    # The whole tree's CPU, split by kind of process: Chromium's renderers are counted.
    assert result["cpu_by_kind"].get("renderer", 0) > 0 and result["cpu_python_s"] > 0
    assert result["cpu_s"] >= result["cpu_python_s"] + result["cpu_browser_s"] - 1e-6
    assert "pages/s" in report(result)


def test_bench_public_caches_a_release_by_the_digest_of_its_inputs(tmp_path):
    """``make bench-public`` reuses a release only while its inputs are unchanged."""
    import shutil

    from bench.bench_public import RELEASE_INPUTS, ROOT, release_digest

    for name in RELEASE_INPUTS:
        source = ROOT / name
        if source.is_file():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, tmp_path / name)
        else:
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    first = release_digest(1000, tmp_path)
    assert first == release_digest(1000, tmp_path) == release_digest(1000, ROOT)
    assert release_digest(2000, tmp_path) != first
    assert release_digest(1000, tmp_path, risk="spread") != first
    template = tmp_path / "crawler/publish/datasette/public_templates/index.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert release_digest(1000, tmp_path) != first


def test_bench_public_spread_risks_are_distinct_on_the_same_listings(tmp_path):
    """``--risk spread``: the same synthetic listings, with distinct risk scores."""
    import sqlite3

    from bench.bench_public import build

    rows = {}
    for risk in ("ties", "spread"):
        build(tmp_path / f"{risk}.db", 300, risk=risk)
        conn = sqlite3.connect(tmp_path / f"{risk}.db")
        rows[risk] = conn.execute(
            "select id, title, flagged, risk from listings order by id"
        ).fetchall()
        conn.close()
    assert [r[:3] for r in rows["ties"]] == [r[:3] for r in rows["spread"]]
    assert {r[3] for r in rows["ties"]} == {0.1, 0.9}
    assert len({r[3] for r in rows["spread"]}) == 300
    assert all((r[3] > 0.5) == bool(r[2]) for r in rows["spread"])
