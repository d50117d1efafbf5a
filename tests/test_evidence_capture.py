"""Evidence screenshots queued by the crawl and taken after it (crawler.casework.capture).

Real Chromium, real demo marketplace, real SQLite: the queue is filled the way the
store fills it, drained by ``capture_pending`` and by ``wildcrawl evidence capture``.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

import sqlite_utils

from crawler.casework.capture import MAX_ATTEMPTS, capture_pending, count_pending
from crawler.store.database import ensure_schema, open_database
from tests.conftest import free_port, run_cli

SITE = "demo-bazaar"
UA = "wildcrawl/0.1 (wildlife-trade monitoring; +https://example.org) tests"


def _queue(db_path: Path, jobs: list[tuple[str, str]]) -> None:
    """Queued jobs ``(item_id, url)`` of demo-bazaar, as the store writes them."""
    db = open_database(db_path)
    ensure_schema(db)
    with db.conn:
        for item_id, url in jobs:
            db["listings"].insert(
                {
                    "id": f"{SITE}:{item_id}",
                    "marketplace": SITE,
                    "item_id": item_id,
                    "url": url,
                    "flagged": 1,
                },
                pk="id",
            )
            db["evidence_queue"].insert(
                {
                    "listing_id": f"{SITE}:{item_id}",
                    "url": url,
                    "marketplace": SITE,
                    "item_id": item_id,
                    "crawl_id": 1,
                    "queued_at": "2026-11-29T00:00:00Z",
                    "attempts": 0,
                },
                pk="listing_id",
            )
    db.close()


def _closed_port_url() -> str:
    return f"http://127.0.0.1:{free_port()}/listing/1"  # nothing listens there any more


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _png_decoded(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of a PNG (8-bit RGB or RGBA), checked to be
    exactly the image's size: the file decodes, it is not only a header."""
    width, height = _png_size(data)
    depth, colour = data[24], data[25]
    assert depth == 8 and colour in (2, 6), (depth, colour)
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    rows = zlib.decompress(idat)
    assert len(rows) == height * (1 + width * (3 if colour == 2 else 4))
    return width, height, rows


def _item_urls(demo_server, n: int) -> list[tuple[str, str]]:
    base = demo_server.base_url(SITE)
    return [(i.item_id, f"{base}/listing/{i.item_id}") for i in demo_server.catalogue(SITE)[:n]]


def test_queued_pages_are_captured_with_images_and_recorded(demo_server, tmp_path):
    live = _item_urls(demo_server, 3)
    gone_id, gone_url = live.pop()
    demo_server.remove(SITE, gone_id)
    db_path = tmp_path / "wc.db"
    _queue(db_path, [*live, (gone_id, gone_url)])
    assert count_pending(db_path) == 3
    before = demo_server.count_requests(SITE, "/img/")
    try:
        result = capture_pending(db_path, user_agent=UA)
    finally:
        demo_server.restore(SITE, gone_id)
    assert (result.captured, result.failed, result.skipped) == (2, 0, 1)
    assert "page answered 410" in result.errors[0]
    # Evidence pages load their photos (crawl pages never do).
    assert demo_server.count_requests(SITE, "/img/") > before

    db = sqlite_utils.Database(db_path)
    rows = list(db.query("select * from evidence order by listing_id, kind"))
    assert [(r["listing_id"], r["kind"]) for r in rows] == [
        (f"{SITE}:{item_id}", kind)
        for item_id, _ in sorted(live)
        for kind in ("html", "screenshot")
    ]
    for row in rows:
        data = (tmp_path / row["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"] and len(data) == row["bytes"]
        assert row["crawl_id"] == 1 and row["url"].startswith(demo_server.base_url(SITE))
        if row["kind"] == "screenshot":
            width, height = _png_size(data)
            assert width == 1280 and height >= 900  # full page, not just the viewport
        else:
            assert b"</html>" in data
    queue = {r["item_id"]: r for r in db["evidence_queue"].rows}
    assert all(queue[i]["done_at"] and queue[i]["last_error"] is None for i, _ in live)
    # A page that is gone is not retried (its take-down is tracked by the crawl).
    assert queue[gone_id]["done_at"] is None and queue[gone_id]["attempts"] == MAX_ATTEMPTS
    assert queue[gone_id]["last_error"] == "page answered 410"
    assert count_pending(db_path) == 0
    assert capture_pending(db_path, user_agent=UA).captured == 0  # nothing is taken twice


def test_a_tall_page_is_captured_whole_and_its_html_as_the_site_sent_it(demo_server, tmp_path):
    """A results page taller than the window, then a listing in the same tab: one PNG of each
    whole page that decodes to the page's size (the window put back after the tall one); the
    HTML carries nothing the capture put there (Playwright's screenshot left ``style=""`` on
    every input, which the HTML then kept)."""
    from playwright.sync_api import sync_playwright

    from crawler.browser.launch import launch_options
    from crawler.config import Politeness, load_marketplace

    base = demo_server.base_url(SITE)
    listing = demo_server.catalogue(SITE)[0].item_id
    urls = {"1-results": f"{base}/search?q=ivory", "2-listing": f"{base}/listing/{listing}"}
    db_path = tmp_path / "wc.db"
    _queue(db_path, list(urls.items()))
    one_tab = load_marketplace(SITE).model_copy(
        update={"politeness": Politeness(concurrency=1, download_delay=0)}
    )
    assert capture_pending(db_path, user_agent=UA, configs=[one_tab]).captured == 2
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_options())
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        heights = {}
        for item_id, url in urls.items():
            page.goto(url, wait_until="load")
            heights[item_id] = page.evaluate("document.documentElement.scrollHeight")
        browser.close()
    assert heights["1-results"] > heights["2-listing"] >= 900
    for row in sqlite_utils.Database(db_path)["evidence"].rows:
        data = (tmp_path / row["path"]).read_bytes()
        item_id = row["listing_id"].split(":", 1)[1]
        if row["kind"] == "screenshot":
            width, height, rows = _png_decoded(data)
            assert (width, height) == (1280, heights[item_id])
            if item_id == "1-results":
                beyond_window = rows[900 * len(rows) // height :]
                assert len(set(beyond_window)) > 16  # drawn below the window too, not blank
        else:
            assert data.startswith(b"<!DOCTYPE html>") and b'<input type="search"' in data
            assert b'style=""' not in data


def test_robots_txt_is_obeyed(demo_server, tmp_path):
    url = demo_server.base_url(SITE) + "/account/settings"  # Disallow: /account/
    db_path = tmp_path / "wc.db"
    _queue(db_path, [("acct", url)])
    before = demo_server.count_requests(SITE, "/account/")
    result = capture_pending(db_path, user_agent=UA)
    assert (result.captured, result.skipped) == (0, 1)
    assert demo_server.count_requests(SITE, "/account/") == before
    row = sqlite_utils.Database(db_path)["evidence_queue"].get(f"{SITE}:acct")
    assert row["last_error"] == "robots.txt disallows this page"


def test_unreachable_page_stays_queued_until_the_attempts_run_out(tmp_path):
    db_path = tmp_path / "wc.db"
    _queue(db_path, [("down", _closed_port_url())])
    for attempt in range(1, MAX_ATTEMPTS + 1):
        result = capture_pending(db_path, user_agent=UA, timeout_ms=5_000)
        assert (result.captured, result.failed) == (0, 1)
        row = sqlite_utils.Database(db_path)["evidence_queue"].get(f"{SITE}:down")
        assert row["attempts"] == attempt and "ERR_CONNECTION_REFUSED" in row["last_error"]
    assert count_pending(db_path) == 0
    assert not list(sqlite_utils.Database(db_path)["evidence"].rows)
    # After the outage: --retry-given-up gives it a fresh start (it fails again here: exit 1).
    again = run_cli("evidence", "capture", "--db", str(db_path), "--retry-given-up")
    assert again.stdout.startswith("1 given-up captures queued again\n")
    assert again.returncode == 1
    row = sqlite_utils.Database(db_path)["evidence_queue"].get(f"{SITE}:down")
    assert row["attempts"] == 1


def test_cli_capture_takes_what_a_later_crawl_queued(demo_server, tmp_path):
    db_path = tmp_path / "wc.db"
    crawl = run_cli(
        "crawl", SITE, "--db", str(db_path), "-k", "ivory", "--max-pages", "1",
        "--base-url", f"{SITE}={demo_server.base_url(SITE)}",
        "-s", "WILDCRAWL_SCREENSHOTS=later", "-s", "WILDCRAWL_PROGRESS=False",
    )  # fmt: skip
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    db = sqlite_utils.Database(db_path)
    flagged = db.execute("select count(*) from listings where flagged").fetchone()[0]
    assert flagged >= 1
    assert count_pending(db_path) == flagged  # queued, none taken
    assert not list(db["evidence"].rows)
    assert "evidence screenshots in" not in crawl.stderr

    taken = run_cli("evidence", "capture", "--db", str(db_path), "--limit", "1")
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert taken.stdout.strip().startswith("1 evidence screenshots in ")
    assert count_pending(db_path) == flagged - 1
    rest = run_cli("evidence", "capture", "--db", str(db_path))
    assert rest.returncode == 0 and f"{flagged - 1} evidence screenshots in " in rest.stdout
    assert run_cli("evidence", "capture", "--db", str(db_path)).stdout.strip() == (
        "no evidence screenshots queued"
    )
    shots = db.execute("select count(*) from evidence where kind = 'screenshot'").fetchone()[0]
    assert shots == flagged
    assert run_cli("evidence", "verify", "--db", str(db_path)).returncode == 0


def test_cli_capture_failures_exit_non_zero_in_one_line(tmp_path):
    db_path = tmp_path / "wc.db"
    _queue(db_path, [("down", _closed_port_url())])
    failed = run_cli("evidence", "capture", "--db", str(db_path))
    assert failed.returncode == 1
    last = failed.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: 1 of 1 captures failed; first: http://127.0.0.1:")
    assert "Traceback" not in failed.stderr
    missing = run_cli("evidence", "capture", "--db", str(tmp_path / "nope.db"))
    assert missing.returncode == 1 and "no such database" in missing.stderr


def test_unknown_screenshot_mode_is_one_line(tmp_path):
    bad = run_cli(
        "crawl",
        SITE,
        "--db",
        str(tmp_path / "x.db"),
        "-k",
        "ivory",
        "-s",
        "WILDCRAWL_SCREENSHOTS=soon",
    )
    assert bad.returncode != 0
    assert bad.stderr.strip().splitlines()[-1] == (
        "Error: -s WILDCRAWL_SCREENSHOTS='soon': must be one of after, later"
    )
    assert not (tmp_path / "x.db").exists()


def test_no_browser_keeps_the_queue_and_says_so(demo_server, tmp_path):
    db_path = tmp_path / "wc.db"
    _queue(db_path, _item_urls(demo_server, 1))
    failed = run_cli(
        "evidence",
        "capture",
        "--db",
        str(db_path),
        env={"WILDCRAWL_CHROMIUM": "/nonexistent/chromium"},
    )
    assert failed.returncode == 1
    last = failed.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: cannot start Chromium for 1 evidence screenshots (")
    assert "they stay queued" in last and "Traceback" not in failed.stderr
    assert count_pending(db_path) == 1


def test_ctrl_c_during_the_screenshots_stops_them_and_keeps_the_queue(demo_server, tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT

    db_path = tmp_path / "wc.db"
    _queue(db_path, _item_urls(demo_server, 3))
    demo_server.set_fault(SITE, "slow", delay=20)  # every page hangs: the capture is waiting
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "evidence", "capture", "--db", str(db_path)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        first = proc.stderr.readline()  # logged as the browser starts
        assert "taking 3 queued screenshots" in first, first
        time.sleep(2)  # the pages are loading (the server answers only after 20 s)
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert time.monotonic() - started < 10  # did not wait for the pages
    finally:
        demo_server.clear_faults(SITE)
    assert proc.returncode != 0
    assert "stay queued" in err and "Traceback" not in err
    assert count_pending(db_path) == 3


def test_a_browser_that_dies_leaves_the_captures_queued(demo_server, tmp_path):
    import subprocess
    import sys
    import time

    import psutil

    from tests.conftest import ROOT

    db_path = tmp_path / "wc.db"
    _queue(db_path, _item_urls(demo_server, 3))
    demo_server.set_fault(SITE, "slow", delay=20)  # two pages loading when Chromium dies
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "evidence", "capture", "--db", str(db_path)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert "taking 3 queued screenshots" in proc.stderr.readline()
        time.sleep(2)
        browsers = [
            p
            for p in psutil.Process(proc.pid).children(recursive=True)
            if "chrom" in p.name().lower()
        ]
        assert browsers
        for p in browsers:
            p.kill()
        _, err = proc.communicate(timeout=60)
    finally:
        demo_server.clear_faults(SITE)
    assert proc.returncode == 1 and "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last == (
        "Error: Chromium closed during the run: 1 captures left queued "
        "(run `wildcrawl evidence capture` again)"
    ), last
    assert count_pending(db_path) == 3  # two attempts spent on the pages in flight, one none
    attempts = sorted(r["attempts"] for r in sqlite_utils.Database(db_path)["evidence_queue"].rows)
    assert attempts == [0, 1, 1]


def test_a_database_from_before_the_queue_has_nothing_pending(tmp_path):
    db = sqlite_utils.Database(tmp_path / "old.db")
    db["listings"].insert({"id": "demo-bazaar:1"}, pk="id")
    db.close()
    assert count_pending(tmp_path / "old.db") == 0
