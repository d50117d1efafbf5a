"""Faults the crawl survives (crawler.demo.faults, crawler.crawl.retry_after).

Each crawl test switches fault modes on in the demo marketplaces (small catalogues,
127.0.0.1, port 0), runs a real crawl in a subprocess, and checks: the crawl
finishes (or is ``broken`` where the guard applies), every listing that was
reachable is stored exactly once (against ``search_catalogue`` ground truth), and
what failed is counted by kind in the ``crawls`` row and logged.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest
import sqlite_utils
import yaml

from crawler.config import MARKETPLACES_DIR
from crawler.crawl.retry_after import parse_retry_after
from crawler.demo.catalogue import search_catalogue
from crawler.demo.faults import (
    FaultBoard,
    make_fault,
    next_page_target,
    pad_html,
    parse_fault_arg,
    strip_scripts,
    trap_html,
)
from crawler.demo.server import DemoServer
from tests.conftest import ROOT, run_cli

SIZE = 300
KEYWORDS = ["ivory", "象牙"]
FAST = [
    "-s",
    "DOWNLOAD_TIMEOUT=2",
    "-s",
    "RETRY_TIMES=2",
    "-s",
    "WILDCRAWL_EVIDENCE=False",
    "-s",
    "WILDCRAWL_PROGRESS=False",
]


# --- pure parts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (b"3", 3.0),
        (" 0 ", 0.0),
        ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0),  # an HTTP date, 10 s after "now"
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # already past: no wait
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value, expected):
    now = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT
    assert parse_retry_after(value, now=now) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/search?q=ivory&page=3", "/search?q=ivory&page=4"),
        ("/search?kw=%E8%B1%A1%E7%89%99&p=1", "/search?kw=%E8%B1%A1%E7%89%99&p=2"),
        ("/search?q=ivory", "/search?q=ivory&page=2"),
    ],
)
def test_next_page_target(target, expected):
    assert next_page_target(target) == expected


def test_trap_replaces_the_next_link_and_always_adds_one():
    page = b'<html><body><a rel="next" href="/search?q=x&amp;page=2">Weiter</a></body></html>'
    trapped = trap_html(page, "/search?q=x&page=7")
    assert trapped.count(b'rel="next"') == 1
    assert b'href="/search?q=x&amp;page=8"' in trapped
    assert b"page=2" not in trapped


def test_pad_and_strip():
    body = (
        b"<html><body><main id='app' aria-busy='true'></main><script src='/a.js'></script>"
        b"<script>load()</script></body></html>"
    )
    assert len(pad_html(body, 1)) == 1024 * 1024
    assert pad_html(body, 1).endswith(b"</body></html>")
    assert (
        strip_scripts(body) == b"<html><body><main id='app' aria-busy='true'></main></body></html>"
    )


def test_fault_board_counts_times_and_paths():
    board = FaultBoard()
    board.set("demo-bazaar", make_fault("http503", times=2, path="/search"))
    board.set("demo-bazaar", make_fault("slow", delay=0.0))
    hits = [
        [f.kind for f in board.take("demo-bazaar", t)]
        for t in ("/robots.txt", "/search?q=a", "/search?q=b", "/search?q=c", "/listing/1")
    ]
    assert hits == [[], ["http503", "slow"], ["http503", "slow"], ["slow"], ["slow"]]
    assert board.take("demo-tiaozao", "/search?kw=x") == []
    board.clear()
    assert board.take("demo-bazaar", "/search?q=a") == []


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("demo-bazaar=teapot", "unknown fault 'teapot'"),
        ("demo-bazaar=http429:delay=3", "takes no 'delay'"),
        ("demo-bazaar=http503:times=0", "times must be at least 1"),
        ("demo-bazaar", "expected SITE=KIND"),
        ("demo-bazaar=slow:delay", "not name=value"),
    ],
)
def test_bad_fault_args(text, error):
    with pytest.raises(ValueError, match=error):
        parse_fault_arg(text)


def test_fault_arg():
    site, fault = parse_fault_arg("demo-tiaozao=truncate:declared=false,times=3,path=/goods/")
    assert (site, fault.kind, fault.declared, fault.times, fault.path) == (
        "demo-tiaozao",
        "truncate",
        False,
        3,
        "/goods/",
    )
    assert parse_fault_arg("demo-bazaar=http429")[1].retry_after == 1.0


def test_server_command_line_rejects_a_bad_fault():
    result = subprocess.run(
        [sys.executable, "-m", "crawler.demo.server", "--fault", "demo-bazaar=nope"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "--fault: unknown fault 'nope'" in result.stderr


# --- what the demo server sends under each fault (raw HTTP, no crawler) ---------------------


@pytest.fixture(scope="module")
def bazaar():
    with DemoServer(ports={"demo-bazaar": 0}, sites=["demo-bazaar"], size=60) as demo:
        yield demo


def fetch(server: DemoServer, target: str) -> tuple[int, dict, bytes]:
    """Status, headers and body of one GET; raises what http.client raises on a broken answer."""
    port = int(server.base_url("demo-bazaar").rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", target)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_server_answers_status_faults_then_recovers(bazaar):
    bazaar.clear_faults()
    bazaar.set_fault("demo-bazaar", "http429", retry_after=7, times=1, path="/search")
    bazaar.set_fault("demo-bazaar", "http503", times=2, path="/listing/")
    status, headers, _ = fetch(bazaar, "/search?q=ivory&page=1")
    assert (status, headers["Retry-After"]) == (429, "7")
    assert fetch(bazaar, "/search?q=ivory&page=1")[0] == 200
    listing = f"/listing/{bazaar.catalogue('demo-bazaar')[0].item_id}"
    assert [fetch(bazaar, listing)[0] for _ in range(3)] == [503, 503, 200]
    assert fetch(bazaar, "/robots.txt")[0] == 200  # never faulted unless asked by path


def test_server_truncates_drops_and_cuts(bazaar):
    bazaar.clear_faults()
    whole = fetch(bazaar, "/search?q=ivory&page=1")[2]
    bazaar.set_fault("demo-bazaar", "truncate", times=1, path="/search")
    with pytest.raises(http.client.IncompleteRead) as info:
        fetch(bazaar, "/search?q=ivory&page=1")
    assert info.value.partial == whole[: len(whole) // 2]
    bazaar.set_fault("demo-bazaar", "truncate", times=1, declared=False, path="/search")
    status, headers, body = fetch(bazaar, "/search?q=ivory&page=1")
    assert (status, body, headers["Content-Length"]) == (
        200,
        whole[: len(whole) // 2],
        str(len(body)),
    )
    bazaar.set_fault("demo-bazaar", "drop", times=1, path="/search")
    with pytest.raises((http.client.IncompleteRead, ConnectionResetError)):
        fetch(bazaar, "/search?q=ivory&page=1")
    assert fetch(bazaar, "/search?q=ivory&page=1")[2] == whole  # every fault used up


def test_server_trap_huge_and_slow(bazaar):
    bazaar.clear_faults()
    bazaar.set_fault("demo-bazaar", "trap", path="/search")
    body = fetch(bazaar, "/search?q=ivory&page=40")[2]
    assert (
        b"Keine Anzeigen" in body
        and b'rel="next" class="next" href="/search?q=ivory&amp;page=41"' in body
    )
    bazaar.clear_faults()
    bazaar.set_fault("demo-bazaar", "huge", mb=3, times=1, path="/search")
    assert len(fetch(bazaar, "/search?q=ivory&page=1")[2]) == 3 * 1024 * 1024
    bazaar.set_fault("demo-bazaar", "slow", delay=0.5, times=1, path="/search")
    start = time.monotonic()
    fetch(bazaar, "/search?q=ivory&page=1")
    assert time.monotonic() - start >= 0.5


def test_server_command_line_fault():
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crawler.demo.server",
            "--size",
            "20",
            "--port-bazaar",
            "0",
            "--port-jsmarket",
            "0",
            "--port-tiaozao",
            "0",
            "--fault",
            "demo-bazaar=http503:times=1",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("demo-bazaar"), line + proc.stderr.read()
        url = line.split()[1].rstrip("/")
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(url + "/search?q=ivory", timeout=10)
        assert info.value.code == 503
        with urllib.request.urlopen(url + "/search?q=ivory", timeout=10) as response:
            assert response.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# --- crawls under faults ----------------------------------------------------------------------


@pytest.fixture
def server():
    with DemoServer(
        ports={"demo-bazaar": 0, "demo-jsmarket": 0, "demo-tiaozao": 0}, size=SIZE
    ) as demo:
        yield demo


def truth(server: DemoServer, site: str, keywords=KEYWORDS) -> set[str]:
    """Item ids the site's searches show for the keywords (the generator's ground truth)."""
    return {i.item_id for kw in keywords for i in search_catalogue(server.catalogue(site), kw)}


def crawl_args(server, db, sites, *extra, keywords=KEYWORDS):
    args = ["crawl", *sites, "--db", str(db), "-k", ",".join(keywords), *FAST, *extra]
    for site in sites:
        name = Path(site).stem
        args += ["--base-url", f"{name}={server.base_url(name)}"]
    return args


def crawl(server, db, sites, *extra, keywords=KEYWORDS, exit_code=0):
    result = run_cli(*crawl_args(server, db, sites, *extra, keywords=keywords), timeout=120)
    assert result.returncode == exit_code, result.stderr[-3000:]
    return result


def config_copy(tmp_path: Path, site: str, **sections) -> str:
    """A copy of a demo config with some sections changed (short timeouts, a page size limit)."""
    data = yaml.safe_load((MARKETPLACES_DIR / f"{site}.yaml").read_text(encoding="utf-8"))
    for section, values in sections.items():
        data[section] = {**data.get(section, {}), **values}
    path = tmp_path / f"{site}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def last_crawl(db, site: str) -> dict:
    row = next(
        sqlite_utils.Database(db).query(
            "select * from crawls where marketplace = ? order by id desc limit 1", [site]
        )
    )
    row["error_kinds"] = json.loads(row["error_kinds"] or "{}")
    return row


def stored(db, site: str) -> set[str]:
    """Item ids stored for a site, checking that each has one listing row and one observation."""
    db = sqlite_utils.Database(db)
    rows = list(db.query("select item_id from listings where marketplace = ?", [site]))
    ids = [r["item_id"] for r in rows]
    assert len(ids) == len(set(ids))
    dup = list(
        db.query(
            "select listing_id, crawl_id, count(*) n from observations "
            "group by listing_id, crawl_id having n > 1"
        )
    )
    assert dup == []
    return set(ids)


def test_http_faults_retry_after_bursts_timeouts_drops_truncation(server, tmp_path):
    """429 + Retry-After, 500/503 bursts, a slow page, a dropped and a truncated answer."""
    bazaar, tiaozao = truth(server, "demo-bazaar"), truth(server, "demo-tiaozao")
    b_ids, t_ids = sorted(bazaar), sorted(tiaozao)
    # demo-bazaar: its first search answers 429 "come back in 2 s"; one detail page answers
    # 503 twice (then recovers, within RETRY_TIMES=2); another answers 500 for good.
    server.set_fault("demo-bazaar", "http429", retry_after=2, times=1, path="/search")
    server.set_fault("demo-bazaar", "http503", times=2, path=f"/listing/{b_ids[1]}")
    server.set_fault("demo-bazaar", "http500", path=f"/listing/{b_ids[0]}")
    # demo-tiaozao: one detail page too slow for the timeout once, one dropped mid-answer for good,
    # one truncated once (Content-Length bigger than the body; the retry gets it whole).
    server.set_fault("demo-tiaozao", "slow", delay=6, times=1, path=f"/goods/{t_ids[0]}.html")
    server.set_fault("demo-tiaozao", "drop", path=f"/goods/{t_ids[1]}.html")
    server.set_fault("demo-tiaozao", "truncate", times=1, path=f"/goods/{t_ids[2]}.html")
    db = tmp_path / "faults.db"
    # A 5 s timeout (not 1 s): a loaded test machine must not add timeouts of its own.
    result = crawl(server, db, ["demo-bazaar", "demo-tiaozao"], "-s", "DOWNLOAD_TIMEOUT=5")

    # Retry-After honoured: after the 429, no new request reached the site for 2 s (only the
    # other keyword's search, already on its way when the 429 came, arrives with it).
    log = [r for r in server.request_log if r.site == "demo-bazaar"]
    t429 = next(r.at for r in log if r.status == 429)
    early = [r.at - t429 for r in log if t429 < r.at < t429 + 2.0 - 0.05]
    assert len(early) <= len(KEYWORDS) - 1 and all(d < 0.2 for d in early), early
    assert any(
        r.status == 200 and r.target.startswith("/search") and r.at >= t429 + 1.95 for r in log
    )  # the retried search

    # Everything the searches showed is stored once, detail failures included (from the
    # results page); the failed detail pages were tried 1 + RETRY_TIMES times.
    assert stored(db, "demo-bazaar") == bazaar
    assert stored(db, "demo-tiaozao") == tiaozao
    assert server.count_requests("demo-bazaar", f"/listing/{b_ids[0]}") == 3, [
        (r.target, r.status) for r in server.request_log if r.target.startswith("/listing/")
    ][:8]
    assert server.count_requests("demo-bazaar", f"/listing/{b_ids[1]}") == 3
    # The slow answer is logged when it is finally sent, after the crawl gave up on it.
    deadline = time.monotonic() + 5
    while server.count_requests("demo-tiaozao", f"/goods/{t_ids[0]}.html") < 2:
        assert time.monotonic() < deadline, "the slow page was not asked for twice"
        time.sleep(0.1)
    assert server.count_requests("demo-tiaozao", f"/goods/{t_ids[1]}.html") == 3
    assert server.count_requests("demo-tiaozao", f"/goods/{t_ids[2]}.html") == 2

    b_row, t_row = last_crawl(db, "demo-bazaar"), last_crawl(db, "demo-tiaozao")
    assert b_row["status"] == t_row["status"] == "finished"
    assert b_row["error_kinds"]["http_429"] == 1
    assert b_row["error_kinds"]["http_503"] == 2
    assert b_row["error_kinds"]["http_500"] == 3
    assert b_row["error_kinds"]["detail_failed"] == 1
    assert b_row["errors"] == sum(b_row["error_kinds"].values())
    kinds = t_row["error_kinds"]
    assert kinds["detail_failed"] == 1  # the dropped one
    assert kinds["DownloadTimeoutError"] == 1, kinds
    assert (
        sum(v for k, v in kinds.items() if k not in ("detail_failed", "DownloadTimeoutError")) == 4
    ), kinds  # 3 drops + 1 truncation, by exception class
    assert "Retry-After: waiting 2.0 s" in result.stderr
    assert (
        f"detail page failed (HttpError): {server.base_url('demo-bazaar')}/listing/{b_ids[0]}"
        in result.stderr
    )
    assert "DownloadTimeoutError" in result.stderr


def test_block_page_on_every_results_page_gives_broken_and_removes_nothing(server, tmp_path):
    db = tmp_path / "blocked.db"
    crawl(server, db, ["demo-bazaar"])
    before = stored(db, "demo-bazaar")
    assert before == truth(server, "demo-bazaar")
    server.set_blocked("demo-bazaar")
    result = crawl(server, db, ["demo-bazaar"], exit_code=1)
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: crawl did not finish cleanly: demo-bazaar broken: broken crawl, nothing marked "
        "removed: 2 block/captcha page(s) served; the results are incomplete"
    )
    row = last_crawl(db, "demo-bazaar")
    assert row["status"] == "broken"
    assert row["listings_removed"] == 0 and row["listings_seen"] == 0
    assert row["error_kinds"]["blocked"] == len(KEYWORDS)
    assert "block/captcha page at" in result.stderr
    statuses = {
        r["status"]
        for r in sqlite_utils.Database(db).query(
            "select status from listings where marketplace = 'demo-bazaar'"
        )
    }
    assert statuses == {"active"}
    assert stored(db, "demo-bazaar") == before  # no captcha page became a listing
    titles = [r["title"] for r in sqlite_utils.Database(db).query("select title from listings")]
    assert not any("Sicherheit" in t or "verify" in t for t in titles)


def test_pagination_trap_stops_at_max_pages_and_huge_pages(server, tmp_path):
    """An endless next link, a 20 MB results page (kept) and a 20 MB detail page (over the limit)."""
    server.set_fault("demo-tiaozao", "trap", path="/search")
    server.set_fault("demo-tiaozao", "huge", mb=20, path="/search?kw=%E8%B1%A1%E7%89%99&p=1")
    b_ids = sorted(truth(server, "demo-bazaar"))
    server.set_fault("demo-bazaar", "huge", mb=20, path=f"/listing/{b_ids[0]}")
    bazaar_config = config_copy(tmp_path, "demo-bazaar", politeness={"max_page_mb": 5})
    db = tmp_path / "trap.db"
    # Nothing here is slow: a long timeout keeps a loaded machine's 20 MB transfer from timing out.
    result = crawl(
        server, db, [bazaar_config, "demo-tiaozao"], "--max-pages", "4", "-s", "DOWNLOAD_TIMEOUT=20"
    )

    for keyword in KEYWORDS:
        prefix = f"/search?kw={'%E8%B1%A1%E7%89%99' if keyword == '象牙' else keyword}&p="
        pages = {r.target for r in server.request_log if r.target.startswith(prefix)}
        assert len(pages) == 4  # the trap never ends; the crawl does
    assert stored(db, "demo-tiaozao") == truth(server, "demo-tiaozao")
    t_row = last_crawl(db, "demo-tiaozao")
    assert t_row["status"] == "finished" and t_row["errors"] == 0
    assert "stopped at max_pages=4" in result.stderr
    assert "exceeds DOWNLOAD_WARNSIZE" in result.stderr or "warnsize" in result.stderr.lower()

    assert stored(db, "demo-bazaar") == set(b_ids)
    b_row = last_crawl(db, "demo-bazaar")
    assert b_row["status"] == "finished"
    assert b_row["error_kinds"] == {"DownloadCancelledError": 1, "detail_failed": 1}
    assert "DownloadCancelledError" in result.stderr


def _chromium_children(pid: int) -> list[psutil.Process]:
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        try:
            if "chrom" in child.name().lower():
                found.append(child)
        except psutil.NoSuchProcess:
            continue
    return found


def test_browser_page_never_ready_and_browser_killed_mid_crawl(server, tmp_path):
    """One browser crawl, two faults: an item page whose ``wait_for`` never appears (a 1.5 s
    timeout, counted, the crawl goes on) and Chromium killed while item pages load."""
    ids = truth(server, "demo-jsmarket", ["ivory"])
    never_ready = min(ids)
    server.set_fault("demo-jsmarket", "never_ready", path=f"/item/{never_ready}")
    server.set_fault("demo-jsmarket", "slow", delay=0.3, path="/api/item/")  # a crawl to interrupt
    config = config_copy(tmp_path, "demo-jsmarket", browser={"timeout_ms": 1500})
    db = tmp_path / "js.db"
    args = crawl_args(server, db, [config], keywords=["ivory"])
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed_at = None
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if server.count_requests("demo-jsmarket", "/api/item/") >= 2:
                victims = _chromium_children(proc.pid)
                assert victims, "no chromium process under the crawl"
                for victim in victims:
                    try:
                        victim.kill()
                    except psutil.NoSuchProcess:
                        pass
                killed_at = time.time()
                break
            time.sleep(0.05)
        try:
            _, stderr = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, stderr = proc.communicate(timeout=30)
            pytest.fail(
                f"the crawl hung after the browser was killed; its log ends:\n{stderr[-6000:]}"
            )
        (tmp_path / "stderr.txt").write_text(stderr)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert killed_at is not None, "the crawl ended before any item page was fetched"
    assert proc.returncode == 0, stderr[-3000:]
    # The browser came back: item pages were fetched after the kill.
    assert any(
        r.at > killed_at + 0.5 for r in server.request_log if r.target.startswith("/api/item/")
    )
    assert stored(db, "demo-jsmarket") == ids
    row = last_crawl(db, "demo-jsmarket")
    assert row["status"] == "finished"
    # scrapy-playwright re-created the pages the kill closed: nothing else failed. The page that
    # never became ready timed out once (its listing stored from the results page).
    assert row["error_kinds"] == {"browser_disconnected": 1, "TimeoutError": 1, "detail_failed": 1}
    assert row["errors"] == 3
    assert "browser disconnected (crashed or killed)" in stderr
    base = server.base_url("demo-jsmarket")
    assert f"detail page failed (TimeoutError): {base}/item/{never_ready}" in stderr
